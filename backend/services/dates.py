"""The one range every date and time the API takes must fall in.

Nothing before EARLIEST_DATE (default 1 January 2000), nothing more than LATEST_AHEAD_HOURS
(default 24) ahead of the server's clock. The end of a period asked for (a month of history,
a range of weeks) or a pause of reminders may reach further, up to a year ahead. Outside the
range a date is refused with a 422 naming the field, before it can reach arithmetic that
overflows (the Europe/London week of 1 January in year 1) or a database that cannot hold
it. The schemas' date fields (schemas/common.py) and the dates read from paths and page
markers all come here. Each service keeps its own rules inside the range (a check-in is
never in the future, a week must have started).
"""

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app

from ..models.types import utcnow
from .problems import Invalid

# How far ahead the end of a period asked for, or a pause of reminders, may reach.
YEAR_AHEAD = timedelta(days=366)
# The range the settings themselves must keep to (checked when the app starts).
EARLIEST_ALLOWED = date(1900, 1, 1)
MAX_AHEAD_HOURS = 24 * 366


def check_settings(config) -> None:
    """Refuse to start with a range that would let dates overflow, or that is empty.

    EARLIEST_DATE may be given as YYYY-MM-DD text (instance/config.py); it is kept as a date.
    """
    earliest, ahead = config["EARLIEST_DATE"], config["LATEST_AHEAD_HOURS"]
    if isinstance(earliest, str):
        earliest = config["EARLIEST_DATE"] = date.fromisoformat(earliest)
    if not isinstance(earliest, date) or not EARLIEST_ALLOWED <= earliest <= utcnow().date():
        raise RuntimeError(
            f"EARLIEST_DATE is {earliest!r}: it must be a date from {EARLIEST_ALLOWED} to today."
        )
    if not 0 <= ahead <= MAX_AHEAD_HOURS:
        raise RuntimeError(f"LATEST_AHEAD_HOURS is {ahead}: it must be 0 to {MAX_AHEAD_HOURS}.")


def bounds(ahead: timedelta | None = None) -> tuple[datetime, datetime]:
    """The earliest and latest moments taken now (`ahead` instead of LATEST_AHEAD_HOURS)."""
    config = current_app.config
    if ahead is None:
        ahead = timedelta(hours=config["LATEST_AHEAD_HOURS"])
    return datetime.combine(config["EARLIEST_DATE"], time.min, UTC), utcnow() + ahead


def problem(value: date | datetime, ahead: timedelta | None = None) -> str | None:
    """What is wrong with this date or (time-zone aware) date-time, in plain words, or None."""
    earliest, latest = bounds(ahead)
    if isinstance(value, datetime):
        inside = earliest <= value <= latest
    else:
        inside = earliest.date() <= value <= latest.date()
    if inside:
        return None
    return f"Please choose a date from {earliest:%-d %B %Y} to {latest:%-d %B %Y}."


def check(value: date | datetime, field: str, location: str = "json", **kwargs) -> None:
    """Raise Invalid, naming the field, for a date outside the range."""
    message = problem(value, **kwargs)
    if message:
        raise Invalid(message, field, location)
