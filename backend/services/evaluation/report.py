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
least k. Shares are clipped into 5%..95% and means inside their scale's ends (rule 7).

Noise. With differential privacy on (the default) the values shown are the noisy ones
drawn when the figures were stored (noise.py), each with its 90% margin (shown.Noisy); the
rules above still read the exact counts. With it off, or for figures stored before noise,
the exact values are shown as plain numbers.
"""

from datetime import date

from flask import render_template

from .. import releases, resources, taxonomy, wellbeing
from ..onboarding import QUESTIONS
from ..releases import ROUNDING, privacy_k, shown_count
from . import champions, shown
from . import store as evaluation_store
from .period import period_for
from .shown import COMPLEMENTARY, SMALL, WITHHELD
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


def _month(first_day: date, month: evaluation_store.StoredMonth, need_codes, k: int) -> dict:
    """One month's row as shown: thresholds from its stored exact figures, values from
    their stored noise (or the exact ones when there is none)."""
    stored, noise = month.figures, month.noise
    if stored["people"] < k or month.withheld:
        # A month too small to show says only that, whoever has left it since.
        hidden = SMALL if stored["people"] < k else WITHHELD
        names = ("people", "check_ins_per_person", "mood", "tough_share", "needs")
        return {"month": first_day, **dict.fromkeys(names, hidden)}
    values, margins = noise.get("noisy", stored), noise.get("margins")
    n, weeks = values["people"], values["weeks"]
    per_person = round(max(1.0, values["check_ins"] / max(n, 1)), 1)
    return {
        "month": first_day,
        "people": shown.people(stored["people"], k, n, margins and margins["people"]),
        "check_ins_per_person": shown.noisy(per_person, margins, "check_ins_per_person"),
        # Person-weeks' mean moods, and the share of them that were tough weeks.
        "mood": shown.mean(values["mood"], weeks, 1.0, 5.0, margins and margins["mood"]),
        "tough_share": shown.ratio(values["tough"], weeks, margins and margins["tough_share"]),
        "needs": {
            c: shown.ratio(values["needs"].get(c, 0), n, margins and margins["needs"])
            for c in need_codes
        },
    }


def _part(noise: dict, key: str) -> tuple:
    """(noisy values, margins) of one part of a period's figures; (None, None) if exact."""
    if not noise:
        return None, None
    return noise["noisy"][key], noise["margins"][key]


def _retention(stored: list[dict], k: int, noise: dict) -> list[dict]:
    values, margins = _part(noise, "retention")
    count_margin = noise and noise["margins"]["people"]
    result = []
    for i, row in enumerate(stored):
        cohort, stayed = (values[i]["cohort"], values[i]["stayed"]) if values else (None, None)
        result.append(
            {
                "weeks": row["weeks"],
                "people": shown.people(row["cohort"], k, cohort, count_margin or None),
                "share": shown.share(
                    row["cohort"], k, row["stayed"] if values is None else stayed,
                    row["cohort"] if values is None else cohort, margins and margins[i],
                ),
            }
        )  # fmt: skip
    # Each later group is part of the one before: its size is shown only when what
    # subtracting it would leave (those who started too late to tell) is nobody or k or more.
    for n, (before, later) in enumerate(zip(stored, stored[1:], strict=False), 1):
        if result[n]["people"] != SMALL and 0 < before["cohort"] - later["cohort"] < k:
            result[n]["people"] = COMPLEMENTARY
    return result


def _protect(parts: list[int], total: int, k: int, show: list, show_total) -> tuple[list, object]:
    """Opens per month beside their total: small months hidden, then more until the total
    minus the shown months is nothing or at least k (exact counts, as privacy.protect);
    `show` and `show_total` are the figures shown where not hidden."""
    hidden = {i for i, n in enumerate(parts) if n < k}
    if total >= k:
        while 0 < abs(total - sum(n for i, n in enumerate(parts) if i not in hidden)) < k:
            hidden.add(
                min((i for i in range(len(parts)) if i not in hidden), key=parts.__getitem__)
            )
    result = [SMALL if parts[i] < k else COMPLEMENTARY if i in hidden else show[i]
              for i in range(len(parts))]  # fmt: skip
    return result, (show_total if total >= k else SMALL)


def _take_up(months: list, totals: dict[str, int], k: int, noise: dict) -> list[dict]:
    """People per resource per month (weeks added up), with each resource's period total."""
    # The catalogue's titles and order; a resource since taken out of it keeps its id.
    titles = {r["id"]: r["title"] for r in resources.catalogue()}
    order = {code: n for n, code in enumerate(titles)}
    exact = [month.figures["opens"] for month in months]
    opened = set(totals).union(*exact)
    noisy_totals, total_margin = _part(noise, "opens")
    rows = []
    for resource in sorted(opened, key=lambda code: (order.get(code, len(order)), code)):
        parts = [opens.get(resource, 0) for opens in exact]
        show = []
        for month, n in zip(months, parts, strict=True):
            values, margins = month.noise.get("noisy"), month.noise.get("margins")
            count = n if values is None else values["opens"].get(resource, 0)
            show.append(shown.noisy(shown_count(count), margins, "opens" if margins else None))
        total = totals.get(resource, 0)
        total_shown = total if noisy_totals is None else noisy_totals.get(resource, 0)
        shown_total = shown.noisy(shown_count(total_shown), total_margin)
        months_shown, total_shown = _protect(parts, total, k, show, shown_total)
        label = titles.get(resource, resource)
        rows.append(
            {"resource": resource, "label": label, "months": months_shown, "total": total_shown}
        )
    return rows


def _awareness(stored: dict, k: int, noise: dict) -> dict:
    """First answers against latest, all as shares of the same people: a skipped question
    counts as not yes, so no smaller group is shown beside theirs (it could be subtracted)."""
    values, margin = _part(noise, "awareness")
    n = stored["people"]
    shown_n = n if values is None else values["people"]

    def row(code: str, label: str, kind: str) -> dict:
        counts = (stored if values is None else values)[kind].get(code)
        baseline, latest = counts or (0, 0)
        shares = {
            "baseline": shown.share(n, k, baseline, shown_n, margin),
            "latest": shown.share(n, k, latest, shown_n, margin),
        }
        return {"code": code, "label": label, **shares}

    support = [row(code, label, "support") for code, label in QUESTIONS["knows_how_to_reach"][1]]
    questions = [row(field, AWARENESS_LABELS[field], "questions") for field in AWARENESS_QUESTIONS]
    count_margin = noise["margins"]["people"] if noise else None
    people = shown.people(n, k, None if values is None else shown_n, count_margin)
    return {"people": people, "support": support, "questions": questions}


def _ons4(stored: dict, k: int, noise: dict) -> dict:
    """Each item's mean over people, beside the UK's; shown only with at least k people."""
    values, margins = _part(noise, "ons4")
    n = stored["people"]
    means = stored["means"] if values is None else values["means"]
    reference = wellbeing.reference()
    items = [
        {
            "item": item,
            "label": label,
            "mean": SMALL
            if n < k or stored["means"].get(item) is None
            else shown.mean(means[item], 1, 0.0, 10.0, margins and margins[item]),
            "uk": reference["means"][item],
        }
        for item, label in ONS4_LABELS.items()
    ]
    source = reference["source"]
    citation = f"{source['publisher']}, {source['title']}: {source['edition']} ({source['url']})."
    count_margin = noise["margins"]["people"] if noise else None
    people = shown.people(n, k, None if values is None else values["people"], count_margin)
    return {"people": people, "items": items, "source": citation}


def _champions(stored: dict, k: int) -> dict:
    """The champion network (evaluation/champions.py): its published figures as they
    stood, and the hub's requests per month beside their total, protected as take-up is."""
    network, margins = stored["network"], stored.get("network_margins", {})

    def figure(measure: str):
        value = network.get(measure)
        return SMALL if value is None else shown.noisy(shown_count(value), margins.get(measure))

    # The rules read the exact counts; what is shown is the noise drawn once (noise.requests),
    # when there is some (DP on when the period was first reported on).
    requests = stored["requests"]
    noisy, margin = stored.get("requests_noisy", requests), stored.get("requests_margin")
    shown_months = [shown.noisy(shown_count(n), margin) for n in noisy]
    shown_total = shown.noisy(shown_count(sum(noisy)), stored.get("requests_total_margin"))
    months, total = _protect(requests, sum(requests), k, shown_months, shown_total)
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
    noise = evaluation_store.noise_of(stored)
    people = shown.people(
        stored["people"], k, noise["noisy"]["people"] if noise else None,
        noise["margins"]["people"] if noise else None,
    )  # fmt: skip
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
        "noisy": bool(noise),
        "activity": {"months": rows, "people": people},
        "retention": _retention(stored["retention"], k, noise),
        "take_up": _take_up(month_rows, stored["opens"], k, noise),
        "awareness": _awareness(stored["awareness"], k, noise),
        "ons4": _ons4(stored["ons4"], k, noise),
        "champions": _champions(champions.section(period), k),
        "need_labels": taxonomy.labels("needs"),
    }


def render(figures: dict) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, nothing fetched)."""
    return render_template(
        "evaluation.html", report=figures, words=shown.words, value_of=shown.value_of
    )


def file_name(figures: dict) -> str:
    return f"evaluation-{figures['months']}-months-{figures['made_on'].isoformat()}.html"
