"""Scheduled jobs (APScheduler): plain functions that tests call directly.

The scheduler must run in exactly one process, so create_app() never starts it. What
serves starts it: `flask --app backend serve` (what `make run` uses) inside the one
development process; under gunicorn (`make serve`) the master process, once; or
`flask --app backend jobs run` as a process of its own. SCHEDULER_ENABLED=0 turns off
the first two, for a deployment that runs `jobs run` separately.
"""

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

log = logging.getLogger(__name__)
_scheduler: BackgroundScheduler | None = None
# APScheduler logs every run of every job ("Running job ...", "... executed successfully")
# and every job added at INFO: two lines a minute that bury ours. Its warnings and errors
# (a missed run, a job that raised) stay as they are.
SCHEDULER_LOGGERS = ("apscheduler.scheduler", "apscheduler.executors.default")


class InfoToDebug(logging.Filter):
    """Log a logger's INFO records at DEBUG: shown only when DEBUG is switched on."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO:
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def quiet_scheduler_logs() -> None:
    """Send APScheduler's routine INFO lines to DEBUG (idempotent)."""
    for name in SCHEDULER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, InfoToDebug) for f in logger.filters):
            logger.addFilter(InfoToDebug())


def job_definitions(app: Flask) -> list[dict]:
    """Each job: an id, a function taking the app, and an interval trigger's arguments."""
    from .services import champions, hub, releases, reminders, retention

    return [
        # On the minute, so a 07:30 reminder goes at 07:30, not up to a minute later.
        {"id": "send-reminders", "func": reminders.send_due_job, "every": reminders.EVERY_MINUTE},
        {
            "id": "publish-releases",
            "func": releases.publish_job,
            "every": {"minutes": app.config["RELEASE_INTERVAL_MINUTES"]},
        },
        {"id": "retention", "func": retention.retention_job, "every": {"days": 1}},
        {"id": "membership", "func": releases.daily_job, "every": {"days": 1}},
        # The champion network's figures of the week that closed, frozen with their noise.
        {"id": "champions", "func": champions.daily_job, "every": {"days": 1}},
        # New requests to the hub: practitioners hear within a minute (generic words only).
        {"id": "announce-requests", "func": hub.announce_job, "every": reminders.EVERY_MINUTE},
    ]


def _run_in_context(app: Flask, func):
    def runner():
        with app.app_context():
            func(app)

    return runner


def build_scheduler(app: Flask, scheduler_class=BackgroundScheduler):
    quiet_scheduler_logs()
    scheduler = scheduler_class(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})
    for job in job_definitions(app):
        scheduler.add_job(
            _run_in_context(app, job["func"]),
            "interval",
            id=job["id"],
            name=job["id"],
            replace_existing=True,
            misfire_grace_time=60,
            **job["every"],
        )
    return scheduler


def start_scheduler(app: Flask) -> None:
    global _scheduler
    if _scheduler is not None:
        return
    _scheduler = build_scheduler(app)
    _scheduler.start()
    log.info("scheduler started with %d jobs", len(_scheduler.get_jobs()))
