"""Closed-loop load from several processes of threads, and the tally of what came back.

Each client is a function `one_client(port, n, username, mode, seconds, tally)` that sends
one request after another for `seconds`, timing each into its `Tally` (latency by kind,
statuses, 5xx bodies, check-ins acknowledged and lost). The tallies are merged and printed
with their percentiles. Used by soak.py.
"""

import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from measuring import percentile

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.serving import Client, Gunicorn, rss_kib  # noqa: E402


@dataclass
class Tally:
    """What one or more clients saw: latencies by kind, statuses, failures, check-ins."""

    latencies: dict = field(default_factory=dict)  # kind -> [seconds]
    statuses: dict = field(default_factory=dict)  # status -> count
    errors: int = 0  # connection failures
    server_errors: list = field(default_factory=list)  # (kind, status, body) of 5xx
    acked: int = 0
    lost: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    def add(self, kind: str, status: int, seconds: float, body: bytes = b"") -> None:
        self.latencies.setdefault(kind, []).append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status >= 500 and len(self.server_errors) < 20:
            self.server_errors.append((kind, status, body[:200]))

    def merge(self, other: "Tally") -> None:
        for kind, values in other.latencies.items():
            self.latencies.setdefault(kind, []).extend(values)
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count
        self.errors += other.errors
        self.server_errors.extend(other.server_errors)
        self.acked += other.acked
        self.lost.extend(other.lost)
        self.wrong.extend(other.wrong)


def timed(tally: Tally, kind: str, client: Client, method: str, path: str, body=None):
    """One request, timed into the tally; None (and an error counted) if the connection failed."""
    started = time.perf_counter()
    try:
        reply = client.request(method, path, body)
    except OSError:
        tally.errors += 1
        return None
    tally.add(kind, reply.status, time.perf_counter() - started, reply.body)
    return reply


def client_process(one_client, port: int, people: list[tuple[int, str]], mode: str, seconds):
    """One load-generating process: a thread per client, each running `one_client(port, n,
    username, mode, seconds, tally)`; returns the merged tally and the clients' problems."""
    tallies = [Tally() for _ in people]
    problems: list[str] = []

    def run(index: int, n: int, username: str):
        try:
            one_client(port, n, username, mode, seconds, tallies[index])
        except Exception as problem:  # report, do not hide: the run is then invalid
            problems.append(f"client {n}: {type(problem).__name__}: {problem}")

    threads = [
        threading.Thread(target=run, args=(i, n, name), daemon=True)
        for i, (n, name) in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 600)
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return total, problems


def drive(one_client, port: int, people: list, processes: int, mode: str, seconds: float):
    """`one_client` for each person, in `processes` processes (threads within each), so that
    the load generator is not one GIL; returns the merged tally and every client's problems."""
    shares = [people[i::processes] for i in range(processes)]
    total, problems = Tally(), []
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = [
            pool.submit(client_process, one_client, port, share, mode, seconds) for share in shares
        ]
        for future in futures:
            tally, trouble = future.result(timeout=seconds + 900)
            total.merge(tally)
            problems.extend(trouble)
    return total, problems


def report(name: str, tally: Tally, seconds: float) -> float:
    """Print a tally: overall and per kind (count, p50, p99), statuses; returns req/s."""
    every = [v for values in tally.latencies.values() for v in values]
    rate = len(every) / seconds
    print(
        f"{name}: {len(every)} requests in {seconds:.0f} s = {rate:.0f} req/s, "
        f"p50 {percentile(every, 0.5) * 1000:.1f} ms, p99 {percentile(every, 0.99) * 1000:.1f} ms"
    )
    for kind, values in sorted(tally.latencies.items()):
        print(
            f"    {kind:9} {len(values):8d}  p50 {percentile(values, 0.5) * 1000:7.1f} ms"
            f"  p99 {percentile(values, 0.99) * 1000:7.1f} ms"
        )
    print(f"    statuses {dict(sorted(tally.statuses.items()))}, connection errors {tally.errors}")
    return rate


def sample_rss(server: Gunicorn, stop: threading.Event, samples: list, every: float = 30):
    """Append (time, RSS of master + workers) every `every` s until `stop` is set."""
    while not stop.wait(every):
        samples.append((time.monotonic(), rss_kib(server.pids())))
