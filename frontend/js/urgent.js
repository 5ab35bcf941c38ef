// Urgent help, built in so it works offline and signed out: the Support screen lists it first,
// and the thanks screen after a check-in at mood 1 or 2 shows part of it, as buttons too.

import { h } from "/shared/dom.js";
import { countOpen, keptCatalogue } from "./catalogue.js";

export const URGENT = [
  {
    href: "tel:116123",
    action: "Call Samaritans on 116 123",
    detail: "Free, day or night, whatever you're going through.",
  },
  { href: "tel:111", action: "Call NHS 111, option 2", detail: "For mental health help, any time." },
  {
    href: "sms:85258?&body=SHOUT",
    action: "Text SHOUT to 85258",
    detail: "Free text support, day or night.",
  },
  { href: "tel:999", action: "Call 999 in an emergency", detail: "If you or someone else is in danger now." },
];
export const BUILT_IN = new Set(URGENT.map((u) => u.href));
// After a hard check-in: a voice, a text and an emergency line. Three, so the screen stays calm.
const AFTER_A_HARD_TIME = ["tel:116123", "sms:85258?&body=SHOUT", "tel:999"];

/**
 * The urgent lines as big buttons: {list, know}. Once `know(resources)` is given the
 * catalogue, a tap counts as an opening of the resource with the same link.
 */
export function urgentButtons(ctx, items = URGENT) {
  const known = new Map();
  const opened = (href) => () => known.has(href) && countOpen(ctx, known.get(href));
  const list = h(
    "ul",
    { class: "plain-list urgent-list" },
    items.map((u) =>
      h(
        "li",
        {},
        h("a", { class: "button urgent-button", href: u.href, onclick: opened(u.href), text: u.action }),
        h("p", { class: "hint", text: u.detail }),
      ),
    ),
  );
  const know = (resources) => {
    for (const r of resources || [])
      for (const reach of r.reach || []) if (BUILT_IN.has(reach.href)) known.set(reach.href, r);
  };
  return { list, know };
}

/** For the thanks screen after a check-in at mood 1 or 2: people to talk to, on the screen. */
export function hardTimeHelp(ctx) {
  const { list, know } = urgentButtons(
    ctx,
    URGENT.filter((u) => AFTER_A_HARD_TIME.includes(u.href)),
  );
  // The copy on this phone, so no request is made just to count a tap.
  keptCatalogue().then(know);
  return h(
    "section",
    { class: "card hard-time", "aria-labelledby": "hard-time-title" },
    h("h2", { id: "hard-time-title", text: "Someone to talk to, any time" }),
    h("p", { text: "Sorry it's a hard time. If talking would help, these are free, day or night." }),
    list,
    h("p", {}, "More support is on the ", h("a", { href: "#/support", text: "Support screen" }), "."),
  );
}
