// A small inline-SVG line chart of one 1-5 scale over time, with that scale's own words.

import { svg } from "/shared/dom.js";
import { formatShort } from "../words.js";

const WIDTH = 340;
const HEIGHT = 190;
const LEFT = 92;
// Axis words longer than this wrap onto a second line, so they fit beside the chart.
const LINE_CHARS = 12;
const RIGHT = 10;
const TOP = 10;
const BOTTOM = 26;

/** "2026-11-22" as local midnight (Date.parse would read it as UTC). */
export function parseDate(text) {
  const [y, m, d] = String(text).slice(0, 10).split("-").map(Number);
  return new Date(y, m - 1, d);
}

/** Runs of consecutive points that have a value, so a missing value breaks the line. */
function runs(points) {
  const out = [];
  let current = [];
  for (const p of points) {
    if (p.y === null || p.y === undefined) {
      if (current.length) out.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length) out.push(current);
  return out;
}

/**
 * Draw the series between the dates `from` and `to`. `series` is a list of
 * {key, points: [{x: Date, y: number|null}]}; `yLabels` maps 1-5 values to words on the axis.
 * The chart is labelled by the element with id `labelledBy` (the text summary).
 */
export function lineChart({ series, from, to, yLabels, labelledBy }) {
  const start = from.getTime();
  const span = Math.max(to.getTime() - start, 1);
  const x = (date) => LEFT + ((date.getTime() - start) / span) * (WIDTH - LEFT - RIGHT);
  const y = (value) => TOP + ((5 - value) / 4) * (HEIGHT - TOP - BOTTOM);
  const grid = [1, 2, 3, 4, 5].map((v) =>
    svg("line", { class: "grid", x1: LEFT, x2: WIDTH - RIGHT, y1: y(v), y2: y(v) }),
  );
  const labels = Object.entries(yLabels).map(([v, word]) => axisWord(word, LEFT - 6, y(Number(v)) + 4));
  const dates = [from, new Date((start + to.getTime()) / 2), to].map((date, i) =>
    svg(
      "text",
      { class: "axis", x: x(date), y: HEIGHT - 6, "text-anchor": ["start", "middle", "end"][i] },
      formatShort(date),
    ),
  );
  const lines = series.flatMap((s) =>
    runs(s.points).map((run) =>
      run.length === 1
        ? svg("circle", { class: `series series-${s.key}`, cx: x(run[0].x), cy: y(run[0].y), r: 3.5 })
        : svg("polyline", {
            class: `series series-${s.key}`,
            points: run.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(" "),
          }),
    ),
  );
  const dots = series.flatMap((s) =>
    s.points
      .filter((p) => p.y !== null && p.y !== undefined)
      .map((p) => svg("circle", { class: `dot dot-${s.key}`, cx: x(p.x), cy: y(p.y), r: 3 })),
  );
  return svg(
    "svg",
    { class: "chart", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-labelledby": labelledBy },
    grid,
    labels,
    dates,
    lines,
    dots,
  );
}

/** A word of the scale beside the axis, on two lines when it is long ("Running on / empty"). */
function axisWord(word, x, y) {
  const words = word.split(" ");
  const lines = [];
  for (const part of words) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${part}`.length <= LINE_CHARS) lines[last] += ` ${part}`;
    else lines.push(part);
  }
  if (lines.length === 1) return svg("text", { class: "axis axis-word", x, y, "text-anchor": "end" }, word);
  // A trailing space keeps the words apart in the text's textContent.
  return svg(
    "text",
    { class: "axis axis-word", x, y: y - 6, "text-anchor": "end" },
    lines.map((line, i) => svg("tspan", { x, dy: i ? 12 : 0 }, i < lines.length - 1 ? `${line} ` : line)),
  );
}
