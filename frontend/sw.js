// The service worker's listeners, a few lines each: what it does lives in /sw/*.js.
// It keeps the app shell for offline use and shows check-in reminders. It never caches the
// API or anything but GET, so no diary data ever enters Cache Storage.
//
// A classic worker with importScripts rather than a module worker: no build step, and every
// browser with a service worker runs it. The server serves this file and every file below
// /sw/ with `Cache-Control: no-cache` and "__CACHE_VERSION__" replaced by a hash of the front
// end's files, so any change of the shell changes this file, gives a new cache name and
// shows "Update available".

const CACHE_NAME = "shell-__CACHE_VERSION__";

importScripts("/sw/shell.js", "/sw/strategies.js", "/sw/reminders.js");

self.addEventListener("install", (event) => {
  event.waitUntil(precache(CACHE_NAME, SHELL));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(deleteCachesBut(CACHE_NAME).then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  // The page's "Update now": the waiting worker takes over and the page reloads.
  if (type === "skip-waiting") self.skipWaiting();
  // After sign-out wiped Cache Storage: fetch the shell again so the app opens offline.
  if (type === "precache") event.waitUntil(precache(CACHE_NAME, SHELL));
});

self.addEventListener("fetch", (event) => {
  const key = shellKeyFor(event.request);
  if (key) event.respondWith(cacheFirstForDiary(CACHE_NAME, event, key));
});

self.addEventListener("push", (event) => {
  event.waitUntil(showReminder(event.data));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openFromNotification(event.notification.data && event.notification.data.url));
});

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil(resubscribe());
});
