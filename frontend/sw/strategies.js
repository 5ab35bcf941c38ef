// The service worker's caching strategies: what is kept, where a request is answered from,
// and clearing out old versions. Loaded by importScripts from /sw.js, whose listeners pass
// the cache name in.

/** Store every file of the shell in `cacheName`, each fetched fresh from the server. */
async function precache(cacheName, urls) {
  const cache = await caches.open(cacheName);
  // "reload" skips the HTTP cache, so the files stored match the version in the name.
  await cache.addAll(urls.map((url) => new Request(url, { cache: "reload" })));
}

/** Delete every cache but `cacheName`: the shells of older versions. */
async function deleteCachesBut(cacheName) {
  for (const name of await caches.keys()) {
    if (name !== cacheName) await caches.delete(name);
  }
}

/**
 * The cache key that answers `request` from the shell, or null to leave it to the network:
 * only GETs of this origin's own files, never the API. Of the pages, only the diary's own
 * ("/", kept under "/"); other pages on this origin (the hub) go to the network.
 */
function shellKeyFor(request) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return null;
  if (request.mode !== "navigate") return request;
  return isDiaryPage(url) ? "/" : null;
}

/** Answer from `cacheName` under `key`, or from the network when the shell lacks it. */
async function cacheFirst(cacheName, request, key = request) {
  const cached = await caches.match(key, { cacheName });
  return cached || fetch(request);
}

/**
 * cacheFirst for the diary's page; the network for every file another page asks for. The
 * hub loads /shared/ files that are in the diary's shell too, and must get the ones that
 * match its own files, not the diary's older version waiting for "Update now".
 */
async function cacheFirstForDiary(cacheName, event, key) {
  const client = event.clientId ? await self.clients.get(event.clientId) : null;
  if (client && !isDiaryPage(new URL(client.url))) return fetch(event.request);
  return cacheFirst(cacheName, event.request, key);
}

function isDiaryPage(url) {
  return url.pathname === "/" || url.pathname === "/index.html";
}
