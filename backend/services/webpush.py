"""Web Push: the server's VAPID key pair, and sending one message to one device.

The key pair lives in instance/ (made on first use, never overwritten, never in git): a new
key would silently orphan every device's subscription. Sending goes through pywebpush
(RFC 8291 aes128gcm, RFC 8292 VAPID). Nothing here logs an endpoint or a key: a push
endpoint identifies a device.
"""

import base64
import logging
import os
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

log = logging.getLogger(__name__)

VAPID_KEY_FILE = "vapid_private.pem"
SENT, GONE, FAILED = "sent", "gone", "failed"
RETRY_AFTER_CAP_SECONDS = 30.0


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _create_key_file(path: Path) -> None:
    """Write a new P-256 key to `path` unless one is there; two processes never both win."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".vapid-")
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        # link() fails if the file exists: an existing key is never replaced.
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp)


def vapid_key(app: Flask) -> Vapid02:
    """The app's VAPID key, read from instance/ (made there the first time it is needed)."""
    key = app.extensions.get("vapid_key")
    if key is None:
        path = Path(app.instance_path) / VAPID_KEY_FILE
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_key_file(path)
            log.info("made a new VAPID key pair in instance/")
        key = Vapid02.from_pem(path.read_bytes())
        app.extensions["vapid_key"] = key
    return key


def public_key(app: Flask) -> str:
    """The application server key a browser passes to pushManager.subscribe (base64url)."""
    point = vapid_key(app).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(point)


class Sender:
    """Sends to devices from several threads; one keep-alive HTTP session per thread.

    Use as a context manager so that every session is closed at the end.
    """

    def __init__(self, app: Flask):
        config = app.config
        self.key = vapid_key(app)
        self.subject = config["VAPID_SUBJECT"]
        self.timeout = config["PUSH_TIMEOUT_SECONDS"]
        self.ttl = config["PUSH_TTL_SECONDS"]
        self.retries = max(0, config["PUSH_RETRIES"])
        self.backoff = config["PUSH_RETRY_BACKOFF_SECONDS"]
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def __enter__(self) -> "Sender":
        return self

    def __exit__(self, *_exc) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Proxy settings read once, not from the environment on every request (a third
            # of the time of a push).
            session.trust_env = False
            session.proxies = urllib.request.getproxies()
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def send(self, endpoint: str, p256dh: str, auth: str, payload: str) -> str:
        """Deliver `payload` to one device: SENT, GONE (404/410: forget it) or FAILED.

        429, 5xx and network errors are tried again after a growing pause, a bounded number of
        times. Whatever happens, this returns rather than raises, so one device's trouble never
        stops the others.
        """
        subscription = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
        for attempt in range(self.retries + 1):
            retry_after = None
            try:
                webpush(
                    subscription,
                    payload,
                    vapid_private_key=self.key,
                    # A fresh dict each call: webpush() writes this service's aud and exp into it.
                    vapid_claims={"sub": self.subject},
                    timeout=self.timeout,
                    ttl=self.ttl,
                    requests_session=self._session(),
                )
                return SENT
            except WebPushException as exc:
                status = exc.response.status_code if exc.response is not None else None
                if status in (404, 410):
                    return GONE
                if status is None or (status != 429 and status < 500):
                    log.warning("push refused with status %s", status)
                    return FAILED
                retry_after = exc.response.headers.get("Retry-After")
            except requests.RequestException as exc:
                log.warning("push service unreachable: %s", type(exc).__name__)
            except Exception as exc:  # a malformed key, say: this device only
                log.warning("push could not be prepared: %s", type(exc).__name__)
                return FAILED
            if attempt < self.retries:
                time.sleep(self._pause(attempt, retry_after))
        return FAILED

    def _pause(self, attempt: int, retry_after: str | None) -> float:
        pause = self.backoff * (2**attempt)
        if retry_after and retry_after.strip().isdigit():
            pause = max(pause, float(retry_after))
        return min(pause, RETRY_AFTER_CAP_SECONDS)
