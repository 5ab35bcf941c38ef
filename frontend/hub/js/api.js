// The hub's calls to the server; the transport and its error type are /shared/api.js.

import { client, query } from "/shared/api.js";

export { ApiError } from "/shared/api.js";

// The hub shows the server's own message for every failure but the unreachable server.
const request = client({ 0: "The server cannot be reached. Please try again." });

export const me = () => request("GET", "auth/me");
export const taxonomy = () => request("GET", "taxonomy");
export const releases = () => request("GET", "insights/releases");
export const alerts = () => request("GET", "insights/alerts");
export const needsMap = (week) => request("GET", `insights/needs-map${query({ week: week || null })}`);
export const trend = (key) => request("GET", `insights/trends${query({ level: "area", key })}`);
export const takeUp = (weeks = 8) => request("GET", `insights/take-up${query({ weeks })}`);
export const resources = () => request("GET", "resources");
export const champions = (weeks = 1) => request("GET", `insights/champions${query({ weeks })}`);
export const signIn = (body) => request("POST", "auth/login", body);
export const inbox = () => request("GET", "hub/inbox");
export const openRequest = (id) => request("GET", `hub/inbox/${encodeURIComponent(id)}`);
export const changeRequest = (id, changes) => request("PATCH", `hub/inbox/${encodeURIComponent(id)}`, changes);
// For the shared passkey helpers (/shared/passkeys.js), which name paths below /api/v1.
export const post = (path, body) => request("POST", path, body);
export const del = (path, body) => request("DELETE", path, body);
export const vapidKey = () => request("GET", "push/vapid-public-key");
export const signOut = () => request("POST", "auth/logout", {});
export const STREAM_URL = "/api/v1/insights/stream";
