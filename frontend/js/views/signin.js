// Sign in with a username and password.

import { add, h, notice, screenTitle } from "../dom.js";
import { accountFields, onSubmit } from "./fields.js";

export function render(screen, ctx) {
  const flash = ctx.flash;
  ctx.flash = null;
  const message = notice("alert");
  const form = h(
    "form",
    { novalidate: true, class: "stack" },
    accountFields(false),
    message,
    h("button", { type: "submit", class: "button", text: "Sign in" }),
  );
  add(
    screen,
    flash ? h("p", { class: "notice", role: "status", text: flash }) : null,
    screenTitle("Sign in"),
    form,
    h("p", {}, "New here? ", h("a", { href: "#/sign-up", text: "Create your diary" })),
  );

  onSubmit(
    form,
    message,
    async (data) => {
      const user = await ctx.api.login(
        String(data.get("username") || "").trim(),
        String(data.get("password") || ""),
      );
      await ctx.signedIn(user);
      ctx.go("check-in");
    },
    (error) =>
      error.status === 401 ? "That username and password don't match. Please try again." : error.message,
  );
}
