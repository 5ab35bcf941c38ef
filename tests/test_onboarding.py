"""The optional onboarding questions: the baseline, answering again, and what is refused."""

import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models.wellbeing import OnboardingAnswer
from backend.services.releases.contributions import WEEK_ZONE
from tests.conftest import login

ANSWERS = {
    "time_in_job": "1_to_2_years",
    "career_conversation": "no",
    "knows_training": "not_sure",
    "knows_how_to_reach": ["wellbeing_hub"],
    "would_like": ["sleep_help"],
}


def today():
    return datetime.now(WEEK_ZONE).date()


def rows_of(app, person) -> list[OnboardingAnswer]:
    with app.app_context():
        query = sa.select(OnboardingAnswer).where(OnboardingAnswer.user_id == person.id)
        return list(db.session.scalars(query.order_by(OnboardingAnswer.answered_on)))


def test_nothing_answered_yet_and_the_questions_in_plain_words(signed_in):
    client, _ = signed_in()
    body = client.get("/api/v1/me/onboarding").get_json()
    assert (body["latest"], body["baseline_on"]) == (None, None)
    questions = body["questions"]
    codes = {field: [c["code"] for c in q["choices"]] for field, q in questions.items()}
    assert codes["time_in_job"] == [
        "under_6_months", "6_to_12_months", "1_to_2_years", "2_to_5_years", "over_5_years",
    ]  # fmt: skip
    assert codes["career_conversation"] == codes["knows_training"] == ["yes", "no", "not_sure"]
    assert codes["knows_how_to_reach"] == [
        "wellbeing_hub", "staff_discounts", "recovery_college", "menopause_support",
    ]  # fmt: skip
    needs = [n["code"] for n in client.get("/api/v1/taxonomy").get_json()["needs"]]
    assert codes["would_like"] == needs
    assert questions["knows_how_to_reach"]["multiple"] is True
    assert questions["time_in_job"]["multiple"] is False
    labels = [c["label"] for q in questions.values() for c in q["choices"]]
    assert all(label and "_" not in label for label in labels)


def test_the_first_answers_are_the_baseline(signed_in):
    client, _ = signed_in()
    response = client.put("/api/v1/me/onboarding", json=ANSWERS)
    assert response.status_code == 200
    body = response.get_json()
    assert body["latest"] == {"answered_on": today().isoformat(), **ANSWERS}
    assert body["baseline_on"] == today().isoformat()
    assert client.get("/api/v1/me/onboarding").get_json() == body


def test_answering_again_the_same_day_replaces_that_days_answers(app, signed_in):
    client, person = signed_in()
    client.put("/api/v1/me/onboarding", json=ANSWERS)
    again = client.put("/api/v1/me/onboarding", json={"career_conversation": "yes"})
    latest = again.get_json()["latest"]
    assert latest["career_conversation"] == "yes"
    assert (latest["time_in_job"], latest["would_like"]) == (None, [])
    assert len(rows_of(app, person)) == 1


def test_answering_on_a_later_day_keeps_the_baseline(app, signed_in):
    client, person = signed_in()
    earlier = today() - timedelta(days=180)
    with app.app_context():
        db.session.add(
            OnboardingAnswer(user_id=person.id, answered_on=earlier, knows_how_to_reach=[])
        )
        db.session.commit()
    body = client.put("/api/v1/me/onboarding", json=ANSWERS).get_json()
    assert body["baseline_on"] == earlier.isoformat()
    assert body["latest"]["answered_on"] == today().isoformat()
    rows = rows_of(app, person)
    assert [(r.answered_on, r.knows_how_to_reach) for r in rows] == [
        (earlier, []),
        (today(), ["wellbeing_hub"]),
    ]


def test_every_question_may_be_skipped_and_skipping_all_keeps_nothing(app, signed_in):
    client, person = signed_in()
    skipped = {"time_in_job": None, "knows_how_to_reach": [], "would_like": None}
    body = client.put("/api/v1/me/onboarding", json=skipped).get_json()
    assert (body["latest"], body["baseline_on"]) == (None, None)
    client.put("/api/v1/me/onboarding", json={"knows_training": "yes"})
    assert len(rows_of(app, person)) == 1
    client.put("/api/v1/me/onboarding", json={})
    assert rows_of(app, person) == []


def test_choices_are_kept_once_each_in_the_listed_order(signed_in):
    client, _ = signed_in()
    chosen = ["menopause_support", "wellbeing_hub", "menopause_support"]
    body = client.put("/api/v1/me/onboarding", json={"knows_how_to_reach": chosen}).get_json()
    assert body["latest"]["knows_how_to_reach"] == ["wellbeing_hub", "menopause_support"]


@pytest.mark.parametrize(
    "field, value",
    [
        ("time_in_job", "forever"),
        ("time_in_job", 3),
        ("career_conversation", "maybe"),
        ("knows_training", True),
        ("knows_how_to_reach", ["the_moon"]),
        ("knows_how_to_reach", "wellbeing_hub"),
        ("would_like", ["world_peace"]),
        ("favourite_colour", "blue"),
    ],
)
def test_an_answer_not_offered_is_named_and_nothing_is_kept(app, signed_in, field, value):
    client, person = signed_in()
    response = client.put("/api/v1/me/onboarding", json={**ANSWERS, field: value})
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["json"]) == [field]
    assert rows_of(app, person) == []


def test_another_persons_answers_are_theirs_alone(signed_in):
    owner, _ = signed_in()
    owner.put("/api/v1/me/onboarding", json=ANSWERS)
    other, _ = signed_in()
    assert other.get("/api/v1/me/onboarding").get_json()["latest"] is None


def test_only_staff_answer(client, signed_in):
    assert client.get("/api/v1/me/onboarding").status_code == 401
    assert client.put("/api/v1/me/onboarding", json=ANSWERS).status_code == 401
    researcher, _ = signed_in(role="researcher")
    assert researcher.put("/api/v1/me/onboarding", json=ANSWERS).status_code == 403


def test_saves_at_the_same_moment_make_one_row_for_the_day(app, make_user):
    person = make_user()
    devices = [app.test_client() for _ in range(4)]
    for device in devices:
        login(device, person)
    start = threading.Barrier(len(devices))
    answers = []

    def save(device, choice):
        start.wait()
        body = {**ANSWERS, "career_conversation": choice}
        answers.append(device.put("/api/v1/me/onboarding", json=body).status_code)

    choices = ("yes", "no", "yes", "no")
    threads = [
        threading.Thread(target=save, args=pair) for pair in zip(devices, choices, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 4
    assert len(rows_of(app, person)) == 1


def test_answers_are_exported_and_erased_with_the_account(app, signed_in):
    client, person = signed_in()
    client.put("/api/v1/me/onboarding", json=ANSWERS)
    stays, stayer = signed_in()
    stays.put("/api/v1/me/onboarding", json=ANSWERS)
    exported = client.get("/api/v1/me/export").get_json()["other"]["onboarding_answers"]
    assert exported == [{"answered_on": today().isoformat(), **ANSWERS}]
    assert client.delete("/api/v1/me", json={"password": person.password}).status_code == 204
    assert rows_of(app, person) == []
    assert len(rows_of(app, stayer)) == 1
