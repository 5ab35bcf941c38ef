// Trends: the person's own week, month or year, each measure on a chart of its own with its
// own words, a text summary, and the factors that tend to go with better and harder days.

import { add, fill, h, newId, screenTitle } from "/shared/dom.js";
import { freshOrKept } from "../local.js";
import { MOOD_WORDS, SCALES, formatShort, moodWord, scaleWords, timeZone } from "../words.js";
import { lineChart, parseDate } from "./chart.js";

const PERIODS = [
  ["week", "Week", "the last week"],
  ["month", "Month", "the last month"],
  ["year", "Year", "the last year"],
];
// Each measure's words, and what "higher" means where higher is not better.
const MEASURES = [
  { key: "mood", label: "Mood", words: (taxonomy) => (taxonomy.moods ? taxonomy.moods.map((m) => m.label) : MOOD_WORDS) },
  ...SCALES.map((s) => ({ key: s.field, label: s.question, words: (taxonomy) => scaleWords(s, taxonomy) })),
];
const DIRECTION = {
  stress: "Higher on this chart means more stress, so lower is better here.",
};

async function loadSummary(ctx, period) {
  const { value, stale } = await freshOrKept(`summary-${period}`, () => ctx.api.summary(period, timeZone()));
  return { summary: value, stale };
}

function average(values) {
  const given = values.filter((v) => v !== null && v !== undefined);
  return given.length ? given.reduce((a, b) => a + b, 0) / given.length : null;
}

const times = (n, one, many) => `${n} ${n === 1 ? one : many}`;

/** The words a screen reader hears first (and everyone can read): the period at a glance. */
function describe(summary, phrase, taxonomy) {
  if (!summary.count) return `No check-ins in ${phrase}. Your trends will show here once you have some.`;
  const counts = Object.entries(summary.distribution || {});
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  const mood = total ? counts.reduce((sum, [v, n]) => sum + Number(v) * n, 0) / total : null;
  const parts = [
    `In ${phrase} you checked in ${times(summary.count, "time", "times")} on ${times(summary.days.length, "day", "days")}.`,
  ];
  if (mood !== null)
    parts.push(
      `Your mood was ${mood.toFixed(1)} out of 5 on average, closest to "${moodWord(Math.round(mood), taxonomy)}".`,
    );
  const moods = summary.days.map((d) => d.mood).filter((m) => m !== null);
  if (moods.length >= 4) {
    const half = Math.floor(moods.length / 2);
    const change = average(moods.slice(half)) - average(moods.slice(0, half));
    if (change >= 0.5) parts.push("Your mood has been higher lately.");
    else if (change <= -0.5) parts.push("Your mood has been lower lately.");
    else parts.push("Your mood has been fairly steady.");
  }
  return parts.join(" ");
}

/** One measure's chart in words: its scale, its average, and which way is better. */
function describeMeasure(measure, words, values, phrase) {
  const mean = average(values);
  const given = values.filter((v) => v !== null && v !== undefined).length;
  const parts = [
    `${measure.label} in ${phrase}, from 1 ("${words[0]}") to 5 ("${words[4]}"):`,
    `${mean.toFixed(1)} on average over ${times(given, "answer", "answers")}, closest to "${words[Math.round(mean) - 1]}".`,
  ];
  if (DIRECTION[measure.key]) parts.push(DIRECTION[measure.key]);
  return parts.join(" ");
}

function measureChart(measure, rows, pointAt, summary, phrase, taxonomy) {
  const words = measure.words(taxonomy);
  const values = rows.map((r) => r[measure.key]);
  const captionId = newId(`trend-${measure.key}`);
  return h(
    "section",
    { class: "card trend-chart", "data-measure": measure.key },
    h("h2", { text: measure.label }),
    DIRECTION[measure.key] ? h("p", { class: "direction", text: DIRECTION[measure.key] }) : null,
    h(
      "figure",
      {},
      lineChart({
        series: [{ key: measure.key, points: rows.map((r) => ({ x: pointAt(r), y: r[measure.key] })) }],
        from: parseDate(summary.from),
        to: parseDate(summary.to),
        yLabels: { 5: words[4], 3: words[2], 1: words[0] },
        labelledBy: captionId,
      }),
      h("figcaption", { id: captionId, class: "visually-hidden", text: describeMeasure(measure, words, values, phrase) }),
    ),
  );
}

/** Why no factor is shown yet, in the person's terms, from the rule the server applies. */
function patternsNeed(summary, phrase) {
  const need = summary.patterns;
  if (!need) return "Nothing stands out yet.";
  if (need.days < need.days_needed)
    return (
      `Patterns show up once you have checked in on at least ${need.days_needed} different days in ${phrase} ` +
      `and said what is affecting you (under "Add more"). So far: ${times(need.days, "day", "days")}.`
    );
  if (need.days_with_factors < need.factor_days_needed)
    return (
      `When you check in, pick what is affecting you (under "Add more"): patterns show up once ` +
      `something has come up on ${need.factor_days_needed} days or more.`
    );
  return "Nothing stands out yet: your days with each thing and your days without it have felt much the same.";
}

function factorList(title, items, none) {
  return h(
    "section",
    { class: "card" },
    h("h2", { text: title }),
    items && items.length
      ? h(
          "ul",
          { class: "plain-list factor-list" },
          items.map((f) =>
            h(
              "li",
              {},
              h("strong", { text: f.label }),
              h("span", {
                class: "muted",
                text: ` mood ${f.with_mood} on ${f.days} ${f.days === 1 ? "day" : "days"} with it, ${f.without_mood} without`,
              }),
            ),
          ),
        )
      : h("p", { class: "muted", text: none }),
  );
}

function numbersTable(summary, useWeeks) {
  const rows = useWeeks ? summary.weeks : summary.days;
  const show = (v) => (v === null || v === undefined ? "–" : String(v));
  return h(
    "details",
    { class: "numbers" },
    h("summary", { text: "Show the numbers" }),
    h(
      "div",
      { class: "table-scroll", role: "region", "aria-label": "The numbers", tabindex: "0" },
      h(
        "table",
        {},
        h("caption", { class: "visually-hidden", text: "Averages out of 5" }),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            [useWeeks ? "Week of" : "Day", "Check-ins", ...MEASURES.map((m) => m.label)].map((t) =>
              h("th", { scope: "col", text: t }),
            ),
          ),
        ),
        h(
          "tbody",
          {},
          rows.map((r) =>
            h(
              "tr",
              {},
              h("th", { scope: "row", text: formatShort(parseDate(useWeeks ? r.week_start : r.date)) }),
              h("td", { text: String(r.count) }),
              MEASURES.map((m) => h("td", { text: show(r[m.key]) })),
            ),
          ),
        ),
      ),
    ),
  );
}

function draw(body, summary, period, stale, taxonomy) {
  const [, , phrase] = PERIODS.find(([p]) => p === period);
  const useWeeks = period === "year";
  const rows = useWeeks ? summary.weeks : summary.days;
  const pointAt = (r) => parseDate(useWeeks ? r.week_start : r.date);
  // Each measure on its own scale: a measure with no answers in the period has no chart.
  const charts = MEASURES.filter((m) => rows.some((r) => r[m.key] !== null && r[m.key] !== undefined)).map((m) =>
    measureChart(m, rows, pointAt, summary, phrase, taxonomy),
  );
  const factors = summary.factors || {};
  const noneYet = !(factors.better || []).length && !(factors.worse || []).length;
  fill(
    body,
    stale
      ? h("p", { class: "notice", text: "You're offline: these are your trends from your last visit." })
      : null,
    h("p", { id: "trend-summary", class: "trend-summary", text: describe(summary, phrase, taxonomy) }),
    summary.count ? [...charts, numbersTable(summary, useWeeks)] : null,
    noneYet
      ? h(
          "section",
          { class: "card patterns" },
          h("h2", { text: "What goes with your better and harder days" }),
          h("p", { class: "muted", text: patternsNeed(summary, phrase) }),
        )
      : [
          factorList("Often on your better days", factors.better, "Nothing stands out on your better days yet."),
          factorList("Often on your harder days", factors.worse, "Nothing stands out on your harder days yet."),
        ],
  );
}

export function render(screen, ctx) {
  let period = "week";
  const body = h("div", { class: "trends-body" });
  const ons4 = h("div");
  // Tells screen readers what a period button changed, without re-reading the whole screen.
  const status = h("p", { class: "visually-hidden", role: "status" });
  const buttons = PERIODS.map(([key, label]) =>
    h("button", {
      type: "button",
      class: "segment",
      "aria-pressed": String(key === period),
      "data-period": key,
      text: label,
    }),
  );
  const show = async () => {
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.period === period));
    try {
      const [taxonomy, { summary, stale }] = await Promise.all([ctx.getTaxonomy(), loadSummary(ctx, period)]);
      draw(body, summary, period, stale, taxonomy);
      status.textContent = body.querySelector("#trend-summary").textContent;
    } catch (error) {
      fill(
        body,
        h("p", {
          text: error.offline ? "Your trends will show here when you're back online." : error.message,
        }),
      );
    }
  };
  for (const b of buttons) {
    b.addEventListener("click", () => {
      period = b.dataset.period;
      show();
    });
  }
  add(
    screen,
    screenTitle("Your trends"),
    h("div", { class: "segments", role: "group", "aria-label": "Period" }, buttons),
    status,
    body,
    ons4,
  );
  show();
  import("./ons4-chart.js")
    .then((module) => ons4.replaceWith(module.ons4Section(ctx)))
    .catch(() => ons4.remove());
}
