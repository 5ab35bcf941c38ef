// The accessible table of the same numbers as the map, one row per area.

import { el, replace } from "./dom.js";
import { meanWords, ons4Words, shareWords } from "./measures.js";

function topNeeds(cell, needLabels, count = 3) {
  const ranked = Object.entries(cell.needs || {}).sort((a, b) => b[1] - a[1]).slice(0, count);
  const margin = (cell.margins || {}).shares;
  return ranked.map(([code, share]) => `${needLabels[code] || code} ${shareWords(share, margin)}`).join("; ") || "none shown";
}

export function drawTable(container, { week, areas, shorts, regionNames, needLabels, k, onSelect }) {
  const head = el(
    "thead",
    {},
    el(
      "tr",
      {},
      el("th", { scope: "col", text: "Area" }),
      el("th", { scope: "col", text: "On the map" }),
      el("th", { scope: "col", text: "Region" }),
      el("th", { scope: "col", class: "number", text: "People (nearest 5)" }),
      el("th", { scope: "col", class: "number", text: "Mean mood" }),
      el("th", { scope: "col", class: "number", text: "Tough weeks" }),
      el("th", { scope: "col", text: "Top needs" }),
      el("th", { scope: "col", text: "ONS4 means (each 0 to 10)" }),
    ),
  );
  const sorted = [...areas].sort((a, b) => a.label.localeCompare(b.label));
  const rows = sorted.map((cell) => {
    const name = el("th", { scope: "row" }, el("button", { type: "button", class: "link", text: cell.label, onclick: () => onSelect(cell.key) }));
    const short = el("td", { text: shorts[cell.key] || cell.key });
    const region = el("td", { text: regionNames[cell.region] || cell.region || "" });
    if (cell.status !== "published") {
      return el("tr", { "data-area": cell.key }, name, short, region, el("td", { colspan: 5, class: "suppressed-text", text: `Suppressed (fewer than ${k} people, or protecting a smaller group)` }));
    }
    return el(
      "tr",
      { "data-area": cell.key },
      name,
      short,
      region,
      el("td", { class: "number", text: String(cell.contributors) }),
      el("td", { class: "number", text: meanWords(cell.mood, (cell.margins || {}).mood, 2) }),
      el("td", { class: "number", text: shareWords(cell.tough_share, (cell.margins || {}).shares) }),
      el("td", { text: topNeeds(cell, needLabels) }),
      el("td", { text: ons4Words(cell, k) }),
    );
  });
  const table = el("table", {}, el("caption", { text: `Areas, week beginning ${week}` }), head, el("tbody", {}, ...rows));
  replace(container, table);
}

export { topNeeds };
