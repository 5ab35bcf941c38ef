"""What `make run` prints: the start-up lines end with the address, and the scheduler's
routine lines (two a minute) are DEBUG, not INFO."""

import logging
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from backend import jobs
from backend.services.releases import dp
from tests.serving import ROOT, server_env

ADDRESS = "Wellbeing Diary on http://127.0.0.1:"


def read_until_address(process) -> list[str]:
    """The lines the server prints up to and including its address."""
    lines = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith(ADDRESS):
            return lines
    raise AssertionError("the server stopped before printing its address:\n" + "\n".join(lines))


def test_the_address_is_the_last_start_up_line(tmp_path, sqlite_template):
    database = tmp_path / "diary.sqlite3"
    shutil.copy(sqlite_template, database)
    env = server_env(f"sqlite:///{database}", SCHEDULER_ENABLED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "backend", "serve", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # If the server hangs before its address, end it so the read below cannot wait for ever.
    guard = threading.Timer(60, process.kill)
    guard.start()
    try:
        start_up = read_until_address(process)
        url = start_up[-1].split()[3]
        with urllib.request.urlopen(url) as answer:  # noqa: S310 (loopback only)
            assert answer.status == 200  # listening by the time the address is printed
        process.send_signal(signal.SIGINT)  # Ctrl+C
        rest = process.stdout.read()
        assert process.wait() == 0
    finally:
        guard.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
    # Passkeys work at the configured origin only (localhost, never 127.0.0.1): it says so.
    assert start_up[-1].endswith("(Ctrl+C to stop); passkeys work at http://localhost:5000/")
    assert any("backend.jobs scheduler started with 6 jobs" in line for line in start_up)
    assert not any("apscheduler" in line for line in start_up), start_up
    assert rest.strip() == "", rest  # nothing else was printed after the address
    assert not any("Differential privacy is turned off" in line for line in start_up)


def test_serving_without_differential_privacy_says_so_at_start_up(make_app, caplog):
    """Turning the noise off is allowed, never quiet: serving logs a warning first."""
    with caplog.at_level(logging.WARNING, logger="backend.services.dp"):
        assert dp.warn_if_off(make_app(DP_ENABLED=False)) is True
    [record] = caplog.records
    assert record.levelno == logging.WARNING and "DP_ENABLED=0" in record.getMessage()
    caplog.clear()
    assert dp.warn_if_off(make_app()) is False
    assert caplog.records == []


def run_one_job(caplog, level) -> list[logging.LogRecord]:
    """Run a job once on a real scheduler with the app's logging rules; its log records."""
    jobs.quiet_scheduler_logs()
    done = threading.Event()
    scheduler = BackgroundScheduler(timezone="UTC")
    # Like our jobs, an interval job (kept after it runs), here first due at once.
    scheduler.add_job(done.set, "interval", minutes=1, next_run_time=datetime.now(UTC))
    with caplog.at_level(level):
        scheduler.start()
        assert done.wait(30)
        scheduler.shutdown(wait=True)
    return [r for r in caplog.records if r.name.startswith("apscheduler")]


def test_each_job_run_is_logged_at_debug_not_info(caplog):
    assert run_one_job(caplog, logging.INFO) == []
    caplog.clear()
    records = run_one_job(caplog, logging.DEBUG)
    messages = [r.getMessage() for r in records]
    assert any(m.startswith("Running job") for m in messages)
    assert any("executed successfully" in m for m in messages)
    assert {r.levelname for r in records} == {"DEBUG"}


def test_the_scheduler_warnings_stay_warnings(caplog):
    jobs.quiet_scheduler_logs()
    with caplog.at_level(logging.INFO):
        logging.getLogger("apscheduler.executors.default").warning("Run time of job was missed")
    [record] = caplog.records
    assert record.levelname == "WARNING"
