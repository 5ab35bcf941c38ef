// Building the page from elements and text nodes, never from HTML strings (user text stays text).

const SVG_NS = "http://www.w3.org/2000/svg";

function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Set an element's props: `class`, `text` (textContent), `on<event>` handlers, the live
 * properties `value`/`checked`, and any other attribute (true gives an empty attribute,
 * false/null/undefined leave it out).
 */
function setProps(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "value" || key === "checked") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
}

/** Make an HTML element with the given props (see setProps) and children. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/** Append children (skipping null/false), as h() does. */
export function add(parent, ...children) {
  append(parent, children);
  return parent;
}

/** Replace all of an element's children (skipping null/false). */
export function fill(parent, ...children) {
  parent.replaceChildren();
  return add(parent, ...children);
}

/** Make an SVG element with the given props (as h(): attributes, `text`, handlers). */
export function svg(tag, props = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/** A heading for a screen: the app moves focus to it when the screen changes. */
export function screenTitle(text) {
  return h("h1", { tabindex: "-1", "data-screen-title": true, text });
}

/** A message line for the result of an action; role=status/alert makes it announced. */
export function notice(kind = "status") {
  return h("p", { class: `notice ${kind === "alert" ? "notice-error" : ""}`, role: kind, hidden: true });
}

export function say(el, text) {
  el.textContent = text || "";
  el.hidden = !text;
}

let uid = 0;
/** A unique id for label/description pairs. */
export function newId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}
