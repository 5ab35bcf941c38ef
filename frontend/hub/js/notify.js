// Practitioners may hear of new requests: this browser's push subscription, turned on by a
// tap as staff turn on reminders. The push says only "A new request is waiting".

import * as api from "./api.js";

function base64UrlToBytes(text) {
  const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

const capable = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

async function subscribe() {
  if ((await Notification.requestPermission()) !== "granted") {
    return "Notifications are blocked for this site in your browser settings. The inbox still shows every request.";
  }
  // The diary's own service worker shows the push; it leaves the hub's pages to the network.
  const registration = await navigator.serviceWorker.register("/sw.js");
  await navigator.serviceWorker.ready;
  const { public_key: key } = await api.vapidKey();
  const subscription =
    (await registration.pushManager.getSubscription()) ||
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: base64UrlToBytes(key) }));
  await api.post("push/subscriptions", subscription.toJSON());
  return "This browser will tell you when a new request is waiting (never a name or anyone's words).";
}

/** Show the "Tell me when a request arrives" button where the browser can do it. */
export function offerNotifications(button, status) {
  button.hidden = !capable();
  button.onclick = async () => {
    status.textContent = "";
    try {
      status.textContent = await subscribe();
    } catch {
      status.textContent = "This browser could not turn on notifications. The inbox still shows every request.";
    }
  };
}

/** On sign-out: this browser gets no more pushes (a hub desktop may be shared). */
export async function forgetThisBrowser() {
  if (!capable()) return;
  const registration = await navigator.serviceWorker.getRegistration("/");
  const subscription = registration ? await registration.pushManager.getSubscription() : null;
  if (!subscription) return;
  await api.del("push/subscriptions", { endpoint: subscription.endpoint }).catch(() => null);
  await subscription.unsubscribe().catch(() => null);
}
