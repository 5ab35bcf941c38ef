// Check-ins waiting to be sent: every save goes here first, then replays in order to the server.

import { OUTBOX, get, getAll, put, remove } from "./idb.js";
import { keepEntry } from "./local.js";

let replaying = null;
let again = false;
const listeners = new Set();

/** Be told when the outbox changes (queued, sent, failed). */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed() {
  for (const listener of listeners) listener();
}

/**
 * Queue a check-in (new or edited) under its client UUID. A second save of the same id
 * replaces the first but keeps its place in the queue.
 */
export async function queue(entry) {
  const existing = await get(OUTBOX, entry.id);
  await put(OUTBOX, {
    id: entry.id,
    entry,
    queued_at: existing ? existing.queued_at : Date.now(),
    revision: crypto.randomUUID(),
    last_error: null,
  });
  changed();
}

/** Waiting check-ins, oldest first. */
export async function waiting() {
  return getAll(OUTBOX, "queued_at");
}

export async function waitingEntry(id) {
  return get(OUTBOX, id);
}

export async function discard(id) {
  await remove(OUTBOX, id);
  changed();
}

async function replayOnce(api) {
  let sent = 0;
  for (const item of await waiting()) {
    try {
      // PUT by client UUID is idempotent: a replay after a lost answer makes no duplicate.
      const saved = await api.saveEntry(item.entry);
      // An edit queued while this was in flight stays queued, to be sent next.
      const current = await get(OUTBOX, item.id);
      if (current && current.revision === item.revision) await remove(OUTBOX, item.id);
      else again = true;
      await keepEntry(saved);
      sent += 1;
    } catch (error) {
      // Keep it, note why, and stop: later check-ins must not overtake this one.
      const current = await get(OUTBOX, item.id);
      if (current) await put(OUTBOX, { ...current, last_error: error.message || String(error) });
      changed();
      return { sent, error };
    }
  }
  if (sent) changed();
  return { sent, error: null };
}

/**
 * Send everything waiting, oldest first. Concurrent calls share one run; a call made during
 * a run triggers one more run afterwards so nothing queued meanwhile waits for the next event.
 */
export function replay(api) {
  if (replaying) {
    again = true;
    return replaying;
  }
  replaying = (async () => {
    let result;
    do {
      again = false;
      result = await replayOnce(api);
    } while (again && !result.error);
    return result;
  })().finally(() => {
    replaying = null;
  });
  return replaying;
}
