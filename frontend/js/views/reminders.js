// The reminders part of Settings: opt-in Web Push nudges at the times and days a person picks.
// Notification permission is asked only when the person taps to turn reminders on.

import { h, notice, say } from "/shared/dom.js";
import { chips } from "./fields.js";

const DAYS = [
  { code: "mon", label: "Mon" }, { code: "tue", label: "Tue" }, { code: "wed", label: "Wed" },
  { code: "thu", label: "Thu" }, { code: "fri", label: "Fri" }, { code: "sat", label: "Sat" },
  { code: "sun", label: "Sun" },
];
const MAX_TIMES = 3;

function isIPhone() {
  return /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
}

function isInstalled() {
  return navigator.standalone === true || window.matchMedia("(display-mode: standalone)").matches;
}

/** Why this browser cannot have reminders, in plain words; null when it can. */
export function unsupportedReason() {
  const capable = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  if (isIPhone() && !isInstalled()) {
    return "On iPhone, reminders work once the diary is on your Home Screen. Tap Share, then Add to Home Screen, and open the diary from there (iOS 16.4 or later).";
  }
  if (!capable && isIPhone()) return "Reminders need iOS 16.4 or later. You can still check in whenever you like.";
  if (!capable) return "This browser cannot show reminders. You can still check in whenever you like.";
  return null;
}

const BLOCKED = "Notifications are blocked for the diary in your browser settings. To get reminders, allow notifications for this site there, then come back.";

function base64UrlToBytes(text) {
  const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function currentSubscription() {
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

/**
 * Forget this device's push subscription: on the server (`tellServer`, while still signed
 * in) and in the browser. Used on sign-out and account deletion; a failure to reach the
 * server does not stop the browser's own unsubscribe.
 */
export async function forgetThisDevice(api, tellServer = true) {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = registration && registration.pushManager ? await registration.pushManager.getSubscription() : null;
  if (!subscription) return;
  if (tellServer) await api.del("push/subscriptions", { endpoint: subscription.endpoint }).catch(() => {});
  await subscription.unsubscribe();
}

async function subscribeDevice(api) {
  const { public_key: key } = await api.get("push/vapid-public-key");
  const registration = await navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  if (!subscription) {
    subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(key) });
  }
  await api.post("push/subscriptions", subscription.toJSON());
}

function zones(current) {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return all.includes(current) ? all : [current, ...all];
}

function whenText(iso, zone) {
  if (!iso) return "";
  const when = new Intl.DateTimeFormat("en-GB", { weekday: "long", hour: "2-digit", minute: "2-digit", timeZone: zone }).format(new Date(iso));
  return `Next reminder: ${when}.`;
}

function timeInput(value, number) {
  return h("input", { type: "time", name: "time", value, "aria-label": `Reminder time ${number}`, required: true });
}

function settingsForm(settings) {
  const times = h("div", { class: "stack", "data-times": true }, settings.times.map((t, i) => timeInput(t, i + 1)));
  const addTime = h("button", { type: "button", class: "button secondary small", text: "Add another time" });
  const removeTime = h("button", { type: "button", class: "button secondary small", text: "Remove the last time" });
  const syncButtons = () => {
    addTime.hidden = times.children.length >= MAX_TIMES;
    removeTime.hidden = times.children.length <= 1;
  };
  addTime.addEventListener("click", () => { times.append(timeInput("12:00", times.children.length + 1)); syncButtons(); });
  removeTime.addEventListener("click", () => { times.lastElementChild.remove(); syncButtons(); });
  syncButtons();

  const zone = h("select", { name: "time_zone", id: "reminder-zone" },
    zones(settings.time_zone).map((z) => h("option", { value: z, text: z.replace(/_/g, " "), selected: z === settings.time_zone })));
  const pause = h("input", { type: "date", name: "paused_until", id: "reminder-pause", value: settings.paused_until || "" });
  const onlyIf = h("input", { type: "checkbox", id: "reminder-only-if", name: "only_if_not_checked_in", checked: settings.only_if_not_checked_in });
  const errorFor = (name) => h("p", { class: "field-error", "data-error-for": name, hidden: true });

  const form = h("form", { class: "stack", novalidate: true },
    h("fieldset", { class: "field" }, h("legend", { text: "Times" }), times, h("div", { class: "actions" }, addTime, removeTime), errorFor("times")),
    chips({ legend: "Days", name: "weekdays", items: DAYS, selected: settings.weekdays }),
    errorFor("weekdays"),
    h("div", { class: "switch-row" }, onlyIf, h("label", { for: "reminder-only-if", text: "Only if I have not checked in that day" })),
    h("div", { class: "field" }, h("label", { for: "reminder-zone", text: "Time zone" }), zone, errorFor("time_zone")),
    h("div", { class: "field" },
      h("label", { for: "reminder-pause", text: "Pause until (optional)" }),
      h("p", { class: "hint", text: "No reminders before this day. They start again on it." }),
      pause, errorFor("paused_until")),
  );
  form.values = () => {
    const data = new FormData(form);
    return {
      times: data.getAll("time").filter(Boolean),
      weekdays: data.getAll("weekdays"),
      time_zone: data.get("time_zone"),
      only_if_not_checked_in: onlyIf.checked,
      paused_until: data.get("paused_until") || null,
    };
  };
  form.showErrors = (fieldErrors = {}) => {
    let shown = false;
    for (const el of form.querySelectorAll("[data-error-for]")) {
      const messages = fieldErrors[el.dataset.errorFor];
      const text = Array.isArray(messages) ? messages.join(" ") : messages && typeof messages === "object" ? Object.values(messages).flat().join(" ") : "";
      say(el, text);
      shown = shown || Boolean(text);
    }
    return shown;
  };
  return form;
}

/** Mount the reminders section into `container`, talking to the server through `api`. */
export async function mountReminders(container, api) {
  const reason = unsupportedReason();
  if (reason) {
    container.replaceChildren(h("p", { class: "notice", "data-reminders-state": "unsupported", text: reason }));
    return;
  }
  if (Notification.permission === "denied") {
    container.replaceChildren(h("p", { class: "notice", "data-reminders-state": "blocked", text: BLOCKED }));
    return;
  }
  let settings;
  let subscribed;
  try {
    [settings, subscribed] = await Promise.all([api.get("reminders"), currentSubscription()]);
  } catch (error) {
    container.replaceChildren(h("p", { class: "notice", text: error.message || "Reminders could not be loaded just now." }));
    return;
  }
  const message = notice();
  const toggle = h("input", { type: "checkbox", id: "reminders-on", checked: Boolean(settings.enabled && subscribed) });
  const form = settingsForm(settings);
  const next = h("p", { class: "hint", "data-next-reminder": true, text: settings.enabled && subscribed ? whenText(settings.next_due_at, settings.time_zone) : "" });
  const save = h("button", { type: "button", class: "button", text: "Save reminder settings" });
  const test = h("button", { type: "button", class: "button secondary", text: "Send me a test" });
  const extras = h("div", { class: "stack" }, form, next, h("div", { class: "actions" }, save, test));
  extras.hidden = !toggle.checked;
  if (settings.enabled && !subscribed && settings.devices) {
    say(message, "Reminders are on for another of your devices. Turn them on here too if you like.");
  }

  const saveSettings = async (changes) => {
    form.showErrors({});
    try {
      settings = await api.put("reminders", { ...form.values(), ...changes });
      next.textContent = settings.enabled ? whenText(settings.next_due_at, settings.time_zone) : "";
      return true;
    } catch (error) {
      if (!form.showErrors(error.fieldErrors)) say(message, error.message);
      return false;
    }
  };

  toggle.addEventListener("change", async () => {
    say(message, "");
    toggle.disabled = true;
    try {
      if (toggle.checked) {
        const permission = await Notification.requestPermission();
        if (permission !== "granted") {
          toggle.checked = false;
          say(message, permission === "denied" ? BLOCKED : "Reminders are still off. You can turn them on whenever you like.");
          return;
        }
        await subscribeDevice(api);
        if (await saveSettings({ enabled: true })) say(message, "Reminders are on.");
        else toggle.checked = false;
      } else {
        const subscription = await currentSubscription();
        if (subscription) {
          await api.del("push/subscriptions", { endpoint: subscription.endpoint });
          await subscription.unsubscribe();
        }
        // Other phones of theirs keep getting reminders; with none left, the schedule stops.
        const left = await api.get("reminders");
        if (!left.devices) await saveSettings({ enabled: false });
        say(message, "Reminders are off on this device.");
      }
    } catch (error) {
      toggle.checked = !toggle.checked;
      say(message, error.message && error.name === "ApiError" ? error.message : "Reminders could not be set up on this device just now. Please try again later.");
    } finally {
      toggle.disabled = false;
      extras.hidden = !toggle.checked;
    }
  });

  save.addEventListener("click", async () => {
    if (await saveSettings({ enabled: true })) say(message, "Saved.");
  });
  test.addEventListener("click", async () => {
    try {
      const result = await api.post("push/test", {});
      say(message, result.sent ? "Sent. It should arrive in a moment." : "This device is not set up for reminders yet. Turn reminders off and on again.");
    } catch (error) {
      say(message, error.message);
    }
  });

  container.replaceChildren(
    h("div", { class: "switch-row" }, toggle, h("label", { for: "reminders-on", text: "Send me gentle reminders to check in" })),
    h("p", { class: "hint", text: "The reminder only says \u201cA moment for your check-in?\u201d. Nothing about you or your diary is shown." }),
    message,
    extras,
  );
}
