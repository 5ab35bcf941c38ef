// Support: urgent help in one tap (built in, so it works offline and signed out), then the
// hub's catalogue of support grouped by what it helps with.

import { add, fill, h, screenTitle } from "/shared/dom.js";
import { loadCatalogue } from "../catalogue.js";
import { BUILT_IN, urgentButtons } from "../urgent.js";
import { championCard } from "./champion-card.js";
import { byNeed, resourceCard } from "./resources.js";

/** Urgent resources of the catalogue that the built-in list does not already cover. */
function moreUrgent(resources) {
  return resources.filter((r) => r.urgent && !(r.reach || []).some((reach) => BUILT_IN.has(reach.href)));
}

async function showCatalogue(ctx, urgentMore, groups, know) {
  const [taxonomy, { resources, stale }] = await Promise.all([ctx.getTaxonomy(), loadCatalogue(ctx.api)]);
  if (!resources) {
    fill(
      groups,
      h("p", { class: "muted", text: "Your hub's support will show here when you're back online." }),
    );
    return;
  }
  know(resources);
  const extra = moreUrgent(resources);
  fill(
    urgentMore,
    extra.length
      ? h(
          "ul",
          { class: "plain-list resources" },
          extra.map((r) => resourceCard(ctx, r, resources)),
        )
      : null,
  );
  fill(
    groups,
    stale ? h("p", { class: "hint", text: "You're offline: this is the list from your last visit." }) : null,
    h("p", { class: "hint", text: "Choose what would help to see where to find it." }),
    byNeed(ctx, resources, taxonomy.needs),
  );
}

/** A way to a person: ask the hub for a conversation (views/talk.js). */
export function talkCard() {
  return h(
    "section",
    { class: "card talk", "aria-labelledby": "talk-title" },
    h("h2", { id: "talk-title", text: "Talk to someone at the hub" }),
    h("p", { text: "Ask the Staff Wellbeing Hub for a conversation. Someone will get back to you, as a colleague." }),
    h("a", { class: "button", href: "#/talk", text: "Talk to someone at the hub" }),
  );
}

export function render(screen, ctx) {
  const urgentMore = h("div", { class: "urgent-more" });
  const groups = h("div", { class: "need-groups" }, h("p", { class: "muted", text: "Loading…" }));
  // The built-in links count as openings of the catalogue's matching resource, once it is known.
  const urgent = urgentButtons(ctx);
  add(
    screen,
    screenTitle("Support"),
    championCard(ctx),
    h(
      "section",
      { class: "card urgent", "aria-labelledby": "urgent-title" },
      h("h2", { id: "urgent-title", text: "Urgent help now" }),
      urgent.list,
      urgentMore,
    ),
    ctx.user ? talkCard() : null,
    h(
      "section",
      { class: "card", "aria-labelledby": "hub-title" },
      h("h2", { id: "hub-title", text: "Support for what you need" }),
      groups,
    ),
    ctx.user ? null : h("p", {}, h("a", { href: "#/welcome", text: "Back to the start" })),
  );
  showCatalogue(ctx, urgentMore, groups, urgent.know);
}
