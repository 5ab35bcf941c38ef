// The hex map: one SVG hexagon per area (HexJSON layout), coloured by the chosen measure.

import { el, replace, svg } from "./dom.js";
import { binLabels, colourFor, hasValue, suppressedWords } from "./measures.js";

const SIZE = 10;
const WIDTH = Math.sqrt(3) * SIZE;

function centre(hex, layout, maxR) {
  const row = maxR - hex.r; // HexJSON rows count upwards
  if (layout.endsWith("-r")) {
    const shift = (layout === "odd-r" ? hex.r & 1 : (hex.r & 1) === 0) ? WIDTH / 2 : 0;
    return [hex.q * WIDTH + shift, row * 1.5 * SIZE];
  }
  const shift = (layout === "odd-q" ? hex.q & 1 : (hex.q & 1) === 0) ? WIDTH / 2 : 0;
  return [hex.q * 1.5 * SIZE, row * WIDTH + shift];
}

function corners([x, y], pointy) {
  const points = [];
  for (let i = 0; i < 6; i += 1) {
    const angle = (Math.PI / 180) * (60 * i + (pointy ? 30 : 0));
    points.push(`${(x + SIZE * Math.cos(angle)).toFixed(2)},${(y + SIZE * Math.sin(angle)).toFixed(2)}`);
  }
  return `M${points.join("L")}Z`;
}

function describe(name, cell, measure, k) {
  if (!cell) return `${name}: no release yet`;
  if (cell.status !== "published") return `${name}: suppressed, fewer than ${k} people or protecting a smaller group`;
  if (!hasValue(measure.value(cell))) return `${name}: ${measure.label} not shown, fewer than ${k} answered`;
  return `${name}: ${measure.label} ${measure.format(measure.value(cell))}, about ${cell.contributors} people`;
}

/** Draw the map into `container`; `onSelect(code)` is called when an area is chosen. */
export function drawMap(container, { hexmap, names, cells, measure, selected, k, onSelect }) {
  const hexes = Object.entries(hexmap.hexes);
  const maxR = Math.max(...hexes.map(([, h]) => h.r));
  const pointy = hexmap.layout.endsWith("-r");
  const centres = hexes.map(([code, hex]) => [code, centre(hex, hexmap.layout, maxR)]);
  const xs = centres.map(([, c]) => c[0]);
  const ys = centres.map(([, c]) => c[1]);
  const pad = SIZE + 2;
  const box = [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) - Math.min(...xs) + 2 * pad, Math.max(...ys) - Math.min(...ys) + 2 * pad];
  const pattern = svg(
    "pattern",
    { id: "suppressed", width: 4, height: 4, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
    svg("rect", { width: 4, height: 4, fill: "#ffffff" }),
    svg("rect", { width: 2, height: 4, fill: "#c9cccf" }),
  );
  const map = svg("svg", { viewBox: box.map((v) => v.toFixed(1)).join(" "), role: "group", "aria-label": `Areas coloured by ${measure.label}` }, svg("defs", {}, pattern));
  for (const [code, point] of centres) {
    const cell = cells[code];
    const name = names[code] || code;
    let fill = "#ffffff";
    if (cell && cell.status !== "published") fill = "url(#suppressed)";
    else if (cell && hasValue(measure.value(cell))) fill = colourFor(measure, measure.value(cell));
    const label = describe(name, cell, measure, k);
    const choose = () => onSelect(code);
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
      },
      svg("title", { text: label }),
      svg("path", { d: corners(point, pointy), fill }),
    );
    map.append(group);
  }
  replace(container, map);
}

export function drawLegend(container, measure, k) {
  const items = binLabels(measure).map(({ colour, text }) => {
    const swatch = el("span", { class: "swatch", "aria-hidden": "true" });
    swatch.style.background = colour;
    return el("span", {}, swatch, text);
  });
  items.push(el("span", {}, el("span", { class: "swatch suppressed", "aria-hidden": "true" }), suppressedWords(k)));
  items.push(el("span", {}, el("span", { class: "swatch none", "aria-hidden": "true" }), measure.id.startsWith("ons4:") ? `No figure (no release yet, or fewer than ${k} answered)` : "No release yet"));
  replace(container, el("span", { class: "legend-title", text: `${measure.label}:` }), ...items);
}
