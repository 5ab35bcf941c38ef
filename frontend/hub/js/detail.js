// One area in detail: its mean mood week by week (gaps where suppressed) and top needs.

import { fill, h, svg } from "/shared/dom.js";
import { meanWords, ons4Words, peopleWords, shareWords } from "./measures.js";
import { topNeeds } from "./table.js";

const W = 320;
const H = 140;
const PAD = { left: 28, right: 8, top: 10, bottom: 22 };

function chart(points) {
  const x = (i) => PAD.left + (i * (W - PAD.left - PAD.right)) / Math.max(1, points.length - 1);
  const y = (mood) => PAD.top + ((5 - mood) * (H - PAD.top - PAD.bottom)) / 4;
  const parts = [
    svg("line", { class: "axis", x1: PAD.left, y1: y(1), x2: W - PAD.right, y2: y(1) }),
    svg("line", { class: "axis", x1: PAD.left, y1: y(5), x2: PAD.left, y2: y(1) }),
  ];
  for (const mood of [1, 3, 5]) parts.push(svg("text", { x: 4, y: y(mood) + 4, text: String(mood) }));
  let path = "";
  points.forEach((point, i) => {
    if (point.status !== "published") {
      path += " ";
      return;
    }
    const start = i === 0 || points[i - 1].status !== "published";
    path += `${start ? "M" : "L"}${x(i).toFixed(1)},${y(point.mood).toFixed(1)}`;
    parts.push(svg("circle", { class: "dot", cx: x(i), cy: y(point.mood), r: 3 }));
  });
  parts.push(svg("path", { class: "line", d: path.trim() || "M0,0" }));
  if (points.length) {
    parts.push(svg("text", { x: PAD.left, y: H - 4, text: points[0].week }));
    parts.push(svg("text", { x: W - PAD.right, y: H - 4, "text-anchor": "end", text: points[points.length - 1].week }));
  }
  return svg("svg", { viewBox: `0 0 ${W} ${H}`, "aria-hidden": "true" }, ...parts);
}

function summary(points) {
  const shown = points.filter((p) => p.status === "published");
  if (!shown.length) return "No published weeks in this period.";
  const words = shown.map((p) => `${p.week}: ${p.mood.toFixed(2)}`).join("; ");
  return `Mean mood by week (${points.length - shown.length} weeks suppressed): ${words}.`;
}

export function drawDetail(container, { name, series, current, needLabels, k }) {
  const points = series ? series.points : [];
  const latest = current && current.status === "published" ? current : null;
  fill(
    container,
    h("h2", { id: "detail-title", text: name }),
    h("figure", { class: "trend" }, chart(points), h("figcaption", { text: summary(points) })),
    h("h3", { text: "This week" }),
    latest
      ? h(
          "ul",
          { class: "needs" },
          h("li", { text: `${peopleWords(latest)}; mean mood ${meanWords(latest.mood, (latest.margins || {}).mood, 2)}` }),
          h("li", { text: `Tough weeks: ${shareWords(latest.tough_share, (latest.margins || {}).shares)}` }),
          h("li", { text: `Top needs: ${topNeeds(latest, needLabels, 5)}` }),
          h("li", { text: `ONS4 means (each 0 to 10): ${ons4Words(latest, k)}` }),
        )
      : h("p", { class: "hint", text: `Suppressed: fewer than ${k} people, or protecting a smaller group.` }),
  );
}

/** The alerts, what they compared, and the areas they could not judge (and why). */
export function drawAlerts(container, { items, about, not_judged: notJudged }) {
  const list = h(
    "ul",
    { class: "alerts", id: "alerts" },
    ...(items.length ? items.map((alert) => h("li", { "data-area": alert.key, text: alert.message })) : [h("li", { text: "No area stands out from its own usual weeks." })]),
  );
  const groups = notJudged.map((group) =>
    h(
      "div",
      { class: "not-judged", "data-reason": group.reason },
      h("p", { text: group.message }),
      h("ul", { class: "area-names" }, ...group.areas.map((area) => h("li", { "data-area": area.key, text: area.label }))),
    ),
  );
  fill(
    container,
    list,
    h("p", { class: "hint", id: "alerts-about", text: about }),
    groups.length ? h("h3", { text: "Areas the alerts cannot judge" }) : null,
    ...groups,
  );
}
