"""A synthetic population for demos and benchmarks: no real person is in it.

Staff spread over the areas, roles and settings; a weekly rhythm (Mondays are harder,
weekends lighter), a winter dip, and a few areas under growing strain in recent weeks so
the hub map has something to show. Notes are left empty: nobody wrote them.

Some people also answer the weekly ONS4 questions (lower in strained areas), about six in
ten answered the onboarding questions at the start and half of those again later (knowing
more about the support on offer by then), and resources are opened a few times a week in
every area, so the dashboard and the evaluation report have something to show.
"""

import math
import random
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from ..extensions import db
from ..models import Entry, User
from ..models.insights import Release
from ..models.membership import JoinCode
from ..models.signposting import TakeUpCell
from ..models.wellbeing import OnboardingAnswer, Ons4Answer
from . import releases, resources, taxonomy
from .accounts import hash_password
from .problems import Conflict

PREFIX = "demo-"
EXAMPLE_RESOURCES = resources.DATA / "demo-resources.json"
DEMO_PASSWORD = "demo password, not for real use"  # noqa: S105 (published on purpose)
BATCH = 5000


def _strain_curve(weeks_ago: float) -> float:
    """How much harder things are in a strained area: rising over the last six weeks."""
    return max(0.0, 1.0 - weeks_ago / 6.0)


def _winter_dip(moment: datetime) -> float:
    """Lower mood in the darkest weeks of the year (peak in early January)."""
    day = moment.timetuple().tm_yday
    return 0.35 * (1 + math.cos(2 * math.pi * (day - 5) / 365.25)) / 2


def seed_population(people: int = 3000, weeks: int = 26, seed: int = 7, now=None) -> dict:
    """Add `people` demo staff and `weeks` of their check-ins; returns the counts."""
    exists = db.session.scalar(sa.select(User.id).where(User.username.startswith(PREFIX)).limit(1))
    if exists is not None:
        raise Conflict("The demo population is already there.")
    rng = random.Random(seed)
    tax = taxonomy.get_taxonomy()
    areas = [a["code"] for a in tax["areas"]]
    strained = set(rng.sample(areas, k=max(1, len(areas) // 8)))
    needs = [n["code"] for n in tax["needs"]]
    now = now or datetime.now(UTC)
    start = now - timedelta(weeks=weeks)
    staff = _seed_staff(rng, people, tax, start)
    total, answered = _seed_check_ins(rng, staff, strained, tax, (start, now, weeks))
    ons4 = _seed_ons4(rng, answered, now)
    onboarding = _seed_onboarding(rng, [user_id for user_id, *_ in staff], start, now, needs)
    opens = _seed_opens(rng, areas, strained, weeks, now)
    db.session.commit()
    return {
        "people": people,
        "entries": total,
        "ons4_answers": ons4,
        "onboarding_answers": onboarding,
        "take_up_people": opens,
        "strained_areas": sorted(strained),
        "released_weeks": publish_history(start, now),
    }


def _seed_staff(rng: random.Random, people: int, tax: dict, start: datetime) -> list:
    """Insert `people` demo staff spread over the areas, roles and settings.

    Returns (id, area, role group, setting) of each. They signed up at `start`, are
    established at once and vouched for by their area's code, as if they had joined long
    ago with their hub's code.
    """
    areas = [a["code"] for a in tax["areas"]]
    role_groups = [r["code"] for r in tax["role_groups"]]
    settings = [s["code"] for s in tax["settings"]]
    password_hash = hash_password(DEMO_PASSWORD)
    codes = vouching_codes(areas)
    users = []
    for n in range(people):
        area = rng.choice(areas)
        users.append(
            {
                "username": f"{PREFIX}{n:05d}",
                "password_hash": password_hash,
                "role": "staff",
                "area": area,
                "role_group": rng.choices(role_groups, weights=[6, 3, 2, 2, 1, 1, 1, 1, 1])[0],
                "setting": rng.choice(settings),
                "research_consent": rng.random() < 0.8,
                "research_consent_changed_at": start,
                "session_version": 1,
                "created_at": start,
                "established_at": start,
                "join_code_id": codes[area],
            }
        )
    db.session.execute(sa.insert(User), users)
    return db.session.execute(
        sa.select(User.id, User.area, User.role_group, User.setting).where(
            User.username.startswith(PREFIX)
        )
    ).all()


def _seed_check_ins(rng, staff: list, strained: set[str], tax: dict, span: tuple) -> tuple:
    """Everyone's check-ins over `span` (start, now, weeks), inserted in batches.

    Each person's weeks are queued for the rollup as they are written. Returns how many
    check-ins there are and, for the ONS4 answers, (user id, in a strained area?, moments)
    of everyone who checked in at all.
    """
    factors = [f["code"] for f in tax["factors"]]
    needs = [n["code"] for n in tax["needs"]]
    batch, total, answered = [], 0, []
    for user_id, area, role_group, setting in staff:
        diary = _diary(rng, area in strained, span, factors, needs)
        where = {"user_id": user_id, "area": area, "role_group": role_group, "setting": setting}
        batch += [{**check_in, **where} for check_in in diary]
        if len(batch) >= BATCH:
            db.session.execute(sa.insert(Entry), batch)
            total += len(batch)
            batch = []
        if diary:
            moments = [check_in["occurred_at"] for check_in in diary]
            releases.entries_changed(user_id, moments)
            answered.append((user_id, area in strained, moments))
    if batch:
        db.session.execute(sa.insert(Entry), batch)
        total += len(batch)
    return total, answered


def _diary(rng, strained: bool, span: tuple, factors: list[str], needs: list[str]) -> list:
    """One person's check-ins: a mood of their own, a few a week, a week missed now and then."""
    start, now, weeks = span
    base = rng.gauss(3.4, 0.5)
    per_week = rng.choice([1, 2, 3, 3, 4, 5])
    diary = []
    for week in range(weeks):
        for _ in range(per_week if rng.random() > 0.15 else 0):
            moment = start + timedelta(weeks=week, days=rng.random() * 7)
            moment = moment.replace(hour=rng.choice([7, 8, 12, 13, 17, 20, 22]))
            if moment < now:
                mood = base - _winter_dip(moment) - (0.3 if moment.weekday() == 0 else 0)
                if strained:
                    mood -= 1.1 * _strain_curve((now - moment).days / 7)
                diary.append(_check_in(rng, moment, mood, factors, needs))
    return diary


def _check_in(rng, moment: datetime, mood: float, factors: list[str], needs: list[str]) -> dict:
    """A check-in at `moment` around that mood: harder days name a factor, some a need."""
    mood = min(5, max(1, round(rng.gauss(mood, 0.8))))
    chosen = rng.sample(factors, k=rng.choice([0, 1, 1, 2, 3]))
    if mood <= 2 and "workload" not in chosen:
        chosen.append(rng.choice(["workload", "staffing", "sleep"]))
    wanted = rng.sample(needs, k=1) if mood <= 2 and rng.random() < 0.6 else []
    return {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "occurred_at": moment,
        "mood": mood,
        "energy": min(5, max(1, mood + rng.choice([-1, 0, 0, 1]))),
        "sleep": rng.choice([None, 2, 3, 3, 4]),
        "stress": min(5, max(1, 6 - mood + rng.choice([-1, 0, 1]))),
        "factors": sorted(chosen),
        "needs": wanted,
        "note_sealed": None,
        "created_at": moment,
        "updated_at": moment,
    }


def publish_history(start: datetime, now: datetime) -> int:
    """Publish the seeded weeks as the scheduler would have while they went by.

    Releases cover only the open weeks, so without this a fresh demo shows two weeks and
    the alerts, which compare an area with its own usual weeks, have nothing to go on.
    One release at the end of each week (the same rules: k, rounding, suppression, the
    live rule), then one now. Only for a database that has never published: replaying
    the past over real releases could republish a week that is already final.
    Returns how many weeks have a release.
    """
    if db.session.scalar(sa.select(Release.id).limit(1)) is not None:
        return 0
    week = releases.current_week(start)
    while (moment := releases.week_bounds(week)[1] - timedelta(minutes=1)) < now:
        releases.rebuild_tallies(moment)
        releases.publish(moment)
        week += timedelta(weeks=1)
    releases.rebuild_tallies(now)
    releases.publish(now)
    return len(releases.released_weeks())


def _score(rng: random.Random, mean: float, spread: float) -> int:
    return min(10, max(0, round(rng.gauss(mean, spread))))


def _seed_ons4(rng: random.Random, people: list, now: datetime) -> int:
    """About four in ten people answer ONS4, in about half the weeks they check in."""
    rows = []
    for user_id, strained, moments in people:
        if rng.random() > 0.4:
            continue
        for week in sorted({releases.week_of(m) for m in moments}):
            if rng.random() > 0.5:
                continue
            strain = 1.0 if strained else 0.0
            rows.append(
                {
                    "user_id": user_id,
                    "week": week,
                    "life_satisfaction": _score(rng, 6.9 - strain, 1.8),
                    "worthwhile": _score(rng, 7.5 - 0.5 * strain, 1.6),
                    "happy": _score(rng, 6.9 - strain, 2.0),
                    "anxious": _score(rng, 3.7 + 1.2 * strain, 2.4),
                    "updated_at": now,
                }
            )
            releases.answers_changed(user_id, week)
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(Ons4Answer), rows[start : start + BATCH])
    return len(rows)


KNOWN_AT_START = {
    "wellbeing_hub": 0.3,
    "staff_discounts": 0.5,
    "recovery_college": 0.15,
    "menopause_support": 0.25,
}
TIME_IN_JOB = ("under_6_months", "6_to_12_months", "1_to_2_years", "2_to_5_years", "over_5_years")


def _onboarding_row(rng, user_id, day, known_boost: float, needs: list[str]) -> dict:
    return {
        "user_id": user_id,
        "answered_on": day,
        "time_in_job": rng.choice([*TIME_IN_JOB, None]),
        "career_conversation": rng.choices(["yes", "no", "not_sure"], [3 + 3 * known_boost, 5, 2])[
            0
        ],
        "knows_training": rng.choices(["yes", "no", "not_sure"], [4 + 4 * known_boost, 4, 2])[0],
        "knows_how_to_reach": sorted(
            s for s, share in KNOWN_AT_START.items() if rng.random() < share + known_boost
        ),
        "would_like": rng.sample(needs, k=rng.choice([0, 1, 1, 2])),
    }


def _seed_onboarding(rng, user_ids: list[int], start: datetime, now: datetime, needs) -> int:
    """Six in ten answered at the start; half of them again lately, knowing more by then."""
    rows = []
    for user_id in user_ids:
        if rng.random() > 0.6:
            continue
        first = (start + timedelta(days=rng.random() * 14)).date()
        rows.append(_onboarding_row(rng, user_id, first, 0.0, needs))
        if rng.random() < 0.5:
            later = (now - timedelta(days=rng.random() * 28)).date()
            rows.append(_onboarding_row(rng, user_id, later, 0.25, needs))
    for begin in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(OnboardingAnswer), rows[begin : begin + BATCH])
    return len(rows)


def vouching_codes(areas: list[str]) -> dict[str, int]:
    """One join code per area, as a hub would issue (only hashes of random codes: none is
    handed out), so the demo's areas are vouched for and show on the hub map."""
    rows = [
        {"code_hash": uuid.uuid4().hex, "hint": "DEMO", "area": area, "label": "demo", "uses": 0}
        for area in areas
    ]
    db.session.execute(sa.insert(JoinCode), rows)
    found = db.session.execute(
        sa.select(JoinCode.area, JoinCode.id).where(JoinCode.hint == "DEMO")
    ).all()
    return dict(found)


def _seed_opens(rng, areas: list[str], strained: set[str], weeks: int, now: datetime) -> int:
    """A few people a week open each resource in each area; more where an area is strained.

    Written as the closed weeks' frozen take-up cells (area, region and all), as freezing
    would have left them; the week in progress has none yet.
    """
    ids = [r["id"] for r in resources.catalogue()]
    this_week = releases.week_of(now)
    rows = []
    for back in range(1, weeks):
        week = this_week - timedelta(weeks=back)
        totals: dict[tuple[str, str, str], int] = {}
        for area in areas:
            lift = 2.0 if area in strained and back < 6 else 1.0
            region = taxonomy.region_of(area) or ""
            for rid in ids:
                people = sum(rng.random() < 0.35 * lift for _ in range(12))
                if not people:
                    continue
                rows.append(_take_up_cell(week, rid, "area", area, region, people))
                for level, key in (("region", region), ("all", "")):
                    totals[(rid, level, key)] = totals.get((rid, level, key), 0) + people
        rows += [_take_up_cell(week, rid, lvl, key, "", n) for (rid, lvl, key), n in totals.items()]
    for begin in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(TakeUpCell), rows[begin : begin + BATCH])
    return sum(r["people"] for r in rows if r["level"] == "area")


def _take_up_cell(week, resource: str, level: str, key: str, parent: str, people: int) -> dict:
    return {"week": week, "resource": resource, "level": level, "key": key, "parent": parent,
            "people": people, "noisy": None}  # fmt: skip


def write_example_resources(instance_path: str) -> tuple[Path, bool]:
    """Give a demo's placeholder resources the made-up details of demo-resources.json.

    Copies the file to instance/resources.json, so that a demo never shows a resource with no
    way to reach it; every detail in it says "(example details)". Never replaces a hub's own
    file. Returns the path and whether it was written; a running app reads it on restart.
    """
    target = Path(instance_path) / resources.OVERRIDE
    try:
        with EXAMPLE_RESOURCES.open("rb") as source, target.open("xb") as copy:
            shutil.copyfileobj(source, copy)
    except FileExistsError:
        return target, False
    return target, True
