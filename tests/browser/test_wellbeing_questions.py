"""The weekly ONS4 questions and the optional questions about you: offered gently, answered
in accessible groups, all four ONS answers needed, shown beside the UK figures, and the
questions about you skippable after sign-up and answerable again from Settings."""

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import mood_face, screen_ready

pytestmark = pytest.mark.browser

OFFER = '[data-offer="offer-ons4"]'


def save_check_in(page, mood="Good"):
    mood_face(page, mood).click()
    page.get_by_role("button", name="Save check-in").click()
    screen_ready(page, "Saved. Thank you for checking in.")


def answer(page, question, number):
    page.get_by_role("group", name=question).get_by_role("radio", name=str(number)).check()


def test_four_questions_offered_answered_and_shown_beside_the_uk(
    page, sign_up, api_get, assert_accessible
):
    sign_up(page)
    save_check_in(page)
    offer = page.locator(OFFER)
    offer.get_by_role("heading", name="Four short questions about your week?").wait_for()
    offer.get_by_role("link", name="Answer them").click()
    screen_ready(page, "Four questions about your week")
    page.locator(".ons4-question").first.wait_for()

    questions = api_get(page, "/api/v1/me/ons4")["questions"]
    legends = page.locator(".ons4-question legend").all_inner_texts()
    assert legends == [q["text"] for q in questions]  # ONS's words, as the server gives them
    for group in page.locator(".ons4-question").all():
        assert group.get_by_role("radio").count() == 11
    zero = page.get_by_role("group", name=questions[3]["text"]).get_by_role("radio").first
    assert zero.evaluate("(r) => r.labels[0].textContent") == "0, Not at all anxious"
    assert "Office for National Statistics (ONS)" in page.locator(".source").inner_text()
    assert_accessible(page)

    for q, n in zip(questions[:3], (7, 8, 6), strict=True):
        answer(page, q["text"], n)
    sent = []
    page.on("request", lambda r: sent.append(r.method) if r.method != "GET" else None)
    page.get_by_role("button", name="Save my answers").click()
    error = page.locator(".ons4-question[data-field=anxious] .field-error")
    error.wait_for()
    assert error.inner_text() == "Please choose a number from 0 to 10."
    assert page.locator(".field-error:visible").count() == 1
    assert sent == []  # all four are needed before anything is sent
    assert_accessible(page)

    answer(page, questions[3]["text"], 3)
    page.get_by_role("button", name="Save my answers").click()
    screen_ready(page, "Thank you. Your answers are saved.")
    [given] = api_get(page, "/api/v1/me/ons4")["answers"]
    assert [given[i] for i in ("life_satisfaction", "worthwhile", "happy", "anxious")] == [
        7,
        8,
        6,
        3,
    ]

    page.get_by_role("link", name="See them over time").click()
    screen_ready(page, "Your trends")
    section = page.locator("section.ons4")
    section.locator("figure").first.wait_for()
    assert section.locator("figure svg[role=img]").count() == 4  # each item on its own
    captions = section.locator("figcaption").all_inner_texts()
    assert captions[0].startswith("Life satisfaction: 7 out of 10")
    assert captions[0].endswith("UK average 7.45.")
    assert captions[3].startswith("Anxious yesterday: 3 out of 10")
    assert_accessible(page)

    # This week's answers can be changed; still one answer for the week.
    section.get_by_role("link", name="Change this week's answers").click()
    screen_ready(page, "Change this week's answers")
    page.locator(".ons4-question").first.wait_for()
    assert (
        page.get_by_role("group", name=questions[0]["text"])
        .get_by_role("radio", name="7")
        .is_checked()
    )
    answer(page, questions[0]["text"], 9)
    page.get_by_role("button", name="Save my answers").click()
    screen_ready(page, "Thank you. Your answers are saved.")
    [given] = api_get(page, "/api/v1/me/ons4")["answers"]
    assert given["life_satisfaction"] == 9

    # Answered this week: no more offers.
    page.goto("/#/check-in")
    screen_ready(page, "How are you right now?")
    save_check_in(page)
    page.wait_for_timeout(300)
    assert page.locator(OFFER).count() == 0


def test_not_now_is_kept_for_the_week_and_sends_nothing(page, sign_up, api_get):
    sign_up(page)  # taps "Skip for now" on the questions about you: nothing is kept
    assert api_get(page, "/api/v1/me/onboarding")["latest"] is None
    save_check_in(page, "Tough")  # not offered on a hard day
    page.get_by_role("link", name="Call Samaritans on 116 123").wait_for()
    assert page.locator(OFFER).count() == 0
    page.get_by_role("button", name="Check in again").click()
    screen_ready(page, "How are you right now?")
    save_check_in(page)
    offer = page.locator(OFFER)
    offer.wait_for()
    sent = []
    page.on("request", lambda r: sent.append(urlsplit(r.url).path))
    offer.get_by_role("button", name="Not now").click()
    offer.wait_for(state="detached")
    page.wait_for_timeout(300)
    assert sent == []
    page.get_by_role("button", name="Check in again").click()
    screen_ready(page, "How are you right now?")
    save_check_in(page)
    page.wait_for_timeout(300)
    assert page.locator(OFFER).count() == 0
    assert api_get(page, "/api/v1/me/ons4")["due"] is True
    page.goto("/")
    screen_ready(page, "How are you right now?")  # the questions about you are asked once only


def test_questions_about_you_after_sign_up_and_again_from_settings(
    page, sign_up, api_get, assert_accessible
):
    page.goto("/#/sign-up")
    screen_ready(page, "Create your diary")
    page.get_by_label("Username").fill("newstarter")
    page.get_by_label("Password", exact=True).fill("a quiet walk by the river")
    page.get_by_text("Yes, count them").click()
    page.get_by_role("button", name="Create my diary").click()
    # First the recovery key and the passkey offer, then the questions.
    screen_ready(page, "Keep your way back in")
    page.get_by_role("button", name="Continue").click()
    screen_ready(page, "A few questions to start")
    page.get_by_role("group", name="How long have you been in this job?").wait_for()
    assert_accessible(page)
    page.get_by_role("radio", name="Less than 6 months").check()
    page.get_by_role("group", name="Which of these would you know how to reach?").get_by_role(
        "checkbox", name="Staff discounts"
    ).check()
    page.get_by_role("button", name="Save my answers").click()
    screen_ready(page, "How are you right now?")
    latest = api_get(page, "/api/v1/me/onboarding")["latest"]
    assert latest["time_in_job"] == "under_6_months"
    assert latest["knows_how_to_reach"] == ["staff_discounts"]
    assert latest["career_conversation"] is None

    page.goto("/#/settings")
    page.get_by_role("link", name="Answer the questions").click()
    screen_ready(page, "About you and support")
    assert page.get_by_role("radio", name="Less than 6 months").is_checked()
    assert page.get_by_role("button", name="Skip for now").count() == 0
    page.get_by_role("group", name="Do you know about training or apprenticeships").get_by_role(
        "radio", name="Yes"
    ).check()
    page.get_by_role("button", name="Save my answers").click()
    screen_ready(page, "Settings")
    page.get_by_text("Thank you. Your answers are saved.").wait_for()
    assert api_get(page, "/api/v1/me/onboarding")["latest"]["knows_training"] == "yes"


def test_an_answer_about_you_can_be_taken_back(page, sign_up, api_get):
    sign_up(page)
    page.goto("/#/about-you")
    screen_ready(page, "About you and support")
    chosen = page.get_by_role("radio", name="Less than 6 months")
    chosen.click()
    assert chosen.is_checked()
    chosen.click()  # every question is optional: a second tap takes the answer back
    assert not chosen.is_checked()
    page.get_by_role("group", name="Do you know about training or apprenticeships").get_by_role(
        "radio", name="Yes"
    ).check()
    page.get_by_role("button", name="Save my answers").click()
    screen_ready(page, "Settings")
    latest = api_get(page, "/api/v1/me/onboarding")["latest"]
    assert latest["time_in_job"] is None
    assert latest["knows_training"] == "yes"
