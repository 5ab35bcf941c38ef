// One resource of the support catalogue as a card (what it is, how to reach it, when), and
// the catalogue grouped by need.

import { h } from "/shared/dom.js";
import { countOpen, forNeed } from "../catalogue.js";
import { labelOf } from "../words.js";

const SAFE_LINK = /^(tel:|sms:|https:)/;
const KIND_WORDS = { phone: "Phone", text: "Text", web: "Website" };

function reachLink(ctx, resource, reach) {
  if (!SAFE_LINK.test(reach.href || "")) return null;
  const web = reach.href.startsWith("https:");
  return h(
    "li",
    {},
    h("a", {
      class: "button secondary reach",
      href: reach.href,
      rel: web ? "noopener noreferrer" : null,
      target: web ? "_blank" : null,
      onclick: () => countOpen(ctx, resource),
      text: reach.label || reach.value,
    }),
    reach.value && reach.value !== reach.label
      ? h("span", { class: "hint", text: [KIND_WORDS[reach.kind], reach.value].filter(Boolean).join(": ") })
      : null,
  );
}

function reachList(ctx, resource) {
  const links = (resource.reach || []).map((reach) => reachLink(ctx, resource, reach)).filter(Boolean);
  return links.length ? h("ul", { class: "plain-list reach-list" }, links) : null;
}

/**
 * A placeholder says what it is (the hub has not added its details), next to a real route:
 * the resource the catalogue names as `meanwhile`, when it is in `catalogue`.
 */
function waitingForTheHub(ctx, resource, catalogue, ownLinks) {
  const meanwhile = resource.meanwhile && (catalogue || []).find((r) => r.id === resource.meanwhile);
  return h(
    "div",
    { class: "placeholder-note" },
    h("p", {
      class: "hint",
      text: ownLinks
        ? "Your hub has not added its own contact details for this yet."
        : "Your hub has not added how to reach this yet.",
    }),
    meanwhile ? h("p", { class: "hint", text: `Until then: ${meanwhile.title}.` }) : null,
    meanwhile ? reachList(ctx, meanwhile) : null,
  );
}

/**
 * A resource as a list item: title, its one sentence, how to reach it and its hours. Pass the
 * whole `catalogue` where a placeholder may be shown, so its route meanwhile can be found.
 */
export function resourceCard(ctx, resource, catalogue) {
  const links = reachList(ctx, resource);
  return h(
    "li",
    { class: "resource", "data-resource-id": resource.id },
    h("h3", { class: "resource-title", text: resource.title }),
    resource.summary ? h("p", { text: resource.summary }) : null,
    resource.audience === "managers" ? h("p", { class: "hint", text: "For managers." }) : null,
    links,
    resource.placeholder ? waitingForTheHub(ctx, resource, catalogue, Boolean(links)) : null,
    resource.hours ? h("p", { class: "hint", text: `When: ${resource.hours}` }) : null,
  );
}

/** One folding section per need (in the taxonomy's order) that has any resources. */
export function byNeed(ctx, resources, needs) {
  const codes = (needs || []).map((n) => n.code);
  for (const r of resources) for (const c of r.needs || []) if (!codes.includes(c)) codes.push(c);
  return codes
    .map((code) => ({ code, list: forNeed(resources, code) }))
    .filter(({ list }) => list.length)
    .map(({ code, list }) =>
      h(
        "details",
        { class: "need-group", "data-need": code },
        h("summary", { text: `${labelOf(needs, code)} (${list.length})` }),
        h(
          "ul",
          { class: "plain-list resources" },
          list.map((r) => resourceCard(ctx, r, resources)),
        ),
      ),
    );
}
