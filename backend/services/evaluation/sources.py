"""What the data says now, for the evaluation report: exact counts, sums and means.

These are the figures before any release rule: they are worked out once, stored by
`evaluation_store` (never shown as they are) and shown under the rules by `evaluation`.
They come from the person-week rollup, the ONS4 and onboarding answers of people who said
yes to research (established accounts only), and the frozen take-up counts (people per
resource and week); never from a check-in's note,
never finer than a month, and they hold no user id.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from statistics import fmean

import sqlalchemy as sa

from ...extensions import db
from ...models import User
from ...models.insights import PersonWeek
from ...models.signposting import TakeUpCell
from ...models.types import UTCDateTime
from ...models.wellbeing import ONS4_ITEMS, OnboardingAnswer, Ons4Answer
from .. import onboarding, sql
from ..releases import freeze_closed
from .period import Period

TOUGH = 2  # a person-week whose mean mood is 2 ("Tough") or below is a tough week
RETENTION_WEEKS = (4, 12)
AWARENESS_QUESTIONS = ("career_conversation", "knows_training")
# Check-ins a week that count towards check-ins per person (one a day): a bound on how far
# one person can move the figure, which its noise needs (evaluation/noise.py).
CHECK_INS_CAP = 7


def _consenting(query, user_id_column):
    return query.join(User, User.id == user_id_column).where(
        User.research_consent.is_(True), User.established_at.is_not(None)
    )


def _in_period(query, period: Period):
    return _consenting(query, PersonWeek.user_id).where(
        PersonWeek.week.between(period.first_week, period.last_week)
    )


def _needs_by_month(period: Period, month) -> dict[tuple[int, str], int]:
    """(month, need) -> how many people chose that need in at least one week of the month."""
    need = sql.json_elements(PersonWeek.needs)
    query = _in_period(
        sa.select(month, need.c.value, sa.func.count(sa.distinct(PersonWeek.user_id)))
        .select_from(PersonWeek)
        .join(need, sa.true()),
        period,
    ).group_by(month, need.c.value)
    return {(m, code): n for m, code, n in db.session.execute(query)}


def _opens_by_month(period: Period) -> dict[tuple[int, str], int]:
    """(month, resource) -> people who opened it, each week's people added up (exact)."""
    freeze_closed()
    query = (
        sa.select(TakeUpCell.resource, TakeUpCell.week, sa.func.sum(TakeUpCell.people))
        .where(
            TakeUpCell.week.between(period.first_week, period.last_week),
            TakeUpCell.level == "all",
        )
        .group_by(TakeUpCell.resource, TakeUpCell.week)
    )
    opens = defaultdict(int)
    for resource, week, count in db.session.execute(query):
        opens[(period.month_index(week), resource)] += int(count or 0)
    return opens


def months(period: Period) -> list[dict]:
    """Per month: people checking in, their check-ins, person-weeks, the sum of those
    weeks' mean moods, tough weeks, people per need, and opens per resource.

    Summed by the database, so a region's year costs a few grouped scans, not a Python loop.
    """
    month = sa.case(period.weeks(), value=PersonWeek.week)
    query = _in_period(
        sa.select(
            month,
            sa.func.count(sa.distinct(PersonWeek.user_id)),
            sa.func.sum(
                sa.case(
                    (PersonWeek.check_ins > CHECK_INS_CAP, CHECK_INS_CAP),
                    else_=PersonWeek.check_ins,
                )
            ),  # fmt: skip
            sa.func.count(),
            sa.func.sum(PersonWeek.mood),
            sa.func.sum(sa.case((PersonWeek.mood <= TOUGH, 1), else_=0)),
        ),
        period,
    ).group_by(month)
    sums = {row[0]: row[1:] for row in db.session.execute(query)}
    needs, opens = _needs_by_month(period, month), _opens_by_month(period)
    rows = []
    for m in range(len(period.months)):
        n, check_ins, weeks, mood, tough = sums.get(m, (0, 0, 0, 0.0, 0))
        rows.append(
            {
                "people": int(n),
                "check_ins": int(check_ins or 0),
                "weeks": int(weeks),
                "mood": float(mood or 0.0),
                "tough": int(tough or 0),
                "needs": {code: n for (i, code), n in sorted(needs.items()) if i == m},
                "opens": {code: n for (i, code), n in sorted(opens.items()) if i == m and n},
            }
        )
    return rows


def unchanged_weeks(period: Period, since: list[datetime]) -> list[int]:
    """Per month: the person-weeks counted in it now that were already counted in it,
    exactly as they are, at `since[month]`: unchanged since then, of people consenting since.

    Every other person-week counted then has gone (its person withdrew or erased the
    account, or deleted its check-ins) or changed (a check-in added, edited or deleted in
    that week): the month's figures then hold `weeks then - unchanged` that are no longer so.
    """
    month = sa.case(period.weeks(), value=PersonWeek.week)
    at = sa.case(
        {m: sa.literal(moment, UTCDateTime()) for m, moment in enumerate(since)}, value=month
    )
    changed = sa.or_(PersonWeek.updated_at > at, User.research_consent_changed_at > at)
    query = _in_period(sa.select(month, sa.func.count()).where(~changed), period).group_by(month)
    counts = dict(db.session.execute(query).all())
    return [int(counts.get(m, 0)) for m in range(len(period.months))]


def people(period: Period) -> int:
    """How many people checked in at least once in the period."""
    query = _in_period(sa.select(sa.func.count(sa.distinct(PersonWeek.user_id))), period)
    return int(db.session.scalar(query) or 0)


def retention(period: Period) -> list[dict]:
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
        result.append({"weeks": weeks, "cohort": len(cohort), "stayed": stayed})
    return result


def awareness(period: Period) -> dict:
    """People who answered the onboarding questions again in the period, and how many of
    them said yes (or ticked the support) in their first answer and in their latest."""
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

    def both(said) -> list[int]:
        return [sum(map(said, (a for a, _ in pairs))), sum(map(said, (b for _, b in pairs)))]

    support = {
        code: both(lambda row, code=code: code in (row.knows_how_to_reach or []))
        for code, _label in onboarding.QUESTIONS["knows_how_to_reach"][1]
    }
    questions = {
        field: both(lambda row, field=field: getattr(row, field) == "yes")
        for field in AWARENESS_QUESTIONS
    }
    return {"people": len(pairs), "support": support, "questions": questions}


def ons4(period: Period) -> dict:
    """Each item's mean over people (each person's own mean over the period).

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
    means = {
        item: fmean(fmean(getattr(r, item) for r in rows) for rows in per_person.values())
        if per_person
        else None
        for item in ONS4_ITEMS
    }
    return {"people": len(per_person), "means": means}


def period_figures(period: Period) -> dict:
    """The period-level figures: people, retention, awareness and ONS4 (not the opens,
    whose period totals are the sums of the months shown beside them)."""
    return {
        "people": people(period),
        "retention": retention(period),
        "awareness": awareness(period),
        "ons4": ons4(period),
    }
