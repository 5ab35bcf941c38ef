// A recovery key, shown once: copy it, save it as a file, and why it matters.

import { h, notice, say } from "/shared/dom.js";

const WHY =
  "Keep this somewhere safe: it's the only way back in if you forget your password. " +
  "We can't show it again, and no one at the diary can read it.";

function saveAsFile(key, username) {
  const text = [
    "Wellbeing Diary recovery key",
    `Username: ${username}`,
    `Recovery key: ${key}`,
    "",
    "If you forget your password, choose \"Forgotten your password?\" on the sign-in screen",
    "and enter your username and this key. Your check-ins and notes stay just as they are.",
    "",
  ].join("\n");
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const link = h("a", { href: url, download: "wellbeing-diary-recovery-key.txt", hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The key with its explanation and its Copy and "Save as a file" buttons. */
export function recoveryKeyCard(key, username, intro = null) {
  const message = notice();
  const copy = h("button", { type: "button", class: "button secondary small", text: "Copy" });
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(key);
      say(message, "Copied. Paste it somewhere safe, such as a password manager.");
    } catch {
      say(message, "Copying did not work here. Please write it down or save it as a file.");
    }
  });
  const save = h("button", { type: "button", class: "button secondary small", text: "Save as a file" });
  save.addEventListener("click", () => {
    saveAsFile(key, username);
    say(message, "Saved as a file. Keep it somewhere only you can reach.");
  });
  return h(
    "div",
    { class: "recovery-key-card stack" },
    intro ? h("p", { text: intro }) : null,
    h("p", { text: WHY }),
    h("p", { class: "recovery-key" }, h("code", { text: key })),
    h("div", { class: "actions" }, copy, save),
    message,
  );
}
