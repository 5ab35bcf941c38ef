"""Passkeys and the recovery key in real Chromium, with its virtual authenticator (CDP).

WebAuthn needs a secure context and a domain for its relying-party ID, so these tests
browse the live server as http://localhost:PORT (127.0.0.1 would be refused by Chromium),
with WEBAUTHN_ORIGIN set to match.
"""

import re
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from tests.browser.conftest import PHONE, screen_ready
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a different walk by the sea"


@pytest.fixture
def localhost(live_server):
    """The live server's address as localhost; the app expects passkeys from there."""
    url = live_server.url.replace("127.0.0.1", "localhost")
    live_server.app.config["WEBAUTHN_ORIGIN"] = url
    return url


@pytest.fixture
def phone(browser, localhost):
    """phone(**overrides) -> (context, page) on localhost, with a virtual platform passkey
    authenticator (resident keys, user verification) of its own."""
    made = []

    def make(**overrides):
        context = browser.new_context(base_url=localhost, **{**PHONE, **overrides})
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        options = {
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": True,
            "hasUserVerification": True,
            "isUserVerified": True,
        }
        added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})
        made.append((context, errors))
        page.authenticator = (cdp, added["authenticatorId"])
        return context, page

    yield make
    for context, errors in made:
        context.close()
        assert not errors, f"the page threw: {errors}"


def credentials(page):
    cdp, authenticator = page.authenticator
    return cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]


def create_diary(page, username):
    page.goto("/#/sign-up")
    screen_ready(page, "Create your diary")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_text("Yes, count them").click()
    page.get_by_role("button", name="Create my diary").click()
    screen_ready(page, "Keep your way back in")
    return page.locator(".recovery-key code").inner_text()


def sign_out(page):
    page.goto("/#/settings")
    page.get_by_role("button", name="Sign out").click()
    screen_ready(page, "Your wellbeing diary")


def test_add_a_passkey_at_sign_up_sign_in_with_it_rename_and_remove_it(phone, assert_accessible):
    context, page = phone()
    key = create_diary(page, "passkey.carer")
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){7}", key)
    page.get_by_role("button", name="Use a passkey").click()
    page.get_by_text("Passkey added.").wait_for()
    assert len(credentials(page)) == 1 and credentials(page)[0]["isResidentCredential"]
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    screen_ready(page, "A few questions to start")
    page.get_by_role("button", name="Skip for now").first.click()
    screen_ready(page, "How are you right now?")
    sign_out(page)

    page.goto("/#/sign-in")
    page.get_by_role("button", name="Sign in with a passkey").click()
    screen_ready(page, "How are you right now?")
    assert page.request.get("/api/v1/auth/me").json()["username"] == "passkey.carer"

    page.goto("/#/settings")
    item = page.locator(".passkey", has_text="Passkey 1")
    item.get_by_text("Last used").wait_for()
    item.get_by_role("button", name="Rename").click()
    item.get_by_label("New name for Passkey 1").fill("My phone")
    item.get_by_role("button", name="Save name").click()
    page.get_by_text("Renamed to My phone.").wait_for()
    assert_accessible(page)
    page.locator(".passkey", has_text="My phone").get_by_role("button", name="Remove").click()
    page.get_by_text("My phone removed.").wait_for()
    page.get_by_text("No passkeys yet.").wait_for()
    assert page.request.get("/api/v1/auth/passkeys").json() == []


def test_the_recovery_key_gets_a_forgetful_person_back_in(phone, check_in, assert_accessible):
    context, page = phone()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    key = create_diary(page, "forgetful.carer")
    page.get_by_role("button", name="Copy").click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == key
    with page.expect_download() as saved:
        page.get_by_role("button", name="Save as a file").click()
    assert key in Path(saved.value.path()).read_text()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Skip for now").first.click()
    screen_ready(page, "How are you right now?")
    check_in(page, mood="Tough", note="Kept through recovery.")
    sign_out(page)

    page.goto("/#/sign-in")
    page.get_by_role("link", name="Forgotten your password?").click()
    screen_ready(page, "Forgotten your password?")
    page.get_by_text("Your check-ins, notes and history stay just as they are.").wait_for()
    assert_accessible(page)
    page.get_by_label("Username").fill("forgetful.carer")
    page.get_by_label("Recovery key").fill("0000-0000-0000-0000-0000-0000-0000-0000")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my new password").click()
    page.get_by_text("That username and recovery key do not match.").wait_for()
    page.get_by_label("Recovery key").fill(key.lower().replace("-", " "))
    page.get_by_role("button", name="Set my new password").click()
    screen_ready(page, "You're back in")
    new_key = page.locator(".recovery-key code").inner_text()
    assert new_key != key
    assert_accessible(page)
    page.get_by_role("button", name="Go to my diary").click()
    screen_ready(page, "How are you right now?")
    page.goto("/#/history")
    page.locator(".entry-link", has_text="Tough").wait_for()

    sign_out(page)
    page.goto("/#/sign-in")
    page.get_by_label("Username").fill("forgetful.carer")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    screen_ready(page, "How are you right now?")


def fits(page):
    """Nothing scrolls sideways at 320 px, with normal text and with text at twice the size."""
    for size in ["", "200%"]:
        page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} at text size {size or '100%'}: {width} px"
    page.evaluate("document.documentElement.style.fontSize = ''")
    return True


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_new_screens_at_320_px_pass_axe(phone, scheme, assert_accessible):
    context, page = phone(viewport={"width": 320, "height": 640})
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    create_diary(page, f"narrow.{scheme}")
    page.get_by_role("button", name="Use a passkey").click()
    page.get_by_text("Passkey added.").wait_for()
    assert_accessible(page)
    assert fits(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Skip for now").first.click()
    page.goto("/#/settings")
    page.locator(".passkey", has_text="Passkey 1").wait_for()
    page.get_by_role("button", name="Make a new recovery key").click()
    page.get_by_text("Your old recovery key no longer works.").wait_for()
    assert_accessible(page)
    assert fits(page)
    sign_out(page)
    for screen, title in [("sign-in", "Sign in"), ("recover", "Forgotten your password?")]:
        page.goto(f"/#/{screen}")
        screen_ready(page, title)
        assert_accessible(page)
        assert fits(page)


def test_on_127_0_0_1_the_app_says_where_passkeys_work(page, localhost, assert_accessible):
    page.goto("/#/sign-in")
    screen_ready(page, "Sign in")
    page.get_by_text(f"Passkeys work when the diary is opened at {localhost}/").wait_for()
    assert page.get_by_role("button", name="Sign in with a passkey").count() == 0
    assert page.get_by_role("link", name="Open the diary there").get_attribute("href") == (
        f"{localhost}/"
    )
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert fits(page)


def test_a_settings_reminder_for_someone_with_no_way_back_in(phone, make_user, app):
    """An account from before recovery keys: reminded gently in Settings, nowhere else."""
    person = make_user(username="older.account")
    with app.app_context():
        db.session.execute(sa.update(User).values(recovery_key_hash=None))
        db.session.commit()
        db.session.remove()
    context, page = phone()
    page.goto("/#/sign-in")
    page.get_by_label("Username").fill(person.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    screen_ready(page, "How are you right now?")
    assert page.get_by_text("gets you back into your diary").count() == 0
    page.goto("/#/settings")
    page.get_by_text("gets you back into your diary").wait_for()
    page.get_by_role("button", name="Not now").click()
    page.get_by_text("gets you back into your diary").wait_for(state="detached")
    page.reload()
    page.locator("h3", has_text="Passkeys").wait_for()
    assert page.get_by_text("gets you back into your diary").count() == 0


def test_a_researcher_completes_the_second_step_with_a_passkey(phone, make_user, assert_accessible):
    researcher = make_user(role="researcher")
    context, page = phone(viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
    page.goto("/hub/")
    page.get_by_role("button", name="Use my passkey instead of a code").wait_for()
    assert_accessible(page)
    page.get_by_label("Username").fill(researcher.username)
    page.get_by_label("Password").fill(researcher.password)
    page.get_by_label("Code from your authenticator app").fill(
        pyotp.TOTP(researcher.totp_secret).now()
    )
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_text("Passkey added").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    page.get_by_label("Username").fill(researcher.username)
    page.get_by_label("Password").fill(researcher.password)
    page.get_by_role("button", name="Use my passkey instead of a code").click()
    page.locator("#dashboard").wait_for()
    assert page.request.get("/api/v1/auth/me").json()["role"] == "researcher"


def test_after_a_while_adding_or_removing_a_passkey_asks_for_the_password(phone, monkeypatch):
    from backend import sessions
    from tests.test_sessions import Clock

    clock = Clock()
    monkeypatch.setattr(sessions, "clock", clock)
    context, page = phone()
    create_diary(page, "settled.carer")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Skip for now").first.click()
    screen_ready(page, "How are you right now?")
    clock.advance(minutes=11)  # the phone stays signed in; the sign-in is no longer recent

    page.goto("/#/settings")
    page.get_by_role("button", name="Use a passkey").click()
    page.get_by_text("Please enter your password, then tap the button again.").wait_for()
    assert credentials(page) == []
    page.locator("#settings-signing-in ~ *").get_by_label("Your password").first.fill(PASSWORD)
    page.get_by_role("button", name="Use a passkey").click()
    page.get_by_text("Passkey 1 added.").wait_for()
    assert len(credentials(page)) == 1

    clock.advance(minutes=11)
    page.locator(".passkey", has_text="Passkey 1").get_by_role("button", name="Remove").click()
    page.get_by_text("To keep your diary safe, please enter your password first.").wait_for()
    confirm = page.locator(".passkey form", has_text="To keep your diary safe")
    confirm.get_by_label("Your password").fill(PASSWORD)
    confirm.get_by_role("button", name="Confirm").click()
    page.get_by_text("Passkey 1 removed.").wait_for()
    assert page.request.get("/api/v1/auth/passkeys").json() == []
