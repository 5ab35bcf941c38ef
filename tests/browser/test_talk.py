"""Talk to someone at the hub, in real Chromium: the form from Support (urgent help and the
hub's hours on it, the summary shown as it is sent), its offline path (kept on the phone,
sent once), the status view (first read, withdraw), all axe clean at 320 px and in dark."""

import uuid

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.models.hub import HubRequest
from backend.services import hub
from tests.browser.conftest import eventually, screen_ready

pytestmark = pytest.mark.browser

HUB_OUTBOX_COUNT = """async () => {
  const hubOutbox = await import("/js/hub-outbox.js");
  return (await hubOutbox.waiting()).length;
}"""


def requests_kept(app):
    with app.app_context():
        rows = db.session.scalars(sa.select(HubRequest)).all()
        records = [hub.one_of_mine(db.session.get(User, row.user_id), row.id) for row in rows]
        db.session.remove()
    return records


def open_talk(page):
    page.locator(".support-link").click()
    screen_ready(page, "Support")
    page.get_by_role("link", name="Talk to someone at the hub").click()
    screen_ready(page, "Talk to someone at the hub")
    page.get_by_text("The hub answers requests").wait_for()


def fill_form(page, mind="Nights have been hard."):
    page.get_by_label("What should we call you?").fill("Sam")
    page.get_by_label("Phone").fill("07700 900123")
    page.get_by_label("Good times to reach you (optional)").fill("Mornings")
    page.get_by_label("What's on your mind (optional)").fill(mind)


def test_a_request_from_support_goes_with_the_summary_exactly_as_shown(
    page, sign_up, check_in, live_server
):
    live_server.app.config["HUB_OPENING_HOURS"] = "Monday to Friday, 8am to 6pm"
    sign_up(page)
    check_in(page, mood="Tough")
    open_talk(page)
    urgent = page.locator("section.urgent").inner_text()
    assert "116 123" in urgent and "SHOUT" in urgent and "999" in urgent
    assert "Monday to Friday, 8am to 6pm" in urgent
    page.get_by_text("You have not asked the hub for a conversation yet.").wait_for()

    fill_form(page)
    page.get_by_label("Include a summary of my last 4 weeks").check()
    preview = page.locator(".summary-preview")
    preview.get_by_text("exactly what will be sent").wait_for()
    assert "1 check-in, mostly “Tough”" in preview.inner_text()
    assert "You did not choose anything under “what would help”" in preview.inner_text()
    page.get_by_role("button", name="Send my request").click()
    page.get_by_text("Sent. We'll get back to you.").first.wait_for()
    page.locator(".hub-request", has_text="Not read yet.").wait_for()

    [kept] = requests_kept(live_server.app)
    assert (kept["call_me"], kept["on_my_mind"]) == ("Sam", "Nights have been hard.")
    assert kept["summary"]["weeks"][-1]["mood"] == 2
    assert kept["summary"]["needs"] == [] and len(kept["summary"]["weeks"]) == 4


def test_the_form_says_what_is_missing_before_sending(page, sign_up, live_server):
    sign_up(page)
    open_talk(page)
    page.get_by_label("What should we call you?").fill("Sam")
    page.get_by_role("button", name="Send my request").click()
    page.get_by_text("Please give a phone number or an e-mail address").wait_for()
    assert requests_kept(live_server.app) == []


def test_offline_the_request_waits_on_the_phone_and_is_sent_once(
    page, context, sign_up, live_server, wait_for_service_worker
):
    sign_up(page)
    wait_for_service_worker(page)
    open_talk(page)  # online once: the hub's hours are kept on the phone
    context.set_offline(True)
    page.reload()
    screen_ready(page, "Talk to someone at the hub")
    page.get_by_text("The hub answers requests Monday to Friday").wait_for()
    fill_form(page)
    page.get_by_label("Include a summary of my last 4 weeks").click()  # it unticks itself
    page.get_by_text("The summary needs a connection").wait_for()
    assert not page.get_by_label("Include a summary of my last 4 weeks").is_checked()
    page.get_by_role("button", name="Send my request").click()
    page.get_by_text("Saved on this phone. It will be sent by itself").wait_for()
    page.locator(".hub-request", has_text="Waiting to send").wait_for()
    assert page.evaluate(HUB_OUTBOX_COUNT) == 1
    assert requests_kept(live_server.app) == []

    context.set_offline(False)
    eventually(page, f"({HUB_OUTBOX_COUNT})().then((n) => n === 0)")
    page.evaluate("window.dispatchEvent(new Event('online'))")  # a second replay sends nothing
    page.reload()
    screen_ready(page, "Talk to someone at the hub")
    page.locator(".hub-request", has_text="Sent. We'll get back to you.").wait_for()
    assert len(requests_kept(live_server.app)) == 1
    assert requests_kept(live_server.app)[0]["summary"] is None


def test_the_person_sees_the_first_read_and_can_withdraw(page, sign_up, live_server, make_user):
    sign_up(page)
    open_talk(page)
    fill_form(page)
    page.get_by_role("button", name="Send my request").click()
    page.locator(".hub-request", has_text="Not read yet.").wait_for()
    app = live_server.app
    person = make_user(role="practitioner")
    with app.app_context():
        practitioner = db.session.get(User, person.id)
        [row] = db.session.scalars(sa.select(HubRequest)).all()
        hub.read(practitioner, row.id)
        hub.update(practitioner, row.id, {"state": "contacted"})
        db.session.remove()
    page.reload()
    screen_ready(page, "Talk to someone at the hub")
    item = page.locator(".hub-request")
    item.get_by_text("The hub has been in touch.").wait_for()
    assert "First read" in item.inner_text()
    item.get_by_role("button", name="Withdraw this request").click()
    page.get_by_role("button", name="Yes, withdraw and erase it").click()
    page.get_by_text("Your request was withdrawn and erased.").wait_for()
    page.get_by_text("You have not asked the hub for a conversation yet.").wait_for()
    assert requests_kept(app) == []


@pytest.mark.parametrize(
    "view",
    [{"viewport": {"width": 320, "height": 800}}, {"color_scheme": "dark"}],
    ids=["320px", "dark"],
)
def test_the_form_and_its_states_are_accessible(
    new_context, sign_up, check_in, assert_accessible, view
):
    page = new_context(**view, reduced_motion="reduce").new_page()
    sign_up(page)
    check_in(page, mood="Tough")
    open_talk(page)
    assert_accessible(page)
    fill_form(page)
    page.get_by_label("Include a summary of my last 4 weeks").check()
    page.locator(".summary-preview").get_by_text("exactly what will be sent").wait_for()
    page.get_by_role("button", name="Send my request").click()
    page.locator(".hub-request").wait_for()
    page.get_by_role("button", name="Withdraw this request").click()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_request_id_is_the_phones_own(page, sign_up, live_server):
    """The id in the outbox is the one the server keeps: a replay cannot make a second."""
    sign_up(page)
    open_talk(page)
    fill_form(page)
    page.get_by_role("button", name="Send my request").click()
    page.locator(".hub-request", has_text="Not read yet.").wait_for()
    request_id = page.locator(".hub-request").get_attribute("data-request")
    [kept] = requests_kept(live_server.app)
    assert str(kept["id"]) == request_id and uuid.UUID(request_id)
