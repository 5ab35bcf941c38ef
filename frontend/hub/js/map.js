// The hex map: one SVG hexagon per area (HexJSON layout), coloured by the chosen measure,
// each with its short label, and the regions outlined.

import { fill, h, svg } from "/shared/dom.js";
import { binLabels, colourFor, hasValue, peopleWords, suppressedWords, textOn } from "./measures.js";

const SIZE = 10;
const WIDTH = Math.sqrt(3) * SIZE;
// At least this many pixels per map unit, so the smallest label (3.8 units, hub.css) is
// never under 11 px; a narrow screen scrolls the map sideways instead of shrinking it.
const MIN_SCALE = 2.9;

function centre(hex, layout, maxR) {
  const row = maxR - hex.r; // HexJSON rows count upwards
  if (layout.endsWith("-r")) {
    const shift = (layout === "odd-r" ? hex.r & 1 : (hex.r & 1) === 0) ? WIDTH / 2 : 0;
    return [hex.q * WIDTH + shift, row * 1.5 * SIZE];
  }
  const shift = (layout === "odd-q" ? hex.q & 1 : (hex.q & 1) === 0) ? WIDTH / 2 : 0;
  return [hex.q * 1.5 * SIZE, row * WIDTH + shift];
}

function cornerPoints([x, y], pointy) {
  const points = [];
  for (let i = 0; i < 6; i += 1) {
    const angle = (Math.PI / 180) * (60 * i + (pointy ? 30 : 0));
    points.push([x + SIZE * Math.cos(angle), y + SIZE * Math.sin(angle)]);
  }
  return points;
}

const at = ([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`;

/** The outline of each region: the hex edges that no other hex of the region shares. */
function regionOutlines(corners, regionOf) {
  const edges = new Map(); // region -> edge key -> [from, to, count]
  for (const [code, points] of corners) {
    const region = regionOf[code] || "";
    if (!edges.has(region)) edges.set(region, new Map());
    const mine = edges.get(region);
    points.forEach((from, i) => {
      const to = points[(i + 1) % 6];
      // Neighbouring hexes meet on the same two corners: one key whichever way round.
      const key = [from, to].map((p) => p.map((v) => v.toFixed(1)).join(",")).sort().join(" ");
      const seen = mine.get(key);
      if (seen) seen[2] += 1;
      else mine.set(key, [from, to, 1]);
    });
  }
  const paths = [...edges].map(([region, mine]) => [
    region,
    [...mine.values()].filter(([, , n]) => n === 1).map(([from, to]) => `M${at(from)}L${at(to)}`).join(""),
  ]);
  // Every band first, then every line, so no band covers a neighbouring region's line.
  return ["band", "line"].flatMap((kind) =>
    paths.map(([region, d]) => svg("path", { class: `region-outline ${kind}`, d, "data-region": region })),
  );
}

function describe(name, cell, measure, k) {
  if (!cell) return `${name}: no release yet`;
  if (cell.status !== "published") return `${name}: suppressed, fewer than ${k} people or protecting a smaller group`;
  if (!hasValue(measure.value(cell))) return `${name}: ${measure.label} not shown, fewer than ${k} answered`;
  return `${name}: ${measure.label} ${measure.words(cell)}, ${peopleWords(cell)}`;
}

const FOCUS_HINT = "Point at a hexagon, or move to it with the Tab key, for its full name.";

/** Show the hex under the pointer, else the one with keyboard focus, else the hint. */
function showFocus(line, how, text) {
  line.dataset[how] = text;
  const shown = line.dataset.hover || line.dataset.focus;
  line.textContent = shown || FOCUS_HINT;
  line.classList.toggle("hint", !shown);
}

/**
 * Draw the map into `container`; `onSelect(code)` is called when an area is chosen.
 * `focusLine` shows the full name and figure of the hex under the pointer or keyboard focus.
 */
export function drawMap(container, { hexmap, names, shorts, regionOf, cells, measure, selected, k, onSelect, focusLine }) {
  const hexes = Object.entries(hexmap.hexes);
  const maxR = Math.max(...hexes.map(([, hex]) => hex.r));
  const pointy = hexmap.layout.endsWith("-r");
  const centres = hexes.map(([code, hex]) => [code, centre(hex, hexmap.layout, maxR)]);
  const corners = centres.map(([code, point]) => [code, cornerPoints(point, pointy)]);
  const points = Object.fromEntries(corners);
  const xs = centres.map(([, c]) => c[0]);
  const ys = centres.map(([, c]) => c[1]);
  const pad = SIZE + 2;
  const box = [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) - Math.min(...xs) + 2 * pad, Math.max(...ys) - Math.min(...ys) + 2 * pad];
  const pattern = svg(
    "pattern",
    { id: "suppressed", width: 4, height: 4, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
    svg("rect", { class: "stripe-back", width: 4, height: 4 }),
    svg("rect", { class: "stripe", width: 2, height: 4 }),
  );
  const hexPath = (code) => `M${points[code].map(at).join("L")}Z`;
  // Rings drawn above the region outlines, which would otherwise hide part of them.
  // Each a line on a band of the page colour, so it shows on any fill.
  const rings = Object.fromEntries(
    ["selected", "hover", "focus"].map((kind) => [kind, svg("g", { class: `ring ring-${kind}` }, svg("path", { class: "band" }), svg("path", { class: "line" }))]),
  );
  const ringOn = (kind, code) => {
    for (const path of rings[kind].children) path.setAttribute("d", code ? hexPath(code) : "");
  };
  if (selected && points[selected]) ringOn("selected", selected);
  const map = svg("svg", { viewBox: box.map((v) => v.toFixed(1)).join(" "), role: "group", "aria-label": `Areas coloured by ${measure.label}` }, svg("defs", {}, pattern));
  map.style.minWidth = `${Math.round(box[2] * MIN_SCALE)}px`;
  for (const [code, point] of centres) {
    const cell = cells[code];
    const name = names[code] || code;
    let paint = null;
    if (cell && cell.status !== "published") paint = "url(#suppressed)";
    else if (cell && hasValue(measure.value(cell))) paint = colourFor(measure, measure.value(cell));
    const label = describe(name, cell, measure, k);
    const short = shorts[code] || code;
    const choose = () => onSelect(code);
    const text = svg("text", { class: "hex-label", x: point[0].toFixed(2), y: point[1].toFixed(2), "aria-hidden": "true" }, short);
    if (short.length > 3) text.classList.add(short.length > 4 ? "longest" : "long");
    // On a colour, black or white, whichever reads better; elsewhere the page's own text colour.
    if (paint && paint.startsWith("#")) text.style.fill = textOn(paint);
    const group = svg(
      "g",
      {
        class: code === selected ? "hex selected" : "hex",
        role: "button",
        tabindex: 0,
        "aria-label": label,
        "aria-pressed": code === selected ? "true" : "false",
        "data-area": code,
        "data-status": cell ? cell.status : "none",
        onclick: choose,
        onkeydown: (event) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            choose();
          }
        },
        onfocus: () => {
          ringOn("focus", code);
          showFocus(focusLine, "focus", label);
        },
        onmouseenter: () => {
          ringOn("hover", code);
          showFocus(focusLine, "hover", label);
        },
        onblur: (event) => {
          if (!event.target.isConnected) return; // a redraw removed it, and moves focus on
          ringOn("focus", null);
          showFocus(focusLine, "focus", "");
        },
        onmouseleave: () => {
          ringOn("hover", null);
          showFocus(focusLine, "hover", "");
        },
      },
      svg("title", { text: label }),
      svg("path", { d: hexPath(code), fill: paint || "none", class: paint ? null : "empty" }),
      text,
    );
    map.append(group);
  }
  // Drawn above the hexes, and never in the way of a click.
  map.append(svg("g", { class: "regions", "aria-hidden": "true" }, ...regionOutlines(corners, regionOf), ...Object.values(rings)));
  // Redrawing (a choice, a new release) keeps the keyboard on the hex it was on.
  const focused = container.contains(document.activeElement) ? document.activeElement.dataset.area : null;
  fill(container, map);
  if (focused) map.querySelector(`g.hex[data-area="${CSS.escape(focused)}"]`)?.focus();
  else showFocus(focusLine, "focus", "");
}

export function drawLegend(container, measure, k) {
  const items = binLabels(measure).map(({ colour, text }) => {
    const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colour;
    return h("span", {}, swatch, text);
  });
  items.push(h("span", {}, h("span", { class: "swatch suppressed", "aria-hidden": "true" }), suppressedWords(k)));
  items.push(h("span", {}, h("span", { class: "swatch none", "aria-hidden": "true" }), measure.id.startsWith("ons4:") ? `No figure (no release yet, or fewer than ${k} answered)` : "No release yet"));
  items.push(h("span", {}, h("span", { class: "swatch outline", "aria-hidden": "true" }), "Region boundary"));
  fill(container, h("span", { class: "legend-title", text: `${measure.label}:` }), ...items);
}
