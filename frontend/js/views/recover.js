// "Forgotten your password?": username, recovery key and a new password, then a new key.

import { add, fill, h, notice, screenTitle } from "/shared/dom.js";
import { field, onSubmit } from "./fields.js";
import { recoveryKeyCard } from "./recovery-key.js";

function backIn(screen, ctx, user) {
  fill(
    screen,
    screenTitle("You're back in"),
    h("p", { text: "Your password is changed, and you are signed out everywhere else." }),
    h(
      "section",
      { class: "card", "aria-labelledby": "new-key-title" },
      h("h2", { id: "new-key-title", text: "Your new recovery key" }),
      recoveryKeyCard(user.recovery_key, user.username, "The key you just used no longer works. This is your new one."),
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", class: "button", text: "Go to my diary", onclick: () => ctx.go("check-in") }),
    ),
  );
  screen.querySelector("h1").focus();
}

export function render(screen, ctx) {
  const message = notice("alert");
  const form = h(
    "form",
    { novalidate: true, class: "stack" },
    field({
      label: "Username",
      name: "username",
      autocomplete: "username",
      autocapitalize: "none",
      spellcheck: "false",
      required: true,
    }),
    field({
      label: "Recovery key",
      name: "recovery_key",
      hint: "The key you were shown when you made your diary, such as 7F3A-09C2-… Capitals and dashes do not matter.",
      autocomplete: "off",
      autocapitalize: "characters",
      spellcheck: "false",
      required: true,
    }),
    field({
      label: "New password",
      name: "new_password",
      type: "password",
      hint: "At least 8 characters.",
      autocomplete: "new-password",
      required: true,
    }),
    message,
    h("button", { type: "submit", class: "button", text: "Set my new password" }),
  );
  add(
    screen,
    screenTitle("Forgotten your password?"),
    h("p", {
      text: "Your recovery key lets you choose a new password. Your check-ins, notes and history stay just as they are.",
    }),
    form,
    h("p", {}, "Remembered it? ", h("a", { href: "#/sign-in", text: "Sign in" })),
    h("p", {
      class: "hint",
      text: "No recovery key? If you added a passkey, you can sign in with it and make a new key in Settings.",
    }),
  );

  onSubmit(
    form,
    message,
    async (data) => {
      const answer = await ctx.api.post("auth/recover", {
        username: String(data.get("username") || "").trim(),
        recovery_key: String(data.get("recovery_key") || ""),
        new_password: String(data.get("new_password") || ""),
      });
      const { recovery_key: key, ...user } = answer;
      await ctx.signedIn(user);
      backIn(screen, ctx, answer);
    },
    (error) =>
      error.status === 401 ? "That username and recovery key don't match. Please check them and try again." : error.message,
  );
}
