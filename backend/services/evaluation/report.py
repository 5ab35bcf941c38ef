"""The 6- and 12-month evaluation report: its published figures under the release rules,
then its HTML.

The figures are a plain structure (`evaluation`), rendered afterwards (`render`), so the
numbers can be checked without reading HTML. The period is the last N complete calendar
months (Europe/London) before the month of the day the report is made (evaluation_period).

Published once, as releases are live but not leaky (evaluation_store): each month's figures
are worked out the first time a report covers that month and shown again, value for value,
on every later report; they are worked out afresh only when the month's number of people
has moved by at least k since (privacy.py's live rule), and withheld while someone inside
them has left since (its departures rule). Each period's figures (retention, awareness,
ONS4, people over the period) are worked out the first time a report covers that period,
together with the other length's ending in the same month, and then stand for ever. So
two downloads never differ by one person.

The release rules, applied when shown to the exact counts stored behind each figure: a
figure about people needs at least k of them, or it is hidden; people counts are rounded
to the nearest 5; shares are rounded counts over rounded counts; means are shown only
with at least k contributors. Take-up is people per resource and week (each person once a
week), added up by month: shown only when at least k and rounded to 5; each resource's
period total sits beside its months, so
complementary suppression hides more months until what the total minus the shown months
leaves over (counted with the exact counts behind the figures shown) is nothing or at
least k.
"""

from dataclasses import dataclass
from datetime import date

from flask import render_template

from .. import releases, resources, taxonomy, wellbeing
from ..onboarding import QUESTIONS
from ..releases import ROUNDING, privacy_k, shown_count, shown_share
from . import champions
from . import store as evaluation_store
from .period import period_for
from .sources import AWARENESS_QUESTIONS

MONTHS = (6, 12)
ONS4_LABELS = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Feeling that what you do is worthwhile",
    "happy": "Happiness yesterday",
    "anxious": "Anxiety yesterday (lower is better)",
}
AWARENESS_LABELS = {
    "career_conversation": "Offered a career conversation",
    "knows_training": "Knows of training or apprenticeships",
}


@dataclass(frozen=True)
class Hidden:
    """A figure not shown: too few behind it, it would let a hidden one be worked out, or
    people have left it since it was worked out (until it can be worked out afresh)."""

    reason: str  # small | complementary | withheld


SMALL = Hidden("small")
COMPLEMENTARY = Hidden("complementary")
WITHHELD = Hidden("withheld")  # people have left the figures since they were worked out


def _people(n: int, k: int) -> int | Hidden:
    """A count of people as shown: hidden below k, else to the nearest 5."""
    return SMALL if n < k else shown_count(n)


def _ratio(count: int, n: int) -> float:
    """A rounded count over a rounded count, as release cells show shares."""
    return shown_share(count, n)


def _share(count: int, n: int, k: int) -> float | Hidden:
    """The share of n people, hidden when n is below k."""
    return SMALL if n < k else _ratio(count, n)


def _month(first_day: date, month: evaluation_store.StoredMonth, need_codes, k: int) -> dict:
    """One month's row as shown, from its stored exact figures."""
    stored = month.figures
    n, weeks = stored["people"], stored["weeks"]
    if n < k or month.withheld:
        # A month too small to show says only that, whoever has left it since.
        hidden = SMALL if n < k else WITHHELD
        shown = ("people", "check_ins_per_person", "mood", "tough_share", "needs")
        return {"month": first_day, **dict.fromkeys(shown, hidden)}
    return {
        "month": first_day,
        "people": _people(n, k),
        "check_ins_per_person": round(stored["check_ins"] / n, 1),
        # Person-weeks' mean moods, and the share of them that were tough weeks.
        "mood": round(stored["mood"] / weeks, 2),
        "tough_share": _ratio(stored["tough"], weeks),
        "needs": {c: _ratio(stored["needs"].get(c, 0), n) for c in need_codes},
    }


def _retention(stored: list[dict], k: int) -> list[dict]:
    result = [
        {
            "weeks": row["weeks"],
            "people": _people(row["cohort"], k),
            "share": _share(row["stayed"], row["cohort"], k),
        }
        for row in stored
    ]
    # Each later group is part of the one before: its size is shown only when what
    # subtracting it would leave (those who started too late to tell) is nobody or k or more.
    for n, (before, later) in enumerate(zip(stored, stored[1:], strict=False), 1):
        if result[n]["people"] != SMALL and 0 < before["cohort"] - later["cohort"] < k:
            result[n]["people"] = COMPLEMENTARY
    return result


def _protect(parts: list[int], total: int, k: int) -> tuple[list[int | Hidden], int | Hidden]:
    """Opens per month beside their total: small months hidden, then more until the total
    minus the shown months is nothing or at least k (exact counts, as privacy.protect)."""
    hidden = {i for i, n in enumerate(parts) if n < k}
    if total >= k:
        while 0 < abs(total - sum(n for i, n in enumerate(parts) if i not in hidden)) < k:
            hidden.add(
                min((i for i in range(len(parts)) if i not in hidden), key=parts.__getitem__)
            )
    shown = [SMALL if parts[i] < k else COMPLEMENTARY if i in hidden else shown_count(parts[i])
             for i in range(len(parts))]  # fmt: skip
    return shown, (shown_count(total) if total >= k else SMALL)


def _take_up(months: list[dict], totals: dict[str, int], k: int) -> list[dict]:
    """People per resource per month (weeks added up), with each resource's period total."""
    # The catalogue's titles and order; a resource since taken out of it keeps its id.
    titles = {r["id"]: r["title"] for r in resources.catalogue()}
    order = {code: n for n, code in enumerate(titles)}
    opened = set(totals).union(*(month["opens"] for month in months))
    rows = []
    for resource in sorted(opened, key=lambda code: (order.get(code, len(order)), code)):
        parts = [month["opens"].get(resource, 0) for month in months]
        shown, total = _protect(parts, totals.get(resource, 0), k)
        label = titles.get(resource, resource)
        rows.append({"resource": resource, "label": label, "months": shown, "total": total})
    return rows


def _awareness(stored: dict, k: int) -> dict:
    """First answers against latest, all as shares of the same people: a skipped question
    counts as not yes, so no smaller group is shown beside theirs (it could be subtracted)."""
    n = stored["people"]

    def row(code: str, label: str, counts: list[int] | None) -> dict:
        baseline, latest = counts or (0, 0)
        shares = {"baseline": _share(baseline, n, k), "latest": _share(latest, n, k)}
        return {"code": code, "label": label, **shares}

    support = [
        row(code, label, stored["support"].get(code))
        for code, label in QUESTIONS["knows_how_to_reach"][1]
    ]
    questions = [
        row(field, AWARENESS_LABELS[field], stored["questions"].get(field))
        for field in AWARENESS_QUESTIONS
    ]
    return {"people": _people(n, k), "support": support, "questions": questions}


def _ons4(stored: dict, k: int) -> dict:
    """Each item's mean over people, beside the UK's; shown only with at least k people."""
    n = stored["people"]
    reference = wellbeing.reference()
    items = [
        {
            "item": item,
            "label": label,
            "mean": SMALL if n < k or mean is None else round(mean, 2),
            "uk": reference["means"][item],
        }
        for item, label in ONS4_LABELS.items()
        for mean in [stored["means"].get(item)]
    ]
    source = reference["source"]
    citation = f"{source['publisher']}, {source['title']}: {source['edition']} ({source['url']})."
    return {"people": _people(n, k), "items": items, "source": citation}


def _champions(stored: dict, k: int) -> dict:
    """The champion network (services/champions/report.py): its published figures as they
    stood, and the hub's requests per month beside their total, protected as take-up is."""
    network = stored["network"]

    def figure(measure: str) -> int | Hidden:
        value = network.get(measure)
        return SMALL if value is None else shown_count(value)

    months, total = _protect(stored["requests"], sum(stored["requests"]), k)
    return {
        "champions": figure("champions"),
        "services": figure("services"),
        "people": figure("joined"),
        "requests": months,
        "requests_total": total,
    }


def evaluation(months: int, today: date | None = None) -> dict:
    """Every figure of the report for the `months` complete months before `today`'s month.

    The figures are the stored ones where a month or the period was reported on before,
    else worked out now and stored (see evaluation_store); a day still to come is refused
    (its months are not over, and what is stored stands).
    """
    if months not in MONTHS:
        raise ValueError(f"months must be one of {MONTHS}")
    if today is not None and today > releases.today():
        raise ValueError("A report can only be made as of today or a day before.")
    today = today or releases.today()
    period = period_for(months, today)
    k = privacy_k()
    if not evaluation_store.period_stored(period):
        # Every length ending in the same month is worked out at the same moment: a longer
        # one made later, after someone left, would otherwise differ from the shorter by
        # that one person alone wherever nobody else was in its extra months.
        for size in MONTHS:
            if size != months:
                other = period_for(size, today)
                evaluation_store.period(other, evaluation_store.months(other, k))
                champions.section(other)
    month_rows = evaluation_store.months(period, k)
    period_row = evaluation_store.period(period, month_rows)
    stored = period_row.figures
    need_codes = [n["code"] for n in taxonomy.get_taxonomy()["needs"]]
    rows = [_month(m, s, need_codes, k) for m, s in zip(period.months, month_rows, strict=True)]
    made = sorted(row.created_at.date() for row in [*(m.row for m in month_rows), period_row])
    return {
        "months": months,
        "made_on": today,
        "period": period,
        "k": k,
        "rounding": ROUNDING,
        "worked_out": (made[0], made[-1]),
        "activity": {"months": rows, "people": _people(stored["people"], k)},
        "retention": _retention(stored["retention"], k),
        "take_up": _take_up([m.figures for m in month_rows], stored["opens"], k),
        "awareness": _awareness(stored["awareness"], k),
        "ons4": _ons4(stored["ons4"], k),
        "champions": _champions(champions.section(period), k),
        "need_labels": taxonomy.labels("needs"),
    }


def render(figures: dict) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, nothing fetched)."""
    return render_template("evaluation.html", report=figures)


def file_name(figures: dict) -> str:
    return f"evaluation-{figures['months']}-months-{figures['made_on'].isoformat()}.html"
