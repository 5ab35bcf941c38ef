// "Use a passkey": the offer after sign-up and in Settings, or why it cannot work here.

import { h, notice, say } from "/shared/dom.js";
import { field } from "./fields.js";
import { createPasskey, passkeySupport, wasCancelled } from "/shared/passkeys.js";

/** Where passkeys cannot work, say so kindly (with the address where they do). */
export function cannotHere(support) {
  return h(
    "p",
    { class: "hint passkey-unavailable" },
    support.message,
    support.address ? [" ", h("a", { href: support.address, text: "Open the diary there" })] : null,
  );
}

/**
 * A button that adds a passkey. When the server asks for the password first (the sign-in
 * was a while ago), a password field appears and the next tap sends it. `added(passkey)`
 * runs after each success.
 */
export function passkeyButton(ctx, added, label = "Use a passkey") {
  const holder = h("div", { class: "stack" });
  const message = notice("alert");
  const password = field({
    label: "Your password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    hint: "To keep your diary safe, we ask for it when you signed in a while ago.",
  });
  password.hidden = true;
  const button = h("button", { type: "button", class: "button secondary", text: label });
  button.addEventListener("click", async () => {
    say(message, "");
    const input = password.querySelector("input");
    const extra = password.hidden ? {} : { password: input.value };
    button.disabled = true;
    try {
      const passkey = await createPasskey(ctx.api.post, extra);
      password.hidden = true;
      input.value = "";
      await added(passkey);
    } catch (error) {
      if (error.status === 403 && error.fieldErrors.password) {
        password.hidden = false;
        input.focus();
        say(message, "Please enter your password, then tap the button again.");
      } else if (wasCancelled(error)) {
        say(message, "No passkey was added. You can try again whenever you like.");
      } else if (error.name === "InvalidStateError") {
        say(message, "This device already has a passkey for your diary.");
      } else {
        say(message, error.fieldErrors?.password?.[0] || error.message);
      }
    } finally {
      button.disabled = false;
    }
  });
  passkeySupport().then((support) => {
    holder.replaceChildren(...(support.ok ? [password, button, message] : [cannotHere(support)]));
  });
  return holder;
}
