"""Web Push: the server's VAPID key pair, and sending one message to one device.

The key pair lives in instance/ (made on first use, never overwritten, never in git): a new
key would silently orphan every device's subscription. Sending goes through pywebpush
(RFC 8291 aes128gcm, RFC 8292 VAPID). Nothing here logs an endpoint or a key: a push
endpoint identifies a device.
"""

import asyncio
import base64
import logging
import os
import tempfile
import threading
import urllib.request
from concurrent.futures import Future
from pathlib import Path

import aiohttp
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush_async

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
    """Sends pushes concurrently from an asyncio loop in a thread of its own.

    `submit()` may be called from any thread and returns a concurrent.futures.Future of the
    outcome; at most PUSH_SENDERS pushes are in flight at once, over keep-alive connections.
    Use as a context manager, and collect the futures before leaving it: leaving closes every
    connection. An HTTPS proxy in the environment (HTTPS_PROXY) carries every push.
    """

    def __init__(self, app: Flask):
        config = app.config
        self.key = vapid_key(app)
        self.subject = config["VAPID_SUBJECT"]
        self.timeout = aiohttp.ClientTimeout(total=config["PUSH_TIMEOUT_SECONDS"])
        self.ttl = config["PUSH_TTL_SECONDS"]
        self.retries = max(0, config["PUSH_RETRIES"])
        self.backoff = config["PUSH_RETRY_BACKOFF_SECONDS"]
        self.in_flight = max(1, config["PUSH_SENDERS"])
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="push", daemon=True)
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None

    def __enter__(self) -> "Sender":
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._open(), self._loop).result()
        return self

    def __exit__(self, *_exc) -> None:
        if self._session is not None:
            asyncio.run_coroutine_threadsafe(self._session.close(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    async def _open(self) -> None:
        # An egress proxy from the environment, read once (push services are on the internet).
        proxy = urllib.request.getproxies().get("https")
        connector = aiohttp.TCPConnector(limit=self.in_flight)
        self._session = aiohttp.ClientSession(connector=connector, proxy=proxy)
        self._slots = asyncio.Semaphore(self.in_flight)

    def submit(self, endpoint: str, p256dh: str, auth: str, payload: str) -> Future:
        """Start delivering `payload` to one device; the future gives SENT, GONE or FAILED."""
        return asyncio.run_coroutine_threadsafe(
            self._send(endpoint, p256dh, auth, payload), self._loop
        )

    def send(self, endpoint: str, p256dh: str, auth: str, payload: str) -> str:
        """Deliver `payload` to one device and wait for the outcome."""
        return self.submit(endpoint, p256dh, auth, payload).result()

    async def _send(self, endpoint: str, p256dh: str, auth: str, payload: str) -> str:
        """SENT, GONE (404/410: forget the device) or FAILED; never raises.

        429, 5xx and network errors are tried again after a growing pause, a bounded number of
        times, so one device's trouble never stops the others.
        """
        subscription = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}
        async with self._slots:
            for attempt in range(self.retries + 1):
                retry_after = None
                try:
                    await webpush_async(
                        subscription,
                        payload,
                        vapid_private_key=self.key,
                        # Fresh each call: webpush writes this service's aud and exp into it.
                        vapid_claims={"sub": self.subject},
                        timeout=self.timeout,
                        ttl=self.ttl,
                        aiohttp_session=self._session,
                    )
                    return SENT
                except WebPushException as exc:
                    status = exc.status_code
                    if status in (404, 410):
                        return GONE
                    if status is None or (status != 429 and status < 500):
                        log.warning("push refused with status %s", status)
                        return FAILED
                    retry_after = exc.retry_after
                except (aiohttp.ClientError, TimeoutError) as exc:
                    log.warning("push service unreachable: %s", type(exc).__name__)
                except Exception as exc:  # a malformed key, say: this device only
                    log.warning("push could not be prepared: %s", type(exc).__name__)
                    return FAILED
                if attempt < self.retries:
                    await asyncio.sleep(self._pause(attempt, retry_after))
        return FAILED

    def _pause(self, attempt: int, retry_after: str | None) -> float:
        pause = self.backoff * (2**attempt)
        if retry_after and retry_after.strip().isdigit():
            pause = max(pause, float(retry_after))
        return min(pause, RETRY_AFTER_CAP_SECONDS)
