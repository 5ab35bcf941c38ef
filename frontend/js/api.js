// The diary's calls to the server (docs/api-contract.md), with one error type for every failure.

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

const FRIENDLY = {
  0: "You seem to be offline. Please try again when you have signal.",
  401: "Please sign in again.",
  429: "Too many tries. Please wait a minute and try again.",
  503: "The diary is having a rest. Please try again in a moment.",
};

/** Retry-After as seconds: either a number of seconds or an HTTP date. */
function retryAfterOf(response) {
  const value = response.headers.get("Retry-After");
  if (!value) return null;
  const seconds = /^\s*\d+\s*$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, seconds) : null;
}

async function errorFrom(response) {
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
  const message = FRIENDLY[response.status] || body.message || "Something went wrong. Please try again.";
  return new ApiError(response.status, message, fields, retryAfterOf(response));
}

/**
 * Call the API. `body` is sent as JSON for every state-changing method (the server refuses
 * anything else). Resolves with the parsed JSON, or null for an empty answer. `extra` adds
 * fetch options (such as keepalive).
 */
export async function request(method, path, body, extra = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" }, ...extra };
  if (method !== "GET" && method !== "HEAD") {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(path.startsWith("/") ? path : `${BASE}/${path}`, init);
  } catch {
    throw new ApiError(0, FRIENDLY[0]);
  }
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  return type.includes("json") ? response.json() : response.text();
}

function query(params) {
  const pairs = Object.entries(params).filter(([, value]) => value !== undefined && value !== null);
  return pairs.length ? `?${new URLSearchParams(pairs)}` : "";
}

/**
 * The calls the views use. The generic get/post/put/patch/del take a path relative to
 * /api/v1 (e.g. api.get("reminders")) so that modules such as the reminders section need
 * nothing more than this object.
 */
export const api = {
  get: (path) => request("GET", path),
  post: (path, body) => request("POST", path, body),
  put: (path, body) => request("PUT", path, body),
  patch: (path, body) => request("PATCH", path, body),
  del: (path, body) => request("DELETE", path, body),

  me: () => request("GET", "auth/me"),
  register: (details) => request("POST", "auth/register", details),
  login: (username, password) => request("POST", "auth/login", { username, password }),
  logout: () => request("POST", "auth/logout", {}),
  updateProfile: (changes) => request("PATCH", "me", changes),
  joinTeam: (code) => request("PUT", "me/team", { join_code: code }),
  leaveTeam: () => request("DELETE", "me/team"),
  exportData: () => request("GET", "me/export"),
  deleteAccount: (password) => request("DELETE", "me", { password }),

  taxonomy: () => request("GET", "taxonomy"),
  saveEntry: (entry) => {
    const { id, ...fields } = entry;
    return request("PUT", `entries/${encodeURIComponent(id)}`, fields);
  },
  entry: (id) => request("GET", `entries/${encodeURIComponent(id)}`),
  entries: ({ from, to, limit, cursor } = {}) =>
    request("GET", `entries${query({ from, to, limit, cursor })}`),
  deleteEntry: (id) => request("DELETE", `entries/${encodeURIComponent(id)}`),
  summary: (period, tz) => request("GET", `me/summary${query({ period, tz })}`),
  resources: () => request("GET", "resources"),
  // keepalive: the count still arrives if following the link takes the page away.
  openedResource: (id) =>
    request("POST", `resources/${encodeURIComponent(id)}/open`, {}, { keepalive: true }),
  ons4: () => request("GET", "me/ons4"),
  saveOns4: (week, answers) => request("PUT", `me/ons4/${encodeURIComponent(week)}`, answers),
  onboarding: () => request("GET", "me/onboarding"),
  saveOnboarding: (answers) => request("PUT", "me/onboarding", answers),
  sendHubRequest: (hubRequest) => {
    const { id, ...fields } = hubRequest;
    return request("PUT", `hub-requests/${encodeURIComponent(id)}`, fields);
  },
  hubRequests: () => request("GET", "hub-requests"),
  withdrawHubRequest: (id) => request("DELETE", `hub-requests/${encodeURIComponent(id)}`),
  hubSummary: () => request("GET", "hub-requests/summary"),
  hubAbout: () => request("GET", "hub-requests/about"),
};
