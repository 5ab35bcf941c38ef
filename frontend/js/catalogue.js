// The support catalogue: fetched from the server, with the last copy kept on this phone so
// the Support screen lists it offline too. It holds nothing personal; sign-out deletes it
// with everything else (it lives in the same IndexedDB store).

import { recall, remember } from "./local.js";

const KEY = "resources";
let latest = null;

/** The catalogue's resources: fresh when the server answers, else the copy from last time. */
export async function loadCatalogue(api) {
  try {
    const answer = await api.resources();
    latest = answer.resources || [];
    await remember(KEY, latest);
    return { resources: latest, stale: false };
  } catch {
    const kept = latest || (await recall(KEY));
    return { resources: kept || null, stale: true };
  }
}

/** The catalogue's resources that serve a need, urgent ones first (the server's order). */
export function forNeed(resources, code) {
  return resources.filter((r) => (r.needs || []).includes(code));
}

/**
 * Count one opening of a resource, for signed-in staff only: fire and forget. A failure
 * (offline, throttled) is ignored; the count is never queued or retried.
 */
export function countOpen(ctx, resource) {
  if (!ctx.user || ctx.user.role !== "staff" || !resource.id) return;
  ctx.api.openedResource(resource.id).catch(() => {});
}
