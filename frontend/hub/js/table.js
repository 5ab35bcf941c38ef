// The accessible table of the same numbers as the map, one row per area.

import { fill, h } from "/shared/dom.js";
import { meanWords, ons4Words, shareWords } from "./measures.js";

function topNeeds(cell, needLabels, count = 3) {
  const ranked = Object.entries(cell.needs || {}).sort((a, b) => b[1] - a[1]).slice(0, count);
  const margin = (cell.margins || {}).shares;
  return ranked.map(([code, share]) => `${needLabels[code] || code} ${shareWords(share, margin)}`).join("; ") || "none shown";
}

export function drawTable(container, { week, areas, shorts, regionNames, needLabels, k, onSelect }) {
  const head = h(
    "thead",
    {},
    h(
      "tr",
      {},
      h("th", { scope: "col", text: "Area" }),
      h("th", { scope: "col", text: "On the map" }),
      h("th", { scope: "col", text: "Region" }),
      h("th", { scope: "col", class: "number", text: "People (nearest 5)" }),
      h("th", { scope: "col", class: "number", text: "Mean mood" }),
      h("th", { scope: "col", class: "number", text: "Tough weeks" }),
      h("th", { scope: "col", text: "Top needs" }),
      h("th", { scope: "col", text: "ONS4 means (each 0 to 10)" }),
    ),
  );
  const sorted = [...areas].sort((a, b) => a.label.localeCompare(b.label));
  const rows = sorted.map((cell) => {
    const name = h("th", { scope: "row" }, h("button", { type: "button", class: "link", text: cell.label, onclick: () => onSelect(cell.key) }));
    const short = h("td", { text: shorts[cell.key] || cell.key });
    const region = h("td", { text: regionNames[cell.region] || cell.region || "" });
    if (cell.status !== "published") {
      return h("tr", { "data-area": cell.key }, name, short, region, h("td", { colspan: 5, class: "suppressed-text", text: `Suppressed (fewer than ${k} people, or protecting a smaller group)` }));
    }
    return h(
      "tr",
      { "data-area": cell.key },
      name,
      short,
      region,
      h("td", { class: "number", text: String(cell.contributors) }),
      h("td", { class: "number", text: meanWords(cell.mood, (cell.margins || {}).mood, 2) }),
      h("td", { class: "number", text: shareWords(cell.tough_share, (cell.margins || {}).shares) }),
      h("td", { text: topNeeds(cell, needLabels) }),
      h("td", { text: ons4Words(cell, k) }),
    );
  });
  const table = h("table", {}, h("caption", { text: `Areas, week beginning ${week}` }), head, h("tbody", {}, ...rows));
  fill(container, table);
}

export { topNeeds };
