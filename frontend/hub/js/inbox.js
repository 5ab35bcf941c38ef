// The practitioners' inbox: requests people chose to send. The list shows states and dates
// only; opening one shows what the person sent (and is written to the audit log), with the
// actions (seen, contacted, closed) and a short private note.

import * as api from "./api.js";
import { fill, h } from "/shared/dom.js";

const STATE_WORDS = { sent: "New", seen: "Seen", contacted: "Contacted", closed: "Closed" };
const ACTIONS = [
  ["seen", "Mark seen"],
  ["contacted", "Mark contacted"],
  ["closed", "Close"],
];
const MOOD_WORDS = ["Really tough", "Tough", "Okay", "Good", "Great"];

const when = (iso) =>
  iso ? new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" }) : "Not yet";

function summaryList(summary, needLabels) {
  const weeks = summary.weeks.map((w) =>
    h("li", {
      text: w.check_ins
        ? `Week from ${w.week_start}: ${w.check_ins} check-in${w.check_ins === 1 ? "" : "s"}, mostly “${MOOD_WORDS[w.mood - 1]}”`
        : `Week from ${w.week_start}: no check-ins`,
    }),
  );
  const needs = summary.needs.length
    ? summary.needs.map((n) => `${needLabels[n.need] || n.need} (${n.times === 1 ? "once" : `${n.times} times`})`).join(", ")
    : "nothing chosen";
  return h("ul", {}, ...weeks, h("li", { text: `What would help, as they chose it: ${needs}` }));
}

function detail(record, needLabels, onChange) {
  const row = (label, value) => (value ? [h("dt", { text: label }), h("dd", { text: value })] : []);
  const note = h("textarea", { id: "practitioner-note", rows: "3", maxlength: "500" });
  note.value = record.note || "";
  const status = h("p", { class: "status", role: "status", id: "request-status" });
  const act = async (changes) => {
    try {
      const changed = await api.changeRequest(record.id, changes);
      status.textContent = `Saved: ${STATE_WORDS[changed.state]}.`;
      onChange(changed);
    } catch (error) {
      status.textContent = error.message;
    }
  };
  return h(
    "section",
    { class: "card", "aria-labelledby": "request-title", id: "request" },
    h("h2", { id: "request-title", tabindex: "-1", text: `Request from ${record.call_me}` }),
    h("p", { class: "hint", text: `Received ${when(record.created_at)}; now ${STATE_WORDS[record.state]}.` }),
    h(
      "dl",
      { class: "request-details" },
      ...row("Call them", record.call_me),
      ...row("Phone", record.phone),
      ...row("E-mail", record.email),
      ...row("Good times", record.good_times),
      ...row("On their mind", record.on_my_mind),
    ),
    record.summary
      ? h("div", {}, h("h3", { text: "Their last 4 weeks, as they chose to send it" }), summaryList(record.summary, needLabels))
      : h("p", { class: "hint", text: "They did not include a summary." }),
    h("div", { class: "controls" }, ...ACTIONS.map(([state, label]) => h("button", { type: "button", "data-state": state, text: label, onclick: () => act({ state }) }))),
    h("label", { for: "practitioner-note", text: "Your private note (only practitioners see it)" }),
    note,
    h("button", { type: "button", text: "Save the note", onclick: () => act({ note: note.value.trim() || null }) }),
    status,
  );
}

async function drawList(container, opened, needLabels) {
  let items;
  try {
    ({ items } = await api.inbox());
  } catch (error) {
    fill(container, h("p", { class: "error", text: error.message }));
    return;
  }
  const open = async (id) => {
    try {
      const record = await api.openRequest(id);
      fill(opened, detail(record, needLabels, () => drawList(container, opened, needLabels)));
      opened.querySelector("h2").focus();
    } catch (error) {
      fill(opened, h("p", { class: "error", role: "alert", text: error.message }));
    }
  };
  if (!items.length) {
    fill(container, h("p", { class: "hint", text: "No requests yet." }));
    return;
  }
  const rows = items.map((item) =>
    h(
      "tr",
      { "data-request": item.id },
      h("td", { text: when(item.created_at) }),
      h("td", { text: STATE_WORDS[item.state] }),
      h("td", { text: when(item.first_read_at) }),
      h("td", {}, h("button", { type: "button", class: "link", text: "Open", "aria-label": `Open the request received ${when(item.created_at)}`, onclick: () => open(item.id) })),
    ),
  );
  fill(
    container,
    h(
      "table",
      {},
      h("caption", { text: "Requests, open ones first (opening one is recorded in the audit log)" }),
      h("thead", {}, h("tr", {}, ...["Received", "State", "First read", "Request"].map((t) => h("th", { scope: "col", text: t })))),
      h("tbody", {}, ...rows),
    ),
  );
}

/** Show the inbox in `section` (the list, and the request opened from it). */
export async function showInbox(section) {
  const taxonomy = await api.taxonomy().catch(() => ({ needs: [] }));
  const needLabels = Object.fromEntries(taxonomy.needs.map((n) => [n.code, n.label]));
  const list = section.querySelector("#inbox-list");
  const opened = section.querySelector("#inbox-request");
  await drawList(list, opened, needLabels);
}
