// The diary's IndexedDB schema and a few promise helpers: the only module that opens the database.

export const DB_NAME = "wellbeing-diary";
export const DB_VERSION = 2;

/**
 * Object stores: check-ins waiting to be sent, the local copy of entries, small named values,
 * and requests to the hub waiting to be sent (version 2).
 */
export const OUTBOX = "outbox";
export const ENTRIES = "entries";
export const META = "meta";
export const HUB_OUTBOX = "hub_outbox";

let opening = null;

/** Open (and on first use create) the database; the same connection is shared. */
export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => {
        const db = request.result;
        if (event.oldVersion < 1) {
          // Keyed by the client's UUID, so queueing the same check-in twice keeps one copy.
          const outbox = db.createObjectStore(OUTBOX, { keyPath: "id" });
          outbox.createIndex("queued_at", "queued_at");
          const entries = db.createObjectStore(ENTRIES, { keyPath: "id" });
          entries.createIndex("occurred_at", "occurred_at");
          db.createObjectStore(META, { keyPath: "key" });
        }
        if (event.oldVersion < 2) {
          db.createObjectStore(HUB_OUTBOX, { keyPath: "id" }).createIndex("queued_at", "queued_at");
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab deleting the database (sign-out) must not be blocked by this one.
        db.onversionchange = () => {
          db.close();
          opening = null;
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error);
    });
    opening.catch(() => {
      opening = null;
    });
  }
  return opening;
}

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name, mode) {
  const db = await openDb();
  return db.transaction(name, mode).objectStore(name);
}

export async function get(name, key) {
  return done((await store(name, "readonly")).get(key));
}

/** Every record of a store, in key order, or in the order of one of its indexes. */
export async function getAll(name, index) {
  const objectStore = await store(name, "readonly");
  return done(index ? objectStore.index(index).getAll() : objectStore.getAll());
}

export async function put(name, value) {
  return done((await store(name, "readwrite")).put(value));
}

export async function putMany(name, values) {
  const db = await openDb();
  const tx = db.transaction(name, "readwrite");
  for (const value of values) tx.objectStore(name).put(value);
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

export async function remove(name, key) {
  return done((await store(name, "readwrite")).delete(key));
}

/** Close the connection and delete the whole database (used on sign-out). */
export async function deleteDb() {
  if (opening) {
    try {
      const db = await opening;
      db.close();
    } catch {
      // Could not open it: there is nothing of ours to close.
    }
    opening = null;
  }
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error);
    // Another tab still has it open; it closes on versionchange and the delete then completes.
    request.onblocked = () => {};
  });
}
