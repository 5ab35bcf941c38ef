// A check-in the diary could not take as it is: why, in the check-in's own words, and what to do.

import { h, newId } from "/shared/dom.js";
import { localEntry } from "../local.js";
import { SCALES } from "../words.js";
import { confirmStep } from "./fields.js";
import { NOTE_LIMIT, noteLength } from "./note.js";

const number = new Intl.NumberFormat("en-GB");

const GENERAL =
  "Something in it is not what the diary expects just now. Changing it and saving it again usually helps; if not, you can remove it.";

/** One sentence per field the server named (its errors.json keys), in the check-in's words. */
const FIELD_WORDS = {
  mood: () => "The mood needs to be one of the five faces.",
  occurred_at: (entry) =>
    Date.parse(entry.occurred_at) > Date.now()
      ? "The time is in the future: a check-in can only be for a time that has come."
      : "The time could not be read. Please choose it again.",
  note: (entry) => {
    const length = noteLength(entry.note);
    return length > NOTE_LIMIT
      ? `The note is too long: it can have at most ${number.format(NOTE_LIMIT)} characters, and this one has ${number.format(length)}.`
      : "The note could not be taken as it is.";
  },
  factors: () => "One of the things you chose under “What is affecting you?” is no longer on the list.",
  needs: () => "One of the things you chose under “What would help?” is no longer on the list.",
  ...Object.fromEntries(SCALES.map((s) => [s.field, () => `${s.question} needs to be one of its five choices.`])),
};

/** What was wrong with a refused check-in, as sentences; a general, kind one for anything else. */
function refusalWords(entry, refused) {
  const words = new Set();
  let unknown = false;
  for (const field of Object.keys((refused && refused.fields) || {})) {
    if (Object.hasOwn(FIELD_WORDS, field)) words.add(FIELD_WORDS[field](entry));
    else unknown = true;
  }
  if (unknown || !words.size) words.add(GENERAL);
  return [...words];
}

function reasons(entry, refused) {
  return h(
    "ul",
    { class: "refused-reasons" },
    refusalWords(entry, refused).map((words) => h("li", { text: words })),
  );
}

/** Above the check-in form when it opens a refused check-in: what to change before saving. */
export function whatToChange(entry, refused) {
  return h(
    "div",
    { class: "notice", role: "note" },
    h("p", { text: "The diary could not take this check-in as it was:" }),
    reasons(entry, refused),
    h("p", { text: "Saving it sends it again." }),
  );
}

/**
 * The card for a refused check-in: the reasons, "Change it" (the check-in form with its
 * content; saving sends it again) and "Remove it" (after a second step). `onRemoved` runs
 * once it is gone; without one, the card says so in its own place.
 */
export function refusedCard(ctx, item, { onRemoved } = {}) {
  const titleId = newId("refused");
  const remove = h("button", { type: "button", class: "button secondary", text: "Remove it" });
  const question = h("p", {
    text: "Remove this check-in? It is only on this phone, so what you wrote in it will be lost.",
  });
  // A change to a check-in already in the diary: removing the change leaves the diary's copy.
  localEntry(item.id).then((saved) => {
    if (saved) question.textContent = "Remove this change? The check-in stays in your diary as it was before.";
  });
  const card = h(
    "section",
    { class: "card refused", "aria-labelledby": titleId },
    h("h2", { id: titleId, text: "The diary could not take this check-in as it is" }),
    h("p", { text: "It is kept on this phone, and your other check-ins are sent as usual." }),
    reasons(item.entry, item.refused),
    h(
      "div",
      { class: "actions" },
      h("a", { class: "button", href: `#/check-in/${encodeURIComponent(item.id)}`, text: "Change it" }),
      remove,
    ),
  );
  card.append(
    confirmStep({
      start: remove,
      question,
      yes: "Yes, remove it",
      action: "confirm-remove",
      onYes: async () => {
        await ctx.outbox.discard(item.id);
        if (onRemoved) return onRemoved();
        const done = h("p", { class: "notice", role: "status", tabindex: "-1", text: "It has been removed." });
        card.replaceWith(done);
        done.focus();
      },
    }),
  );
  return card;
}
