"""A hand-built population for the evaluation report's tests (see test_evaluation_report.py).

The report is made as if on 10 July 2026, so "6 months" is January to June 2026: weeks from
Monday 29 December 2025 (its Thursday is 1 January) to Monday 22 June 2026 (the week of
29 June has its Thursday in July). Every expected figure in the tests is worked out by hand
(k = 10, counts to the nearest 5, shares of rounded counts).

The population (all consenting unless said):
  A1  12 people: Jan 14 (mood 4, someone to talk to) and Jan 15 (mood 2), same week;
      Feb 14 (4); Mar 14 (4); Apr 14 (4); May 13 (5) and May 20 (2), two weeks.
  A2  10 people: Jan 14 (4); Feb 14 (4, two of them bereavement support); Mar 14 (3);
      three of them (A2b) also Monday Apr 6 (2), exactly 12 weeks after the week of Jan 12.
  B    8 people: Jan 14 (1, sleep help; five of them money advice too); then B1 (3) on
      Monday Feb 9, exactly 4 weeks on (2), and B2 (5) on Friday Feb 6, 3 weeks on (2).
  C    6 people: Jun 10 (3) only: a month with fewer than 10 people.
  E    4 people: Wed Dec 31 2025 (3), a week that counts in January, and Tue Jun 30 (3),
      a week that counts in July, outside the period.
  F    5 people: Nov 12 2025 (3), before the period, and Mar 14 (4).
  D    4 people without research consent, checking in every month (5, training), with
      onboarding and ONS4 answers of their own: they must count nowhere.
"""

import uuid
from datetime import UTC, date, datetime, time

from backend.extensions import db
from backend.models import Entry, User
from backend.models.signposting import TakeUpCell
from backend.models.wellbeing import OnboardingAnswer, Ons4Answer
from backend.services import taxonomy
from backend.services.releases import contributions

TODAY = date(2026, 7, 10)
MONTHS = [date(2026, m, 1) for m in range(1, 7)]
D = date


def person(name: str, consent: bool = True) -> int:
    user = User(
        username=name,
        password_hash="not-a-hash",
        research_consent=consent,
        area="QT6",
        role_group="care_worker",
        setting="home_care",
        established_at=datetime(2025, 12, 1, tzinfo=UTC),
    )
    db.session.add(user)
    db.session.flush()
    return user.id


def check_in(user_id: int, day: date, mood: int, needs=()) -> None:
    moment = datetime.combine(day, time(12), UTC)
    db.session.add(
        Entry(
            id=uuid.uuid4(),
            user_id=user_id,
            occurred_at=moment,
            mood=mood,
            needs=list(needs),
            factors=[],
            area="QT6",
            role_group="care_worker",
            setting="home_care",
        )
    )
    contributions.entries_changed(user_id, [moment])


def onboarding(user_id: int, day: date, reach, career=None, training=None) -> None:
    db.session.add(
        OnboardingAnswer(
            user_id=user_id,
            answered_on=day,
            knows_how_to_reach=list(reach),
            career_conversation=career,
            knows_training=training,
            would_like=[],
        )
    )


def ons4(user_id: int, week: date, life: int, worthwhile: int, happy: int, anxious: int):
    db.session.add(
        Ons4Answer(
            user_id=user_id,
            week=week,
            life_satisfaction=life,
            worthwhile=worthwhile,
            happy=happy,
            anxious=anxious,
        )
    )


def opens(resource: str, area: str, week: date, count: int) -> None:
    """`count` different people opened the resource in that week (its frozen cells)."""
    region = taxonomy.region_of(area)
    for level, key, parent in (("all", "", ""), ("region", region, ""), ("area", area, region)):
        db.session.add(
            TakeUpCell(week=week, resource=resource, level=level, key=key, parent=parent,
                       people=count, noisy=None)
        )  # fmt: skip


def group(name: str, size: int, consent: bool = True) -> list[int]:
    return [person(f"diarist-{name}-{n:02}", consent) for n in range(size)]


def build_population(app) -> list[str]:
    """The population in the module's docstring; returns every username."""
    with app.app_context():
        a1, a2, b, c = group("a1", 12), group("a2", 10), group("b", 8), group("c", 6)
        e, f, d = group("e", 4), group("f", 5), group("d", 4, consent=False)
        for uid in a1:
            check_in(uid, D(2026, 1, 14), 4, ["someone_to_talk_to"])
            check_in(uid, D(2026, 1, 15), 2)
            for day in (D(2026, 2, 14), D(2026, 3, 14), D(2026, 4, 14)):
                check_in(uid, day, 4)
            check_in(uid, D(2026, 5, 13), 5)
            check_in(uid, D(2026, 5, 20), 2)
        for n, uid in enumerate(a2):
            check_in(uid, D(2026, 1, 14), 4)
            check_in(uid, D(2026, 2, 14), 4, ["bereavement_support"] if n < 2 else [])
            check_in(uid, D(2026, 3, 14), 3)
            if n < 3:
                check_in(uid, D(2026, 4, 6), 2)
        for n, uid in enumerate(b):
            check_in(uid, D(2026, 1, 14), 1, ["sleep_help"] + (["money_advice"] if n >= 3 else []))
            check_in(uid, D(2026, 2, 9) if n < 3 else D(2026, 2, 6), 2)
        for uid in c:
            check_in(uid, D(2026, 6, 10), 3)
        for uid in e:
            check_in(uid, D(2025, 12, 31), 3)
            check_in(uid, D(2026, 6, 30), 3)
        for uid in f:
            check_in(uid, D(2025, 11, 12), 3)
            check_in(uid, D(2026, 3, 14), 4)
        for uid in d:
            for month in range(1, 7):
                check_in(uid, D(2026, month, 10), 5, ["training"])

        # Onboarding: A1 and B answered twice (A1 baseline before the period); A2 once;
        # A1's first four again after the period ends, which must not count.
        hub, discounts = "wellbeing_hub", "staff_discounts"
        for n, uid in enumerate(a1):
            first = [hub, discounts] if n < 4 else [discounts] if n < 10 else []
            onboarding(uid, D(2025, 11, 20), first, "no", "yes" if n < 6 else "not_sure")
            latest = [hub, discounts] + (["recovery_college"] if n >= 10 else [])
            onboarding(uid, D(2026, 5, 20), latest, "yes", "yes")
            if n < 4:
                onboarding(uid, D(2026, 7, 5), [], "no", "no")
        for uid in b:
            onboarding(uid, D(2026, 1, 14), [])
            onboarding(uid, D(2026, 6, 1), [hub, "menopause_support"], "yes")
        for uid in a2:
            onboarding(uid, D(2026, 1, 14), [hub])
        for uid in d:
            onboarding(uid, D(2026, 1, 14), [])
            onboarding(
                uid,
                D(2026, 6, 1),
                [hub, discounts, "recovery_college", "menopause_support"],
                "yes",
                "yes",
            )

        # ONS4: A1 twice, B once; A2 in a week without a check-in (not counted); D too.
        for uid in a1:
            ons4(uid, D(2026, 1, 12), 7, 8, 6, 4)
            ons4(uid, D(2026, 3, 9), 9, 8, 8, 2)
        for uid in b:
            ons4(uid, D(2026, 1, 12), 5, 6, 5, 6)
        for uid in a2:
            ons4(uid, D(2026, 2, 23), 0, 0, 0, 10)
        for uid in d:
            ons4(uid, D(2026, 1, 12), 10, 10, 10, 0)

        # Resource opens (no people): weeks counted by their Thursday's month.
        opens("samaritans", "QT6", D(2025, 12, 22), 50)  # December: outside
        opens("samaritans", "QT6", D(2025, 12, 29), 7)  # January
        opens("samaritans", "QHM", D(2026, 1, 12), 6)  # January: 13 in all
        opens("samaritans", "QT6", D(2026, 2, 9), 4)
        opens("samaritans", "QT6", D(2026, 3, 9), 20)
        opens("samaritans", "QT6", D(2026, 4, 13), 12)
        opens("samaritans", "QT6", D(2026, 6, 29), 30)  # July: outside
        opens("shout", "QT6", D(2026, 1, 12), 3)
        opens("shout", "QT6", D(2026, 2, 9), 2)
        opens("nhs-111-mental-health", "QT6", D(2026, 3, 16), 30)
        db.session.commit()
        return list(db.session.scalars(db.select(User.username)))
