"""The administrator's command line."""

import json
import logging
import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pyotp
import sqlalchemy as sa

from backend.extensions import db
from backend.models import Entry, User
from backend.models.signposting import TakeUpCell
from backend.models.wellbeing import OnboardingAnswer, Ons4Answer
from backend.services.demo import EXAMPLE_RESOURCES
from backend.services.resources import SHIPPED

ROOT = Path(__file__).resolve().parents[1]


def test_create_researcher_prompts_for_a_password(app, runner):
    result = runner.invoke(
        args=["users", "create-researcher", "hub.lead"],
        input="a long research passphrase\na long research passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created researcher account 'hub.lead'" in result.output
    assert "a long research passphrase" not in result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "hub.lead"))
        assert user.role == "researcher"
        assert user.has_second_factor
    secret = re.search(r"secret=([A-Z2-7]+)", result.output).group(1)
    body = {"username": "hub.lead", "password": "a long research passphrase"}
    without = app.test_client().post("/api/v1/auth/login", json=body)
    assert without.status_code == 401
    assert "totp" in without.get_json()["errors"]["json"]
    code = pyotp.TOTP(secret).now()
    login = app.test_client().post("/api/v1/auth/login", json=body | {"totp": code})
    assert login.get_json()["role"] == "researcher"


def test_reset_second_factor_gives_a_new_secret(app, runner, make_user):
    person = make_user(role="researcher")
    result = runner.invoke(args=["users", "reset-second-factor", person.username])
    assert result.exit_code == 0, result.output
    secret = re.search(r"secret=([A-Z2-7]+)", result.output).group(1)
    assert secret != person.totp_secret
    missing = runner.invoke(args=["users", "reset-second-factor", "nobody"])
    assert missing.exit_code != 0


def test_create_researcher_refuses_a_weak_password(app, runner):
    result = runner.invoke(
        args=["users", "create-researcher", "hub.lead"], input="password1\npassword1\n"
    )
    assert result.exit_code != 0
    assert "most common" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_demo_seed_makes_a_varied_population(app, runner):
    result = runner.invoke(args=["demo", "seed", "--people", "60", "--weeks", "8"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        people = db.session.scalar(sa.select(sa.func.count()).select_from(User))
        entries = db.session.scalar(sa.select(sa.func.count()).select_from(Entry))
        areas = db.session.scalar(sa.select(sa.func.count(sa.distinct(User.area))))
        moods = set(db.session.scalars(sa.select(Entry.mood).distinct()))
        consenting = db.session.scalar(sa.select(sa.func.count()).where(User.research_consent))
        ons4 = db.session.execute(sa.select(Ons4Answer.user_id, Ons4Answer.anxious)).all()
        onboarding = db.session.scalars(sa.select(OnboardingAnswer.user_id)).all()
        opened = db.session.execute(sa.select(TakeUpCell.resource, TakeUpCell.people)).all()
    assert people == 60
    assert entries > 60 * 8
    assert areas > 10
    assert moods == {1, 2, 3, 4, 5}
    assert 0 < consenting < people
    # Some people answer ONS4 (each answer on the 0 to 10 scale), some the onboarding
    # questions (a few of them twice), and resources are opened.
    assert 0 < len({user for user, _ in ons4}) < people
    assert all(0 <= anxious <= 10 for _, anxious in ons4)
    assert 0 < len(set(onboarding)) < people
    assert len(onboarding) > len(set(onboarding))
    assert {resource for resource, _ in opened} >= {"samaritans", "staff-wellbeing-hub"}
    assert all(opens > 0 for _, opens in opened)
    again = runner.invoke(args=["demo", "seed", "--people", "5"])
    assert again.exit_code != 0
    assert "already there" in again.output


def test_demo_seed_refuses_a_production_database(app, runner):
    app.config["DIARY_ENV"] = "production"
    result = runner.invoke(args=["demo", "seed", "--people", "5"])
    assert result.exit_code != 0
    assert "development" in result.output


def stand_in_server(monkeypatch) -> list:
    """Put a stand-in for the blocking development server under `serve`: what matters is
    what comes before it. Returns the list of servers `serve` ran."""
    served = []

    class Server:
        server_port = 5999

        def serve_forever(self):
            served.append(self)

    monkeypatch.setattr("werkzeug.serving.make_server", lambda *args, **kw: Server())
    return served


def test_serving_makes_the_vapid_key_on_the_first_run_and_keeps_it(app, runner, monkeypatch):
    key = Path(app.instance_path) / "vapid_private.pem"
    assert not key.exists()
    served = stand_in_server(monkeypatch)
    app.config["SCHEDULER_ENABLED"] = False
    werkzeug_log = logging.getLogger("werkzeug")
    monkeypatch.setattr(werkzeug_log, "level", logging.INFO)  # as a plain run has it
    first = runner.invoke(args=["serve", "--port", "5999"])
    assert first.exit_code == 0, first.output
    assert served and key.exists()
    made = key.read_bytes()
    app.extensions.pop("vapid_key", None)
    again = runner.invoke(args=["serve", "--port", "5999"])
    assert again.exit_code == 0 and len(served) == 2
    assert key.read_bytes() == made  # never replaced
    # Request lines stay out of the log, as under gunicorn: a URL can carry a check-in's id.
    assert not logging.getLogger("werkzeug").isEnabledFor(logging.INFO)


def placeholder_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "backend.services.resources" and r.levelname == "WARNING"
    ]


def test_serving_warns_of_the_placeholders_once(app, runner, monkeypatch, caplog):
    served = stand_in_server(monkeypatch)
    monkeypatch.setattr(logging.getLogger("werkzeug"), "level", logging.INFO)
    caplog.set_level("INFO")
    result = runner.invoke(args=["serve", "--port", "5999"])
    assert result.exit_code == 0 and served, result.output
    [warning] = placeholder_warnings(caplog)
    assert "staff-wellbeing-hub" in warning and "resources.json" in warning


def test_the_gunicorn_master_warns_of_the_placeholders_once(app, monkeypatch, caplog):
    """gunicorn.conf.py's when_ready, run as gunicorn runs it, on the test's app."""
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    monkeypatch.setattr("backend.create_app", lambda: app)
    caplog.set_level("INFO")
    settings["when_ready"](SimpleNamespace(log=logging.getLogger("gunicorn.error")))
    [warning] = placeholder_warnings(caplog)
    assert "staff-wellbeing-hub" in warning


EXAMPLE_NUMBER = re.compile(r"^(tel|sms):(01632960|07700900)[0-9]{3}$")


def test_demo_seed_fills_every_placeholder_with_example_details(app, runner, make_app):
    target = Path(app.instance_path) / "resources.json"
    result = runner.invoke(args=["demo", "seed", "--people", "12", "--weeks", "2"])
    assert result.exit_code == 0, result.output
    assert f"Wrote example contact details, marked as examples, to {target}" in result.output
    assert "Restart the app" in result.output
    assert target.read_text() == EXAMPLE_RESOURCES.read_text()
    shipped = {r["id"]: r for r in json.loads(SHIPPED.read_text())["resources"]}
    examples = json.loads(target.read_text())["resources"]
    assert {r["id"] for r in examples} == {rid for rid, r in shipped.items() if "placeholder" in r}
    for example in examples:
        for way in example["reach"]:
            if way in shipped[example["id"]]["reach"]:
                continue  # a real national line the example keeps
            assert way["label"].endswith("(example details)"), way
            if way["kind"] == "web":
                assert way["href"].startswith("https://example.org/"), way
            else:
                assert EXAMPLE_NUMBER.match(way["href"]), way
        assert example.get("hours") is None or example["hours"].endswith("(example details)")
    # A restarted app reads it: nothing is waiting for the hub any more.
    resources = make_app().test_client().get("/api/v1/resources").get_json()["resources"]
    assert not [r["id"] for r in resources if r["placeholder"]]


def test_demo_seed_never_replaces_the_hubs_own_resources(app, runner):
    target = Path(app.instance_path) / "resources.json"
    own = '{"resources": [{"id": "recovery-college", "drop": true}]}'
    target.write_text(own)
    result = runner.invoke(args=["demo", "seed", "--people", "5", "--weeks", "1"])
    assert result.exit_code == 0, result.output
    assert f"Kept {target} as it is" in result.output
    assert target.read_text() == own
