"""A synthetic population for demos and benchmarks: no real person is in it.

Staff spread over the areas, roles and settings; a weekly rhythm (Mondays are harder,
weekends lighter), a winter dip, and a few areas under growing strain in recent weeks so
the hub map has something to show. Notes are left empty: nobody wrote them.
"""

import math
import random
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Entry, User
from . import contributions, taxonomy
from .passwords import hash_password
from .problems import Conflict

PREFIX = "demo-"
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
    role_groups = [r["code"] for r in tax["role_groups"]]
    settings = [s["code"] for s in tax["settings"]]
    factors = [f["code"] for f in tax["factors"]]
    needs = [n["code"] for n in tax["needs"]]
    password_hash = hash_password(DEMO_PASSWORD)
    now = now or datetime.now(UTC)
    start = now - timedelta(weeks=weeks)

    users = []
    for n in range(people):
        users.append(
            {
                "username": f"{PREFIX}{n:05d}",
                "password_hash": password_hash,
                "role": "staff",
                "area": rng.choice(areas),
                "role_group": rng.choices(role_groups, weights=[6, 3, 2, 2, 1, 1, 1, 1, 1])[0],
                "setting": rng.choice(settings),
                "research_consent": rng.random() < 0.8,
                "research_consent_changed_at": start,
                "session_version": 1,
                "created_at": start,
            }
        )
    db.session.execute(sa.insert(User), users)
    rows = db.session.execute(
        sa.select(User.id, User.area, User.role_group, User.setting).where(
            User.username.startswith(PREFIX)
        )
    ).all()

    batch, total = [], 0
    for user_id, area, role_group, setting in rows:
        base = rng.gauss(3.4, 0.5)
        per_week = rng.choice([1, 2, 3, 3, 4, 5])
        moments = []
        for week in range(weeks):
            for _ in range(per_week if rng.random() > 0.15 else 0):
                moment = start + timedelta(weeks=week, days=rng.random() * 7)
                moment = moment.replace(hour=rng.choice([7, 8, 12, 13, 17, 20, 22]))
                if moment >= now:
                    continue
                weeks_ago = (now - moment).days / 7
                mood = base - _winter_dip(moment) - (0.3 if moment.weekday() == 0 else 0)
                if area in strained:
                    mood -= 1.1 * _strain_curve(weeks_ago)
                mood = min(5, max(1, round(rng.gauss(mood, 0.8))))
                chosen = rng.sample(factors, k=rng.choice([0, 1, 1, 2, 3]))
                if mood <= 2 and "workload" not in chosen:
                    chosen.append(rng.choice(["workload", "staffing", "sleep"]))
                wanted = rng.sample(needs, k=1) if mood <= 2 and rng.random() < 0.6 else []
                batch.append(
                    {
                        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "user_id": user_id,
                        "occurred_at": moment,
                        "mood": mood,
                        "energy": min(5, max(1, mood + rng.choice([-1, 0, 0, 1]))),
                        "sleep": rng.choice([None, 2, 3, 3, 4]),
                        "stress": min(5, max(1, 6 - mood + rng.choice([-1, 0, 1]))),
                        "factors": sorted(chosen),
                        "needs": wanted,
                        "note_sealed": None,
                        "area": area,
                        "role_group": role_group,
                        "setting": setting,
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )
                moments.append(moment)
        if len(batch) >= BATCH:
            db.session.execute(sa.insert(Entry), batch)
            total += len(batch)
            batch = []
        if moments:
            contributions.entries_changed(user_id, moments)
    if batch:
        db.session.execute(sa.insert(Entry), batch)
        total += len(batch)
    db.session.commit()
    return {"people": people, "entries": total, "strained_areas": sorted(strained)}
