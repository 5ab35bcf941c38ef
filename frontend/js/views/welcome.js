// The first screen: what the diary is, who can see what, and the way in.

import { add, h, screenTitle } from "/shared/dom.js";

export function render(screen, ctx) {
  const flash = ctx.flash;
  ctx.flash = null;
  add(
    screen,
    flash ? h("p", { class: "notice", role: "status", text: flash }) : null,
    screenTitle("Your wellbeing diary"),
    h("p", {
      class: "lead",
      text: "A private place to note how you are, in a minute or two, on your break.",
    }),
    h(
      "section",
      { class: "card", "aria-labelledby": "who-sees" },
      h("h2", { id: "who-sees", text: "Who sees what" }),
      h(
        "ul",
        { class: "plain-list who-sees" },
        h("li", { text: "Only you can read your diary." }),
        h("li", { text: "Your hub sees only totals for groups of at least 10 people." }),
        h("li", { text: "You can say no to that, now or later." }),
      ),
    ),
    h(
      "div",
      { class: "actions" },
      h("a", { class: "button", href: "#/sign-up", text: "Get started" }),
      h("a", { class: "button secondary", href: "#/sign-in", text: "I already have an account" }),
    ),
  );
}
