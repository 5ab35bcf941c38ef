"""A person's own trends: daily and weekly means, the mood spread, and what goes with
better and worse days. Computed only for the person themself, from their own entries."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..extensions import db
from ..models import Entry, User
from ..models.types import utcnow
from . import taxonomy
from .entries import SCALES, _require_staff

PERIOD_DAYS = {"week": 7, "month": 30, "year": 365}
MEASURES = ("mood", *SCALES)
# A factor is named only when it appears on enough days to say something, and the
# difference is big enough to notice.
MIN_FACTOR_DAYS = 2
MIN_DIFFERENCE = 0.25
MAX_FACTORS = 3
# The fewest days of check-ins in a period that can show a pattern: a factor on
# MIN_FACTOR_DAYS of them and at least one day without it (see _factor_links).
MIN_PATTERN_DAYS = MIN_FACTOR_DAYS + 1


def _mean(values: list[float]) -> float | None:
    return round(fmean(values), 2) if values else None


def _means(entries: list[Entry]) -> dict:
    result = {"count": len(entries)}
    for measure in MEASURES:
        values = [getattr(e, measure) for e in entries if getattr(e, measure) is not None]
        result[measure] = _mean(values)
    return result


def _factor_links(days: dict[date, list[Entry]]) -> dict:
    day_mood = {d: fmean(e.mood for e in es) for d, es in days.items()}
    day_factors = {d: {f for e in es for f in e.factors} for d, es in days.items()}
    names = taxonomy.labels("factors")
    links = []
    for factor in sorted({f for fs in day_factors.values() for f in fs}):
        with_ = [m for d, m in day_mood.items() if factor in day_factors[d]]
        without = [m for d, m in day_mood.items() if factor not in day_factors[d]]
        if len(with_) < MIN_FACTOR_DAYS or not without:
            continue
        link = {
            "code": factor,
            "label": names.get(factor, factor),
            "with_mood": round(fmean(with_), 2),
            "without_mood": round(fmean(without), 2),
            "days": len(with_),
        }
        links.append((fmean(with_) - fmean(without), link))
    better = [link for diff, link in sorted(links, key=lambda x: -x[0]) if diff >= MIN_DIFFERENCE]
    worse = [link for diff, link in sorted(links, key=lambda x: x[0]) if diff <= -MIN_DIFFERENCE]
    return {"better": better[:MAX_FACTORS], "worse": worse[:MAX_FACTORS]}


def summarise(user: User, period: str, zone: str = "Europe/London", now: datetime | None = None):
    """The person's trends over the last week, month or year, in their own time zone."""
    _require_staff(user)
    tz = ZoneInfo(zone)
    today = (now or utcnow()).astimezone(tz).date()
    first_day = today - timedelta(days=PERIOD_DAYS[period] - 1)
    start = datetime.combine(first_day, time.min, tz)
    end = datetime.combine(today + timedelta(days=1), time.min, tz)
    query = (
        sa.select(Entry)
        .where(Entry.user_id == user.id, Entry.occurred_at >= start, Entry.occurred_at < end)
        .order_by(Entry.occurred_at)
    )
    entries = list(db.session.scalars(query))
    days: dict[date, list[Entry]] = defaultdict(list)
    weeks: dict[date, list[Entry]] = defaultdict(list)
    for entry in entries:
        day = entry.occurred_at.astimezone(tz).date()
        days[day].append(entry)
        weeks[day - timedelta(days=day.weekday())].append(entry)
    distribution = {str(v): 0 for v in range(1, 6)}
    for entry in entries:
        distribution[str(entry.mood)] += 1
    return {
        "period": period,
        "from": first_day.isoformat(),
        "to": today.isoformat(),
        "count": len(entries),
        "days": [{"date": d.isoformat(), **_means(es)} for d, es in sorted(days.items())],
        "weeks": [{"week_start": w.isoformat(), **_means(es)} for w, es in sorted(weeks.items())],
        "distribution": distribution,
        "factors": _factor_links(days),
        "patterns": _pattern_progress(days),
    }


def _pattern_progress(days: dict[date, list[Entry]]) -> dict:
    """How far the period is from showing patterns, so the app can say what is needed."""
    return {
        "days_needed": MIN_PATTERN_DAYS,
        "factor_days_needed": MIN_FACTOR_DAYS,
        "days": len(days),
        "days_with_factors": sum(1 for es in days.values() if any(e.factors for e in es)),
    }
