// Check-ins waiting to be sent: every save goes here first, then replays to the server.
//
// Unlike Workbox's queue, a check-in the server refuses does not stop the replay: it would
// only be refused again, and every later check-in would wait behind it for ever. It stays
// here, marked refused with the server's reasons, until the person changes or removes it.
// Only "not now" answers (offline, 408, 429, 5xx) and a 401 stop a pass.

import { OUTBOX, get, getAll, put, remove } from "./idb.js";
import { keepEntry } from "./local.js";

// Back-off after "not now": doubling from a few seconds up to a few minutes, or the server's
// own Retry-After (within reason).
const RETRY_FIRST_MS = 3_000;
const RETRY_MOST_MS = 5 * 60_000;
const RETRY_AFTER_MOST_MS = 60 * 60_000;

let replaying = null;
let again = false;
let failures = 0; // passes in a row stopped by "not now"

const listeners = new Set();

/** Be told when the outbox changes (queued, sent, refused, removed). */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed() {
  for (const listener of listeners) listener();
}

/**
 * What a failed send means: "sign-in" (401: keep everything until the person signs in),
 * "refused" (any other 4xx: sent as it is, it can only fail again), or "later" (offline,
 * 408, 429, 5xx, anything unforeseen: keep it and try again after a while).
 */
export function verdict(error) {
  const status = error && Number.isInteger(error.status) ? error.status : 0;
  if (status === 401) return "sign-in";
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return "refused";
  return "later";
}

/**
 * Queue a check-in (new or edited) under its client UUID. A second save of the same id
 * replaces the first but keeps its place in the queue, and clears any refusal: the person
 * has changed it, so it is worth sending again.
 */
export async function queue(entry) {
  const existing = await get(OUTBOX, entry.id);
  await put(OUTBOX, {
    id: entry.id,
    entry,
    queued_at: existing ? existing.queued_at : Date.now(),
    revision: crypto.randomUUID(),
    last_error: null,
    refused: null,
  });
  changed();
}

/** Waiting check-ins, oldest first, refused ones included (they have `refused` set). */
export async function waiting() {
  return getAll(OUTBOX, "queued_at");
}

/** How many check-ins are on this phone only: all of them, those refused, the rest. */
export async function counts() {
  const items = await waiting();
  const refused = items.filter((item) => item.refused);
  return {
    all: items.length,
    refused: refused.length,
    waiting: items.length - refused.length,
    refusedIds: refused.map((item) => item.id),
  };
}

export async function waitingEntry(id) {
  return get(OUTBOX, id);
}

export async function discard(id) {
  await remove(OUTBOX, id);
  changed();
}

/** Mark a check-in refused with the server's answer, unless it was changed while in flight. */
async function markRefused(item, error) {
  const current = await get(OUTBOX, item.id);
  if (!current) return false;
  if (current.revision !== item.revision) {
    again = true; // the new version gets a try of its own
    return false;
  }
  const refused = {
    status: error.status,
    message: error.message,
    fields: error.fieldErrors || {},
    at: Date.now(),
  };
  await put(OUTBOX, { ...current, refused, last_error: error.message });
  return true;
}

async function replayOnce(api) {
  let sent = 0;
  let refused = 0;
  for (const item of await waiting()) {
    if (item.refused) continue; // waits for the person to change it
    let saved;
    try {
      // PUT by client UUID is idempotent: a replay after a lost answer makes no duplicate.
      saved = await api.saveEntry(item.entry);
    } catch (error) {
      const kind = verdict(error);
      if (kind === "refused") {
        if (await markRefused(item, error)) refused += 1;
        continue;
      }
      // Not now, or not signed in: keep it, note why, and stop this pass.
      const current = await get(OUTBOX, item.id);
      if (current) await put(OUTBOX, { ...current, last_error: error.message || String(error) });
      changed();
      return { sent, refused, error, kind };
    }
    // An edit queued while this was in flight stays queued, to be sent next.
    const current = await get(OUTBOX, item.id);
    if (current && current.revision === item.revision) await remove(OUTBOX, item.id);
    else again = true;
    // Only the phone's copy for history: the check-in is on the server, so a failure loses nothing.
    await keepEntry(saved).catch(() => {});
    sent += 1;
  }
  if (sent || refused) changed();
  return { sent, refused, error: null, kind: null };
}

/** Milliseconds before the next try: the server's Retry-After, else doubling with jitter. */
function retryDelay(retryAfter) {
  if (Number.isFinite(retryAfter)) return Math.min(Math.max(retryAfter * 1000, 1000), RETRY_AFTER_MOST_MS);
  const ceiling = Math.min(RETRY_FIRST_MS * 2 ** (failures - 1), RETRY_MOST_MS);
  // Jitter, so the phones that lost the server together do not all come back in one second.
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

/**
 * Send everything waiting, oldest first, passing over refused check-ins. Concurrent calls
 * share one run; a call made during a run triggers one more run afterwards so nothing queued
 * meanwhile waits for the next event. Resolves with { sent, refused, error, kind, retryIn }:
 * `kind` is verdict(error) for the error that stopped the run, and `retryIn` the milliseconds
 * to wait before trying again when that was "later".
 */
export function replay(api) {
  if (replaying) {
    again = true;
    return replaying;
  }
  replaying = (async () => {
    let sent = 0;
    let refused = 0;
    let result;
    do {
      again = false;
      result = await replayOnce(api);
      sent += result.sent;
      refused += result.refused;
    } while (again && !result.error);
    failures = result.kind === "later" ? failures + 1 : 0;
    const retryIn = result.kind === "later" ? retryDelay(result.error.retryAfter) : null;
    return { ...result, sent, refused, retryIn };
  })().finally(() => {
    replaying = null;
  });
  return replaying;
}
