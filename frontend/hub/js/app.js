// The hub dashboard's composition root: sign-in, then the map, table, detail and alerts.

import * as api from "./api.js";
import { drawAlerts, drawDetail } from "./detail.js";
import { drawLegend, drawMap } from "./map.js";
import { measures } from "./measures.js";
import { follow } from "./stream.js";
import { drawTable } from "./table.js";
import { weekWords } from "./weeks.js";
import { showTakeUp } from "./take-up.js";
import { showChampions } from "./champions.js";
import { showInbox } from "./inbox.js";
import { secondStep } from "/shared/api.js";
import { forgetThisBrowser, offerNotifications } from "./notify.js";
import { createPasskey, passkeySupport, usePasskey, wasCancelled } from "/shared/passkeys.js";

const $ = (id) => document.getElementById(id);
const state = { taxonomy: null, k: 10, map: null, measure: null, selected: null, latestWeek: null, inProgress: null, stop: null };

function lookup(list, field = "name") {
  return Object.fromEntries(list.map((item) => [item.code, item[field] || item.label || item.code]));
}

function showUpdated(release) {
  if (!release) {
    $("updated").textContent = "No release published yet.";
    return;
  }
  const when = new Date(release.published_at).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
  $("updated").textContent = `Updated at ${when} (release ${release.id})`;
}

function render() {
  const { taxonomy, map, measure } = state;
  const cells = Object.fromEntries(map.areas.map((cell) => [cell.key, cell]));
  const names = lookup(taxonomy.areas);
  const shorts = lookup(taxonomy.areas, "short");
  const regionOf = lookup(taxonomy.areas, "region");
  drawMap($("map"), { hexmap: taxonomy.hexmap, names, shorts, regionOf, cells, measure, selected: state.selected, k: state.k, onSelect: select, focusLine: $("map-focus") });
  drawLegend($("legend"), measure, state.k);
  drawTable($("table"), { week: weekWords(map.week), areas: map.areas, shorts, regionNames: lookup(taxonomy.regions), needLabels: lookup(taxonomy.needs, "label"), k: state.k, onSelect: select });
}

async function select(code) {
  state.selected = code;
  render();
  const names = lookup(state.taxonomy.areas);
  const current = state.map.areas.find((cell) => cell.key === code);
  const trend = await api.trend(code);
  drawDetail($("detail"), { name: names[code] || code, series: trend.series[0], current, needLabels: lookup(state.taxonomy.needs, "label"), k: state.k });
}

/** Every published week, newest first; the one still in progress says so. */
function fillWeeks(weeks, chosen, inProgress) {
  const select = $("week");
  const label = (week) => weekWords(week) + (week === inProgress ? " (in progress)" : "");
  select.replaceChildren(...weeks.map((week) => new Option(label(week), week, false, week === chosen)));
}

let loads = 0; // which loadWeek is the newest: only its answer is shown

async function loadWeek(week) {
  const mine = ++loads;
  const map = await api.needsMap(week);
  // A week chosen while a live refresh was loading: the older answer must not undo it.
  if (mine !== loads) return;
  state.map = map;
  if (!week) state.latestWeek = state.map.week;
  fillWeeks(state.map.weeks.length ? state.map.weeks : [state.map.week], state.map.week, state.inProgress);
  showUpdated(state.map.release);
  render();
}

async function refresh(release) {
  const viewingLatest = !state.map || $("week").value === state.latestWeek;
  await loadWeek(viewingLatest ? undefined : $("week").value);
  if (release) showUpdated(release);
  const alerts = await api.alerts();
  state.inProgress = alerts.in_progress;
  drawAlerts($("alerts-body"), alerts);
  fillWeeks(state.map.weeks.length ? state.map.weeks : [state.map.week], $("week").value, state.inProgress);
  if (state.selected) await select(state.selected);
}

async function startDashboard() {
  $("sign-in").hidden = true;
  $("dashboard").hidden = false;
  $("sign-out").hidden = false;
  $("add-passkey").hidden = !$("add-passkey").dataset.ok;
  const [taxonomy, releases] = await Promise.all([api.taxonomy(), api.releases()]);
  state.taxonomy = taxonomy;
  state.k = releases.privacy.k;
  const options = measures(taxonomy.needs);
  state.measure = options[0];
  $("measure").replaceChildren(...options.map((m) => new Option(m.label, m.id)));
  $("measure").addEventListener("change", () => {
    state.measure = options.find((m) => m.id === $("measure").value);
    render();
  });
  $("week").addEventListener("change", () => loadWeek($("week").value));
  const dp = releases.privacy.differential_privacy;
  $("privacy").textContent =
    `Cells need at least ${state.k} people; counts are rounded to the nearest ${releases.privacy.rounding}; ` +
    `a cell is refreshed only when at least ${state.k} people have changed.` +
    (dp
      ? ` Every figure carries a little random noise (differential privacy), so no one's answers can be worked out; ` +
        `"give or take" says how far a figure may be from the exact one, 9 times in 10. ` +
        `Shares never show as 0% or 100% ("hardly anyone", "nearly everyone"). ` +
        `This year's privacy budget: ${Math.round(dp.spent)} of ${Math.round(dp.yearly)} spent.`
      : " Differential privacy is turned off: figures are exact.");
  await refresh();
  state.stop = follow((release) => refresh(release));
  // Take-up covers closed weeks only, so it does not change with each live release.
  await showTakeUp(taxonomy).catch((error) => {
    document.getElementById("take-up-table").textContent = `Take-up could not be loaded: ${error.message}`;
  });
  await showChampions(taxonomy).catch((error) => {
    document.getElementById("champions-table").textContent = `The champion network could not be loaded: ${error.message}`;
  });
}

async function startInbox() {
  $("sign-in").hidden = true;
  $("inbox").hidden = false;
  $("sign-out").hidden = false;
  $("add-passkey").hidden = !$("add-passkey").dataset.ok;
  document.querySelector(".top h1").textContent = "Staff Wellbeing Hub: requests";
  document.title = "Staff Wellbeing Hub: requests";
  $("updated").textContent = "";
  offerNotifications($("notify"), $("notify-status"));
  await showInbox($("inbox"));
}

const NOT_FOR_YOU = "This page is for hub researchers and practitioners.";

/** Researchers see the dashboard; practitioners the inbox; no one else either. */
async function startFor(user) {
  if (user.role === "researcher") return startDashboard();
  if (user.role === "practitioner") return startInbox();
  showSignIn(NOT_FOR_YOU);
}

function replaceRequest() {
  $("inbox-request").replaceChildren();
}

function showSignIn(message = "") {
  $("dashboard").hidden = true;
  $("inbox").hidden = true;
  replaceRequest();
  $("sign-out").hidden = true;
  $("add-passkey").hidden = true;
  $("passkey-confirm").replaceChildren();
  $("passkey-status").textContent = "";
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = message;
  $("updated").textContent = "Signed out.";
}

async function signIn(event) {
  event.preventDefault();
  const body = { username: $("username").value.trim(), password: $("password").value, ...secondStep($("code").value) };
  try {
    const user = await api.signIn(body);
    await startFor(user);
  } catch (error) {
    $("sign-in-error").textContent = error.message;
  }
}

/** Password first, then the researcher's passkey as the second step instead of a code. */
async function signInWithPasskey() {
  const body = { username: $("username").value.trim(), password: $("password").value };
  let user;
  try {
    user = await api.signIn(body);
  } catch (error) {
    if (error.status !== 401) {
      $("sign-in-error").textContent = error.message;
      return;
    }
    try {
      user = await usePasskey(api.post, "second-step");
    } catch (second) {
      // No second step waiting means the password was wrong: say that, not the passkey's words.
      $("sign-in-error").textContent = wasCancelled(second)
        ? "No passkey was used. You can try again, or enter your code."
        : second.status === 401
          ? error.message
          : second.message;
      return;
    }
  }
  await startFor(user);
}

/** The password form shown when the sign-in was too long ago to add a passkey without it. */
function askForPassword() {
  const form = document.createElement("form");
  form.noValidate = true;
  const label = Object.assign(document.createElement("label"), {
    htmlFor: "passkey-password",
    textContent: "Your password, to keep your account safe",
  });
  const input = Object.assign(document.createElement("input"), {
    id: "passkey-password",
    type: "password",
    autocomplete: "current-password",
  });
  const button = Object.assign(document.createElement("button"), {
    type: "submit",
    textContent: "Confirm and add the passkey",
  });
  form.append(label, input, button);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    addPasskey({ password: input.value });
  });
  $("passkey-confirm").replaceChildren(form);
  input.focus();
}

async function addPasskey(extra = {}) {
  const status = $("passkey-status");
  status.textContent = "";
  try {
    await createPasskey(api.post, extra);
    $("passkey-confirm").replaceChildren();
    status.textContent = "Passkey added. Next time, use it instead of a code.";
  } catch (error) {
    if (error.status === 403) {
      askForPassword();
    } else {
      status.textContent = wasCancelled(error) ? "No passkey was added." : error.message;
    }
  }
}

async function offerPasskeys() {
  const support = await passkeySupport();
  $("passkey-sign-in").hidden = !support.ok;
  $("add-passkey").dataset.ok = support.ok ? "yes" : "";
  $("passkey-note").hidden = support.ok;
  $("passkey-note").textContent = support.ok ? "" : support.message;
}

async function main() {
  $("sign-in-form").addEventListener("submit", signIn);
  $("passkey-sign-in").addEventListener("click", signInWithPasskey);
  $("add-passkey").addEventListener("click", () => addPasskey());
  await offerPasskeys();
  $("sign-out").addEventListener("click", async () => {
    if (state.stop) state.stop();
    if (!$("inbox").hidden) await forgetThisBrowser().catch(() => null);
    await api.signOut().catch(() => null);
    showSignIn();
  });
  try {
    await startFor(await api.me());
  } catch {
    showSignIn();
  }
}

main();
