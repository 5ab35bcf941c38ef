// One check-in, opened from the history: read it, change it or delete it.

import { add, h, notice, say, screenTitle } from "/shared/dom.js";
import { face } from "../faces.js";
import { forgetEntry, localEntry } from "../local.js";
import { SCALES, formatDay, formatTime, labelOf, moodWord, scaleWords } from "../words.js";
import { confirmStep } from "./fields.js";
import { refusedCard } from "./refused.js";

async function find(ctx, id) {
  const waiting = await ctx.outbox.waitingEntry(id);
  if (waiting) return { entry: waiting.entry, waiting };
  const local = await localEntry(id);
  if (local) return { entry: local };
  return { entry: await ctx.api.entry(id) };
}

function details(entry, taxonomy) {
  const rows = [];
  for (const s of SCALES) {
    if (entry[s.field]) rows.push([s.question, scaleWords(s, taxonomy)[entry[s.field] - 1]]);
  }
  const listed = (list, codes) => (codes || []).map((code) => labelOf(list, code)).join(", ");
  if ((entry.factors || []).length)
    rows.push(["What was affecting you", listed(taxonomy.factors, entry.factors)]);
  if ((entry.needs || []).length) rows.push(["What would help", listed(taxonomy.needs, entry.needs)]);
  return h(
    "dl",
    { class: "details" },
    rows.map(([term, value]) => [h("dt", { text: term }), h("dd", { text: value })]),
    entry.note ? [h("dt", { text: "Note" }), h("dd", { class: "note", text: entry.note })] : null,
  );
}

function deleteControls(ctx, entry, waiting) {
  const message = notice("alert");
  const start = h("button", { type: "button", class: "button secondary", text: "Delete" });
  const confirm = confirmStep({
    start,
    question: "Delete this check-in? This cannot be undone.",
    yes: "Yes, delete it",
    action: "confirm-delete",
    onYes: async () => {
      say(message, "");
      try {
        // A check-in still in the outbox may never have reached the server: a 404 is fine then.
        await ctx.api.deleteEntry(entry.id).catch((error) => {
          if (!(waiting && (error.status === 404 || error.offline))) throw error;
        });
        if (waiting) await ctx.outbox.discard(entry.id);
        await forgetEntry(entry.id);
        ctx.flash = "The check-in was deleted.";
        ctx.go("history");
      } catch (error) {
        say(
          message,
          error.offline ? "Deleting needs a connection. Please try again when you're online." : error.message,
        );
      }
    },
  });
  return [start, confirm, message];
}

/** Above the details: "Waiting to sync", or for a check-in the diary refused, why and what to do. */
function status(ctx, waiting) {
  if (!waiting) return null;
  if (waiting.refused) {
    return refusedCard(ctx, waiting, {
      onRemoved: () => {
        ctx.flash = "The check-in was removed from this phone.";
        ctx.go("history");
      },
    });
  }
  return h("p", {
    class: "badge",
    text: waiting.last_error ? `Waiting to sync: ${waiting.last_error}` : "Waiting to sync",
  });
}

export function render(screen, ctx, id) {
  const title = screenTitle("Check-in");
  add(screen, title);
  Promise.all([ctx.getTaxonomy(), find(ctx, id)])
    .then(([taxonomy, { entry, waiting }]) => {
      const at = new Date(entry.occurred_at);
      title.textContent = `${formatDay(at)}, ${formatTime(at)}`;
      document.title = `${title.textContent} · Wellbeing Diary`;
      add(
        screen,
        h(
          "p",
          { class: "entry-mood" },
          face(entry.mood, 56),
          h("strong", { text: moodWord(entry.mood, taxonomy) }),
        ),
        status(ctx, waiting),
        details(entry, taxonomy),
        // A refused check-in's card has its own Change it and Remove it.
        waiting && waiting.refused
          ? null
          : h(
              "div",
              { class: "actions" },
              h("a", { class: "button", href: `#/check-in/${encodeURIComponent(entry.id)}`, text: "Change" }),
              deleteControls(ctx, entry, waiting),
            ),
        h("p", {}, h("a", { href: "#/history", text: "Back to your diary" })),
      );
    })
    .catch((error) => {
      add(
        screen,
        h("p", { text: error.status === 404 ? "This check-in is not in your diary." : error.message }),
        h("p", {}, h("a", { href: "#/history", text: "Back to your diary" })),
      );
    });
}
