// The service worker: keeps the app shell for offline use and shows check-in reminders.
// It never caches the API or anything but GET, so no diary data ever enters Cache Storage.

// The server replaces this token with a hash of the front end's files, so every change of
// the shell gives a new cache name and an "Update available" prompt.
const CACHE_VERSION = "__CACHE_VERSION__";
const CACHE_NAME = `shell-${CACHE_VERSION}`;

const SHELL = [
  "/",
  "/css/app.css",
  "/manifest.webmanifest",
  "/icons/icon-192.png",
  "/js/app.js",
  "/js/api.js",
  "/js/catalogue.js",
  "/js/dom.js",
  "/js/faces.js",
  "/js/hub-outbox.js",
  "/js/idb.js",
  "/js/local.js",
  "/js/ons4.js",
  "/js/outbox.js",
  "/js/passkeys.js",
  "/js/suggest.js",
  "/js/updates.js",
  "/js/urgent.js",
  "/js/words.js",
  "/js/views/about-you.js",
  "/js/views/checkin.js",
  "/js/views/chart.js",
  "/js/views/entry.js",
  "/js/views/fields.js",
  "/js/views/history.js",
  "/js/views/keep-safe.js",
  "/js/views/note.js",
  "/js/views/offers.js",
  "/js/views/ons4-chart.js",
  "/js/views/passkey-offer.js",
  "/js/views/recover.js",
  "/js/views/recovery-key.js",
  "/js/views/refused.js",
  "/js/views/reminders.js",
  "/js/views/resources.js",
  "/js/views/settings.js",
  "/js/views/sign-in-settings.js",
  "/js/views/sign-out.js",
  "/js/views/signin.js",
  "/js/views/signup.js",
  "/js/views/support.js",
  "/js/views/talk-form.js",
  "/js/views/talk.js",
  "/js/views/team.js",
  "/js/views/trends.js",
  "/js/views/week-questions.js",
  "/js/views/welcome.js",
];

const REMINDER = { title: "Wellbeing Diary", body: "A moment for your check-in?" };

async function precache() {
  const cache = await caches.open(CACHE_NAME);
  // "reload" skips the HTTP cache, so the files stored match the version in the name.
  await cache.addAll(SHELL.map((url) => new Request(url, { cache: "reload" })));
}

async function dropOldCaches() {
  for (const name of await caches.keys()) {
    if (name !== CACHE_NAME) await caches.delete(name);
  }
}

function isShellNavigation(request, url) {
  return request.mode === "navigate" && (url.pathname === "/" || url.pathname === "/index.html");
}

async function fromCache(request, key = request) {
  const cached = await caches.match(key, { cacheName: CACHE_NAME });
  return cached || fetch(request);
}

// Where a tap on a notification goes: the check-in, or the hub's inbox for a practitioner's
// "A new request is waiting" (the only other place a push may point to).
const HUB_INBOX = "/hub/";

async function showReminder(event) {
  let { title, body } = REMINDER;
  let url = "/#/check-in";
  try {
    const data = event.data ? event.data.json() : null;
    if (data && typeof data.title === "string") title = data.title;
    if (data && typeof data.body === "string") body = data.body;
    if (data && data.url === HUB_INBOX) url = HUB_INBOX;
  } catch {
    // Not JSON: the fixed, generic words are shown.
  }
  await self.registration.showNotification(title, {
    body,
    data: { url },
    tag: url === HUB_INBOX ? "hub-request" : "checkin-reminder",
    icon: "/icons/icon-192.png",
    badge: "/icons/icon-192.png",
  });
}

async function openCheckIn(url) {
  if (url === HUB_INBOX) {
    await self.clients.openWindow(HUB_INBOX);
    return;
  }
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).pathname === "/");
  if (open) {
    await open.focus();
    if ("navigate" in open) await open.navigate("/#/check-in");
    return;
  }
  await self.clients.openWindow("/#/check-in");
}

function base64UrlToBytes(text) {
  const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function resubscribe() {
  const answer = await fetch("/api/v1/push/vapid-public-key", { credentials: "same-origin" });
  if (!answer.ok) return;
  const data = await answer.json();
  const key = data.public_key || data.publicKey || data.key;
  const subscription = await self.registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(key),
  });
  await fetch("/api/v1/push/subscriptions", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(subscription.toJSON()),
  });
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOldCaches().then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "skip-waiting") self.skipWaiting();
  // After sign-out wiped Cache Storage: fetch the shell again so the app opens offline.
  if (type === "precache") event.waitUntil(precache());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Only the diary's own page; other pages on this origin (the hub) go to the network.
    if (isShellNavigation(request, url)) event.respondWith(fromCache(request, "/"));
    return;
  }
  event.respondWith(fromCache(request));
});

self.addEventListener("push", (event) => {
  event.waitUntil(showReminder(event));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openCheckIn(event.notification.data && event.notification.data.url));
});

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(resubscribe());
});
