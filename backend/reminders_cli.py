"""`flask --app backend reminders ...`: the reminder sender as a process of its own.

Where the sender runs in production: `make run` starts the scheduler inside the app (one
process); under gunicorn it runs in the master (gunicorn.conf.py), or, with
SCHEDULER_ENABLED=0, as `flask --app backend jobs run` (every job) or `reminders run` (this
job only) in exactly one process of its own. On PostgreSQL a second sender by mistake is
harmless (claims are FOR UPDATE SKIP LOCKED); on SQLite keep to one.
"""

from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

JOB_ID = "send-reminders"
reminders_cli = AppGroup("reminders", help="Opt-in check-in reminders (Web Push).")


@reminders_cli.command("run")
def run() -> None:
    """Send due reminders once a minute until stopped (the reminder job only)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from .jobs import build_scheduler

    app = current_app._get_current_object()
    scheduler = build_scheduler(app, BlockingScheduler)
    for job in scheduler.get_jobs():
        if job.id != JOB_ID:
            scheduler.remove_job(job.id)
    click.echo("Sending reminders once a minute; Ctrl+C to stop.")
    scheduler.start()


@reminders_cli.command("send-due")
@click.option("--now", "now_text", help="Pretend it is this moment (ISO 8601 with a zone).")
def send_due(now_text: str | None) -> None:
    """Send the reminders that are due now, once, and print the counts."""
    from .services import reminders

    now = datetime.fromisoformat(now_text) if now_text else None
    if now is not None and now.tzinfo is None:
        raise click.BadParameter(
            "give a time zone, e.g. 2026-03-30T06:30:00+00:00", param_hint="--now"
        )
    counts = reminders.send_due(current_app._get_current_object(), now)
    click.echo(" ".join(f"{name}={value}" for name, value in counts.items()))


COMMANDS = [reminders_cli]
