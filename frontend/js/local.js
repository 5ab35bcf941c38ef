// The copy of the person's diary kept on this phone, so history and trends work without signal.

import { ENTRIES, META, deleteDb, get, getAll, put, putMany, remove } from "./idb.js";

/** A small named value (the signed-in person, the taxonomy, a trends summary). */
export async function remember(key, value) {
  await put(META, { key, value });
}

export async function recall(key) {
  const record = await get(META, key);
  return record ? record.value : undefined;
}

/**
 * `load()`'s answer, kept under `key` for next time; when it fails (offline), the copy kept
 * last time, marked stale. Throws load's error when there is no copy.
 */
export async function freshOrKept(key, load) {
  try {
    const value = await load();
    await remember(key, value);
    return { value, stale: false };
  } catch (error) {
    const value = await recall(key);
    if (!value) throw error;
    return { value, stale: true };
  }
}

/** Store entries fetched for [from, to), dropping local copies the server no longer has. */
export async function keepEntries(items, from, to) {
  if (from && to) {
    const start = Date.parse(from);
    const end = Date.parse(to);
    for (const old of await getAll(ENTRIES)) {
      const at = Date.parse(old.occurred_at);
      if (at >= start && at < end && !items.some((item) => item.id === old.id)) {
        await remove(ENTRIES, old.id);
      }
    }
  }
  await putMany(ENTRIES, items);
}

export async function keepEntry(entry) {
  await put(ENTRIES, entry);
}

export async function forgetEntry(id) {
  await remove(ENTRIES, id);
}

export async function localEntry(id) {
  return get(ENTRIES, id);
}

/** Local entries in [from, to), newest first. */
export async function localEntries(from, to) {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const all = await getAll(ENTRIES, "occurred_at");
  return all.filter((e) => Date.parse(e.occurred_at) >= start && Date.parse(e.occurred_at) < end).reverse();
}

/**
 * Remove every trace of the diary from this browser: IndexedDB, Cache Storage and
 * localStorage. The service worker is then asked to fetch the app shell again (it holds no
 * diary data) so the app still opens offline.
 */
export async function wipe() {
  await deleteDb();
  if ("caches" in self) {
    for (const name of await caches.keys()) await caches.delete(name);
  }
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // Storage can be switched off; then there is nothing in it.
  }
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (worker) worker.postMessage({ type: "precache" });
}
