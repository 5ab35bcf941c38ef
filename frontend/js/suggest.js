// Gentle suggestions, worked out on this phone only: after a check-in that chose a need, or
// when recent check-ins have mostly been tough, offer the matching support once. Nothing about
// suggestions is sent to the server or kept there; what was offered, and when, is kept in
// this phone's IndexedDB and deleted on sign-out with everything else.
//
// The rule, in one place (offerFor): a check-in that chose a need not offered in the last 14
// days (or, choosing none, follows mostly tough days, when the hub, a champion and someone to
// talk to stand in for its needs) is offered the resources that serve one of those needs or
// one of the factors it chose: never a placeholder, urgent lines only where nothing else
// serves that need or factor, at most 4. Factors alone never bring a suggestion.

import { localEntries, recall, remember } from "./local.js";
import { serving } from "./catalogue.js";

const MEMORY = "suggested";
// Offered once, then not again for the same need (or the tough-days rule) for 14 days: long
// enough not to nag, short enough that support comes back into view if things stay hard.
const QUIET_DAYS = 14;
const DAY = 24 * 60 * 60 * 1000;
// "Mostly tough": at least 3 of the last 5 check-ins (of the last 14 days) at mood 2 or below.
const RECENT_DAYS = 14;
const RECENT = 5;
const TOUGH_OF_RECENT = 3;
const TOUGH_MOOD = 2;
const TOUGH_DAYS = "tough-days";
// On tough days: the hub, a champion and someone to talk to.
const TOUGH_NEEDS = ["wellbeing_hub", "wellbeing_champion", "someone_to_talk_to"];
// A short list reads as kindness; a long one as homework.
const MOST = 4;

/** The moods of the last few check-ins this phone knows of (kept, waiting and just saved). */
async function recentMoods(saved, waiting) {
  const since = Date.now() - RECENT_DAYS * DAY;
  const all = new Map();
  const kept = await localEntries(new Date(since).toISOString(), new Date(Date.now() + DAY).toISOString());
  for (const e of kept) all.set(e.id, e);
  for (const w of waiting) all.set(w.id, w.entry);
  all.set(saved.id, saved);
  return [...all.values()]
    .filter((e) => Date.parse(e.occurred_at) >= since)
    .sort((a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at))
    .slice(0, RECENT)
    .map((e) => e.mood);
}

// Urgent lines stay on the Support screen (the suggestion links to it) unless a need has
// nothing else, such as domestic abuse support.
function gentlest(resources) {
  const everyday = resources.filter((r) => !r.urgent);
  return everyday.length ? everyday : resources;
}

function unique(resources) {
  const seen = new Set();
  return resources.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

/**
 * What the rule above offers for `saved` ({needs, factors, mood}), or null: {keys, tough,
 * needs, resources}. `moods` are the recent check-ins' (newest first, `saved` among them),
 * `shown` is when each key was last offered (ms). Pure, so it is tested as a table.
 */
export function offerFor(saved, catalogue, { moods = [], shown = {}, now = Date.now() } = {}) {
  const usable = (catalogue || []).filter((r) => !r.placeholder);
  const quiet = (key) => shown[key] && now - shown[key] < QUIET_DAYS * DAY;
  let keys = (saved.needs || []).filter((code) => !quiet(code) && serving(usable, "needs", code).length);
  let needs = keys;
  if (!keys.length) {
    const tough = moods.filter((m) => m <= TOUGH_MOOD).length;
    if (tough < TOUGH_OF_RECENT || quiet(TOUGH_DAYS)) return null;
    keys = [TOUGH_DAYS];
    needs = TOUGH_NEEDS;
  }
  const matches = [
    ...needs.map((code) => gentlest(serving(usable, "needs", code))),
    ...(saved.factors || []).map((code) => gentlest(serving(usable, "factors", code))),
  ];
  const resources = unique(matches.flat()).slice(0, MOST);
  if (!resources.length) return null;
  return { keys, tough: keys[0] === TOUGH_DAYS, needs, resources };
}

/**
 * What to offer after `saved` was saved, or null: {tough, needs, resources}. `waiting` is the
 * outbox, `catalogue` the resources already on this phone. Marks it as offered.
 */
export async function suggestionFor(saved, waiting, catalogue) {
  if (!catalogue || !catalogue.length) return null;
  const shown = (await recall(MEMORY)) || {};
  const moods = await recentMoods(saved, waiting);
  const offer = offerFor(saved, catalogue, { moods, shown });
  if (!offer) return null;
  for (const key of offer.keys) shown[key] = Date.now();
  await remember(MEMORY, shown);
  return offer;
}
