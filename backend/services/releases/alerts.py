"""Alerts: where an area's published weeks move away from its own usual level.

Read from published cells only (a suppressed week is a gap, never a zero), and from whole
weeks only. The week in progress is left out until it is over: a part-week is not like a
whole one (Mondays are harder, fewer check-ins per person make more person-weeks look
tough, the live rule may still show figures from early in the week), and set against whole
weeks it raised alerts in calm areas every Monday.

For each area and measure (mean mood, the share having a tough week, the share asking for
each need) an EWMA control chart: the area's usual level is the mean and spread of its
published whole weeks before the last three (at least four of them); an exponentially
weighted moving average (weight 0.3 on the newest week) then runs through the last three
weeks, starting from that usual level. An alert is raised when
- the average has moved the worrying way by three of its own spreads and by a practical
  margin (mood 0.25 points, a share 10 percentage points): a sustained move, such as a fall
  over several weeks; or
- the latest whole week alone is three weekly spreads and twice the margin away: a sudden
  move.
A published share is a count rounded to 5 over a count rounded to 5, so it cannot be read
finer than one rounding step over the cell's size: its weekly spread is taken as at least
that, or a small cell's rounding would raise alerts on its own. Likewise for the noise of
differential privacy: each published figure carries a margin (the half-width of its 90%
interval); the noise's own spread is added to the weekly spread (0.61 of the margin: a
Laplace's standard deviation over its 90% half-width), and a move must clear the practical
margin plus the recent weeks' published margin, so noise alone never raises an alert.

Why the usual level is fixed rather than following the latest weeks: an average that
follows the weeks (as a forecast of the next one) moves with a steady fall, and its spread
grows with the fall too, so a fall of a point over six weeks never stood out.
"""

from datetime import date, timedelta
from statistics import fmean, pstdev

from .. import taxonomy
from ..problems import Invalid
from . import published
from .contributions import current_week
from .privacy import ROUNDING, privacy_k

WEIGHT = 0.3
RECENT = 3
MIN_USUAL = 4
SPREADS = 3.0
NOISE_SD = 0.61  # a Laplace's standard deviation over the half-width of its 90% interval
MEASURES = {
    "mood": {"margin": 0.25, "worse": -1, "share": False},
    "tough_share": {"margin": 0.10, "worse": +1, "share": True},
}
NEED = {"margin": 0.10, "worse": +1, "share": True}
ORDER = {"mood": 0, "tough_share": 1, "need": 2}


def _chart(
    values: list[float], sizes: list[int], spec: dict, noise: list[float] | None = None
) -> dict | None:
    """The alert of one series (oldest first), or None when nothing stands out.

    `noise` is each week's published margin of the measure (0 where there is none).
    """
    if len(values) < MIN_USUAL + RECENT:
        return None
    noise = noise or [0.0] * len(values)
    usual = values[:-RECENT]
    baseline, spread = fmean(usual), pstdev(usual)
    if spec["share"]:
        spread = max(spread, ROUNDING / fmean(sizes[:-RECENT]))
    # Counted on top of the weeks' own spread (which holds some of it already): a cautious
    # chart, as a false alert sends a hub somewhere nothing happened.
    spread = (spread**2 + (NOISE_SD * fmean(noise)) ** 2) ** 0.5
    practical = spec["margin"] + fmean(noise[-RECENT:])
    level = baseline
    for value in values[-RECENT:]:
        level += WEIGHT * (value - level)
    # The spread of the average after RECENT steps from a known start.
    level_spread = spread * (WEIGHT / (2 - WEIGHT) * (1 - (1 - WEIGHT) ** (2 * RECENT))) ** 0.5
    worse, latest = spec["worse"], values[-1]
    moved = (level - baseline) * worse
    if moved >= practical and moved >= SPREADS * level_spread:
        return {"how": "sustained", "baseline": baseline, "latest": latest, "level": level}
    jumped = (latest - baseline) * worse
    if jumped >= 2 * spec["margin"] + noise[-1] and jumped >= SPREADS * spread:
        return {"how": "sudden", "baseline": baseline, "latest": latest, "level": level}
    return None


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def week_words(week: date) -> str:
    """A week as the hub reads it: 23 Nov 2026."""
    return f"{week.day} {week:%b %Y}"


def _message(label: str, measure: str, hit: dict, week: str) -> str:
    latest, baseline, sudden = hit["latest"], hit["baseline"], hit["how"] == "sudden"
    if measure == "mood":
        if sudden:
            return (
                f"Mean mood in {label} fell to {latest:.2f} in the week of {week}, "
                f"against a usual {baseline:.2f} ({latest - baseline:+.2f} points)."
            )
        return (
            f"Mean mood in {label} has been lower over recent weeks: {latest:.2f} in the week "
            f"of {week}, against a usual {baseline:.2f}."
        )
    if measure == "tough_share":
        what = "had a tough week"
    else:
        what = f"asked for \u201c{taxonomy.labels('needs').get(measure, measure)}\u201d"
    figures = f"in the week of {week}, against a usual {_percent(baseline)}"
    if sudden:
        return f"In {label}, {_percent(latest)} {what} {figures}."
    return f"In {label}, more people have {what} lately: {_percent(latest)} {figures}."


def _window(start: date | None, end: date | None, now) -> tuple[date, date, date]:
    """(first week, last week, week in progress): whole weeks only, by default the last 12."""
    in_progress = current_week(now)
    last_whole = in_progress - timedelta(weeks=1)
    end = min(published.monday(end) if end else last_whole, last_whole)
    start = published.monday(start) if start else end - timedelta(weeks=published.DEFAULT_WEEKS - 1)
    if start > end:
        raise Invalid(
            "Alerts look at whole weeks only: 'from' must be before the week in progress.",
            "from",
            "query",
        )
    return start, end, in_progress


def _area_alerts(series: dict, last_week: str) -> list[dict]:
    points = [p for p in series["points"] if p["status"] == "published"]
    sizes = [p["contributors"] for p in points]
    margins = [p.get("margins") or {} for p in points]
    shares = [m.get("shares", 0.0) for m in margins]
    checks = [
        (
            m,
            [p[m] for p in points],
            spec,
            shares if spec["share"] else [x.get(m, 0.0) for x in margins],
        )
        for m, spec in MEASURES.items()
    ]
    for code in sorted({code for p in points for code in p["needs"]}):
        checks.append((code, [p["needs"].get(code, 0.0) for p in points], NEED, shares))
    found = []
    for measure, values, spec, noise in checks:
        hit = _chart(values, sizes, spec, noise)
        if hit is None:
            continue
        moved = hit["latest" if hit["how"] == "sudden" else "level"] - hit["baseline"]
        found.append(
            {
                "level": "area",
                "key": series["key"],
                "label": series["label"],
                "week": last_week,
                "measure": measure,
                "kind": measure if measure in MEASURES else "need",
                "how": hit["how"],
                "baseline": round(hit["baseline"], 2),
                "latest": round(hit["latest"], 2),
                "recent": round(hit["level"], 2),
                "change": round(moved, 2),
                "message": _message(
                    series["label"], measure, hit, week_words(date.fromisoformat(last_week))
                ),
            }
        )
    return found


def area_alerts(start: date | None = None, end: date | None = None, now=None) -> dict:
    """Alerts for every area from its published whole weeks, and the areas not judged."""
    start, end, in_progress = _window(start, end, now)
    by_key = {s["key"]: s for s in published.trends("area", start, end)["series"]}
    last_week = end.isoformat()
    found, latest_hidden, few_weeks = [], [], []
    for area in taxonomy.get_taxonomy()["areas"]:
        series = by_key.get(area["code"])
        points = series["points"] if series else []
        shown = [p for p in points if p["status"] == "published"]
        named = {"key": area["code"], "label": area["name"]}
        if points and not any(p["week"] == last_week for p in shown):
            latest_hidden.append(named)
        elif len(shown) < MIN_USUAL + RECENT:
            few_weeks.append(named)
        else:
            found.extend(_area_alerts(series, last_week))
    found.sort(key=lambda a: (ORDER[a["kind"]], -abs(a["change"]), a["label"]))
    return {
        "items": found,
        "from": start.isoformat(),
        "to": last_week,
        "in_progress": in_progress.isoformat(),
        "about": _about(start, end, in_progress),
        "not_judged": _not_judged(latest_hidden, few_weeks, start, end),
    }


def _about(start: date, end: date, in_progress: date) -> str:
    return (
        f"Each area's last {RECENT} published whole weeks, to the week of {week_words(end)}, "
        f"against its usual level in the weeks before them, back to {week_words(start)}. "
        f"The week in progress (from {week_words(in_progress)}) counts once it is over."
    )


def _not_judged(latest_hidden: list, few_weeks: list, start: date, end: date) -> list[dict]:
    k, weeks = privacy_k(), (end - start).days // 7 + 1
    groups = []
    if latest_hidden:
        groups.append(
            {
                "reason": "latest_not_shown",
                "message": (
                    f"The week of {week_words(end)} is not shown for these areas (fewer than "
                    f"{k} people, or hidden so that a smaller group cannot be worked out), "
                    "so the alerts cannot say whether they stand out:"
                ),
                "areas": latest_hidden,
            }
        )
    if few_weeks:
        groups.append(
            {
                "reason": "few_weeks",
                "message": (
                    f"Alerts need at least {MIN_USUAL + RECENT} published whole weeks out of "
                    f"the {weeks} looked at; these areas have fewer so far:"
                ),
                "areas": few_weeks,
            }
        )
    return groups
