// What the thanks screen may offer after a check-in, one thing at a time: support that might
// help (see suggest.js), or else (not on a hard day) this week's four ONS questions. "Not now"
// only hides it (and for the questions remembers the week on this phone): no request is made.

import { h } from "/shared/dom.js";
import { loadCatalogue } from "../catalogue.js";
import { notNow, shouldOffer } from "../ons4.js";
import { suggestionFor } from "../suggest.js";
import { labelOf } from "../words.js";
import { resourceCard } from "./resources.js";

/**
 * Start what the offers need while the person is still checking in, so that nothing has to
 * be fetched when one is shown. Returns {offerAfter(saved)}: the card to show, or null.
 */
export function prepareOffers(ctx) {
  const prepared = {
    catalogue: loadCatalogue(ctx.api)
      .then((c) => c.resources)
      .catch(() => null),
    ons4: shouldOffer(ctx.api),
  };
  return { offerAfter: (saved) => offerAfter(ctx, saved, prepared) };
}

const TALK_NEEDS = ["someone_to_talk_to", "wellbeing_hub"];

function offerCard(id, title, children, onNotNow) {
  const card = h(
    "section",
    { class: "card offer", "aria-labelledby": id, "data-offer": id },
    h("h2", { id, tabindex: "-1", text: title }),
    children,
  );
  const later = h("button", { type: "button", class: "button secondary", text: "Not now" });
  later.addEventListener("click", async () => {
    const next = card.closest(".screen").querySelector("[data-screen-title]");
    card.remove();
    if (next) next.focus();
    if (onNotNow) await onNotNow();
  });
  card.querySelector(".actions").append(later);
  return card;
}

function suggestionCard(ctx, suggestion, taxonomy, mood) {
  // The taxonomy's own words: lower-casing would spoil names such as "The Staff Wellbeing Hub".
  const needs = suggestion.needs.map((code) => `“${labelOf(taxonomy.needs, code)}”`);
  const intro = suggestion.tough
    ? "The last few check-ins sound hard. Here is some support that's there for you, whenever you want it."
    : `You chose ${needs.join(" and ")}. Here is where to find it, whenever you're ready.`;
  return offerCard("offer-support", "Some support that might help", [
    h("p", { text: intro }),
    h(
      "ul",
      { class: "plain-list resources" },
      suggestion.resources.map((r) => resourceCard(ctx, r)),
    ),
    // After hard days, or when asking for someone to talk to: a way to a person, too.
    suggestion.tough || suggestion.needs.some((n) => TALK_NEEDS.includes(n))
      ? h("p", {}, h("a", { href: "#/talk", text: "Talk to someone at the hub" }), ": ask for a conversation.")
      : null,
    // At mood 1 or 2 the urgent lines are on the thanks screen itself (urgent.js).
    mood > 2
      ? h("p", {}, "Urgent help is always on the ", h("a", { href: "#/support", text: "Support screen" }), ".")
      : null,
    h("div", { class: "actions" }),
  ]);
}

function ons4Card() {
  return offerCard(
    "offer-ons4",
    "Four short questions about your week?",
    [
      h("p", {
        text: "The Office for National Statistics asks people across the UK these four questions. It takes about a minute, and you can see your answers beside the UK's.",
      }),
      h(
        "div",
        { class: "actions" },
        h("a", { class: "button", href: "#/week-questions", text: "Answer them" }),
      ),
    ],
    notNow,
  );
}

/** The one offer to show after `saved` (a card), or null. */
async function offerAfter(ctx, saved, prepared) {
  const [catalogue, taxonomy, waiting] = await Promise.all([
    prepared.catalogue,
    ctx.getTaxonomy(),
    ctx.outbox.waiting(),
  ]);
  const suggestion = await suggestionFor(saved, waiting, catalogue);
  if (suggestion) return suggestionCard(ctx, suggestion, taxonomy, saved.mood);
  // Not on a hard day: a survey then would feel like the wrong question; it can wait for
  // a later check-in this week.
  if (saved.mood > 2 && (await prepared.ons4)) return ons4Card();
  return null;
}
