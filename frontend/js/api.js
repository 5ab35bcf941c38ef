// The diary's calls to the server (docs/api-contract.md); the transport is /shared/api.js.

import { ApiError, client, query } from "/shared/api.js";

export { ApiError };

const FRIENDLY = {
  0: "You seem to be offline. Please try again when you have signal.",
  401: "Please sign in again.",
  429: "Too many tries. Please wait a minute and try again.",
  503: "The diary is having a rest. Please try again in a moment.",
};

/** Call the API with the diary's own words for failures (see /shared/api.js). */
export const request = client(FRIENDLY);

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
  login: (username, password, step = {}) => request("POST", "auth/login", { username, password, ...step }),
  logout: () => request("POST", "auth/logout", {}),
  updateProfile: (changes) => request("PATCH", "me", changes),
  joinTeam: (code) => request("PUT", "me/team", { join_code: code }),
  leaveTeam: () => request("DELETE", "me/team"),
  myChampion: () => request("GET", "me/wellbeing-champion"),
  myChampionSettings: () => request("GET", "me/champion"),
  updateChampion: (changes) => request("PATCH", "me/champion", changes),
  newChampionCode: () => request("POST", "me/champion/code"),
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
