// The check-in: one tap on a face, then Save; everything else is optional.

import { add, fill, h, notice, say, screenTitle } from "/shared/dom.js";
import { face } from "../faces.js";
import { localEntry } from "../local.js";
import { hardTimeHelp } from "../urgent.js";
import { SCALES, formatDay, formatTime, localInputValue, moodWord, rfc3339, scaleWords } from "../words.js";
import { checkedValues, chips, pickedNumber, scale } from "./fields.js";
import { noteField } from "./note.js";
import { refusedCard, whatToChange } from "./refused.js";

function moodPicker(taxonomy, value) {
  return h(
    "fieldset",
    { class: "moods", "data-field": "mood" },
    h("legend", { class: "visually-hidden", text: "Your mood" }),
    [1, 2, 3, 4, 5].map((mood) =>
      h(
        "label",
        { class: `mood mood-${mood}` },
        h("input", { type: "radio", name: "mood", value: String(mood), checked: value === mood }),
        face(mood, 48),
        h("span", { class: "mood-word", text: moodWord(mood, taxonomy) }),
      ),
    ),
  );
}

function whenPicker(initial, isNew) {
  const input = h("input", {
    type: "datetime-local",
    id: "when",
    name: "when",
    value: localInputValue(initial),
    max: localInputValue(new Date()),
  });
  const wrap = h(
    "div",
    { class: "field", hidden: true },
    h("label", { for: "when", text: "When was this?" }),
    input,
  );
  const summary = h("span", { text: isNew ? "now" : `${formatDay(initial)}, ${formatTime(initial)}` });
  const change = h("button", {
    type: "button",
    class: "link-button",
    "aria-expanded": "false",
    "aria-controls": "when-field",
    text: "Change the time",
  });
  wrap.id = "when-field";
  change.addEventListener("click", () => {
    wrap.hidden = false;
    change.setAttribute("aria-expanded", "true");
    change.hidden = true;
    input.focus();
  });
  return {
    element: h("div", { class: "when" }, h("p", {}, "Time: ", summary, " ", change), wrap),
    input,
    changed: () => !wrap.hidden,
  };
}

function extras(taxonomy, entry, note) {
  const e = entry || {};
  return h(
    "details",
    { class: "extras", open: Boolean(entry) },
    h("summary", { text: "Add more (optional)" }),
    SCALES.map((s) =>
      scale({ legend: s.question, name: s.field, words: scaleWords(s, taxonomy), value: e[s.field] }),
    ),
    chips({
      legend: "What is affecting you?",
      name: "factors",
      items: taxonomy.factors,
      selected: e.factors || [],
    }),
    chips({ legend: "What would help?", name: "needs", items: taxonomy.needs, selected: e.needs || [] }),
    note.element,
  );
}

/**
 * Where a check-in just saved is, in words that are true: in the diary; kept on this phone
 * because the phone is offline or the diary could not be reached or was busy (it goes by
 * itself later); or refused as it is, with what was wrong and "Change it", "Remove it".
 */
async function whereItIs(ctx, record, result) {
  const item = await ctx.outbox.waitingEntry(record.id);
  if (!item) return h("p", { text: "It is in your diary now." });
  if (item.refused) return refusedCard(ctx, item);
  if (!navigator.onLine) {
    return h("p", { text: "It is kept on this phone and will be sent when you're back online." });
  }
  if (result && result.error && result.error.status === 0) {
    return h("p", {
      text: "The diary could not be reached just now, so it is kept on this phone. It will be sent by itself.",
    });
  }
  return h("p", {
    text: "The diary is busy just now, so it is kept on this phone. It will be sent by itself in a little while.",
  });
}

function thanks(screen, ctx, record, where, offer) {
  const title = screenTitle("Saved. Thank you for checking in.");
  const mood = record.mood;
  fill(
    screen,
    title,
    where,
    offer,
    mood <= 2 ? hardTimeHelp(ctx) : null,
    h(
      "div",
      { class: "actions" },
      h("a", { class: "button", href: "#/history", text: "See your diary" }),
      h("button", {
        type: "button",
        class: "button secondary",
        onclick: () => ctx.go("check-in"),
        text: "Check in again",
      }),
    ),
  );
  title.focus();
}

/** The check-in to change, and the diary's refusal when it could not take it as it was. */
async function existing(ctx, id) {
  const waiting = await ctx.outbox.waitingEntry(id);
  if (waiting) return { entry: waiting.entry, refused: waiting.refused };
  const local = await localEntry(id);
  if (local) return { entry: local };
  return { entry: await ctx.api.entry(id) };
}

function build(screen, ctx, taxonomy, { entry, refused }, prepared) {
  const message = notice("alert");
  const when = whenPicker(entry ? new Date(entry.occurred_at) : new Date(), !entry);
  const noteInput = noteField(entry && entry.note);
  const form = h(
    "form",
    { novalidate: true, class: "stack" },
    refused ? whatToChange(entry, refused) : null,
    moodPicker(taxonomy, entry && entry.mood),
    when.element,
    extras(taxonomy, entry, noteInput),
    message,
    h("button", { type: "submit", class: "button save", text: entry ? "Save changes" : "Save check-in" }),
  );
  add(screen, form);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(message, "");
    const mood = pickedNumber(form, "mood");
    if (!mood) {
      say(message, "Please choose the face closest to how you feel.");
      form.querySelector("input[name=mood]").focus();
      return;
    }
    let occurredAt = entry ? entry.occurred_at : rfc3339(new Date());
    if (when.changed()) {
      const at = new Date(when.input.value);
      if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 60000) {
        say(message, "Please choose a time that is not in the future.");
        when.input.focus();
        return;
      }
      occurredAt = rfc3339(at);
    }
    const tooLong = noteInput.problem();
    if (tooLong) {
      say(message, tooLong);
      noteInput.input.focus();
      return;
    }
    const record = {
      id: entry ? entry.id : crypto.randomUUID(),
      occurred_at: occurredAt,
      mood,
      factors: checkedValues(form, "factors"),
      needs: checkedValues(form, "needs"),
    };
    for (const s of SCALES) record[s.field] = pickedNumber(form, s.field);
    const note = form.elements.note.value.trim();
    if (note) record.note = note;
    await ctx.outbox.queue(record);
    const result = await ctx.sync();
    const where = await whereItIs(ctx, record, result);
    // Offers follow a new check-in only, not a change to an old one.
    const offer = prepared ? await prepared.then((p) => p.offerAfter(record)).catch(() => null) : null;
    thanks(screen, ctx, record, where, offer);
  });
}

export function render(screen, ctx, id) {
  add(screen, screenTitle(id ? "Change this check-in" : "How are you right now?"));
  // Offers (offers.js) follow a new check-in only; loaded and prepared while the person chooses.
  const prepared = id ? null : import("./offers.js").then((m) => m.prepareOffers(ctx));
  ctx.getTaxonomy().then(async (taxonomy) => {
    let found = { entry: null };
    if (id) {
      try {
        found = await existing(ctx, id);
      } catch (error) {
        add(screen, h("p", { text: error.message }));
        return;
      }
    }
    build(screen, ctx, taxonomy, found, prepared);
  });
}
