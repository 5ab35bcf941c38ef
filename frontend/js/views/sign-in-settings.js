// Settings: how you sign in. Passkeys (add, rename, remove) and the recovery key, with a
// gentle reminder, only here, for someone who has neither.

import { add, fill, h, notice, say } from "/shared/dom.js";
import { recall, remember } from "../local.js";
import { field, onSubmit } from "./fields.js";
import { passkeyButton } from "./passkey-offer.js";
import { recoveryKeyCard } from "./recovery-key.js";

const DISMISSED = "keep-safe-reminder-dismissed";
const DAY = { day: "numeric", month: "short", year: "numeric" };

function when(iso) {
  return new Date(iso).toLocaleDateString("en-GB", DAY);
}

/**
 * Runs `action(extra)`; when the server asks for the password first (the sign-in was a
 * while ago), shows a password form in `place` whose submit runs it again with the password.
 */
async function withPassword(place, action) {
  try {
    return await action({});
  } catch (error) {
    if (error.status !== 403 || !error.fieldErrors.password) throw error;
  }
  const message = notice("alert");
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", { text: "To keep your diary safe, please enter your password first." }),
    field({ label: "Your password", name: "password", type: "password", autocomplete: "current-password" }),
    message,
    h("button", { type: "submit", class: "button secondary", text: "Confirm" }),
  );
  fill(place, form);
  form.querySelector("input").focus();
  return new Promise((resolve) => {
    onSubmit(form, message, async (data) => {
      resolve(await action({ password: String(data.get("password") || "") }));
      fill(place);
    });
  });
}

function passkeyItem(ctx, passkey, refresh) {
  const message = notice();
  const place = h("div");
  const details = h("p", {
    class: "hint",
    text: `Added ${when(passkey.created_at)}. ${passkey.last_used_at ? `Last used ${when(passkey.last_used_at)}.` : "Not used yet."}`,
  });
  const rename = h("form", { class: "stack rename", novalidate: true, hidden: true },
    field({ label: `New name for ${passkey.name}`, name: "name", value: passkey.name, maxlength: 60 }),
    h("button", { type: "submit", class: "button secondary small", text: "Save name" }),
  );
  onSubmit(rename, message, async (data) => {
    await ctx.api.patch(`auth/passkeys/${passkey.id}`, { name: String(data.get("name") || "") });
    await refresh(`Renamed to ${String(data.get("name")).trim()}.`);
  });
  const renameButton = h("button", { type: "button", class: "button secondary small", text: "Rename" });
  renameButton.addEventListener("click", () => {
    rename.hidden = false;
    rename.querySelector("input").focus();
  });
  const removeButton = h("button", { type: "button", class: "button secondary small", text: "Remove" });
  removeButton.addEventListener("click", async () => {
    try {
      await withPassword(place, (extra) => ctx.api.del(`auth/passkeys/${passkey.id}`, extra));
      await refresh(`${passkey.name} removed.`);
    } catch (error) {
      say(message, error.message);
    }
  });
  return h(
    "li",
    { class: "passkey" },
    h("p", { class: "passkey-name", text: passkey.name }),
    details,
    h("div", { class: "actions" }, renameButton, removeButton),
    rename,
    place,
    message,
  );
}

function recoverySection(ctx) {
  const message = notice("alert");
  const place = h("div");
  const shown = h("div");
  const made = ctx.user.recovery_key_made_at;
  const button = h("button", {
    type: "button",
    class: "button secondary",
    text: made ? "Make a new recovery key" : "Make a recovery key",
  });
  button.addEventListener("click", async () => {
    say(message, "");
    try {
      const { recovery_key: key } = await withPassword(place, (extra) => ctx.api.post("auth/recovery-key", extra));
      await ctx.updateUser(await ctx.api.me());
      fill(shown, recoveryKeyCard(key, ctx.user.username, made ? "Your old recovery key no longer works. This is your new one." : null));
      shown.querySelector(".recovery-key").scrollIntoView({ block: "nearest" });
    } catch (error) {
      say(message, error.message);
    }
  });
  return h(
    "div",
    { class: "stack" },
    h("h3", { text: "Recovery key" }),
    h("p", {
      text: made
        ? `You made your recovery key on ${when(made)}. If you have lost it, make a new one: the old one then stops working.`
        : "A recovery key lets you back in if you forget your password. Your notes and history are kept.",
    }),
    button,
    place,
    message,
    shown,
  );
}

async function reminder(ctx, passkeys) {
  if (ctx.user.has_recovery_key || passkeys.length || (await recall(DISMISSED))) return null;
  const box = h(
    "div",
    { class: "notice gentle", role: "note" },
    h("p", {
      text: "If you ever forget your password, a passkey or a recovery key gets you back into your diary. You can set one up below whenever you like.",
    }),
  );
  const dismiss = h("button", { type: "button", class: "button secondary small", text: "Not now" });
  dismiss.addEventListener("click", async () => {
    await remember(DISMISSED, true);
    box.remove();
  });
  box.append(dismiss);
  return box;
}

/** The "Signing in" section of Settings. */
export function signInSection(ctx) {
  const body = h("div", { class: "stack" }, h("p", { class: "muted", text: "Loading…" }));
  const status = notice();
  async function refresh(said) {
    const passkeys = await ctx.api.get("auth/passkeys");
    const list = passkeys.length
      ? h("ul", { class: "plain-list passkeys" }, passkeys.map((p) => passkeyItem(ctx, p, refresh)))
      : h("p", { text: "No passkeys yet. A passkey lets you sign in with your fingerprint, face or screen lock." });
    fill(
      body,
      await reminder(ctx, passkeys),
      h("h3", { text: "Passkeys" }),
      list,
      passkeyButton(
        ctx,
        (passkey) => refresh(`${passkey.name} added.`),
        passkeys.length ? "Add another passkey" : "Use a passkey",
      ),
      status,
      recoverySection(ctx),
    );
    say(status, said || "");
  }
  refresh().catch((error) => fill(body, h("p", { text: error.message })));
  return add(h("div"), body);
}
