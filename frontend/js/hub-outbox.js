// Requests to the hub waiting to be sent: saved on this phone first, then sent by their id.
//
// The same pattern as the check-ins' outbox (outbox.js): PUT by a UUID made here, so a send
// repeated after a lost answer is kept once by the server. A request the server refuses
// stays, marked, with its reasons, until the person changes or removes it.

import { HUB_OUTBOX, get, getAll, put, remove } from "./idb.js";
import { verdict } from "./outbox.js";

const listeners = new Set();
let replaying = null;

/** Be told when a request is queued, sent, refused or removed. */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed() {
  for (const listener of listeners) listener();
}

/** Keep a request (with its client-made `id`) on this phone until it is sent. */
export async function queue(request) {
  await put(HUB_OUTBOX, { id: request.id, request, queued_at: Date.now(), refused: null });
  changed();
}

/** Requests on this phone only, oldest first. */
export async function waiting() {
  return getAll(HUB_OUTBOX, "queued_at");
}

export async function discard(id) {
  await remove(HUB_OUTBOX, id);
  changed();
}

async function replayOnce(api) {
  let sent = 0;
  for (const item of await waiting()) {
    if (item.refused) continue;
    try {
      await api.sendHubRequest(item.request);
    } catch (error) {
      const kind = verdict(error);
      if (kind === "refused") {
        const refused = { message: error.message, fields: error.fieldErrors || {} };
        await put(HUB_OUTBOX, { ...item, refused });
        changed();
        continue;
      }
      return { sent, error, kind };
    }
    if (await get(HUB_OUTBOX, item.id)) await remove(HUB_OUTBOX, item.id);
    sent += 1;
  }
  if (sent) changed();
  return { sent, error: null, kind: null };
}

/** Send every waiting request, oldest first; concurrent calls share one run. */
export function replay(api) {
  if (!replaying) {
    replaying = replayOnce(api).finally(() => {
      replaying = null;
    });
  }
  return replaying;
}
