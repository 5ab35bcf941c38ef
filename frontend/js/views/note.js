// The check-in's note: the room left shown as the limit nears, and text past it kept and named, never cut.

import { h } from "/shared/dom.js";

/** The most a note can hold, as the server counts (backend/schemas/entries.py): the one copy here. */
export const NOTE_LIMIT = 5000;
/** The room left is shown from here on; further from the limit it would only be noise. */
const SHOW_FROM = 4500;
/** Screen readers hear the count once typing pauses, not at every key (as GOV.UK's character count). */
const ANNOUNCE_AFTER_MS = 1000;

const number = new Intl.NumberFormat("en-GB");
const characters = (n) => `${number.format(n)} ${n === 1 ? "character" : "characters"}`;

/** The length of a note as sent (trimmed) and as the server counts it: an emoji is one. */
export function noteLength(text) {
  let length = 0;
  for (const _ of (text || "").trim()) length += 1;
  return length;
}

/** "400 characters left", "200 characters too many: ...", or "" while far from the limit. */
function roomWords(length) {
  if (length < SHOW_FROM) return "";
  if (length <= NOTE_LIMIT) return `${characters(NOTE_LIMIT - length)} left`;
  return `${characters(length - NOTE_LIMIT)} too many: a note can have at most ${characters(NOTE_LIMIT)}.`;
}

/**
 * The note's textarea with its count. Text past the limit is kept, never cut (a paste is not
 * trimmed the way maxlength would): the count says how much is over, and `problem()` gives
 * the words for the form to stop saving with. Returns { element, input, problem }.
 */
export function noteField(value) {
  const input = h("textarea", { id: "note", name: "note", rows: "4", "aria-describedby": "note-room" });
  input.value = value || "";
  // Seen at once, aria-hidden; heard (aria-live, polite) after a pause or at once after a paste.
  const shown = h("p", { class: "hint note-room", "aria-hidden": "true" });
  const heard = h("p", { class: "visually-hidden", id: "note-room", "aria-live": "polite" });
  let timer = null;

  const update = (now) => {
    const length = noteLength(input.value);
    const words = roomWords(length);
    const over = length > NOTE_LIMIT;
    shown.textContent = words;
    shown.hidden = !words;
    shown.classList.toggle("over", over);
    if (over) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    clearTimeout(timer);
    if (now) heard.textContent = words;
    else timer = setTimeout(() => (heard.textContent = words), ANNOUNCE_AFTER_MS);
  };
  input.addEventListener("input", (event) => {
    update(event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop");
  });
  update(true);

  const problem = () => {
    const length = noteLength(input.value);
    if (length <= NOTE_LIMIT) return null;
    return `The note is ${characters(length - NOTE_LIMIT)} too long: a note can have at most ${characters(NOTE_LIMIT)}. Please shorten it, then save. Your text is all still here.`;
  };
  const element = h(
    "div",
    { class: "field", "data-field": "note" },
    h("label", { for: "note", text: "A note, just for you" }),
    input,
    shown,
    heard,
  );
  return { element, input, problem };
}
