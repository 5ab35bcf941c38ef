"""The practitioners' inbox at /hub/ in real Chromium: signed in with the second step, the
list of requests (no one's words until one is opened), opening one (audited), marking it
and a private note; researchers never see it; axe clean at 320 px and in dark."""

import uuid

import pyotp
import pytest

from backend.extensions import db
from backend.models import User
from backend.services import hub
from tests.conftest import login
from tests.hub_requests import send_request

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


def a_request(app, make_user, **overrides):
    """A staff member's request, sent through the API; returns its id."""
    client = app.test_client()
    login(client, make_user())
    request_id, response = send_request(client, **overrides)
    assert response.status_code == 201
    return request_id


def sign_in(page, person):
    page.goto("/hub/")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password").fill(person.password)
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(person.totp_secret).now())
    page.get_by_role("button", name="Sign in").click()


def test_a_practitioner_opens_marks_and_notes_a_request(live_server, new_context, make_user):
    app = live_server.app
    request_id = a_request(app, make_user, on_my_mind="Nights are hard.")
    practitioner = make_user(role="practitioner")
    page = new_context(**DESKTOP).new_page()
    sign_in(page, practitioner)
    row = page.locator(f'#inbox-list tr[data-request="{request_id}"]')
    row.wait_for()
    assert page.locator("#dashboard").is_hidden()
    assert "New" in row.inner_text() and "Nights are hard." not in page.content()

    row.get_by_role("button", name="Open").click()
    detail = page.locator("#request")
    detail.get_by_text("Nights are hard.").wait_for()
    assert "07700 900123" in detail.inner_text()
    detail.get_by_role("button", name="Mark contacted").click()
    page.get_by_text("Saved: Contacted.").wait_for()
    page.get_by_label("Your private note").fill("Rang at 10, booked a chat.")
    # The status line already says "Contacted": wait for the note's own answer instead.
    saving = lambda r: "/hub/inbox/" in r.url and r.request.method == "PATCH"  # noqa: E731
    with page.expect_response(saving) as answer:
        page.get_by_role("button", name="Save the note").click()
    assert answer.value.ok
    page.locator(f'#inbox-list tr[data-request="{request_id}"]', has_text="Contacted").wait_for()
    with app.app_context():
        actions = [line["action"] for line in hub.log_of()]
        person = db.session.get(User, practitioner.id)
        assert hub.read(person, uuid.UUID(request_id))["note"] == "Rang at 10, booked a chat."
        db.session.remove()
    assert actions[:3] == ["read", "contacted", "note"]


def test_notifications_are_asked_for_by_a_tap_and_fail_gently(live_server, new_context, make_user):
    """Headless Chromium cannot reach a push service (tests/test_hub_privacy.py sends real
    pushes to the local double): here the tap must end in plain words, not an error."""
    context = new_context(**DESKTOP)
    context.grant_permissions(["notifications"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, make_user(role="practitioner"))
    page.get_by_role("button", name="Tell me when a request arrives").click()
    status = page.locator("#notify-status")
    status.filter(has_text="inbox still shows every request").wait_for()
    assert not errors


def test_a_researcher_never_sees_requests(live_server, new_context, make_user):
    a_request(live_server.app, make_user)
    page = new_context(**DESKTOP).new_page()
    sign_in(page, make_user(role="researcher"))
    page.locator("#dashboard").wait_for()
    assert page.locator("#inbox").is_hidden()
    assert page.locator("#inbox-list tr").count() == 0


@pytest.mark.parametrize(
    "view",
    [{"viewport": {"width": 320, "height": 800}}, {**DESKTOP, "color_scheme": "dark"}],
    ids=["320px", "dark"],
)
def test_the_inbox_is_accessible_narrow_and_dark(
    live_server, new_context, make_user, assert_accessible, view
):
    a_request(live_server.app, make_user)
    page = new_context(**view, reduced_motion="reduce").new_page()
    sign_in(page, make_user(role="practitioner"))
    page.locator("#inbox-list tr[data-request]").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Open").click()
    page.locator("#request h2").wait_for()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
