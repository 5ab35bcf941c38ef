// The composition root: wires the API, the outbox and the screens together, and routes by hash.

import { api } from "./api.js";
import { fill, h } from "/shared/dom.js";
import { recall, remember, wipe } from "./local.js";
import * as hubOutbox from "./hub-outbox.js";
import * as outbox from "./outbox.js";
import { watchForUpdates } from "./updates.js";

// Each screen's module is loaded when first shown, so the first load carries only one screen
// (the service worker has them all for offline use). who: "in" needs a signed-in person,
// "out" only makes sense signed out, "any" is for everyone.
const ROUTES = {
  welcome: { load: () => import("./views/welcome.js"), who: "out" },
  "sign-up": { load: () => import("./views/signup.js"), who: "out" },
  "sign-in": { load: () => import("./views/signin.js"), who: "out" },
  recover: { load: () => import("./views/recover.js"), who: "out" },
  "keep-safe": { load: () => import("./views/keep-safe.js"), who: "in" },
  "check-in": { load: () => import("./views/checkin.js"), who: "in" },
  entry: { load: () => import("./views/entry.js"), who: "in" },
  history: { load: () => import("./views/history.js"), who: "in" },
  trends: { load: () => import("./views/trends.js"), who: "in" },
  settings: { load: () => import("./views/settings.js"), who: "in" },
  "about-you": { load: () => import("./views/about-you.js"), who: "in" },
  "week-questions": { load: () => import("./views/week-questions.js"), who: "in" },
  support: { load: () => import("./views/support.js"), who: "any" },
  talk: { load: () => import("./views/talk.js"), who: "in" },
};

const main = document.getElementById("main");
const tabBar = document.getElementById("tab-bar");
const connection = document.getElementById("connection");
let firstScreen = true;
let showing = 0;
let retry = null; // the timer of the next try after "not now"

const ctx = {
  api,
  outbox,
  user: null,
  taxonomy: null,
  /** Go to a screen, e.g. ctx.go("history") or ctx.go("entry", id). */
  go(name, param) {
    const hash = `#/${name}${param ? `/${encodeURIComponent(param)}` : ""}`;
    if (location.hash === hash) show();
    else location.hash = hash;
  },
  /** After signing up or in: a different person's local data is wiped first. */
  async signedIn(user) {
    const previous = await recall("user");
    if (previous && previous.username !== user.username) await wipe();
    await setUser(user);
    refreshTaxonomy();
    sync();
  },
  async updateUser(user) {
    await setUser(user);
  },
  /** Forget everything on this phone and show the welcome screen. */
  async signedOut(message) {
    await wipe();
    ctx.user = null;
    ctx.flash = message;
    ctx.go("welcome");
  },
  /** The taxonomy, fetched once if this phone has no copy yet. */
  async getTaxonomy() {
    return ctx.taxonomy || (await refreshTaxonomy()) || {};
  },
  sync,
};

async function setUser(user) {
  ctx.user = user;
  await remember("user", user);
}

async function refreshTaxonomy() {
  try {
    ctx.taxonomy = await api.taxonomy();
    await remember("taxonomy", ctx.taxonomy);
  } catch {
    // Offline: the copy from last time (if any) is used.
  }
  return ctx.taxonomy;
}

function parseHash() {
  const [name, param] = location.hash.replace(/^#\/?/, "").split("/");
  return { name: name || "", param: param ? decodeURIComponent(param) : undefined };
}

async function show() {
  const { name, param } = parseHash();
  const route = ROUTES[name];
  if (!route || (route.who === "in" && !ctx.user)) {
    return replaceHash(ctx.user ? "check-in" : "welcome");
  }
  if (route.who === "out" && ctx.user) return replaceHash("check-in");
  const shown = ++showing;
  let view;
  try {
    view = await route.load();
  } catch {
    main.textContent = "This screen could not be loaded. Please check your connection and try again.";
    return;
  }
  if (shown !== showing) return; // another screen was asked for meanwhile
  tabBar.hidden = !ctx.user;
  for (const link of document.querySelectorAll("[data-route]")) {
    if (link.dataset.route === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const screen = document.createElement("div");
  screen.className = `screen screen-${name}`;
  main.replaceChildren(screen);
  view.render(screen, ctx, param);
  const title = screen.querySelector("[data-screen-title]");
  document.title = title ? `${title.textContent} · Wellbeing Diary` : "Wellbeing Diary";
  // Move focus to the new screen's heading so screen readers hear where they are; not on the
  // very first screen, where focus should start at the top of the page.
  if (!firstScreen && title) title.focus();
  firstScreen = false;
  window.scrollTo(0, 0);
}

function replaceHash(name) {
  history.replaceState(null, "", `#/${name}`);
  return show();
}

/**
 * The line under the top bar: offline, check-ins waiting to sync, and apart from them those
 * the diary refused, with a way to them. Empty (and hidden) when there is nothing to say.
 */
async function showConnection() {
  const counts = ctx.user ? await outbox.counts() : { waiting: 0, refused: 0, refusedIds: [] };
  const { waiting, refused, refusedIds } = counts;
  const parts = [];
  if (!navigator.onLine) parts.push("You're offline. Check-ins are kept on this phone.");
  if (waiting) parts.push(`${waiting} ${waiting === 1 ? "check-in is" : "check-ins are"} waiting to sync.`);
  if (refused) {
    parts.push(
      refused === 1
        ? "1 check-in needs a look before it can be sent."
        : `${refused} check-ins need a look before they can be sent.`,
    );
  }
  const text = parts.join(" ");
  // Unchanged words are not written again, so screen readers do not hear them again.
  if (connection.dataset.said === text) return;
  connection.dataset.said = text;
  // One refused check-in opens at once; several are listed first thing in the history.
  const look =
    refused === 1
      ? h("a", { href: `#/entry/${encodeURIComponent(refusedIds[0])}`, text: "Have a look" })
      : h("a", { href: "#/history", text: "See them" });
  fill(connection, text, refused ? [" ", look] : null);
}

/**
 * Send queued check-ins. A 401 means the session ended, so ask the person to sign in again
 * (signing in replays); "not now" (offline, 408, 429, 5xx) tries again after the back-off
 * the outbox worked out, as well as on `online` and on the next start.
 */
async function sync() {
  if (!ctx.user) return showConnection();
  const result = await outbox.replay(api);
  // Requests to the hub wait on the phone like check-ins; they go after the check-ins.
  if (!result.error) await hubOutbox.replay(api).catch(() => null);
  clearTimeout(retry);
  if (result.retryIn) retry = setTimeout(sync, result.retryIn);
  if (result.kind === "sign-in") {
    ctx.user = null;
    ctx.flash = "Please sign in again to send the check-ins saved on this phone.";
    ctx.go("sign-in");
  }
  await showConnection();
  return result;
}

async function start() {
  watchForUpdates();
  ctx.taxonomy = (await recall("taxonomy")) || null;
  // Someone who never signed in on this phone is shown the welcome screen without asking the
  // server (a signed-in person always has their profile saved here).
  const cachedUser = await recall("user");
  if (cachedUser) {
    try {
      await setUser(await api.me());
    } catch (error) {
      // Offline: trust the last sign-in so the diary opens; the server still checks every call.
      ctx.user = error.offline ? cachedUser : null;
    }
  }
  if (ctx.user) refreshTaxonomy();
  outbox.onChange(showConnection);
  window.addEventListener("hashchange", show);
  // Tapping the link of the screen already shown (Check in, after saving) starts it afresh.
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#/"]');
    if (link && link.getAttribute("href") === location.hash) {
      event.preventDefault();
      show();
    }
  });
  window.addEventListener("online", sync);
  window.addEventListener("offline", showConnection);
  await show();
  await sync();
}

start();
