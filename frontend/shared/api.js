// Calls to the server (docs/api-contract.md), shared by the diary and the hub: JSON in and
// out, and one error type for every failure. Each app names its calls in its own api.js.

const BASE = "/api/v1";

/**
 * A failed call: `status` is 0 when the server could not be reached at all; `retryAfter` is
 * the server's Retry-After in seconds (429, 503), or null.
 */
export class ApiError extends Error {
  constructor(status, message, fieldErrors = {}, retryAfter = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.retryAfter = retryAfter;
  }

  get offline() {
    return this.status === 0;
  }
}

const SOMETHING_WRONG = "Something went wrong. Please try again.";

/** Retry-After as seconds: either a number of seconds or an HTTP date. */
function retryAfterOf(response) {
  const value = response.headers.get("Retry-After");
  if (!value) return null;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : null;
}

async function errorFrom(response, words) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy page, say): fall back to the plain words below.
  }
  // Field messages arrive grouped by where they came from ({"json": {"mood": [...]}}).
  const fields = {};
  for (const group of Object.values(body.errors || {})) {
    if (group && typeof group === "object") Object.assign(fields, group);
  }
  const message = words[response.status] || body.message || SOMETHING_WRONG;
  return new ApiError(response.status, message, fields, retryAfterOf(response));
}

/**
 * A `request(method, path, body, extra)` for one app. `words` maps a status to the app's own
 * message for it (0: the server could not be reached); other failures carry the server's
 * message. `path` is relative to /api/v1 unless it starts with "/". `body` is sent as JSON
 * for every state-changing method (the server refuses anything else). The promise resolves
 * with the parsed JSON, or null for an empty answer; `extra` adds fetch options (keepalive).
 */
export function client(words) {
  return async function request(method, path, body, extra = {}) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" }, ...extra };
    if (method !== "GET" && method !== "HEAD") {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body ?? {});
    }
    let response;
    try {
      response = await fetch(path.startsWith("/") ? path : `${BASE}/${path}`, init);
    } catch {
      throw new ApiError(0, words[0] || SOMETHING_WRONG);
    }
    if (!response.ok) throw await errorFrom(response, words);
    if (response.status === 204) return null;
    const type = response.headers.get("Content-Type") || "";
    return type.includes("json") ? response.json() : response.text();
  };
}

/** A query string of the given parameters, leaving out null and undefined ones ("" if none). */
/** What a typed second-step code is: six digits from the authenticator app, or else one of
 * the one-time recovery codes; nothing when left empty. Spaces do not matter. */
export function secondStep(typed) {
  const code = String(typed || "").replace(/\s/g, "");
  if (!code) return {};
  return /^\d{6}$/.test(code) ? { totp: code } : { recovery_code: code };
}

export function query(params) {
  const pairs = Object.entries(params).filter(([, value]) => value !== undefined && value !== null);
  return pairs.length ? `?${new URLSearchParams(pairs)}` : "";
}
