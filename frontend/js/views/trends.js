// Trends: the person's own week, month or year, as a chart with a text summary, and the
// factors that tend to go with better and harder days.

import { add, fill, h, screenTitle } from "../dom.js";
import { freshOrKept } from "../local.js";
import { MOOD_WORDS, SCALES, formatShort, moodWord, timeZone } from "../words.js";
import { lineChart, lineSample, parseDate } from "./chart.js";

const PERIODS = [
  ["week", "Week", "the last week"],
  ["month", "Month", "the last month"],
  ["year", "Year", "the last year"],
];
const SERIES = [{ key: "mood", label: "Mood" }, ...SCALES.map((s) => ({ key: s.field, label: s.question }))];

async function loadSummary(ctx, period) {
  const { value, stale } = await freshOrKept(`summary-${period}`, () => ctx.api.summary(period, timeZone()));
  return { summary: value, stale };
}

function average(values) {
  const given = values.filter((v) => v !== null && v !== undefined);
  return given.length ? given.reduce((a, b) => a + b, 0) / given.length : null;
}

/** The words a screen reader hears instead of the chart (and everyone can read). */
function describe(summary, phrase, taxonomy) {
  if (!summary.count) return `No check-ins in ${phrase}. Your trends will show here once you have some.`;
  const counts = Object.entries(summary.distribution || {});
  const total = counts.reduce((sum, [, n]) => sum + n, 0);
  const mood = total ? counts.reduce((sum, [v, n]) => sum + Number(v) * n, 0) / total : null;
  const dayCount = summary.days.length;
  const parts = [
    `In ${phrase} you checked in ${summary.count} ${summary.count === 1 ? "time" : "times"} on ${dayCount} ${dayCount === 1 ? "day" : "days"}.`,
  ];
  if (mood !== null)
    parts.push(
      `Your mood was ${mood.toFixed(1)} out of 5 on average, closest to "${moodWord(Math.round(mood), taxonomy)}".`,
    );
  for (const s of SCALES) {
    const mean = average(summary.days.map((d) => d[s.field]));
    if (mean !== null) parts.push(`${s.question}: ${mean.toFixed(1)} out of 5.`);
  }
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
            [useWeeks ? "Week of" : "Day", "Check-ins", ...SERIES.map((s) => s.label)].map((t) =>
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
              SERIES.map((s) => h("td", { text: show(r[s.key]) })),
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
  const series = SERIES.filter((s) => rows.some((r) => r[s.key] !== null && r[s.key] !== undefined)).map(
    (s) => ({
      key: s.key,
      points: rows.map((r) => ({ x: pointAt(r), y: r[s.key] })),
    }),
  );
  const text = h("p", {
    id: "trend-summary",
    class: "trend-summary",
    text: describe(summary, phrase, taxonomy),
  });
  const words = taxonomy.moods ? taxonomy.moods.map((m) => m.label) : MOOD_WORDS;
  fill(
    body,
    stale
      ? h("p", { class: "notice", text: "You're offline: these are your trends from your last visit." })
      : null,
    text,
    summary.count
      ? [
          lineChart({
            series,
            from: parseDate(summary.from),
            to: parseDate(summary.to),
            yLabels: { 5: words[4], 3: words[2], 1: words[0] },
            labelledBy: "trend-summary",
          }),
          h(
            "ul",
            { class: "legend" },
            series.map((s) => h("li", {}, lineSample(s.key), SERIES.find((x) => x.key === s.key).label)),
          ),
          numbersTable(summary, useWeeks),
        ]
      : null,
    factorList(
      "Often on your better days",
      summary.factors && summary.factors.better,
      "Nothing stands out yet.",
    ),
    factorList(
      "Often on your harder days",
      summary.factors && summary.factors.worse,
      "Nothing stands out yet.",
    ),
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
