"""A Web Push service double on 127.0.0.1: accepts RFC 8030 pushes and reads them.

It checks what a real push service checks (TTL, Content-Encoding: aes128gcm, a VAPID JWT
signed with ES256 by the key in `k`, for this origin, expiring within 24 hours, with a
`sub`), then decrypts the body (RFC 8291) with the private key of the subscription it made
as a browser would, and records the plaintext. It can be told to answer a chosen endpoint
with 410, or with 503 a few times before it accepts.
"""

import base64
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_BODY = 4096
DAY = 24 * 60 * 60


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's side of one subscription: what it sends to the app, and its private key."""

    endpoint: str
    p256dh: str
    auth: str
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)

    def subscription_json(self) -> dict:
        """What `PushSubscription.toJSON()` gives in a browser."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }


def make_device(endpoint: str) -> Device:
    """A P-256 key pair and a 16-byte auth secret, made as a browser makes them."""
    key = ec.generate_private_key(ec.SECP256R1())
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return Device(endpoint, b64url(point), b64url(secrets.token_bytes(16)), key)


@dataclass
class Delivery:
    token: str
    plaintext: bytes
    ttl: int
    claims: dict
    vapid_key: str
    arrived: float

    def json(self) -> dict:
        return json.loads(self.plaintext)


class Refused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status


def verify_vapid(header: str, origin: str, now: float) -> tuple[dict, str]:
    """Check `vapid t=<JWT>, k=<key>`; returns the claims and the key, or raises Refused."""
    scheme, _, params = header.partition(" ")
    if scheme.lower() != "vapid":
        raise Refused(401, "not a vapid Authorization")
    parts = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
    token, key_text = parts.get("t", ""), parts.get("k", "")
    try:
        signing_input, _, signature = token.rpartition(".")
        header_json = json.loads(unb64url(signing_input.split(".")[0]))
        claims = json.loads(unb64url(signing_input.split(".")[1]))
        raw = unb64url(signature)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key_text))
    except (ValueError, IndexError):
        raise Refused(401, "malformed VAPID token") from None
    if header_json.get("alg") != "ES256" or len(raw) != 64:
        raise Refused(401, "VAPID token is not ES256")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        public.verify(der, signing_input.encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Refused(403, "VAPID signature does not match k") from None
    if claims.get("aud") != origin:
        raise Refused(403, f"aud {claims.get('aud')!r} is not {origin!r}")
    exp = claims.get("exp")
    if not isinstance(exp, int) or not now < exp <= now + DAY:
        raise Refused(403, "exp is not within the next 24 hours")
    sub = claims.get("sub", "")
    if not (sub.startswith("mailto:") or sub.startswith("https://")):
        raise Refused(403, "sub is not a mailto: or https: contact")
    return claims, key_text


class PushService:
    """The double. `with PushService() as push:` starts it on a free port and stops it after."""

    def __init__(self, expected_vapid_key: str | None = None, latency: float = 0.0):
        self.expected_vapid_key = expected_vapid_key
        self.latency = latency  # seconds before each answer, as a push service far away
        self.deliveries: list[Delivery] = []
        self.refusals: list[str] = []
        self.attempts: dict[str, int] = {}
        self._devices: dict[str, Device] = {}
        self._scripted: dict[str, deque] = {}
        self._gone: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> "PushService":
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def new_device(self) -> Device:
        """A subscription at this service, as a browser would get from pushManager.subscribe."""
        token = secrets.token_urlsafe(16)
        device = make_device(f"{self.origin}/push/{token}")
        with self._lock:
            self._devices[token] = device
        return device

    def answer(self, device: Device, *statuses: int) -> None:
        """Answer this device's next pushes with these statuses (then 201 again)."""
        self._scripted[_token(device.endpoint)] = deque(statuses)

    def unsubscribe(self, device: Device) -> None:
        """The browser dropped the subscription: every push to it now gets 410 Gone."""
        self._gone.add(_token(device.endpoint))

    def delivered_to(self, device: Device) -> list[Delivery]:
        token = _token(device.endpoint)
        return [d for d in self.deliveries if d.token == token]

    def handle(self, path: str, headers, body: bytes) -> tuple[int, dict]:
        token = path.rsplit("/", 1)[-1]
        with self._lock:
            self.attempts[token] = self.attempts.get(token, 0) + 1
            device = self._devices.get(token)
            scripted = self._scripted.get(token)
            status = scripted.popleft() if scripted else None
        if device is None or token in self._gone:
            return 410 if token in self._gone else 404, {}
        if status is not None:
            return status, {}
        try:
            delivery = self._read(token, device, headers, body)
        except Refused as refused:
            with self._lock:
                self.refusals.append(str(refused))
            return refused.status, {}
        with self._lock:
            self.deliveries.append(delivery)
            number = len(self.deliveries)
        return 201, {"Location": f"{self.origin}/message/{number}"}

    def _read(self, token: str, device: Device, headers, body: bytes) -> Delivery:
        ttl = headers.get("TTL")
        if ttl is None or not ttl.isdigit():
            raise Refused(400, "TTL header missing")
        if headers.get("Content-Encoding") != "aes128gcm":
            raise Refused(415, "Content-Encoding is not aes128gcm")
        if len(body) > MAX_BODY:
            raise Refused(413, "payload too large")
        claims, key = verify_vapid(headers.get("Authorization", ""), self.origin, time.time())
        if self.expected_vapid_key and key != self.expected_vapid_key:
            raise Refused(403, "signed by a key other than the subscription's")
        try:
            plaintext = http_ece.decrypt(
                body,
                private_key=device.private_key,
                auth_secret=unb64url(device.auth),
                version="aes128gcm",
            )
        except Exception as exc:  # noqa: BLE001 (any decryption failure is the sender's fault)
            raise Refused(400, f"cannot decrypt: {type(exc).__name__}") from None
        return Delivery(token, plaintext, int(ttl), claims, key, time.time())


def _token(endpoint: str) -> str:
    return endpoint.rsplit("/", 1)[-1]


def _handler_for(service: PushService):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as push services do

        def do_POST(self):  # noqa: N802 (the name http.server calls)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status, extra = service.handle(self.path, self.headers, body)
            if service.latency:
                time.sleep(service.latency)
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args):
            pass  # quiet: tests read the recorded deliveries instead

    return Handler
