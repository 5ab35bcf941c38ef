// Sign in with a username and password, or with a passkey; the way back in if forgotten.

import { add, h, notice, say, screenTitle } from "/shared/dom.js";
import { accountFields, field, onSubmit } from "./fields.js";
import { cannotHere } from "./passkey-offer.js";
import { secondStep } from "/shared/api.js";
import { passkeySupport, usePasskey, wasCancelled } from "/shared/passkeys.js";

function passkeySection(ctx) {
  const holder = h("div", { class: "stack passkey-sign-in" });
  const message = notice("alert");
  const button = h("button", { type: "button", class: "button secondary", text: "Sign in with a passkey" });
  button.addEventListener("click", async () => {
    say(message, "");
    try {
      const user = await usePasskey(ctx.api.post);
      await ctx.signedIn(user);
      ctx.go("check-in");
    } catch (error) {
      say(
        message,
        wasCancelled(error)
          ? "No passkey was used. You can try again, or use your password."
          : error.message,
      );
    }
  });
  passkeySupport().then((support) => {
    holder.replaceChildren(...(support.ok ? [button, message] : [cannotHere(support)]));
  });
  return holder;
}

export function render(screen, ctx) {
  const flash = ctx.flash;
  ctx.flash = null;
  const message = notice("alert");
  // Shown only when the server asks for it: someone who turned on an authenticator app.
  const code = field({
    label: "Code from your authenticator app",
    name: "totp",
    hint: "The 6 digits it shows now, or one of your recovery codes.",
    autocomplete: "one-time-code",
    autocapitalize: "none",
    spellcheck: "false",
  });
  code.hidden = true;
  const form = h(
    "form",
    { novalidate: true, class: "stack" },
    accountFields(false),
    code,
    message,
    h("button", { type: "submit", class: "button", text: "Sign in" }),
  );
  add(
    screen,
    flash ? h("p", { class: "notice", role: "status", text: flash }) : null,
    screenTitle("Sign in"),
    form,
    h("p", {}, h("a", { href: "#/recover", text: "Forgotten your password?" })),
    passkeySection(ctx),
    h("p", {}, "New here? ", h("a", { href: "#/sign-up", text: "Create your diary" })),
  );

  onSubmit(
    form,
    message,
    async (data) => {
      const step = secondStep(data.get("totp"));
      let user;
      try {
        user = await ctx.api.login(
          String(data.get("username") || "").trim(),
          String(data.get("password") || ""),
          step,
        );
      } catch (error) {
        if (error.status === 401 && error.fieldErrors.totp) code.hidden = false;
        throw error;
      }
      await ctx.signedIn(user);
      ctx.go("check-in");
    },
    (error) =>
      error.status === 401 ? "That username and password don't match. Please try again." : error.message,
  );
}
