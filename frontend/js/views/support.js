// Support: urgent help in one tap, and the hub's own resources.

import { add, fill, h, screenTitle } from "../dom.js";

const URGENT = [
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

function resourceItem(ctx, resource) {
  const title = resource.title || resource.name || "";
  const url = resource.url || resource.link;
  const text = resource.description || resource.summary;
  const opened = () => {
    if (ctx.user && resource.id !== undefined) ctx.api.openedResource(resource.id).catch(() => {});
  };
  return h(
    "li",
    {},
    url && /^(https?:|tel:|sms:|mailto:)/.test(url)
      ? h("a", {
          href: url,
          rel: "noopener",
          target: /^https?:/.test(url) ? "_blank" : null,
          onclick: opened,
          text: title,
        })
      : h("strong", { text: title }),
    text ? h("p", { class: "muted", text }) : null,
  );
}

async function hubResources(ctx, container) {
  try {
    const answer = await ctx.api.resources();
    const list = Array.isArray(answer) ? answer : answer.items || answer.resources || [];
    if (!list.length) throw new Error("none yet");
    fill(
      container,
      h(
        "ul",
        { class: "plain-list resources" },
        list.map((r) => resourceItem(ctx, r)),
      ),
    );
  } catch {
    fill(container, h("p", { class: "muted", text: "Your hub's own support will be listed here." }));
  }
}

export function render(screen, ctx) {
  const resources = h("div", {});
  add(
    screen,
    screenTitle("Support"),
    h(
      "section",
      { class: "card urgent", "aria-labelledby": "urgent-title" },
      h("h2", { id: "urgent-title", text: "Urgent help now" }),
      h(
        "ul",
        { class: "plain-list urgent-list" },
        URGENT.map((u) =>
          h(
            "li",
            {},
            h("a", { class: "button urgent-button", href: u.href, text: u.action }),
            h("p", { class: "hint", text: u.detail }),
          ),
        ),
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "hub-title" },
      h("h2", { id: "hub-title", text: "From your hub" }),
      resources,
    ),
    ctx.user ? null : h("p", {}, h("a", { href: "#/welcome", text: "Back to the start" })),
  );
  hubResources(ctx, resources);
}
