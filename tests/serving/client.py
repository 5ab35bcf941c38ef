"""`Client`: a tiny HTTP/1.1 client on http.client, with a cookie jar.

The jar also keeps `Secure`/`__Host-` cookies: the tests speak plain http to loopback and
say `X-Forwarded-Proto: https`, as a TLS-terminating proxy would.
"""

import http.client
import json
from dataclasses import dataclass, field


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body) if self.body else None


@dataclass
class Client:
    """One keep-alive connection and a cookie jar; not thread-safe (one per thread)."""

    port: int
    headers: dict = field(default_factory=dict)
    timeout: float = 60
    cookies: dict = field(default_factory=dict)
    conn: http.client.HTTPConnection | None = None

    def connect(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.connect()
        return self.conn

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request_headers(self, body: bytes | None, extra: dict | None) -> dict:
        headers = {**self.headers, **(extra or {})}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def keep_cookies(self, message: http.client.HTTPMessage) -> None:
        for value in message.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            cookie_value = rest.split(";", 1)[0]
            expired = "max-age=0" in value.lower().replace(" ", "") or not cookie_value
            if expired:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = cookie_value

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> Reply:
        """Send one request; a stale keep-alive connection is retried once on a new one."""
        data = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):
            reused = self.conn is not None
            conn = self.connect()
            try:
                conn.request(method, path, body=data, headers=self.request_headers(data, headers))
                response = conn.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException):
                self.close()
                if reused and attempt == 1:
                    continue
                raise
            self.keep_cookies(response.headers)
            if response.will_close:
                self.close()
            return Reply(response.status, response.headers, raw)
        raise AssertionError("unreachable")

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body=None, **kw) -> Reply:
        return self.request("POST", path, body if body is not None else {}, **kw)

    def put(self, path: str, body, **kw) -> Reply:
        return self.request("PUT", path, body, **kw)
