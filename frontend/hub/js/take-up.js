// Take-up of the support catalogue: how many people opened each resource from the app, in
// all or by region or area, for recent closed weeks (each person once a week, however often
// they opened it); hidden cells are said to be hidden, never shown as zero.

import * as api from "./api.js";
import { countWords } from "./measures.js";
import { fill, h } from "/shared/dom.js";

const $ = (id) => document.getElementById(id);
const short = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });
const weekName = (iso) => short.format(new Date(`${iso}T12:00:00Z`));

function shown(count) {
  if (!count || count.status !== "published")
    return h("td", { class: "suppressed-text", text: "suppressed" });
  return h("td", { class: "number", text: countWords(count.people, count.margin) });
}

function rowsFor(data, view, resource, names) {
  if (view === "resources") {
    const ids = data.weeks.length ? data.weeks[0].resources.map((r) => r.resource) : [];
    return ids.map((id) => ({
      label: names.resources[id] || id,
      cells: data.weeks.map((w) => (w.resources.find((r) => r.resource === id) || {}).all),
    }));
  }
  const level = view === "regions" ? "regions" : "areas";
  const per = data.weeks.map(
    (w) => w.resources.find((r) => r.resource === resource) || { all: null, regions: {}, areas: {} },
  );
  const keys = Object.keys(per[0] ? per[0][level] : {});
  const labels = names[level];
  keys.sort((a, b) => (labels[a] || a).localeCompare(labels[b] || b));
  return [
    { label: "All areas", cells: per.map((p) => p.all) },
    ...keys.map((key) => ({ label: labels[key] || key, cells: per.map((p) => p[level][key]) })),
  ];
}

function draw(data, names) {
  const view = $("take-up-view").value;
  const resource = $("take-up-resource").value;
  $("take-up-resource-field").hidden = view === "resources";
  const what =
    view === "resources"
      ? "People who opened each resource, in all"
      : `People who opened ${names.resources[resource] || resource}, ${view === "regions" ? "by region" : "by area"}`;
  const table = h(
    "table",
    {},
    h("caption", { text: `${what}, weeks beginning ${weekName(data.from)} to ${weekName(data.to)}` }),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col", text: view === "resources" ? "Resource" : "Where" }),
        ...data.weeks.map((w) => h("th", { scope: "col", class: "number", text: weekName(w.week) })),
      ),
    ),
    h(
      "tbody",
      {},
      ...rowsFor(data, view, resource, names).map((row) =>
        h("tr", {}, h("th", { scope: "row", text: row.label }), ...row.cells.map(shown)),
      ),
    ),
  );
  fill($("take-up-table"), table);
}

/** Fill the take-up card; `taxonomy` gives area and region names. */
export async function showTakeUp(taxonomy) {
  const [data, catalogue] = await Promise.all([api.takeUp(), api.resources()]);
  const lookup = (list, field) =>
    Object.fromEntries((list || []).map((item) => [item.code || item.id, item[field]]));
  const names = {
    resources: lookup(catalogue.resources, "title"),
    regions: lookup(taxonomy.regions, "name"),
    areas: lookup(taxonomy.areas, "name"),
  };
  $("take-up-rules").textContent =
    `People, not opens: each person once a week, however often they opened it, in up to ${data.resources_per_week} resources a week, and only accounts that count in releases. Closed weeks only; noise is added to each count to protect people, so read it with its give or take; a count is shown only when it is at least ${data.k}, rounded to the nearest ${data.rounding}; other cells are suppressed, and so are any that would let a suppressed one be worked out.`;
  $("take-up-resource").replaceChildren(...catalogue.resources.map((r) => new Option(r.title, r.id)));
  $("take-up-view").onchange = () => draw(data, names);
  $("take-up-resource").onchange = () => draw(data, names);
  draw(data, names);
}
