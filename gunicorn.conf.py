"""gunicorn settings for `make serve` (production serving).

Threads (gthread) so a researcher's live stream does not pin a whole worker. The scheduled
jobs run in exactly one process, the gunicorn master: workers are started with
never start it (create_app() does not), and the master starts it once it is ready, unless
SCHEDULER_ENABLED=0 (when `flask --app backend jobs run` runs it as a process of its own).
"""

import os

from backend import server_errors

wsgi_app = "backend:create_app()"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "8"))
timeout = 60
graceful_timeout = 20
keepalive = 5
# No request lines: a URL can carry an entry id, and logs hold nothing about a person.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")

# What gunicorn refuses before the app sees it (its defaults, stated so the README's proxy
# advice can name them): a request line over 4,094 bytes is a 414; more than 100 headers, or
# one over 8,190 bytes, a 431. Those answers, and a 400 for a request that is not HTTP, are
# written in the app's JSON error shape (backend/server_errors.py).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
server_errors.install()

# gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), so two
# servers on one machine (tests, benchmarks, a second site) would take it from each other.
# Off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

_master_app = None


def when_ready(server):
    """Start the scheduler in the master, the one process there is exactly one of."""
    global _master_app
    from backend import create_app
    from backend.jobs import start_scheduler
    from backend.services.releases import warn_if_dp_off
    from backend.services.reminders import vapid_key
    from backend.services.resources import warn_of_placeholders

    _master_app = create_app()
    vapid_key(_master_app)  # made in instance/ on the first run, before any worker needs it
    warn_of_placeholders(_master_app)  # once, here, not in every worker
    warn_if_dp_off(_master_app)
    if not _master_app.config["SCHEDULER_ENABLED"]:
        return
    start_scheduler(_master_app)
    server.log.info("scheduler running in the gunicorn master (pid %s)", os.getpid())


def post_fork(server, worker):
    """A worker must not reuse the master's database connections (SQLAlchemy's fork advice)."""
    if _master_app is not None:
        from backend.extensions import db

        with _master_app.app_context():
            db.engine.dispose(close=False)
