"""The Support screen: urgent help first, the hub's catalogue by need, one tap from every
screen, and an opened resource counted once per person (a keyed hash, only for signed-in
staff whose account counts)."""

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.signposting import TakeUpMark
from tests.browser.conftest import screen_ready

pytestmark = pytest.mark.browser


def open_support(page):
    page.locator(".support-link").click()
    screen_ready(page, "Support")
    page.locator(".need-group").first.wait_for()


def opens_counted(app):
    """People marked as having opened each resource this week."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(TakeUpMark.resource, sa.func.count()).group_by(TakeUpMark.resource)
        ).all()
        db.session.remove()
    return dict(rows)


def established(app, username):
    """As if the account had waited its 14 days and checked in on 3 (the test cannot wait)."""
    with app.app_context():
        db.session.execute(
            sa.update(User).where(User.username == username).values(established_at=sa.func.now())
        )
        db.session.commit()
        db.session.remove()


def posts(page):
    """Record every request the page makes from now on that is not a GET."""
    seen = []
    page.on("request", lambda r: seen.append(f"{r.method} {r.url}") if r.method != "GET" else None)
    return seen


def test_urgent_help_first_then_support_by_need(page, context, live_server):
    # axe-core checks this screen, every group open, in light and dark: test_accessibility.py
    context.route("https://**/*", lambda route: route.fulfill(body="elsewhere"))
    page.goto("/#/welcome")
    open_support(page)
    sections = page.locator("main section h2").all_inner_texts()
    assert sections == ["Urgent help now", "Support for what you need"]
    urgent = page.locator("section.urgent").inner_text()
    for words in ("116 123", "NHS 111, option 2", "SHOUT to 85258", "999"):
        assert words in urgent
    # The catalogue's other urgent line joins the built-in ones; those are not repeated.
    assert "National Domestic Abuse Helpline" in urgent
    assert urgent.count("Samaritans") == 1

    groups = page.locator(".need-group > summary").all_inner_texts()
    assert groups[0] == "Someone to talk to (5)"  # the taxonomy's order
    assert "Money advice (2)" in groups
    for summary in page.locator(".need-group > summary").all():
        summary.click()
    money = page.locator('.need-group[data-need="money_advice"]')
    call = money.locator('[data-resource-id="money-advice"]').get_by_role(
        "link", name="Call MoneyHelper"
    )
    assert call.get_attribute("href") == "tel:08001387777"
    box = call.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    # In the "someone to talk to" group, the urgent lines come first.
    talk = page.locator('.need-group[data-need="someone_to_talk_to"] .resource-title')
    assert talk.all_inner_texts()[:3] == ["Samaritans", "NHS 111, option 2", "Shout"]
    assert "24 hours a day" in page.locator('[data-resource-id="samaritans"]').first.inner_text()

    # Signed out, opening a resource counts nothing.
    sent = posts(page)
    with context.expect_page() as opened:
        page.get_by_role("link", name="NHS Every Mind Matters: sleep").click()
    opened.value.close()
    page.wait_for_timeout(300)
    assert sent == []
    assert opens_counted(live_server.app) == {}


def test_support_is_one_tap_from_every_screen(page, sign_up):
    for hash_, title in [
        ("#/welcome", "Your wellbeing diary"),
        ("#/sign-up", "Create your diary"),
        ("#/sign-in", "Sign in"),
    ]:
        page.goto(f"/{hash_}")
        screen_ready(page, title)
        open_support(page)
    sign_up(page)
    for hash_, title in [
        ("#/check-in", "How are you right now?"),
        ("#/history", "Your diary"),
        ("#/trends", "Your trends"),
        ("#/settings", "Settings"),
        ("#/about-you", "About you and support"),
        ("#/week-questions", "Four questions about your week"),
    ]:
        page.goto(f"/{hash_}")
        screen_ready(page, title)
        open_support(page)


def test_opening_a_resource_counts_one_person_and_nothing_about_them(
    page, context, sign_up, live_server
):
    context.route("https://**/*", lambda route: route.fulfill(body="elsewhere"))
    established(live_server.app, sign_up(page))
    open_support(page)
    sent = posts(page)
    page.locator('.need-group[data-need="money_advice"] > summary').click()
    with context.expect_page() as opened:
        page.locator('[data-resource-id="money-advice"]').get_by_role(
            "link", name="MoneyHelper website"
        ).click()
    opened.value.close()
    page.wait_for_timeout(300)
    assert sent == [f"POST {live_server.url}/api/v1/resources/money-advice/open"]
    assert opens_counted(live_server.app) == {"money-advice": 1}


def test_the_catalogue_is_there_offline_after_a_first_visit(
    page, context, sign_up, wait_for_service_worker
):
    sign_up(page)
    wait_for_service_worker(page)
    open_support(page)
    context.set_offline(True)
    page.reload()
    screen_ready(page, "Support")
    page.get_by_text("this is the list from your last visit").wait_for()
    assert page.locator('.need-group[data-need="money_advice"]').count() == 1
    assert "116 123" in page.locator("section.urgent").inner_text()


def test_a_placeholder_says_so_next_to_a_real_route(page, context, sign_up, live_server):
    context.route("https://**/*", lambda route: route.fulfill(body="elsewhere"))
    sign_up(page)
    open_support(page)
    for summary in page.locator(".need-group > summary").all():
        summary.click()
    hub = page.locator(
        '.need-group[data-need="wellbeing_hub"] [data-resource-id="staff-wellbeing-hub"]'
    )
    assert "Your hub has not added how to reach this yet." in hub.inner_text()
    assert "Until then: Samaritans." in hub.inner_text()
    assert hub.get_by_role("link", name="Call Samaritans").get_attribute("href") == "tel:116123"
    discounts = page.locator(
        '.need-group[data-need="money_advice"] [data-resource-id="staff-discounts"]'
    )
    assert "Until then: MoneyHelper." in discounts.inner_text()
    # A placeholder with national links of its own keeps them, and says what is missing.
    careers = page.locator(
        '.need-group[data-need="career_conversation"] [data-resource-id="career-conversations"]'
    )
    assert "Your hub has not added its own contact details for this yet." in careers.inner_text()
    assert careers.get_by_role("link", name="Call a National Careers Service adviser").count() == 1
    # Every placeholder on the screen has a way to reach someone next to it.
    for card in page.locator(".need-group .resource").all():
        assert card.locator("a.reach").count() > 0, card.inner_text()
    assert "will add how to reach this" not in page.locator("main").inner_text()

    # The route is what is opened, and counted.
    sent = posts(page)
    with context.expect_page() as opened:
        discounts.get_by_role("link", name="MoneyHelper website").click()
    opened.value.close()
    page.wait_for_timeout(300)
    assert sent == [f"POST {live_server.url}/api/v1/resources/money-advice/open"]


def test_the_demo_has_no_dead_end_on_support(page, sign_up, example_resources):
    sign_up(page)
    open_support(page)
    for summary in page.locator(".need-group > summary").all():
        summary.click()
    text = page.locator("main").inner_text()
    assert "has not added" not in text
    assert "(example details)" in text
    hub = page.locator(
        '.need-group[data-need="wellbeing_hub"] [data-resource-id="staff-wellbeing-hub"]'
    )
    call = hub.get_by_role("link", name="Call the hub (example details)")
    assert call.get_attribute("href") == "tel:01632960100"
    for card in page.locator(".need-group .resource").all():
        assert card.locator("a.reach").count() > 0, card.inner_text()
