// The form to ask the hub for a conversation: who to ask for, how to reach you, and what,
// if anything, to include. The 4-week summary is fetched only when ticked and shown exactly
// as it will be sent; what is sent is that very object.

import { h, newId, say } from "/shared/dom.js";
import { labelOf, moodWord } from "../words.js";
import { field, fieldProblem } from "./fields.js";

export const MIND_MOST = 2000; // the server's limit (backend/schemas/hub.py)
const weekFormat = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short" });

/** The summary in words, line by line: exactly what a practitioner will read. */
export function summaryLines(summary, taxonomy) {
  const weeks = summary.weeks.map((week) => {
    const from = weekFormat.format(new Date(`${week.week_start}T12:00:00`));
    if (!week.check_ins) return `Week from ${from}: no check-ins`;
    const times = week.check_ins === 1 ? "1 check-in" : `${week.check_ins} check-ins`;
    return `Week from ${from}: ${times}, mostly “${moodWord(week.mood, taxonomy)}”`;
  });
  const needs = summary.needs.length
    ? "What would help, as you chose it: " +
      summary.needs
        .map((n) => `${labelOf(taxonomy.needs, n.need)} (${n.times === 1 ? "once" : `${n.times} times`})`)
        .join(", ")
    : "You did not choose anything under “what would help” in these weeks.";
  return [...weeks, needs];
}

function mindField() {
  const id = newId("on_my_mind");
  const room = h("p", { class: "hint", id: `${id}-room`, "aria-live": "polite" });
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  const input = h("textarea", { id, name: "on_my_mind", rows: "5", "aria-describedby": `${id}-hint ${room.id} ${error.id}` });
  input.addEventListener("input", () => {
    const left = MIND_MOST - input.value.length;
    say(room, left < 200 ? (left >= 0 ? `${left} characters left` : `${-left} characters too many`) : "");
  });
  return h(
    "div",
    { class: "field", "data-field": "on_my_mind" },
    h("label", { for: id, text: "What's on your mind (optional)" }),
    h("p", { class: "hint", id: `${id}-hint`, text: "As much or as little as you like. Only the hub's practitioners read it." }),
    input,
    room,
    error,
  );
}

/** The 4-week summary's tick box and its preview; `chosen()` is the summary to send, or null. */
function summaryChoice(ctx) {
  const id = newId("summary");
  const box = h("input", { type: "checkbox", id, name: "include_summary" });
  const preview = h("div", { class: "card summary-preview", hidden: true, "aria-live": "polite" });
  let summary = null;
  box.addEventListener("change", async () => {
    summary = null;
    preview.hidden = !box.checked;
    if (!box.checked) return preview.replaceChildren();
    preview.replaceChildren(h("p", { class: "muted", text: "Putting it together…" }));
    try {
      const [fetched, taxonomy] = await Promise.all([ctx.api.hubSummary(), ctx.getTaxonomy()]);
      summary = fetched;
      preview.replaceChildren(
        h("p", { text: "This is exactly what will be sent with your request:" }),
        h("ul", {}, summaryLines(summary, taxonomy).map((line) => h("li", { text: line }))),
      );
    } catch {
      box.checked = false;
      preview.replaceChildren(
        h("p", { text: "The summary needs a connection to put together. You can send your request without it." }),
      );
    }
  });
  const wrap = h(
    "div",
    { class: "field", "data-field": "summary" },
    h("label", { class: "choice", for: id }, box, h("span", { text: "Include a summary of my last 4 weeks" })),
    h("p", { class: "hint", text: "Your mood each week and what you said would help. Never your notes." }),
    preview,
    h("p", { class: "field-error", hidden: true }),
  );
  return { wrap, chosen: () => (box.checked ? summary : null) };
}

/** The form's fields: {fields, read(formData)} where read gives the request body or throws. */
export function requestFields(ctx) {
  const summary = summaryChoice(ctx);
  const fields = [
    field({ label: "What should we call you?", name: "call_me", autocomplete: "nickname", maxlength: "60", required: true }),
    h(
      "fieldset",
      { class: "group" },
      h("legend", { text: "How can we reach you?" }),
      h("p", { class: "hint", text: "A phone number, an e-mail address, or both: your choice." }),
      field({ label: "Phone", name: "phone", type: "tel", autocomplete: "tel", maxlength: "24" }),
      field({ label: "E-mail", name: "email", type: "email", autocomplete: "email", maxlength: "254" }),
    ),
    field({ label: "Good times to reach you (optional)", name: "good_times", maxlength: "200", hint: "For example, weekday mornings, or after 6pm." }),
    mindField(),
    summary.wrap,
  ];
  const read = (data) => {
    const text = (name) => String(data.get(name) || "").trim() || null;
    const body = {
      call_me: text("call_me"),
      phone: text("phone"),
      email: text("email"),
      good_times: text("good_times"),
      on_my_mind: text("on_my_mind"),
      summary: summary.chosen(),
    };
    if (!body.call_me) throw fieldProblem("call_me", "Please tell us what to call you. A first name or a nickname is fine.");
    if (!body.phone && !body.email) throw fieldProblem("phone", "Please give a phone number or an e-mail address, so we can reach you.");
    if (body.on_my_mind && body.on_my_mind.length > MIND_MOST) throw fieldProblem("on_my_mind", `Please keep this to ${MIND_MOST} characters.`);
    return body;
  };
  return { fields, read };
}
