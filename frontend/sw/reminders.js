// The service worker's reminders: the notification a push shows, opening the check-in when
// it is tapped, and a new push subscription when the browser drops the old one. Loaded by
// importScripts from /sw.js.

const REMINDER = { title: "Wellbeing Diary", body: "A moment for your check-in?" };
// Where a tap on a notification goes: the check-in, or the hub's inbox for a practitioner's
// "A new request is waiting" (the only other place a push may point to).
const HUB_INBOX = "/hub/";

/** Show the reminder a push carries (`message`, the push's data), or the fixed words. */
async function showReminder(message) {
  let { title, body } = REMINDER;
  let url = "/#/check-in";
  try {
    const data = message ? message.json() : null;
    if (data && typeof data.title === "string") title = data.title;
    if (data && typeof data.body === "string") body = data.body;
    if (data && data.url === HUB_INBOX) url = HUB_INBOX;
  } catch {
    // Not JSON: the fixed, generic words are shown.
  }
  await self.registration.showNotification(title, {
    body,
    data: { url },
    tag: url === HUB_INBOX ? "hub-request" : "checkin-reminder",
    icon: "/icons/icon-192.png",
    badge: "/icons/icon-192.png",
  });
}

/** A tapped notification: the hub's inbox for a practitioner's, else the check-in. */
async function openFromNotification(url) {
  if (url === HUB_INBOX) {
    await self.clients.openWindow(HUB_INBOX);
    return;
  }
  await openCheckIn();
}

/** Bring the diary forward at the check-in: its open window if there is one, else a new one. */
async function openCheckIn() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).pathname === "/");
  if (open) {
    await open.focus();
    if ("navigate" in open) await open.navigate("/#/check-in");
    return;
  }
  await self.clients.openWindow("/#/check-in");
}

function base64UrlToBytes(text) {
  const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

/** Subscribe again with the server's key and tell the server, so reminders keep arriving. */
async function resubscribe() {
  const answer = await fetch("/api/v1/push/vapid-public-key", { credentials: "same-origin" });
  if (!answer.ok) return;
  const data = await answer.json();
  const key = data.public_key || data.publicKey || data.key;
  const subscription = await self.registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(key),
  });
  await fetch("/api/v1/push/subscriptions", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(subscription.toJSON()),
  });
}
