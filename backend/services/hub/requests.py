"""A person's own requests to talk to someone at the hub: send, read back, withdraw.

What the person wrote is sealed as one JSON blob under their own key (services/crypto.py,
purpose "hub-request", bound to the request's id), so a copy of the database reads none of
it and a sealed blob moved to another row does not open. A request is sent once: the same
id sent again (the outbox after a lost answer) answers with the request as it stands.
"""

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Entry, User
from ...models.hub import HubRequest, HubRequestMark, HubRequestMonth
from ...models.types import utcnow
from .. import releases, sql, taxonomy, weekly_marks
from ..crypto import seal, unseal
from ..problems import Forbidden, Invalid, NotFound

DETAILS = "hub-request"
NOTE = "hub-note"
MARK = "hub-request-month"
DETAIL_FIELDS = ("call_me", "phone", "email", "good_times", "on_my_mind", "summary")
SUMMARY_WEEKS = 4


def _require_staff(user: User) -> None:
    if not user.is_staff:
        raise Forbidden("Only staff accounts can ask the hub for a conversation.")


def open_details(row: HubRequest) -> dict:
    """What the person sent, unsealed."""
    return json.loads(unseal(DETAILS, row.user_id, str(row.id), row.details_sealed))


def open_note(row: HubRequest) -> str | None:
    """The practitioner's note, unsealed."""
    return unseal(NOTE, row.user_id, str(row.id), row.note_sealed)


def status_record(row: HubRequest) -> dict:
    """A request's state and dates: what the person (and the inbox list) sees of it."""
    return {
        "id": row.id,
        "state": row.state,
        "created_at": row.created_at,
        "first_read_at": row.first_read_at,
        "closed_at": row.closed_at,
    }


def own_record(row: HubRequest) -> dict:
    """The person's view of their request: its state and what they sent."""
    return {**status_record(row), **open_details(row)}


def _check(data: dict) -> dict:
    if not (data.get("phone") or data.get("email")):
        raise Invalid("Please give a phone number or an e-mail address, so we can reach you.",
                      "phone")  # fmt: skip
    summary = data.get("summary")
    if summary:
        unknown = sorted({n["need"] for n in summary["needs"]} - taxonomy.codes("needs"))
        if unknown:
            raise Invalid(f"Not one of the listed needs: {', '.join(unknown)}.", "summary")
    return {field: data.get(field) or None for field in DETAIL_FIELDS}


def send(user: User, request_id: uuid.UUID, data: dict) -> tuple[dict, bool]:
    """Keep the person's request under this id; returns (its record, created).

    Sent again with the same id, it answers with the request as it is (what arrived first
    stands); another person's id is a 404, like one that does not exist.
    """
    _require_staff(user)
    existing = db.session.get(HubRequest, request_id)
    if existing is not None:
        return own_record(_owned(user, existing)), False
    details = _check(data)
    now = utcnow()
    row = HubRequest(
        id=request_id,
        user_id=user.id,
        state="sent",
        details_sealed=seal(DETAILS, user.id, str(request_id), json.dumps(details, default=str)),
        created_at=now,
        updated_at=now,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        # The same request arrived twice at once: the other copy won (PostgreSQL waited
        # for its commit), so this one answers as a repeat and counts nothing.
        db.session.rollback()
        return own_record(_owned(user, db.session.get(HubRequest, request_id))), False
    _count(user, now)
    db.session.commit()
    return own_record(row), True


def _count(user: User, now: datetime) -> None:
    """Count the person in this month's tally, once however many requests they send (the
    evaluation report reads it; see monthly_counts), so one person moves a month by one.

    Two upserts: the person's mark for the month, and one more in the tally only if the
    mark is new; two first requests of a month at once both count and neither fails.
    """
    month = releases.today(now).replace(day=1)  # London's month, as the report counts them
    marked = db.session.execute(
        sql.insert(HubRequestMark)
        .values(month=month, person=weekly_marks.person_of(MARK, user.id, month))
        .on_conflict_do_nothing()
        .returning(HubRequestMark.month)  # rowcount is -1 here on psycopg 3
    ).first()
    if marked is None:
        return
    statement = sql.insert(HubRequestMonth).values(month=month, requests=1)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["month"], set_={"requests": HubRequestMonth.requests + 1}
        )
    )


def forget_marks(user: User | None = None, before: date | None = None) -> int:
    """Delete the person's month marks (erasure), or every mark of months before `before`
    (the daily job: a closed month's tally stands and needs no marks); returns how many."""
    statement = sa.delete(HubRequestMark)
    if user is not None:
        months = db.session.scalars(sa.select(HubRequestMark.month).distinct()).all()
        people = [weekly_marks.person_of(MARK, user.id, month) for month in months]
        statement = statement.where(HubRequestMark.person.in_(people))
    if before is not None:
        statement = statement.where(HubRequestMark.month < before)
    return db.session.execute(statement).rowcount


def _owned(user: User, row: HubRequest | None) -> HubRequest:
    if row is None or row.user_id != user.id:
        raise NotFound("There is no request with that id.")
    return row


def mine(user: User) -> list[dict]:
    """The person's requests, newest first."""
    _require_staff(user)
    return records_of(user)


def records_of(user: User) -> list[dict]:
    """Every request of this person with what they sent (for their export too)."""
    rows = db.session.scalars(
        sa.select(HubRequest)
        .where(HubRequest.user_id == user.id)
        .order_by(HubRequest.created_at.desc())
    )
    return [own_record(row) for row in rows]


def one_of_mine(user: User, request_id: uuid.UUID) -> dict:
    _require_staff(user)
    return own_record(_owned(user, db.session.get(HubRequest, request_id)))


def withdraw(user: User, request_id: uuid.UUID) -> None:
    """Withdraw the request: it is erased at once, whatever its state."""
    _require_staff(user)
    row = _owned(user, db.session.get(HubRequest, request_id))
    db.session.delete(row)
    db.session.commit()
    sql.leave_no_copy()  # no copy stays in SQLite's files either


def summary_of(user: User, now: datetime | None = None) -> dict:
    """The last 4 weeks as the person may choose to send them: each week's check-ins and
    usual mood (the rounded mean, 1-5), and how often each need was chosen."""
    _require_staff(user)
    today = (now or utcnow()).astimezone(UTC).date()
    starts = [today - timedelta(days=7 * (SUMMARY_WEEKS - i) - 1) for i in range(SUMMARY_WEEKS)]
    since = datetime.combine(starts[0], datetime.min.time(), tzinfo=UTC)
    rows = db.session.execute(
        sa.select(Entry.occurred_at, Entry.mood, Entry.needs).where(
            Entry.user_id == user.id, Entry.occurred_at >= since
        )
    ).all()
    weeks = {start: [] for start in starts}
    needs: dict[str, int] = {}
    for occurred_at, mood, chosen in rows:
        day = occurred_at.astimezone(UTC).date()
        start = max(s for s in starts if s <= day)
        weeks[start].append(mood)
        for need in chosen or []:
            needs[need] = needs.get(need, 0) + 1
    return {
        "weeks": [
            {
                "week_start": start,
                "check_ins": len(moods),
                # Half up (2.5 is "Okay"), not Python's round-half-to-even.
                "mood": int(sum(moods) / len(moods) + 0.5) if moods else None,
            }
            for start, moods in weeks.items()
        ],
        "needs": [{"need": n, "times": t} for n, t in sorted(needs.items(), key=lambda p: -p[1])],
    }


def monthly_counts(first: date, last: date) -> list[dict]:
    """People who asked for a conversation in each calendar month from `first` to `last`
    (inclusive), each once a month however many requests they sent.

    Counts only: no person, no words, and withdrawn or erased requests still count (each
    was a request for a conversation when it came). Months with none are given as 0. The
    evaluation report applies the release rules (k, rounding) before it shows any.
    """
    first, last = first.replace(day=1), last.replace(day=1)
    counts = dict(
        db.session.execute(
            sa.select(HubRequestMonth.month, HubRequestMonth.requests).where(
                HubRequestMonth.month.between(first, last)
            )
        ).all()
    )
    months, month = [], first
    while month <= last:
        months.append({"month": month, "requests": counts.get(month, 0)})
        month = (month + timedelta(days=32)).replace(day=1)
    return months
