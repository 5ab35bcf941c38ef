// The hub's calls to the server: JSON in and out, one error type for every failure.

const BASE = "/api/v1";

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

async function call(path, options = {}) {
  let response;
  try {
    response = await fetch(BASE + path, { credentials: "same-origin", ...options });
  } catch {
    throw new ApiError(0, "The server cannot be reached. Please try again.");
  }
  if (!response.ok) {
    let message = "Something went wrong. Please try again.";
    try {
      message = (await response.json()).message || message;
    } catch {
      // Not JSON: keep the plain words above.
    }
    throw new ApiError(response.status, message);
  }
  return response.status === 204 ? null : response.json();
}

function send(method, path, body) {
  return call(path, {
    method,
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  });
}

export const me = () => call("/auth/me");
export const taxonomy = () => call("/taxonomy");
export const releases = () => call("/insights/releases");
export const alerts = () => call("/insights/alerts");
export const needsMap = (week) => call("/insights/needs-map" + (week ? `?week=${encodeURIComponent(week)}` : ""));
export const trend = (key) => call(`/insights/trends?level=area&key=${encodeURIComponent(key)}`);
export const takeUp = (weeks = 8) => call(`/insights/take-up?weeks=${weeks}`);
export const resources = () => call("/resources");
export const signIn = (body) => send("POST", "/auth/login", body);
export const inbox = () => call("/hub/inbox");
export const openRequest = (id) => call(`/hub/inbox/${encodeURIComponent(id)}`);
export const changeRequest = (id, changes) => send("PATCH", `/hub/inbox/${encodeURIComponent(id)}`, changes);
// For the shared passkey helpers (/js/passkeys.js), which name paths below /api/v1.
export const post = (path, body) => send("POST", `/${path}`, body);
export const del = (path, body) => send("DELETE", `/${path}`, body);
export const vapidKey = () => call("/push/vapid-public-key");
export const signOut = () => send("POST", "/auth/logout", {});
export const STREAM_URL = BASE + "/insights/stream";
