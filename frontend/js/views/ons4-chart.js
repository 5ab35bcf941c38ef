// The Trends section for the four ONS questions: each item on its own small chart (never
// summed), the person's answers week by week beside the UK average, with words for each.

import { fill, h, newId, svg } from "/shared/dom.js";
import { ITEMS, SHORT_NAMES, loadOverview, thisWeeksAnswers } from "../ons4.js";
import { formatShort } from "../words.js";
import { parseDate } from "./chart.js";
import { sourceLine } from "./week-questions.js";

// The drawing box; the right margin holds the "UK 7.45" label.
const [WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM] = [320, 120, 28, 60, 8, 22];
const WEEKS_SHOWN = 12;

function itemChart(points, mean, labelId) {
  // Placed by date, so a week without answers leaves its gap.
  const first = points[0].week.getTime();
  const span = points[points.length - 1].week.getTime() - first;
  const x = (i) =>
    span
      ? LEFT + ((points[i].week.getTime() - first) / span) * (WIDTH - LEFT - RIGHT)
      : (LEFT + WIDTH - RIGHT) / 2;
  const y = (v) => TOP + ((10 - v) / 10) * (HEIGHT - TOP - BOTTOM);
  const parts = [0, 5, 10].flatMap((v) => [
    svg("line", { class: "grid", x1: LEFT, x2: WIDTH - RIGHT, y1: y(v), y2: y(v) }),
    svg("text", { class: "axis", x: LEFT - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)),
  ]);
  parts.push(
    svg("line", { class: "uk-mean", x1: LEFT, x2: WIDTH - RIGHT, y1: y(mean), y2: y(mean) }),
    svg("text", { class: "axis", x: WIDTH - RIGHT + 4, y: y(mean) + 4 }, `UK ${mean}`),
  );
  if (points.length > 1) {
    parts.push(
      svg("polyline", {
        class: "series series-mood",
        points: points.map((p, i) => `${x(i)},${y(p.value)}`).join(" "),
      }),
    );
  }
  parts.push(...points.map((p, i) => svg("circle", { class: "dot", cx: x(i), cy: y(p.value), r: 3.5 })));
  parts.push(
    svg("text", { class: "axis", x: LEFT, y: HEIGHT - 6 }, formatShort(points[0].week)),
    points.length > 1
      ? svg(
          "text",
          { class: "axis", x: WIDTH - RIGHT, y: HEIGHT - 6, "text-anchor": "end" },
          formatShort(points[points.length - 1].week),
        )
      : null,
  );
  return svg(
    "svg",
    { class: "ons4-chart", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-labelledby": labelId },
    parts,
  );
}

/** In words: the latest answer, its week, the week before, and the UK average. */
function describe(item, points, mean) {
  const latest = points[points.length - 1];
  const before = points.length > 1 ? points[points.length - 2] : null;
  let text = `${SHORT_NAMES[item]}: ${latest.value} out of 10 in the week of ${formatShort(latest.week)}`;
  if (before) text += ` (${before.value} the week before)`;
  text += `. UK average ${mean}.`;
  if (points.length > 2)
    text += ` Your answers over ${points.length} weeks ran from ${Math.min(...points.map((p) => p.value))} to ${Math.max(...points.map((p) => p.value))}.`;
  return text;
}

function bandsList(reference) {
  const bands = reference.bands || {};
  return h(
    "details",
    { class: "numbers" },
    h("summary", { text: "How ONS groups the answers" }),
    h(
      "ul",
      { class: "plain-list factor-list" },
      ITEMS.filter((item) => bands[item]).map((item) =>
        h(
          "li",
          {},
          h("strong", { text: `${SHORT_NAMES[item]}: ` }),
          bands[item].map((b) => `${b.label} ${b.from} to ${b.to}`).join(", "),
        ),
      ),
    ),
  );
}

function draw(section, overview, stale) {
  const answered = thisWeeksAnswers(overview);
  const link = h("a", {
    class: "button secondary",
    href: "#/week-questions",
    text: answered ? "Change this week's answers" : "Answer this week's questions",
  });
  const answers = (overview.answers || []).slice(0, WEEKS_SHOWN).reverse();
  const means = (overview.reference && overview.reference.means) || {};
  fill(
    section,
    h("h2", { id: "ons4-title", text: "Four questions, week by week" }),
    stale
      ? h("p", { class: "notice", text: "You're offline: these are your answers from your last visit." })
      : null,
    answers.length
      ? [
          h("p", {
            text: "Your answers beside the average for adults across the UK. Each question is its own scale from 0 to 10; for the last one, lower means less anxious.",
          }),
          ITEMS.map((item) => {
            const points = answers.map((a) => ({ week: parseDate(a.week), value: a[item] }));
            const id = newId(`ons4-${item}`);
            return h(
              "figure",
              { class: "ons4-item", "data-item": item },
              h("h3", { text: SHORT_NAMES[item] }),
              itemChart(points, means[item], id),
              h("figcaption", { id, text: describe(item, points, means[item]) }),
            );
          }),
          bandsList(overview.reference || {}),
        ]
      : h("p", { text: "Once a week you can answer four short questions and see how your answers change." }),
    h("div", { class: "actions" }, link),
    sourceLine(overview.reference),
  );
}

/** The section, filled in once the answers arrive (or left out if they cannot be had). */
export function ons4Section(ctx) {
  const section = h("section", { class: "card ons4", "aria-labelledby": "ons4-title" });
  loadOverview(ctx.api)
    .then(({ overview, stale }) => draw(section, overview, stale))
    .catch(() => section.remove());
  return section;
}
