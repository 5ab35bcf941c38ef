// What the map can be coloured by, how a value reads in words, and its colour bin.

const MOOD = { bins: [2.5, 3, 3.5, 4], colours: ["#ca0020", "#f4a582", "#f2efe9", "#92c5de", "#0571b0"] };
const SHARE = { bins: [0.1, 0.2, 0.3, 0.4], colours: ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"] };

export function measures(needs) {
  const list = [
    { id: "mood", label: "Mean mood (1 really tough to 5 great)", scale: MOOD, value: (c) => c.mood, format: (v) => v.toFixed(2) },
    { id: "tough", label: "Share having a tough week", scale: SHARE, value: (c) => c.tough_share, format: percent },
  ];
  for (const need of needs) {
    list.push({
      id: `need:${need.code}`,
      label: `Share asking for: ${need.label}`,
      scale: SHARE,
      value: (c) => (c.needs || {})[need.code] ?? 0,
      format: percent,
    });
  }
  return list;
}

export function percent(share) {
  return `${Math.round(share * 100)}%`;
}

export function colourFor(measure, value) {
  const { bins, colours } = measure.scale;
  const index = bins.findIndex((edge) => value < edge);
  return colours[index === -1 ? colours.length - 1 : index];
}

export function binLabels(measure) {
  const { bins, colours } = measure.scale;
  const show = measure.id === "mood" ? (v) => v.toFixed(1) : percent;
  return colours.map((colour, i) => {
    if (i === 0) return { colour, text: `under ${show(bins[0])}` };
    if (i === bins.length) return { colour, text: `${show(bins[i - 1])} or more` };
    return { colour, text: `${show(bins[i - 1])} to ${show(bins[i])}` };
  });
}

export function suppressedWords(k) {
  return `Suppressed: fewer than ${k} people (or hidden so that a smaller group cannot be worked out)`;
}
