// The five mood faces, drawn as inline SVG so they need no image files and follow dark mode.

import { svg } from "/shared/dom.js";

// How far the mouth's middle sits below (+) or above (-) its corners, by mood.
const CURVE = { 1: -7, 2: -3.5, 3: 0, 4: 4.5, 5: 8 };

/** A decorative face for mood 1-5; the words beside it carry the meaning. */
export function face(mood, size = 48) {
  const curve = CURVE[mood] ?? 0;
  const mouthY = 31 - curve / 2;
  return svg(
    "svg",
    {
      class: `face face-${mood}`,
      viewBox: "0 0 48 48",
      width: size,
      height: size,
      "aria-hidden": "true",
      focusable: "false",
    },
    svg("circle", { class: "face-skin", cx: 24, cy: 24, r: 21 }),
    svg("circle", { class: "face-line-fill", cx: 17, cy: 19, r: 2.4 }),
    svg("circle", { class: "face-line-fill", cx: 31, cy: 19, r: 2.4 }),
    svg("path", {
      class: "face-line",
      d: `M15 ${mouthY} Q24 ${mouthY + curve * 2} 33 ${mouthY}`,
      fill: mood === 5 ? "currentColor" : "none",
    }),
  );
}
