// Signing out, from Settings: never losing a waiting check-in without saying so, and how many.

import * as hubOutbox from "../hub-outbox.js";
import { h, notice, say } from "/shared/dom.js";
import { forgetThisDevice } from "./reminders.js";

// Offline, the server session would outlive the sign-out: do not pretend it ended.
const OFFLINE = "Signing out needs a connection. Please try again when you're online.";

const checkIns = (n) => `${n} ${n === 1 ? "check-in" : "check-ins"}`;
/** The word for one or for several: `one(n, "it", "they")`. */
const one = (n, single, several) => (n === 1 ? single : several);

/** What signing out does, true for what this phone holds: waiting check-ins are not on the server. */
function signOutWords({ all }) {
  if (!all) return "Signing out removes your diary from this phone. It stays safe on the server.";
  return (
    "Signing out removes your diary from this phone. What has reached the server stays safe " +
    `there, but ${checkIns(all)} on this phone ${one(all, "has", "have")} not been sent yet and would be lost.`
  );
}

/** The second step: how many would be lost, and how many of them need a look first. */
function stepWords({ all, refused }) {
  const words = [`${checkIns(all)} ${one(all, "is", "are")} on this phone only and would be lost if you sign out now.`];
  if (refused === all) {
    words.push(`${one(all, "It needs", "They need")} a look before ${one(all, "it", "they")} can be sent.`);
  } else if (refused) {
    words.push(`${refused} of them ${one(refused, "needs", "need")} a look before ${one(refused, "it", "they")} can be sent.`);
  }
  return words.join(" ");
}

/** After "Send them first": what is still here, and why. */
function leftWords({ waiting, refused }) {
  const left = [];
  if (waiting) {
    left.push(
      `${checkIns(waiting)} the diary could not take just now (${one(waiting, "it", "they")} will be sent by ${one(waiting, "itself", "themselves")})`,
    );
  }
  if (refused) {
    left.push(`${checkIns(refused)} that ${one(refused, "needs", "need")} a look before ${one(refused, "it", "they")} can be sent`);
  }
  return `Sent what could be sent. Still on this phone: ${left.join(", and ")}.`;
}

/**
 * The Sign out part of Settings. With nothing waiting, Sign out signs out. With check-ins
 * waiting (refused ones included), a second step says how many, offers "Send them first"
 * (then says what is left) and "Sign out anyway, losing N check-ins".
 */
export function signOutParts(ctx) {
  const message = notice("alert");
  const done = notice();
  const words = h("p", { text: signOutWords({ all: 0 }) });
  const button = h("button", { type: "button", class: "button secondary", text: "Sign out" });
  const stepText = h("p", { tabindex: "-1" });
  const look = h("p", {}, h("a", { href: "#/history", text: "Have a look" }));
  const sendFirst = h("button", { type: "button", class: "button", text: "Send them first" });
  const anyway = h("button", { type: "button", class: "button danger" });
  const sent = notice();
  const step = h(
    "div",
    { class: "card confirm", hidden: true },
    stepText,
    look,
    h("div", { class: "actions" }, sendFirst, anyway),
    sent,
  );
  let asking = false;
  let promised = 0; // how many "Sign out anyway" says will be lost

  const showStep = (counts) => {
    asking = counts.all > 0;
    step.hidden = !asking;
    if (!asking) return;
    promised = counts.all;
    stepText.textContent = stepWords(counts);
    look.hidden = !counts.refused;
    sendFirst.hidden = !counts.waiting;
    anyway.textContent = `Sign out anyway, losing ${checkIns(counts.all)}`;
  };
  const refresh = async () => {
    const counts = await ctx.outbox.counts();
    words.textContent = signOutWords(counts);
    if (asking) showStep(counts);
    return counts;
  };

  async function signOut() {
    // Checked first, so that this phone's reminders are not stopped by a sign-out that fails.
    if (!navigator.onLine) return say(message, OFFLINE);
    // A request to the hub still on this phone goes first (it is the person's own act).
    await hubOutbox.replay(ctx.api).catch(() => null);
    // Reminders stop for this phone: the server forgets its subscription, then the browser.
    await forgetThisDevice(ctx.api).catch(() => {});
    try {
      await ctx.api.logout();
    } catch (error) {
      if (error.offline) return say(message, OFFLINE);
    }
    await ctx.signedOut("You have signed out. Nothing from your diary is left on this phone.");
  }

  button.addEventListener("click", async () => {
    say(message, "");
    say(done, "");
    if (!navigator.onLine) return say(message, OFFLINE);
    const counts = await refresh();
    if (!counts.all) return signOut();
    say(sent, "");
    showStep(counts);
    stepText.focus();
  });
  sendFirst.addEventListener("click", async () => {
    sendFirst.disabled = true;
    say(sent, "Sending…");
    await ctx.sync();
    const counts = await refresh();
    sendFirst.disabled = false;
    if (counts.all) {
      if (sendFirst.hidden) stepText.focus(); // it had the focus; what is left is refused
      return say(sent, leftWords(counts));
    }
    say(sent, "");
    say(done, "All sent: everything is in your diary now. You can sign out.");
    button.focus();
  });
  anyway.addEventListener("click", async () => {
    // More waiting than it said would be lost (one saved meanwhile): ask again, with the number.
    const counts = await ctx.outbox.counts();
    if (counts.all > promised) {
      showStep(counts);
      return stepText.focus();
    }
    await signOut();
  });

  // Kept true while the screen is shown: a check-in may be sent, or saved, meanwhile.
  const stop = ctx.outbox.onChange(() => (words.isConnected ? refresh() : stop()));
  refresh();
  return [words, button, done, step, message];
}
