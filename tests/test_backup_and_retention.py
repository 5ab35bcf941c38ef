"""Backups restore the same diaries; old check-ins are deleted, releases stay."""

from datetime import timedelta

import sqlalchemy as sa

from backend.extensions import db
from backend.models import Entry
from backend.models.insights import PersonWeek, Release
from backend.models.types import utcnow
from backend.services import retention
from tests.conftest import put_entry


def diary(client) -> list[dict]:
    return client.get("/api/v1/entries?limit=100").get_json()["items"]


def test_a_restored_database_serves_the_same_diaries(app, runner, signed_in, tmp_path):
    alice, _ = signed_in()
    bob, _ = signed_in()
    for mood in (1, 3, 5):
        put_entry(alice, mood=mood, note=f"alice {mood}")
    put_entry(bob, mood=2, note="bob")
    before = (diary(alice), diary(bob))

    path = tmp_path / "diary.backup"
    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0, made.output
    assert "note_key" in made.output
    assert path.stat().st_size > 0

    for item in diary(alice):
        alice.delete(f"/api/v1/entries/{item['id']}")
    put_entry(bob, mood=4, note="written after the backup")
    assert diary(alice) == []

    restored = runner.invoke(args=["restore", str(path)], input="y\n")
    assert restored.exit_code == 0, restored.output
    assert (diary(alice), diary(bob)) == before


def test_restore_refuses_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "nope"), "--yes"])
    assert result.exit_code != 0


def test_old_check_ins_are_deleted_and_releases_stay(app, signed_in):
    client, _ = signed_in()
    now = utcnow()
    old, _ = put_entry(client, occurred_at=(now - timedelta(days=760)).isoformat())
    keep, _ = put_entry(client, occurred_at=(now - timedelta(days=700)).isoformat())
    with app.app_context():
        db.session.add(Release(published_at=now, k=10, rounding=5, weeks=[], fresh_cells=0))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PersonWeek)) == 2
        gone = retention.apply(now)
        assert gone["entries"] == 1 and gone["person_weeks"] == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Release)) == 1
        assert {str(e.id) for e in db.session.scalars(sa.select(Entry))} == {keep}
    assert [item["id"] for item in diary(client)] == [keep]
    assert client.get(f"/api/v1/entries/{old}").status_code == 404


def test_retention_is_configurable_and_a_daily_job(app, make_app, signed_in):
    from backend.jobs import job_definitions

    client, _ = signed_in()
    put_entry(client, occurred_at=(utcnow() - timedelta(days=45)).isoformat())
    short = make_app(RETENTION_MONTHS=1)
    with short.app_context():
        assert retention.apply()["entries"] == 1
    jobs = {job["id"]: job for job in job_definitions(app)}
    assert jobs["retention"]["every"] == {"days": 1}
