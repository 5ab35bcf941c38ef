// The check-in: one tap on a face, then Save; everything else is optional.

import { add, fill, h, notice, say, screenTitle } from "../dom.js";
import { face } from "../faces.js";
import { localEntry } from "../local.js";
import { hardTimeHelp } from "../urgent.js";
import { SCALES, formatDay, formatTime, localInputValue, moodWord, rfc3339, scaleWords } from "../words.js";
import { checkedValues, chips, pickedNumber, scale } from "./fields.js";

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

function extras(taxonomy, entry) {
  const e = entry || {};
  const note = h("textarea", { id: "note", name: "note", rows: "4", maxlength: "5000" });
  note.value = e.note || "";
  const details = h(
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
    h("div", { class: "field" }, h("label", { for: "note", text: "A note, just for you" }), note),
  );
  return details;
}

function thanks(screen, ctx, record, queued, offer) {
  const title = screenTitle("Saved. Thank you for checking in.");
  const mood = record.mood;
  fill(
    screen,
    title,
    h("p", {
      text: queued
        ? "It is kept on this phone and will be sent when you're back online."
        : "It is in your diary now.",
    }),
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

async function existing(ctx, id) {
  const waiting = await ctx.outbox.waitingEntry(id);
  if (waiting) return waiting.entry;
  const local = await localEntry(id);
  if (local) return local;
  return ctx.api.entry(id);
}

function build(screen, ctx, taxonomy, entry, prepared) {
  const message = notice("alert");
  const when = whenPicker(entry ? new Date(entry.occurred_at) : new Date(), !entry);
  const form = h(
    "form",
    { novalidate: true, class: "stack" },
    moodPicker(taxonomy, entry && entry.mood),
    when.element,
    extras(taxonomy, entry),
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
    // Offers follow a new check-in only, not a change to an old one.
    const offer = prepared ? await prepared.then((p) => p.offerAfter(record)).catch(() => null) : null;
    thanks(screen, ctx, record, Boolean(result && result.error), offer);
  });
}

export function render(screen, ctx, id) {
  add(screen, screenTitle(id ? "Change this check-in" : "How are you right now?"));
  // Offers (offers.js) follow a new check-in only; loaded and prepared while the person chooses.
  const prepared = id ? null : import("./offers.js").then((m) => m.prepareOffers(ctx));
  ctx.getTaxonomy().then(async (taxonomy) => {
    let entry = null;
    if (id) {
      try {
        entry = await existing(ctx, id);
      } catch (error) {
        add(screen, h("p", { text: error.message }));
        return;
      }
    }
    build(screen, ctx, taxonomy, entry, prepared);
  });
}
