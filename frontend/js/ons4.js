// The weekly ONS4 questions: which week it is (weeks are Europe/London, named by their
// Monday, as the server counts them), the last overview from the server kept for offline
// use, and "Not now" remembered on this phone for the week it was said.

import { freshOrKept, recall, remember } from "./local.js";

const OVERVIEW = "ons4";
const NOT_NOW = "ons4-not-now";
export const ITEMS = ["life_satisfaction", "worthwhile", "happy", "anxious"];
export const SHORT_NAMES = {
  life_satisfaction: "Life satisfaction",
  worthwhile: "Things you do are worthwhile",
  happy: "Happy yesterday",
  anxious: "Anxious yesterday",
};

/** The Monday (YYYY-MM-DD) of the week `now` falls in, in Europe/London. */
export function currentWeek(now = new Date()) {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London" }).format(now);
  const [y, m, d] = day.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** The server's overview (answers, due, questions, reference), or the last copy offline. */
export async function loadOverview(api) {
  const { value, stale } = await freshOrKept(OVERVIEW, () => api.ons4());
  return { overview: value, stale };
}

export async function keepOverview(overview) {
  await remember(OVERVIEW, overview);
}

/** This week's answers, if given. */
export function thisWeeksAnswers(overview) {
  return (overview.answers || []).find((a) => a.week === currentWeek()) || null;
}

/** Whether to offer the questions after a check-in: due, and not put off this week. */
export async function shouldOffer(api) {
  if ((await recall(NOT_NOW)) === currentWeek()) return false;
  try {
    const { overview, stale } = await loadOverview(api);
    return !stale && overview.due && !thisWeeksAnswers(overview);
  } catch {
    return false;
  }
}

export async function notNow() {
  await remember(NOT_NOW, currentWeek());
}
