"""The note field: the room left shows as the limit nears, and nothing past it is cut silently."""

import pytest

from tests.browser.conftest import eventually, mood_face, outbox_items

pytestmark = pytest.mark.browser


def test_the_note_shows_the_room_left_and_a_paste_past_the_limit_is_kept_and_named(
    page, context, sign_up, api_get
):
    sign_up(page)
    mood_face(page, "Good").click()
    page.get_by_text("Add more (optional)").click()
    note = page.get_by_label("A note, just for you")
    shown = page.locator(".note-room")
    heard = page.locator("#note-room")
    assert note.get_attribute("maxlength") is None  # nothing cuts a paste short
    assert heard.get_attribute("aria-live") == "polite"
    assert note.get_attribute("aria-describedby") == "note-room"

    note.fill("a" * 4400)  # far from the limit: nothing shown, nothing said
    assert shown.is_hidden() and heard.inner_text() == ""
    note.fill("a" * 4600)
    shown.get_by_text("400 characters left").wait_for()
    eventually(page, "document.getElementById('note-room').textContent === '400 characters left'")

    # A real paste (the clipboard, Ctrl+V) that goes past the limit.
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("(text) => navigator.clipboard.writeText(text)", "b" * 600)
    note.press("End")
    note.press("ControlOrMeta+V")
    assert len(note.input_value()) == 5200
    over = "200 characters too many: a note can have at most 5,000 characters."
    shown.get_by_text(over).wait_for()
    eventually(page, f"document.getElementById('note-room').textContent === {over!r}")
    assert note.get_attribute("aria-invalid") == "true"

    page.get_by_role("button", name="Save check-in").click()
    page.get_by_role("alert").get_by_text(
        "The note is 200 characters too long: a note can have at most 5,000 characters."
    ).wait_for()
    assert page.evaluate("document.activeElement.id") == "note"
    assert outbox_items(page) == []
    assert api_get(page, "/api/v1/entries")["items"] == []

    # Exactly at the limit, counted as the server counts: an emoji is one character.
    note.fill("😀" * 5000)
    shown.get_by_text("0 characters left").wait_for()
    assert note.get_attribute("aria-invalid") is None
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("It is in your diary now.").wait_for()
    [saved] = api_get(page, "/api/v1/entries")["items"]
    assert saved["note"] == "😀" * 5000
