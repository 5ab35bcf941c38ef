// The support catalogue: fetched from the server, with the last copy kept on this phone so
// the Support screen lists it offline too. It holds nothing personal; sign-out deletes it
// with everything else (it lives in the same IndexedDB store).

import { freshOrKept, recall } from "./local.js";

const KEY = "resources";
let latest = null;

/** The catalogue's resources: fresh when the server answers, else the copy from last time. */
export async function loadCatalogue(api) {
  try {
    const { value, stale } = await freshOrKept(KEY, async () => (await api.resources()).resources || []);
    latest = value;
    return { resources: value, stale };
  } catch {
    // Nothing kept on this phone (just signed out, say): this page's last copy, if any.
    return { resources: latest, stale: true };
  }
}

/** The catalogue as this phone last had it, without asking the server; null if none. */
export async function keptCatalogue() {
  return latest || (await recall(KEY).catch(() => null)) || null;
}

/** Resources that name `code` in their `field` ("needs" or "factors"), urgent ones first. */
export function serving(resources, field, code) {
  return resources.filter((r) => (r[field] || []).includes(code));
}

/** The catalogue's resources that serve a need, urgent ones first (the server's order). */
export function forNeed(resources, code) {
  return serving(resources, "needs", code);
}

/**
 * Count one opening of a resource, for signed-in staff only: fire and forget. A failure
 * (offline, throttled) is ignored; the count is never queued or retried.
 */
export function countOpen(ctx, resource) {
  if (!ctx.user || ctx.user.role !== "staff" || !resource.id) return;
  ctx.api.openedResource(resource.id).catch(() => {});
}
