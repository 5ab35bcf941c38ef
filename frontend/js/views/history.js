// History: a month calendar coloured by mood, and the list of check-ins, including those waiting to sync.

import { add, fill, h, screenTitle } from "/shared/dom.js";
import { face } from "../faces.js";
import { keepEntries, localEntries } from "../local.js";
import {
  dayKey,
  formatDay,
  formatMonth,
  formatTime,
  friendlyDay,
  labelOf,
  moodWord,
  rfc3339,
} from "../words.js";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** The month's check-ins, newest first: from the server when reachable, else this phone's copy. */
async function monthEntries(ctx, start, end) {
  const from = rfc3339(start);
  const to = rfc3339(end);
  let items = [];
  let offline = false;
  try {
    let cursor = null;
    do {
      const page = await ctx.api.entries({ from, to, limit: 100, cursor });
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    await keepEntries(items, from, to);
  } catch {
    offline = true;
    items = await localEntries(from, to);
  }
  const byId = new Map(items.map((e) => [e.id, e]));
  for (const waiting of await ctx.outbox.waiting()) {
    const at = new Date(waiting.entry.occurred_at);
    if (at >= start && at < end)
      byId.set(waiting.id, { ...waiting.entry, waiting: true, refused: Boolean(waiting.refused) });
  }
  const all = [...byId.values()].filter((e) => {
    const at = new Date(e.occurred_at);
    return at >= start && at < end;
  });
  all.sort((a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at));
  return { entries: all, offline };
}

function groupByDay(entries) {
  const days = new Map();
  for (const e of entries) {
    const key = dayKey(new Date(e.occurred_at));
    if (!days.has(key)) days.set(key, []);
    days.get(key).push(e);
  }
  return days;
}

function dayMood(entries) {
  return Math.round(entries.reduce((sum, e) => sum + e.mood, 0) / entries.length);
}

function calendar(month, days, taxonomy, onPick) {
  const first = new Date(month.getFullYear(), month.getMonth(), 1);
  const count = new Date(month.getFullYear(), month.getMonth() + 1, 0).getDate();
  const lead = (first.getDay() + 6) % 7; // Monday first
  const cells = [];
  for (let i = 0; i < lead; i += 1) cells.push(h("td", {}));
  for (let d = 1; d <= count; d += 1) {
    const date = new Date(month.getFullYear(), month.getMonth(), d);
    const entries = days.get(dayKey(date));
    if (!entries) {
      cells.push(h("td", {}, h("span", { class: "day", text: String(d) })));
      continue;
    }
    const mood = dayMood(entries);
    const words = `${formatDay(date)}: ${moodWord(mood, taxonomy)}, ${entries.length} ${entries.length === 1 ? "check-in" : "check-ins"}`;
    cells.push(
      h(
        "td",
        {},
        h(
          "button",
          { type: "button", class: `day has-entries mood-bg-${mood}`, onclick: () => onPick(date, entries) },
          h("span", { "aria-hidden": "true", text: String(d) }),
          h("span", { class: "visually-hidden", text: words }),
        ),
      ),
    );
  }
  const rows = [];
  for (let i = 0; i < cells.length; i += 7) rows.push(h("tr", {}, cells.slice(i, i + 7)));
  return h(
    "table",
    { class: "calendar" },
    h("caption", { class: "visually-hidden", text: `Check-ins in ${formatMonth(month)}` }),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        // Two letters fit a narrow column even with large text; screen readers hear the whole name.
        WEEKDAYS.map((day) =>
          h(
            "th",
            { scope: "col" },
            h("span", { "aria-hidden": "true", text: day.slice(0, 2) }),
            h("span", { class: "visually-hidden", text: day }),
          ),
        ),
      ),
    ),
    h("tbody", {}, rows),
  );
}

function legend(taxonomy) {
  return h(
    "ul",
    { class: "legend", "aria-label": "Colours" },
    [1, 2, 3, 4, 5].map((m) =>
      h("li", {}, h("span", { class: `swatch mood-bg-${m}`, "aria-hidden": "true" }), moodWord(m, taxonomy)),
    ),
  );
}

function entryItem(e, taxonomy) {
  const at = new Date(e.occurred_at);
  const factors = (e.factors || []).map((code) => labelOf(taxonomy.factors, code)).join(", ");
  return h(
    "li",
    {},
    h(
      "a",
      { class: "entry-link", href: `#/entry/${encodeURIComponent(e.id)}` },
      face(e.mood, 36),
      h(
        "span",
        { class: "entry-text" },
        h("strong", { text: moodWord(e.mood, taxonomy) }),
        h("span", { class: "muted", text: ` at ${formatTime(at)}` }),
        factors ? h("span", { class: "entry-factors", text: factors }) : null,
        e.waiting ? h("span", { class: "badge", text: e.refused ? "Needs a look" : "Waiting to sync" }) : null,
      ),
    ),
  );
}

/** Check-ins the diary could not take, from any month: they wait for the person, so they come first. */
async function needingALook(ctx, taxonomy) {
  const refused = (await ctx.outbox.waiting()).filter((item) => item.refused);
  if (!refused.length) return null;
  return h(
    "section",
    { class: "card refused", "aria-labelledby": "needs-a-look" },
    h("h2", {
      id: "needs-a-look",
      text: refused.length === 1 ? "A check-in needs a look" : "Check-ins that need a look",
    }),
    h("p", {
      text:
        refused.length === 1
          ? "The diary could not take it as it is. Open it to see why, then change it or remove it."
          : "The diary could not take these as they are. Open one to see why, then change it or remove it.",
    }),
    h(
      "ul",
      { class: "plain-list entries" },
      refused.map((item) => entryItem({ ...item.entry, waiting: true, refused: true }, taxonomy)),
    ),
  );
}

function entryList(days, taxonomy) {
  if (!days.size) return h("p", { class: "muted", text: "No check-ins this month." });
  return [...days.values()].map((entries) =>
    h(
      "section",
      { class: "day-group" },
      h("h3", { text: friendlyDay(new Date(entries[0].occurred_at)) }),
      h(
        "ul",
        { class: "plain-list entries" },
        entries.map((e) => entryItem(e, taxonomy)),
      ),
    ),
  );
}

export function render(screen, ctx) {
  const flash = ctx.flash;
  ctx.flash = null;
  let month = new Date();
  month = new Date(month.getFullYear(), month.getMonth(), 1);
  const monthTitle = h("h2", { id: "month-title", "aria-live": "polite" });
  const monthButton = (word) =>
    h(
      "button",
      { type: "button", class: "button small secondary" },
      word,
      h("span", { class: "visually-hidden", text: " month" }),
    );
  const previous = monthButton("Previous");
  const next = monthButton("Next");
  const body = h("div", { class: "month-body" });
  const looks = h("div", {});
  add(
    screen,
    flash ? h("p", { class: "notice", role: "status", text: flash }) : null,
    screenTitle("Your diary"),
    looks,
    h("div", { class: "month-bar" }, previous, monthTitle, next),
    body,
  );

  async function load() {
    const start = month;
    const end = new Date(month.getFullYear(), month.getMonth() + 1, 1);
    monthTitle.textContent = formatMonth(month);
    next.disabled = end > new Date();
    const [taxonomy, { entries, offline }] = await Promise.all([
      ctx.getTaxonomy(),
      monthEntries(ctx, start, end),
    ]);
    const look = await needingALook(ctx, taxonomy);
    if (start !== month) return; // the person has moved on to another month meanwhile
    const days = groupByDay(entries);
    const list = h("div", { class: "entry-list" }, entryList(days, taxonomy));
    const listTitle = h("h2", { tabindex: "-1", text: "Check-ins" });
    const showDay = (date, dayEntries) => {
      listTitle.textContent = formatDay(date);
      fill(
        list,
        h(
          "ul",
          { class: "plain-list entries" },
          dayEntries.map((e) => entryItem(e, taxonomy)),
        ),
        h("button", { type: "button", class: "link-button", onclick: load, text: "Show the whole month" }),
      );
      listTitle.focus();
    };
    fill(looks, look);
    fill(
      body,
      offline
        ? h("p", { class: "notice", text: "You're offline: showing what is saved on this phone." })
        : null,
      calendar(month, days, taxonomy, showDay),
      legend(taxonomy),
      listTitle,
      list,
    );
  }

  previous.addEventListener("click", () => {
    month = new Date(month.getFullYear(), month.getMonth() - 1, 1);
    load();
  });
  next.addEventListener("click", () => {
    month = new Date(month.getFullYear(), month.getMonth() + 1, 1);
    load();
  });
  load();
}
