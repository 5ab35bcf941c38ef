"""The 6- and 12-month evaluation report: its figures under the release rules, then its HTML.

The figures are a plain structure (`evaluation`), rendered afterwards (`render`), so the
numbers can be checked without reading HTML. They come from the person-week rollup, the
ONS4 and onboarding answers of people who said yes to research, and the anonymous counts of
resource opens; never from a check-in's note, never finer than a month.

The period is the last N complete calendar months (Europe/London) before the month of the
day the report is made. A week (Monday to Sunday) counts in the month that holds most of
its days, i.e. the month of its Thursday, as ISO 8601 does for years.

The release rules, as for every cell: a figure about people needs at least k of them, or it
is hidden; people counts are rounded to the nearest 5; shares are rounded counts over
rounded counts; means are shown only with at least k contributors. Opens are counts of
opens, not people: shown only when at least k and rounded to 5; each resource's period
total sits beside its months, so complementary suppression hides more months until what
the total minus the shown months leaves over is nothing or at least k opens.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean

import sqlalchemy as sa
from flask import current_app, render_template

from ..extensions import db
from ..models import User
from ..models.insights import PersonWeek
from ..models.signposting import ResourceOpen
from ..models.types import utcnow
from ..models.wellbeing import ONS4_ITEMS, OnboardingAnswer, Ons4Answer
from . import onboarding, resources, taxonomy, wellbeing
from .contributions import WEEK_ZONE
from .privacy import ROUNDING, round_to

MONTHS = (6, 12)
TOUGH = 2  # a person-week whose mean mood is 2 ("Tough") or below is a tough week
RETENTION_WEEKS = (4, 12)
ONS4_LABELS = {
    "life_satisfaction": "Life satisfaction",
    "worthwhile": "Feeling that what you do is worthwhile",
    "happy": "Happiness yesterday",
    "anxious": "Anxiety yesterday (lower is better)",
}


@dataclass(frozen=True)
class Hidden:
    """A figure not shown: too few behind it, or it would let a hidden one be worked out."""

    reason: str  # small | complementary


SMALL = Hidden("small")
COMPLEMENTARY = Hidden("complementary")


@dataclass(frozen=True)
class Period:
    """The calendar months reported on, and the weeks that count in them."""

    months: tuple[date, ...]  # the first day of each month, oldest first
    first_week: date
    last_week: date

    @property
    def first_day(self) -> date:
        return self.months[0]

    @property
    def last_day(self) -> date:
        return _add_months(self.months[-1], 1) - timedelta(days=1)

    def month_index(self, week: date) -> int | None:
        """Which of the months a week counts in (its Thursday's), or None."""
        if not self.first_week <= week <= self.last_week:
            return None
        thursday = week + timedelta(days=3)
        return self.months.index(thursday.replace(day=1))


def _add_months(first: date, count: int) -> date:
    index = first.year * 12 + first.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def period_for(months: int, today: date) -> Period:
    """The `months` complete calendar months before the month holding `today`."""
    this_month = today.replace(day=1)
    firsts = tuple(_add_months(this_month, n - months) for n in range(months))
    # The first Monday whose Thursday is on or after the first day, and the last whose
    # Thursday falls before this month.
    first_week = firsts[0] - timedelta(days=3)
    first_week += timedelta(days=-first_week.weekday() % 7)
    last_week = this_month - timedelta(days=4)
    last_week -= timedelta(days=last_week.weekday())
    return Period(firsts, first_week, last_week)


def today_in_london() -> date:
    return utcnow().astimezone(WEEK_ZONE).date()


def _people(n: int, k: int) -> int | Hidden:
    """A count of people as shown: hidden below k, else to the nearest 5."""
    return SMALL if n < k else max(ROUNDING, round_to(n))


def _ratio(count: int, n: int) -> float:
    """A rounded count over a rounded count, as release cells show shares."""
    return round(min(1.0, round_to(count) / max(ROUNDING, round_to(n))), 2)


def _share(count: int, n: int, k: int) -> float | Hidden:
    """The share of n people, hidden when n is below k."""
    return SMALL if n < k else _ratio(count, n)


def _mean(values: list[float], people: int, k: int) -> float | Hidden:
    return SMALL if people < k or not values else round(fmean(values), 2)


def _consenting(query, user_id_column):
    return query.join(User, User.id == user_id_column).where(User.research_consent.is_(True))


def _month_column(period: Period):
    """The index of the month a person-week counts in, worked out by the database."""
    weeks, week = {}, period.first_week
    while week <= period.last_week:
        weeks[week] = period.month_index(week)
        week += timedelta(weeks=1)
    return sa.case(weeks, value=PersonWeek.week)


def _in_period(query, period: Period):
    return _consenting(query, PersonWeek.user_id).where(
        PersonWeek.week.between(period.first_week, period.last_week)
    )


def _needs_by_month(period: Period, month) -> dict[tuple[int, str], int]:
    """(month, need) -> how many people chose that need in at least one week of the month."""
    # Each need in a person-week's JSON list as a row of its own (a table-valued function).
    unnest = (
        "json_each"
        if db.session.get_bind().dialect.name == "sqlite"
        else "json_array_elements_text"
    )
    need = getattr(sa.func, unnest)(PersonWeek.needs).table_valued("value")
    query = _in_period(
        sa.select(month, need.c.value, sa.func.count(sa.distinct(PersonWeek.user_id)))
        .select_from(PersonWeek)
        .join(need, sa.true()),
        period,
    ).group_by(month, need.c.value)
    return {(m, code): n for m, code, n in db.session.execute(query)}


def _activity(period: Period, k: int) -> dict:
    """Per month: active diarists, check-ins per person, mood, tough weeks and needs.

    Summed by the database, so a region's year costs a few grouped scans, not a Python loop.
    """
    month = _month_column(period)
    query = _in_period(
        sa.select(
            month,
            sa.func.count(sa.distinct(PersonWeek.user_id)),
            sa.func.sum(PersonWeek.check_ins),
            sa.func.count(),
            sa.func.sum(PersonWeek.mood),
            sa.func.sum(sa.case((PersonWeek.mood <= TOUGH, 1), else_=0)),
        ),
        period,
    ).group_by(month)
    sums = {row[0]: row[1:] for row in db.session.execute(query)}
    needs = _needs_by_month(period, month)
    need_codes = [n["code"] for n in taxonomy.get_taxonomy()["needs"]]
    rows = []
    for m, first_day in enumerate(period.months):
        n, check_ins, weeks, mood, tough = sums.get(m, (0, 0, 0, 0.0, 0))
        shown = n >= k
        rows.append(
            {
                "month": first_day,
                "people": _people(n, k),
                "check_ins_per_person": round(check_ins / n, 1) if shown else SMALL,
                # Person-weeks' mean moods, and the share of them that were tough weeks.
                "mood": round(mood / weeks, 2) if shown else SMALL,
                "tough_share": _ratio(tough, weeks) if shown else SMALL,
                "needs": {c: _ratio(needs.get((m, c), 0), n) for c in need_codes}
                if shown
                else SMALL,
            }
        )
    everyone = _in_period(sa.select(sa.func.count(sa.distinct(PersonWeek.user_id))), period)
    return {"months": rows, "people": _people(db.session.scalar(everyone), k)}


def _retention(period: Period, k: int) -> list[dict]:
    """Of people whose first check-in ever was in the period: who checked in N weeks on."""
    first, last = sa.func.min(PersonWeek.week), sa.func.max(PersonWeek.week)
    query = (
        _consenting(sa.select(first, last), PersonWeek.user_id)
        .where(PersonWeek.week <= period.last_week)
        .group_by(PersonWeek.user_id)
        .having(first >= period.first_week)
    )
    spans = db.session.execute(query).all()
    result = []
    for weeks in RETENTION_WEEKS:
        gap = timedelta(weeks=weeks)
        cohort = [(start, latest) for start, latest in spans if start + gap <= period.last_week]
        stayed = sum(latest >= start + gap for start, latest in cohort)
        result.append(
            {
                "weeks": weeks,
                "exact": len(cohort),
                "people": _people(len(cohort), k),
                "share": _share(stayed, len(cohort), k),
            }
        )
    # Each later group is part of the one before: its size is shown only when what
    # subtracting it would leave (those who started too late to tell) is nobody or k or more.
    for before, later in zip(result, result[1:], strict=False):
        if later["people"] != SMALL and 0 < before["exact"] - later["exact"] < k:
            later["people"] = COMPLEMENTARY
    for row in result:
        del row["exact"]
    return result


def _protect(parts: list[int], total: int, k: int) -> tuple[list[int | Hidden], int | Hidden]:
    """Opens per month beside their total: small months hidden, then more until the total
    minus the shown months is nothing or at least k (exact counts, as privacy.protect)."""
    hidden = {i for i, n in enumerate(parts) if n < k}
    if total >= k:
        while 0 < sum(parts[i] for i in hidden) < k:
            hidden.add(
                min((i for i in range(len(parts)) if i not in hidden), key=parts.__getitem__)
            )
    shown = [SMALL if parts[i] < k else COMPLEMENTARY if i in hidden else round_to(parts[i])
             for i in range(len(parts))]  # fmt: skip
    return shown, (round_to(total) if total >= k else SMALL)


def _take_up(period: Period, k: int) -> list[dict]:
    """Opens per resource per month, summed over areas, with each resource's period total."""
    query = (
        sa.select(ResourceOpen.resource, ResourceOpen.week, sa.func.sum(ResourceOpen.opens))
        .where(ResourceOpen.week.between(period.first_week, period.last_week))
        .group_by(ResourceOpen.resource, ResourceOpen.week)
    )
    opens = defaultdict(lambda: [0] * len(period.months))
    for resource, week, count in db.session.execute(query):
        opens[resource][period.month_index(week)] += int(count or 0)
    # The catalogue's titles and order; a resource since taken out of it keeps its id.
    titles = {r["id"]: r["title"] for r in resources.catalogue()}
    order = {code: n for n, code in enumerate(titles)}
    rows = []
    for resource in sorted(opens, key=lambda code: (order.get(code, len(order)), code)):
        months, total = _protect(opens[resource], sum(opens[resource]), k)
        label = titles.get(resource, resource)
        rows.append({"resource": resource, "label": label, "months": months, "total": total})
    return rows


def _awareness(period: Period, k: int) -> dict:
    """People who answered the onboarding questions again in the period: first vs latest."""
    query = _consenting(
        sa.select(
            OnboardingAnswer.user_id,
            OnboardingAnswer.answered_on,
            OnboardingAnswer.career_conversation,
            OnboardingAnswer.knows_training,
            OnboardingAnswer.knows_how_to_reach,
        ),
        OnboardingAnswer.user_id,
    ).where(OnboardingAnswer.answered_on <= period.last_day)
    answers = defaultdict(list)
    for row in db.session.execute(
        query.order_by(OnboardingAnswer.answered_on, OnboardingAnswer.id)
    ):
        answers[row.user_id].append(row)
    pairs = [
        (rows[0], rows[-1])
        for rows in answers.values()
        if len(rows) > 1 and rows[-1].answered_on >= period.first_day
    ]
    n = len(pairs)
    support = [
        {
            "code": code,
            "label": label,
            "baseline": _share(sum(code in (a.knows_how_to_reach or []) for a, _ in pairs), n, k),
            "latest": _share(sum(code in (b.knows_how_to_reach or []) for _, b in pairs), n, k),
        }
        for code, label in onboarding.QUESTIONS["knows_how_to_reach"][1]
    ]
    # Over the same people as the support rows: a skipped question counts as not yes, so no
    # smaller group is shown beside theirs (it could be subtracted from it).
    questions = [
        {
            "code": field,
            "label": label,
            "baseline": _share(sum(getattr(a, field) == "yes" for a, _ in pairs), n, k),
            "latest": _share(sum(getattr(b, field) == "yes" for _, b in pairs), n, k),
        }
        for field, label in (
            ("career_conversation", "Offered a career conversation"),
            ("knows_training", "Knows of training or apprenticeships"),
        )
    ]
    return {"people": _people(n, k), "support": support, "questions": questions}


def _ons4(period: Period, k: int) -> dict:
    """Each item's mean over people (each person's own mean over the period), beside the UK's.

    As in releases, an answer counts only for a week in which the person also checked in.
    """
    query = _consenting(
        sa.select(Ons4Answer.user_id, *(getattr(Ons4Answer, item) for item in ONS4_ITEMS)),
        Ons4Answer.user_id,
    ).where(
        Ons4Answer.week.between(period.first_week, period.last_week),
        sa.exists().where(
            PersonWeek.user_id == Ons4Answer.user_id, PersonWeek.week == Ons4Answer.week
        ),
    )
    per_person = defaultdict(list)
    for row in db.session.execute(query):
        per_person[row.user_id].append(row)
    n = len(per_person)
    reference = current_app.extensions[wellbeing.EXTENSION_KEY]
    items = [
        {
            "item": item,
            "label": ONS4_LABELS[item],
            "mean": _mean(
                [fmean(getattr(r, item) for r in rows) for rows in per_person.values()], n, k
            ),
            "uk": reference["means"][item],
        }
        for item in ONS4_ITEMS
    ]
    source = reference["source"]
    citation = f"{source['publisher']}, {source['title']}: {source['edition']} ({source['url']})."
    return {"people": _people(n, k), "items": items, "source": citation}


def evaluation(months: int, today: date | None = None) -> dict:
    """Every figure of the report for the `months` complete months before `today`'s month."""
    if months not in MONTHS:
        raise ValueError(f"months must be one of {MONTHS}")
    today = today or today_in_london()
    period = period_for(months, today)
    k = current_app.config["PRIVACY_K"]
    return {
        "months": months,
        "made_on": today,
        "period": period,
        "k": k,
        "rounding": ROUNDING,
        "activity": _activity(period, k),
        "retention": _retention(period, k),
        "take_up": _take_up(period, k),
        "awareness": _awareness(period, k),
        "ons4": _ons4(period, k),
        "need_labels": taxonomy.labels("needs"),
    }


def render(figures: dict) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG, nothing fetched)."""
    return render_template("evaluation.html", report=figures)


def file_name(figures: dict) -> str:
    return f"evaluation-{figures['months']}-months-{figures['made_on'].isoformat()}.html"
