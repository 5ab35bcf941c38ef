// Registers the service worker and offers "Update available" when a new version is waiting.

const banner = document.getElementById("update-banner");
const button = document.getElementById("update-button");

function offer(worker) {
  banner.hidden = false;
  button.onclick = () => {
    button.disabled = true;
    worker.postMessage({ type: "skip-waiting" });
  };
}

function whenInstalled(worker, then) {
  if (worker.state === "installed") return then(worker);
  worker.addEventListener("statechange", () => {
    if (worker.state === "installed") then(worker);
  });
}

/** Register /sw.js; when an update has installed behind the current one, show the banner. */
export async function watchForUpdates() {
  if (!("serviceWorker" in navigator)) return;
  // Reload only after the person accepted the update, not when the first worker takes control.
  let accepted = false;
  button.addEventListener("click", () => {
    accepted = true;
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (accepted) location.reload();
  });
  try {
    const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (!worker) return;
      whenInstalled(worker, (installed) => {
        if (navigator.serviceWorker.controller) offer(installed);
      });
    });
  } catch {
    // No service worker (private mode, old browser): the app still works online.
  }
}
