"""`Gunicorn`: the app served as `make serve` serves it, started and stopped by a test.

`gunicorn -c gunicorn.conf.py` in a process group of its own (master and workers), started
on a free loopback port, waited for until it answers, and stopped (SIGTERM) or killed
(SIGKILL to the whole group); never left behind.
"""

import http.client
import os
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from .environment import ROOT, free_port
from .processes import group_pids


class ServerFailed(AssertionError):
    pass


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py` serving the app, as `make serve` runs it.

    Each server gets a control socket of its own (gunicorn 27 otherwise shares
    ~/.gunicorn/gunicorn.ctl between every server on the machine).
    """

    def __init__(self, env: dict, folder: Path, name: str = "gunicorn"):
        self.env, self.folder, self.name = env, Path(folder), name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.starts = 0
        self.log_path = self.folder / f"{name}.log"

    # -- lifecycle
    def start(self, timeout: float = 120) -> "Gunicorn":
        """Start on a free port and wait until it answers; retries if the port was taken."""
        for _attempt in range(3):
            self.port = free_port()
            self.starts += 1
            env = {**self.env, "BIND": f"127.0.0.1:{self.port}"}
            control = self.folder / f"{self.name}-{self.starts}.ctl"
            with open(self.log_path, "a") as log:
                log.write(f"\n==== start {self.starts} on port {self.port}\n")
                log.flush()
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                     "--control-socket", str(control)],
                    cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                    start_new_session=True,
                )  # fmt: skip
            if self._wait_ready(timeout):
                return self
            self.kill()
        raise ServerFailed(f"gunicorn did not start; log:\n{self.log_tail()}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            with suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                try:
                    conn.request("GET", "/api/v1/taxonomy")
                    response = conn.getresponse()
                    response.read()
                    if response.status == 200:
                        return True
                finally:
                    conn.close()
            time.sleep(0.2)
        raise ServerFailed(f"gunicorn gave no answer in {timeout} s; log:\n{self.log_tail()}")

    @property
    def pgid(self) -> int:
        return self.proc.pid

    def pids(self) -> list[int]:
        """Master and workers (the master first)."""
        if self.proc is None:
            return []
        live = group_pids(self.pgid)
        return sorted(live, key=lambda pid: pid != self.proc.pid)

    def worker_pids(self) -> list[int]:
        return [pid for pid in self.pids() if pid != self.proc.pid]

    def wait_for_workers(self, count: int, timeout: float = 60) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            workers = self.worker_pids()
            if len(workers) >= count:
                return workers
            time.sleep(0.1)
        raise ServerFailed(f"fewer than {count} workers; log:\n{self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL to master and workers at once, then wait until none is left."""
        self._signal_group(signal.SIGKILL, grace=0)

    def stop(self, grace: float = 40) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL whatever is left."""
        self._signal_group(signal.SIGTERM, grace=grace)

    def _signal_group(self, sig: int, grace: float) -> None:
        if self.proc is None:
            return
        pgid = self.pgid
        with suppress(ProcessLookupError):
            os.killpg(pgid, sig)
        try:
            self.proc.wait(timeout=grace if grace else 30)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while group_pids(pgid) and time.monotonic() < deadline:
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
            time.sleep(0.05)
        left = group_pids(pgid)
        self.proc = None
        if left:
            raise ServerFailed(f"processes {left} of gunicorn group {pgid} would not die")

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, chars: int = 6000) -> str:
        return self.log_text()[-chars:]

    def __enter__(self) -> "Gunicorn":
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
