// The champion network: champions and services, people who joined through a champion's code
// and everyone else, and how many of each opened support, for the last closed week, in all
// and by region or area. Hidden figures are said to be hidden, never shown as zero.

import * as api from "./api.js";
import { countWords } from "./measures.js";
import { fill, h } from "/shared/dom.js";

const $ = (id) => document.getElementById(id);
const COLUMNS = [
  ["champions", "Champions"],
  ["services", "Services with a champion"],
  ["joined", "People who joined through a champion"],
  ["joined_took_up", "Of them, opened support"],
  ["rest", "Everyone else"],
  ["rest_took_up", "Of them, opened support"],
];

function shown(figure) {
  if (!figure || figure.status !== "published")
    return h("td", { class: "suppressed-text", text: "suppressed" });
  const share = typeof figure.share === "number" ? ` (${Math.round(figure.share * 100)}%)` : "";
  return h("td", { class: "number", text: `${countWords(figure.people, figure.margin)}${share}` });
}

function draw(week, names) {
  const level = $("champions-view").value;
  const keys = Object.keys(week.measures.joined[level] || {});
  keys.sort((a, b) => (names[level][a] || a).localeCompare(names[level][b] || b));
  const rows = [
    { label: "All areas", cells: COLUMNS.map(([m]) => week.measures[m].all) },
    ...keys.map((key) => ({ label: names[level][key] || key, cells: COLUMNS.map(([m]) => week.measures[m][level][key]) })),
  ];
  const table = h(
    "table",
    {},
    h("caption", { text: `The champion network, week beginning ${week.week}, ${level === "regions" ? "by region" : "by area"}` }),
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Where" }), ...COLUMNS.map(([, label]) => h("th", { scope: "col", class: "number", text: label })))),
    h("tbody", {}, ...rows.map((row) => h("tr", {}, h("th", { scope: "row", text: row.label }), ...row.cells.map(shown)))),
  );
  fill($("champions-table"), table);
}

/** Fill the champion network card; `taxonomy` gives area and region names. */
export async function showChampions(taxonomy) {
  const data = await api.champions(1);
  const lookup = (list) => Object.fromEntries((list || []).map((item) => [item.code, item.name]));
  const names = { regions: lookup(taxonomy.regions), areas: lookup(taxonomy.areas) };
  $("champions-rules").textContent =
    `Champions are colleagues the hub named for a service. People count only if their account counts in releases. Each figure needs at least ${data.k} people, carries noise to protect people (read it with its give or take) and is rounded to the nearest ${data.rounding}; "joined" and "everyone else" are shown together or not at all; figures that would let a suppressed one be worked out are suppressed too. Standing numbers move only when at least ${data.k} people have changed.`;
  $("champions-view").onchange = () => draw(data.weeks[0], names);
  draw(data.weeks[0], names);
}
