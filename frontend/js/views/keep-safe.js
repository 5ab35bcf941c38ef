// Right after sign-up: the recovery key, shown once, and the offer of a passkey.

import { add, h, screenTitle, say, notice } from "/shared/dom.js";
import { passkeyButton } from "./passkey-offer.js";
import { recoveryKeyCard } from "./recovery-key.js";

export function render(screen, ctx) {
  // Held in memory only, never on the phone's storage, and forgotten once shown.
  const key = ctx.recoveryKey;
  ctx.recoveryKey = null;
  const added = notice();
  add(
    screen,
    screenTitle("Keep your way back in"),
    key
      ? h(
          "section",
          { class: "card", "aria-labelledby": "key-title" },
          h("h2", { id: "key-title", text: "Your recovery key" }),
          recoveryKeyCard(key, ctx.user.username),
        )
      : h("p", { text: "You can make a recovery key at any time in Settings." }),
    h(
      "section",
      { class: "card", "aria-labelledby": "passkey-title" },
      h("h2", { id: "passkey-title", text: "Sign in without a password" }),
      h("p", {
        text: "A passkey lets you sign in with your fingerprint, face or screen lock. It stays on your phone.",
      }),
      passkeyButton(ctx, () => say(added, "Passkey added. Next time, tap \"Sign in with a passkey\".")),
      added,
    ),
    h(
      "div",
      { class: "actions" },
      h("button", {
        type: "button",
        class: "button",
        text: "Continue",
        onclick: () => ctx.go("about-you", "start"),
      }),
    ),
  );
}
