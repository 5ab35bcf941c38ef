"""Alerts: where an area's published values move away from its own recent baseline.

Computed from published cells only (a suppressed week is a gap, never a zero). For each
area, the baseline of a measure is an exponentially weighted moving average (EWMA, weight
0.3 on the newest week) over the published weeks before the latest one, with an EWMA of
squared deviations for its spread. An alert is raised when the latest published week is
more than two spreads away in the worrying direction and by a practical margin too (mood
by 0.25 points, a share by 10 percentage points), so that tiny, steady series do not alert
on noise. At least four earlier published weeks are needed.
"""

from datetime import date

from . import published, taxonomy

WEIGHT = 0.3
MIN_HISTORY = 4
SPREADS = 2.0
MEASURES = {
    "mood": {"margin": 0.25, "worse": -1},
    "tough_share": {"margin": 0.10, "worse": +1},
}


def ewma(values: list[float]) -> tuple[float, float]:
    """(mean, spread) of a series, newest last."""
    mean, variance = values[0], 0.0
    for value in values[1:]:
        deviation = value - mean
        mean += WEIGHT * deviation
        variance = (1 - WEIGHT) * (variance + WEIGHT * deviation * deviation)
    return mean, variance**0.5


def _check(series: list[float], margin: float, worse: int) -> tuple[float, float] | None:
    """(baseline, latest) when the latest value is a significant move the worrying way."""
    if len(series) < MIN_HISTORY + 1:
        return None
    baseline, spread = ewma(series[:-1])
    latest = series[-1]
    change = (latest - baseline) * worse
    if change >= margin and change >= SPREADS * spread:
        return baseline, latest
    return None


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _message(label: str, measure: str, baseline: float, latest: float, week: str) -> str:
    if measure == "mood":
        way = "fell" if latest < baseline else "rose"
        return (
            f"Mean mood in {label} {way} to {latest:.2f} in the week of {week}, "
            f"against a usual {baseline:.2f} ({latest - baseline:+.2f} points)."
        )
    if measure == "tough_share":
        return (
            f"In {label}, {_percent(latest)} had a tough week in the week of {week}, "
            f"against a usual {_percent(baseline)}."
        )
    need = taxonomy.labels("needs").get(measure, measure)
    return (
        f"In {label}, {_percent(latest)} asked for \u201c{need}\u201d in the week of {week}, "
        f"against a usual {_percent(baseline)}."
    )


def area_alerts(start: date | None = None, end: date | None = None) -> list[dict]:
    """Alerts for every area, from the published weekly values (default: last 12 weeks)."""
    found = []
    for series in published.trends("area", start, end)["series"]:
        points = [p for p in series["points"] if p["status"] == "published"]
        if len(points) < MIN_HISTORY + 1:
            continue
        week = points[-1]["week"]
        checks = [(m, [p[m] for p in points], spec) for m, spec in MEASURES.items()]
        needs = sorted({code for p in points for code in p["needs"]})
        for code in needs:
            spec = {"margin": 0.10, "worse": +1}
            checks.append((code, [p["needs"].get(code, 0.0) for p in points], spec))
        for measure, values, spec in checks:
            hit = _check(values, spec["margin"], spec["worse"])
            if hit is None:
                continue
            baseline, latest = hit
            found.append(
                {
                    "level": "area",
                    "key": series["key"],
                    "label": series["label"],
                    "week": week,
                    "measure": measure,
                    "kind": "need" if measure not in MEASURES else measure,
                    "baseline": round(baseline, 2),
                    "latest": round(latest, 2),
                    "change": round(latest - baseline, 2),
                    "message": _message(series["label"], measure, baseline, latest, week),
                }
            )
    return sorted(found, key=lambda a: (a["week"], abs(a["change"])), reverse=True)
