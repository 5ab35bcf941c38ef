"""Configuration: defaults, then environment variables, then instance/config.py."""

import os
from datetime import date
from pathlib import Path

DEFAULT_K = 10
MIN_K = 5


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def _env_float(name: str) -> float | None:
    value = os.environ.get(name)
    return None if value in (None, "") else float(value)


# Optional settings: read only when set, so the code's own defaults stand otherwise.
OPTIONAL_INTS = (
    "SESSION_IDLE_MINUTES_STAFF",
    "SESSION_ABSOLUTE_MINUTES_STAFF",
    "SESSION_IDLE_MINUTES_PRIVILEGED",
    "SESSION_ABSOLUTE_MINUTES_PRIVILEGED",
    "DP_REFRESHES",
)
OPTIONAL_FLOATS = (
    "DP_FIGURE_EPSILON",
    "DP_SHARE_EPSILON",
    "DP_YEARLY_EPSILON",
    "INSIGHTS_STREAM_SECONDS",
    "INSIGHTS_STREAM_POLL_SECONDS",
)


def sqlalchemy_url(url: str) -> str:
    """Use the psycopg 3 driver for a plain postgres:// or postgresql:// URL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(instance_path: str) -> dict:
    """Settings read from the environment, with the embedded defaults."""
    sqlite_file = Path(instance_path) / "diary.sqlite3"
    env_name = os.environ.get("DIARY_ENV", "production")
    settings = {
        "DIARY_ENV": env_name,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL") or f"sqlite:///{sqlite_file}",
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Always set: Flask-Limiter otherwise keeps the last app's choice for the next one.
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "PRIVACY_K": _env_int("PRIVACY_K", DEFAULT_K),
        # Differential privacy is on unless turned off in so many words (services/dp.py).
        "DP_ENABLED": _env_bool("DP_ENABLED", True),
        "RETENTION_MONTHS": _env_int("RETENTION_MONTHS", 24),
        # Requests to talk to someone at the hub: erased this many days after closing.
        "REFERRAL_RETENTION_DAYS": _env_int("REFERRAL_RETENTION_DAYS", 90),
        # When the hub answers, in the hub's own words, shown on the request form.
        "HUB_OPENING_HOURS": os.environ.get("HUB_OPENING_HOURS")
        or "Monday to Friday, 9am to 5pm (not bank holidays)",
        "RELEASE_INTERVAL_MINUTES": _env_int("RELEASE_INTERVAL_MINUTES", 15),
        # This week and the weeks before it that releases still recompute.
        "RELEASE_OPEN_WEEKS": _env_int("RELEASE_OPEN_WEEKS", 2),
        "SCHEDULER_ENABLED": _env_bool("SCHEDULER_ENABLED", True),
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get(
            "LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;30 per hour"
        ),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get(
            "LOGIN_LIMIT_PER_ADDRESS", "20 per minute;200 per hour"
        ),
        "RESOURCE_OPEN_LIMIT": os.environ.get("RESOURCE_OPEN_LIMIT", "60 per hour"),
        # Who counts (services/releases/membership.py): an account's waiting period, and the
        # different days it must have checked in on, before it counts in any release.
        "ESTABLISHED_DAYS": _env_int("ESTABLISHED_DAYS", 14),
        "ESTABLISHED_CHECKIN_DAYS": _env_int("ESTABLISHED_CHECKIN_DAYS", 3),
        # This many sign-ups from one address within this many minutes are marked a burst.
        "SIGNUP_BURST_SIZE": _env_int("SIGNUP_BURST_SIZE", 5),
        "SIGNUP_BURST_MINUTES": _env_int("SIGNUP_BURST_MINUTES", 60),
        # Tries at a join code per person and per address (against guessing).
        "JOIN_CODE_LIMIT": os.environ.get("JOIN_CODE_LIMIT", "5 per minute;20 per hour"),
        # Laplace noise on each closed week's take-up counts (0 turns it off).
        "TAKE_UP_EPSILON": float(os.environ.get("TAKE_UP_EPSILON") or 10.0),
        # Resources a person counts in per week (the first ones opened): bounds the noise.
        "TAKE_UP_RESOURCES_PER_WEEK": _env_int("TAKE_UP_RESOURCES_PER_WEEK", 3),
        # Noise on the champion network's weekly figures (services/champions), drawn once.
        "CHAMPION_EPSILON": float(os.environ.get("CHAMPION_EPSILON") or 10.0),
        # The range of every date the API takes (services/dates.py).
        "EARLIEST_DATE": date.fromisoformat(os.environ.get("EARLIEST_DATE") or "2000-01-01"),
        "LATEST_AHEAD_HOURS": _env_int("LATEST_AHEAD_HOURS", 24),
        # How many reverse proxies in front set X-Forwarded-For/-Proto/-Host (0: none).
        "TRUSTED_PROXIES": _env_int("TRUSTED_PROXIES", 0),
        "ALLOWED_ORIGINS": [o for o in os.environ.get("ALLOWED_ORIGINS", "").split(",") if o],
        # Reminders (Web Push). VAPID_SUBJECT should be the hub's mailto: or https: contact.
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", "mailto:wellbeing-hub@localhost"),
        "PUSH_ALLOW_LOOPBACK_HTTP": _env_bool("PUSH_ALLOW_LOOPBACK_HTTP", False),
        "PUSH_TIMEOUT_SECONDS": float(os.environ.get("PUSH_TIMEOUT_SECONDS") or 10),
        "PUSH_TTL_SECONDS": _env_int("PUSH_TTL_SECONDS", 60 * 60),
        "PUSH_RETRIES": _env_int("PUSH_RETRIES", 2),
        "PUSH_RETRY_BACKOFF_SECONDS": float(os.environ.get("PUSH_RETRY_BACKOFF_SECONDS") or 1),
        "PUSH_SENDERS": _env_int("PUSH_SENDERS", 64),
        "REMINDER_BATCH_SIZE": _env_int("REMINDER_BATCH_SIZE", 500),
        # Passkeys (services/passkeys/relying_party.py checks them at start-up).
        "WEBAUTHN_RP_ID": os.environ.get("WEBAUTHN_RP_ID") or "localhost",
        "WEBAUTHN_ORIGIN": os.environ.get("WEBAUTHN_ORIGIN") or "http://localhost:5000",
    }
    if os.environ.get("DP_EPSILON"):
        # It meant one epsilon split over a whole release; read as per figure now, the same
        # number would mean far less noise. Stop rather than weaken privacy in silence.
        raise ValueError(
            "DP_EPSILON is no longer read: set DP_FIGURE_EPSILON (the epsilon of each "
            "published figure, default 1.5) or leave it unset; see the README's privacy section."
        )
    settings.update({n: _env_int(n, 0) for n in OPTIONAL_INTS if os.environ.get(n)})
    settings.update({n: _env_float(n) for n in OPTIONAL_FLOATS if os.environ.get(n)})
    return settings


def engine_options(url: str) -> dict:
    """Connection settings for the database behind this URL.

    PostgreSQL: check a pooled connection before use (a restarted server or a dropped idle
    connection then costs one reconnect, not a failed request) and give up connecting
    after 5 seconds, so a request fails with a clear 503 instead of hanging a worker.
    """
    if url.startswith("postgresql"):
        return {"pool_pre_ping": True, "connect_args": {"connect_timeout": 5}}
    return {}


def fixed_settings(env_name: str) -> dict:
    """Settings that follow from the environment name and are not meant to be tuned."""
    development = env_name in {"development", "test"}
    return {
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not development,
        "SESSION_COOKIE_NAME": "diary_session" if development else "__Host-diary_session",
        "REMEMBER_COOKIE_DURATION": 0,
        "JSON_SORT_KEYS": False,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "API_TITLE": "Wellbeing Diary",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": None,
        # Retry-After is added to 429 answers by errors.py, not to every answer.
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_STRATEGY": "moving-window",
    }
