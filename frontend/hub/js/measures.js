// What the map can be coloured by, how a value reads in words, and its colour bin.

const MOOD = { bins: [2.5, 3, 3.5, 4], colours: ["#ca0020", "#f4a582", "#f2efe9", "#92c5de", "#0571b0"] };
const SHARE = { bins: [0.1, 0.2, 0.3, 0.4], colours: ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"] };
// The ONS bands: 0-4 low, 5-6 medium, 7-8 high, 9-10 very high; for anxiety 0-1 very low,
// 2-3 low, 4-5 medium, 6-10 high (where a high score is the harder one).
const ONS_POSITIVE = { bins: [5, 7, 9], colours: ["#ca0020", "#f4a582", "#92c5de", "#0571b0"], whole: true };
const ONS_ANXIOUS = { bins: [2, 4, 6], colours: ["#0571b0", "#92c5de", "#f4a582", "#ca0020"], whole: true };

/** The four ONS4 items, each a mean on its own 0 to 10 scale (never added together). */
export const ONS4_ITEMS = [
  { id: "life_satisfaction", label: "Life satisfaction", scale: ONS_POSITIVE },
  { id: "worthwhile", label: "Feeling things done are worthwhile", scale: ONS_POSITIVE },
  { id: "happy", label: "Happiness yesterday", scale: ONS_POSITIVE },
  { id: "anxious", label: "Anxiety yesterday", scale: ONS_ANXIOUS },
];

/** The ONS4 means of a cell in words, or why there are none. */
export function ons4Words(cell, k) {
  if (!ONS4_ITEMS.some((item) => hasValue(cell[item.id]))) return `fewer than ${k} answered`;
  const given = margins(cell);
  return ONS4_ITEMS.map((item) => `${item.label} ${hasValue(cell[item.id]) ? meanWords(cell[item.id], given[item.id]) : "not shown"}`).join("; ");
}

/** A mean in words with its give-or-take (a 90% margin): "about 3.4, give or take 0.3". */
export function meanWords(value, margin, places = 1) {
  if (!hasValue(margin)) return value.toFixed(places);
  return `about ${value.toFixed(places)}, give or take ${Math.max(margin, 0.1 ** places).toFixed(places)}`;
}

/** A share in words: never 0% or 100% (shares are clipped into 5%..95%), with its margin. */
export function shareWords(share, margin) {
  if (share <= 0.05) return "hardly anyone";
  if (share >= 0.95) return "nearly everyone";
  return hasValue(margin) ? `about ${percent(share)}, give or take ${percent(margin)}` : percent(share);
}

function margins(cell) {
  return cell.margins || {};
}

export function measures(needs) {
  const list = [
    { id: "mood", label: "Mean mood (1 really tough to 5 great)", scale: MOOD, value: (c) => c.mood, format: (v) => v.toFixed(2), words: (c) => meanWords(c.mood, margins(c).mood, 2) },
    { id: "tough", label: "Share having a tough week", scale: SHARE, value: (c) => c.tough_share, format: percent, words: (c) => shareWords(c.tough_share, margins(c).shares) },
  ];
  for (const item of ONS4_ITEMS) {
    list.push({
      id: `ons4:${item.id}`,
      label: `ONS4 mean: ${item.label} (0 to 10)`,
      scale: item.scale,
      value: (c) => c[item.id] ?? null,
      format: (v) => v.toFixed(1),
      words: (c) => meanWords(c[item.id], margins(c)[item.id]),
    });
  }
  for (const need of needs) {
    list.push({
      id: `need:${need.code}`,
      label: `Share asking for: ${need.label}`,
      scale: SHARE,
      value: (c) => (c.needs || {})[need.code] ?? 0,
      format: percent,
      words: (c) => shareWords((c.needs || {})[need.code] ?? 0, margins(c).shares),
    });
  }
  return list;
}

export function percent(share) {
  return `${Math.round(share * 100)}%`;
}

/** A measure whose value a published cell may still lack (the ONS4 means need k answers). */
export function hasValue(value) {
  return value !== null && value !== undefined;
}

function luminance(hex) {
  const channel = (i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Black or white, whichever has the higher contrast on this colour ("#rrggbb"). */
export function textOn(colour) {
  const l = luminance(colour);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
}

export function colourFor(measure, value) {
  const { bins, colours } = measure.scale;
  const index = bins.findIndex((edge) => value < edge);
  return colours[index === -1 ? colours.length - 1 : index];
}

export function binLabels(measure) {
  const { bins, colours } = measure.scale;
  const show = measure.scale.whole ? String : measure.id === "mood" ? (v) => v.toFixed(1) : percent;
  return colours.map((colour, i) => {
    if (i === 0) return { colour, text: `under ${show(bins[0])}` };
    if (i === bins.length) return { colour, text: `${show(bins[i - 1])} or more` };
    return { colour, text: `${show(bins[i - 1])} to ${show(bins[i])}` };
  });
}

/** A count of people in a table: "about 15, give or take 5" when it carries noise, else "15". */
export function countWords(people, margin) {
  return hasValue(margin) ? `about ${people}, give or take ${margin}` : String(people);
}

/** "about 25 people, give or take 4" (counts are rounded to 5 and noised). */
export function peopleWords(cell) {
  const margin = margins(cell).contributors;
  return hasValue(margin) ? `about ${cell.contributors} people, give or take ${margin}` : `about ${cell.contributors} people`;
}

export function suppressedWords(k) {
  return `Suppressed: fewer than ${k} people (or hidden so that a smaller group cannot be worked out)`;
}
