// Passkeys in the browser: the browser's own navigator.credentials and its JSON helpers.
// Shared by the diary and the hub dashboard; each passes its own `post(path, body)`.

const BASE = "/api/v1/auth/passkeys";

let settings = null;

async function passkeySettings() {
  if (!settings) {
    const response = await fetch(`${BASE}/settings`, { credentials: "same-origin" });
    if (!response.ok) throw new Error("settings");
    settings = await response.json();
  }
  return settings;
}

/**
 * Whether passkeys can work here: { ok: true }, or { ok: false, message, address } in plain
 * words. They need the browser's support and the one address the server expects (on a
 * computer, http://localhost:5000 works but http://127.0.0.1:5000 does not).
 */
export async function passkeySupport() {
  const helpers =
    window.PublicKeyCredential &&
    typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
    typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";
  if (!helpers || !window.isSecureContext) {
    return { ok: false, message: "This browser cannot use passkeys. Your password works as always." };
  }
  try {
    const { origin } = await passkeySettings();
    if (origin !== location.origin) {
      return {
        ok: false,
        address: `${origin}/`,
        message: `Passkeys work when the diary is opened at ${origin}/ (this address is ${location.origin}/).`,
      };
    }
  } catch {
    return { ok: false, message: "Passkeys need a connection. Please try again when you have signal." };
  }
  return { ok: true };
}

/** The browser said no: cancelled, timed out, or no passkey for this site. */
export function wasCancelled(error) {
  return error && (error.name === "NotAllowedError" || error.name === "AbortError");
}

/** Add a passkey: `extra` may carry the password when the sign-in is not recent. */
export async function createPasskey(post, extra = {}, name = null) {
  const options = await post("auth/passkeys/registration/options", extra);
  const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey);
  const credential = await navigator.credentials.create({ publicKey });
  return post("auth/passkeys/registration", { credential: credential.toJSON(), name });
}

/**
 * Sign in with a passkey ("sign-in": the phone offers the person's passkeys, no username)
 * or finish a researcher's sign-in ("second-step", after the password). Resolves with the
 * signed-in person.
 */
export async function usePasskey(post, purpose = "sign-in") {
  const options = await post(`auth/passkeys/${purpose}/options`, {});
  const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey);
  const credential = await navigator.credentials.get({ publicKey });
  return post(`auth/passkeys/${purpose}`, { credential: credential.toJSON() });
}
