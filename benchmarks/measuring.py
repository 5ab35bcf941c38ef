"""Measuring: wrk runs, a server's CPU per request from /proc, percentiles, the table.

A phase is one wrk run against one server (with a Lua script that prints one line
`RESULT {json}` at the end); it becomes a `Result` with the server's workers' CPU time over
the phase, per request, beside throughput and latency.
"""

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from servers import ROOT, BenchmarkError


@dataclass
class Result:
    kind: str
    clients: int
    server: str
    rps: float
    p50_ms: float
    p99_ms: float
    non2xx: int
    socket_errors: int
    requests: int
    cpu_ms: float  # the server's workers' CPU time (user + system) per request


def worker_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by the gunicorn master's worker processes.

    Compared with wall time per request, it says whether a server was busy or waiting
    (on SQLite's write lock, say) while the clients waited.
    """
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def ensure_wrk() -> str:
    """The wrk command, installed from Debian (apt-get install wrk) when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing it with apt-get (Debian package wrk)...", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True)
        subprocess.run(install, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise BenchmarkError("wrk is missing and `apt-get install wrk` did not install it.")
    return found


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "backend"], capture_output=True)
    return head.stdout.strip() + (" + uncommitted backend changes" if dirty.stdout else "")


def run_wrk(wrk: str, script: Path, port: int, kind: str, clients: int, seconds: int, args: list):
    """Drive one server for `seconds` with `clients` connections; returns wrk's RESULT dict."""
    threads = min(2, clients)
    command = [
        wrk, "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
        "-s", str(script), f"http://127.0.0.1:{port}", "--", kind, *args,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise BenchmarkError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1].removeprefix("RESULT "))


def measure_phase(wrk: str, script: Path, server, wrk_kind: str, kind: str, clients: int,
                  seconds: int) -> Result:  # fmt: skip
    """One wrk run against one server; `server` is (name, port, gunicorn process, the
    script's arguments). The server's CPU is read from /proc before and after."""
    name, port, process, args = server
    cpu_before = worker_cpu_seconds(process.pid)
    raw = run_wrk(wrk, script, port, wrk_kind, clients, seconds, args)
    cpu = worker_cpu_seconds(process.pid) - cpu_before
    socket_errors = sum(raw[k] for k in ("connect", "read", "write", "timeout"))
    return Result(
        kind=kind,
        clients=clients,
        server=name,
        rps=raw["requests"] / (raw["duration_us"] / 1e6),
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        non2xx=raw["non2xx"],
        socket_errors=socket_errors,
        requests=raw["requests"],
        cpu_ms=cpu * 1000 / raw["requests"] if raw["requests"] else float("nan"),
    )


def print_phase(result: Result, label: str = "") -> None:
    """The one line a phase prints as soon as it is done."""
    errors = result.non2xx + result.socket_errors
    print(
        f"  {label}{result.kind:<8} {result.clients:>3} clients  {result.server:<8} "
        f"{result.rps:8.0f} req/s  p50 {result.p50_ms:7.1f} ms  p99 {result.p99_ms:7.1f} ms  "
        f"CPU {result.cpu_ms:5.2f} ms/req  errors {errors}",
        flush=True,
    )


def print_table(results: list[Result]) -> None:
    """Every phase's figures, one row each."""
    print()
    print(
        "kind      clients  server     req/s   p50 ms   p99 ms  CPU ms/req  non-2xx  socket-err"
        "  requests"
    )
    for r in results:
        print(
            f"{r.kind:<9} {r.clients:>7}  {r.server:<8} {r.rps:7.0f} {r.p50_ms:8.1f} "
            f"{r.p99_ms:8.1f} {r.cpu_ms:11.2f} {r.non2xx:8d} {r.socket_errors:11d} {r.requests:9d}"
        )


def percentile(values: list[float], q: float) -> float:
    """The value at share `q` of the sorted values (nearest rank); NaN when there are none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")
