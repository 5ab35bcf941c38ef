// The practitioners' inbox: requests people chose to send. The list shows states and dates
// only; opening one shows what the person sent (and is written to the audit log), with the
// actions (seen, contacted, closed) and a short private note.

import * as api from "./api.js";
import { el, replace } from "./dom.js";

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
    el("li", {
      text: w.check_ins
        ? `Week from ${w.week_start}: ${w.check_ins} check-in${w.check_ins === 1 ? "" : "s"}, mostly “${MOOD_WORDS[w.mood - 1]}”`
        : `Week from ${w.week_start}: no check-ins`,
    }),
  );
  const needs = summary.needs.length
    ? summary.needs.map((n) => `${needLabels[n.need] || n.need} (${n.times === 1 ? "once" : `${n.times} times`})`).join(", ")
    : "nothing chosen";
  return el("ul", {}, ...weeks, el("li", { text: `What would help, as they chose it: ${needs}` }));
}

function detail(record, needLabels, onChange) {
  const row = (label, value) => (value ? [el("dt", { text: label }), el("dd", { text: value })] : []);
  const note = el("textarea", { id: "practitioner-note", rows: "3", maxlength: "500" });
  note.value = record.note || "";
  const status = el("p", { class: "status", role: "status", id: "request-status" });
  const act = async (changes) => {
    try {
      const changed = await api.changeRequest(record.id, changes);
      status.textContent = `Saved: ${STATE_WORDS[changed.state]}.`;
      onChange(changed);
    } catch (error) {
      status.textContent = error.message;
    }
  };
  return el(
    "section",
    { class: "card", "aria-labelledby": "request-title", id: "request" },
    el("h2", { id: "request-title", tabindex: "-1", text: `Request from ${record.call_me}` }),
    el("p", { class: "hint", text: `Received ${when(record.created_at)}; now ${STATE_WORDS[record.state]}.` }),
    el(
      "dl",
      { class: "request-details" },
      ...row("Call them", record.call_me),
      ...row("Phone", record.phone),
      ...row("E-mail", record.email),
      ...row("Good times", record.good_times),
      ...row("On their mind", record.on_my_mind),
    ),
    record.summary
      ? el("div", {}, el("h3", { text: "Their last 4 weeks, as they chose to send it" }), summaryList(record.summary, needLabels))
      : el("p", { class: "hint", text: "They did not include a summary." }),
    el("div", { class: "controls" }, ...ACTIONS.map(([state, label]) => el("button", { type: "button", "data-state": state, text: label, onclick: () => act({ state }) }))),
    el("label", { for: "practitioner-note", text: "Your private note (only practitioners see it)" }),
    note,
    el("button", { type: "button", text: "Save the note", onclick: () => act({ note: note.value.trim() || null }) }),
    status,
  );
}

async function drawList(container, opened, needLabels) {
  let items;
  try {
    ({ items } = await api.inbox());
  } catch (error) {
    replace(container, el("p", { class: "error", text: error.message }));
    return;
  }
  const open = async (id) => {
    try {
      const record = await api.openRequest(id);
      replace(opened, detail(record, needLabels, () => drawList(container, opened, needLabels)));
      opened.querySelector("h2").focus();
    } catch (error) {
      replace(opened, el("p", { class: "error", role: "alert", text: error.message }));
    }
  };
  if (!items.length) {
    replace(container, el("p", { class: "hint", text: "No requests yet." }));
    return;
  }
  const rows = items.map((item) =>
    el(
      "tr",
      { "data-request": item.id },
      el("td", { text: when(item.created_at) }),
      el("td", { text: STATE_WORDS[item.state] }),
      el("td", { text: when(item.first_read_at) }),
      el("td", {}, el("button", { type: "button", class: "link", text: "Open", "aria-label": `Open the request received ${when(item.created_at)}`, onclick: () => open(item.id) })),
    ),
  );
  replace(
    container,
    el(
      "table",
      {},
      el("caption", { text: "Requests, open ones first (opening one is recorded in the audit log)" }),
      el("thead", {}, el("tr", {}, ...["Received", "State", "First read", "Request"].map((t) => el("th", { scope: "col", text: t })))),
      el("tbody", {}, ...rows),
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
