"""The hub dashboard in real Chromium: sign-in with a second step, the map from published
releases, a live update over Server-Sent Events, and no axe-core violations."""

import math
import re
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest

from backend.extensions import db
from backend.services import releases
from backend.services.releases import contributions, published
from tests.test_alerts import publish_areas
from tests.test_releases_support import add_people, answer_ons4, check_ins
from tests.test_take_up import opens as take_up_cells

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


def seed_and_publish(app, ons4=(), **counts):
    """Check-ins per area (people, mood); in the areas named in `ons4`, ONS4 answers too."""
    with app.app_context():
        for area, (people, mood) in counts.items():
            ids = add_people(people, area=area)
            check_ins(ids, mood, needs=["someone_to_talk_to"])
            for person in ids if area in ons4 else ():
                answer_ons4(person, (7, 8, 7, 3))
        release = releases.publish()
        db.session.remove()
        return release


def sign_in(page, researcher, code=None):
    """Sign in to the dashboard through its own form (a recovery code after the first time)."""
    page.goto("/hub/")
    page.get_by_label("Username").fill(researcher.username)
    page.get_by_label("Password").fill(researcher.password)
    page.get_by_label("Code from your authenticator app").fill(
        code or pyotp.TOTP(researcher.totp_secret).now()
    )
    page.get_by_role("button", name="Sign in").click()
    page.locator("#map g.hex").first.wait_for()


@pytest.fixture
def hub_page(live_server, new_context, make_user):
    app = live_server.app
    app.config.update(INSIGHTS_STREAM_SECONDS=20, INSIGHTS_STREAM_POLL_SECONDS=0.2)
    seed_and_publish(app, ons4=("QJK",), QJK=(14, 4), QT6=(12, 2), QVV=(3, 1))
    with app.app_context():
        last_week = contributions.current_week() - timedelta(weeks=1)
    take_up_cells(app, {"QJK": 23, "QT6": 3}, week=last_week, resource="money-advice", margin=5)
    researcher = make_user(role="researcher")
    page = new_context(**DESKTOP).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, researcher)
    yield page
    assert not errors, f"the page threw: {errors}"


def published_cell(page, area):
    """The cell of `area` in the map the page was given (its figures noised)."""
    cells = page.evaluate("fetch('/api/v1/insights/needs-map').then((r) => r.json())")["areas"]
    return next(cell for cell in cells if cell["key"] == area)


def published_share(page, area, need):
    """The share of `area` asking for `need` in the map the page was given (noised)."""
    return published_cell(page, area)["needs"][need]


def test_map_shows_published_and_suppressed_areas(hub_page):
    devon = hub_page.locator('#map g.hex[data-area="QJK"]')
    assert devon.get_attribute("data-status") == "published"
    # 14 people, said as the published (noised, rounded) count.
    people = published_cell(hub_page, "QJK")["contributors"]
    assert 5 <= people <= 25 and f"about {people} people" in devon.get_attribute("aria-label")
    dorset = hub_page.locator('#map g.hex[data-area="QVV"]')
    assert dorset.get_attribute("data-status") == "suppressed"
    assert dorset.locator("path").get_attribute("fill") == "url(#suppressed)"
    assert "Suppressed: fewer than 10 people" in hub_page.locator("#legend").inner_text()
    row = hub_page.locator('#table tr[data-area="QVV"]')
    assert "Suppressed" in row.inner_text()
    assert row.locator("td.number").count() == 0  # never shown as a zero
    assert hub_page.locator("#updated").inner_text().startswith("Updated at")


def test_choosing_an_area_shows_its_trend_and_needs(hub_page):
    hub_page.locator('#map g.hex[data-area="QJK"]').click()
    hub_page.locator("#detail h2", has_text="NHS Devon").wait_for()
    # Everyone there asked for it. With noise the published share may fall below 95%; either
    # way it is never 100%, and it is said as the page's rule says it.
    share = published_share(hub_page, "QJK", "someone_to_talk_to")
    detail = hub_page.locator("#detail").inner_text()
    assert 0.05 <= share <= 0.95 and "100%" not in detail
    said = "nearly everyone" if share >= 0.95 else f"about {math.floor(share * 100 + 0.5)}%"
    assert f"Someone to talk to {said}" in detail, (share, detail)
    hub_page.get_by_label("Colour areas by").select_option(label="Share having a tough week")
    assert "Share having a tough week" in hub_page.locator("#legend").inner_text()


def test_a_unanimous_area_is_said_in_words(hub_page, live_server):
    # Without noise the figures are exact, so this area is exactly unanimous: the hub says
    # "nearly everyone", never 100%.
    live_server.app.config["DP_ENABLED"] = False
    seed_and_publish(live_server.app, QVV=(10, 3))
    hub_page.locator("#updated", has_text="(release 2)").wait_for(timeout=15_000)
    hub_page.locator('#map g.hex[data-area="QVV"]').click()
    hub_page.locator("#detail h2", has_text="NHS Dorset").wait_for()
    detail = hub_page.locator("#detail").inner_text()
    assert "Someone to talk to nearly everyone" in detail and "100%" not in detail, detail


def test_a_new_release_arrives_live(hub_page, live_server):
    before = hub_page.locator("#updated").inner_text()
    assert "(release 1)" in before
    seed_and_publish(live_server.app, QVV=(10, 3))
    hub_page.locator("#updated", has_text="(release 2)").wait_for(timeout=15_000)
    dorset = hub_page.locator('#map g.hex[data-area="QVV"]')
    assert dorset.get_attribute("data-status") == "published"


def test_dashboard_is_accessible(hub_page, assert_accessible):
    hub_page.locator('#map g.hex[data-area="QJK"]').click()
    hub_page.locator("#detail h2", has_text="NHS Devon").wait_for()
    assert_accessible(hub_page)


def test_sign_in_screen_is_accessible(page, assert_accessible):
    page.goto("/hub/")
    page.get_by_role("button", name="Sign in").wait_for()
    assert_accessible(page)


def test_ons4_means_take_up_and_the_evaluation_report(hub_page, assert_accessible):
    hub_page.get_by_label("Colour areas by").select_option(
        label="ONS4 mean: Life satisfaction (0 to 10)"
    )
    devon = hub_page.locator('#map g.hex[data-area="QJK"]')
    # With the default noise: a figure near the exact 7.0, and how far it may be, in words.
    label = devon.get_attribute("aria-label")
    said = re.search(r"Life satisfaction \(0 to 10\) about (\d+\.\d), give or take (\d\.\d)", label)
    # Seven margins: Laplace noise leaves six 90% margins once in a million; one more for
    # the figures' rounding to one place.
    assert said and abs(float(said[1]) - 7.0) <= 7 * float(said[2]), label
    row = hub_page.locator('#table tr[data-area="QJK"]').inner_text()
    assert re.search(r"Life satisfaction about \d+\.\d, give or take \d\.\d; Feeling things", row)
    assert re.search(r"Anxiety yesterday about \d+\.\d, give or take \d\.\d", row)

    # Take-up of support, by resource and then by area for one resource.
    table = hub_page.locator("#take-up-table table")
    table.wait_for()
    first = table.locator("tbody tr", has_text="MoneyHelper")
    # 26 people in all, nearest 5, with the give-or-take frozen beside it.
    assert first.locator("td").last.inner_text() == "about 25, give or take 5"
    hub_page.get_by_label("Show", exact=True).select_option(label="One resource by area")
    hub_page.get_by_label("Resource").select_option(label="MoneyHelper")
    assert "People who opened MoneyHelper, by area" in table.locator("caption").inner_text()
    devon = table.locator("tbody tr", has_text="NHS Devon")
    cornwall = table.locator("tbody tr", has_text="Cornwall")
    data = hub_page.request.get("/api/v1/insights/take-up").json()
    money = next(r for r in data["weeks"][-1]["resources"] if r["resource"] == "money-advice")
    # Devon's 23 would leave Cornwall's 3 to subtraction from the region's 26: both hidden.
    assert money["areas"]["QJK"] == {"status": "suppressed", "people": None, "margin": None}
    assert devon.locator("td").last.inner_text() == "suppressed"
    assert cornwall.locator("td").last.inner_text() == "suppressed"  # 3 people
    assert_accessible(hub_page)

    # The evaluation report, for 6 and 12 months.
    for months in (6, 12):
        with hub_page.expect_download() as download:
            hub_page.get_by_role(
                "link", name=f"Download evaluation report ({months} months)"
            ).click()
        assert download.value.suggested_filename.endswith(".html")
        text = Path(download.value.path()).read_text(encoding="utf-8")
        assert text.lower().startswith("<!doctype html")
        # As served (noise on): it says why figures carry noise, and reads clean to axe.
        assert 'id="give-or-take"' in text
        report = hub_page.context.new_page()
        report.set_content(text)
        assert_accessible(report)
        report.close()


def test_every_hex_has_a_short_label_and_its_full_name_on_focus(hub_page):
    hexes = hub_page.locator("#map g.hex")
    assert hexes.count() == 42
    labels = hexes.locator("text.hex-label").all_text_contents()
    assert len(labels) == 42 and len(set(labels)) == 42
    assert all(1 <= len(label) <= 5 for label in labels)
    devon = hub_page.locator('#map g.hex[data-area="QJK"]')
    assert devon.locator("text").text_content() == "DEV"
    # The keyboard reaches every hex; on one, its full name and figure are shown in words.
    focus_line = hub_page.locator("#map-focus")
    hub_page.mouse.move(0, 0)  # the pointer on no hex: the focused one is shown
    devon.focus()
    assert focus_line.inner_text().startswith("NHS Devon: Mean mood")
    hub_page.keyboard.press("Tab")
    assert hub_page.evaluate("document.activeElement.dataset.area") != "QJK"
    assert not focus_line.inner_text().startswith("NHS Devon")
    # The table is the text equivalent: full name and the label the map shows.
    row = hub_page.locator('#table tr[data-area="QJK"]')
    assert row.locator("th").inner_text() == "NHS Devon"
    assert row.locator("td").first.inner_text() == "DEV"


def test_labels_read_on_every_colour_in_both_schemes(hub_page):
    """Black or white on a coloured hex, whichever has the higher contrast (at least 4.5:1)."""
    hub_page.get_by_label("Colour areas by").select_option(label="Share having a tough week")
    for scheme in ("light", "dark"):
        hub_page.emulate_media(color_scheme=scheme)
        ratios = hub_page.evaluate(
            """() => {
              const lum = (rgb) => {
                const [r, g, b] = rgb.match(/\\d+/g).slice(0, 3).map((v) => {
                  const c = Number(v) / 255;
                  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
                });
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
              };
              const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
              return [...document.querySelectorAll("#map g.hex")].map((hex) => {
                const path = hex.querySelector("path");
                const fill = getComputedStyle(path).fill;
                const text = getComputedStyle(hex.querySelector("text")).fill;
                if (!fill.startsWith("rgb")) return null; // the striped pattern: a halo instead
                return ratio(lum(fill), lum(text));
              }).filter((r) => r !== null);
            }"""
        )
        assert ratios and min(ratios) >= 4.5, (scheme, ratios)
        # Each label is drawn at 11 px or more, however wide the window.
        sizes = hub_page.evaluate(
            """() => [...document.querySelectorAll("#map text.hex-label")]
                 .map((t) => t.getBoundingClientRect().height)"""
        )
        assert min(sizes) >= 11


def test_regions_are_outlined(hub_page):
    lines = hub_page.locator("#map .regions path.region-outline.line")
    assert lines.count() == 7  # the seven NHS regions
    for region in lines.all():
        assert region.get_attribute("d").startswith("M")
    assert "Region boundary" in hub_page.locator("#legend").inner_text()


@pytest.fixture
def history(live_server):
    """Eight whole weeks of releases: Devon steady, Cornwall falling, Dorset hidden lately."""
    app = live_server.app
    with app.app_context():
        publish_areas(
            {
                "QJK": [3.6, 3.5, 3.6, 3.55, 3.6, 3.5, 3.6, 3.55],
                "QT6": [3.6, 3.5, 3.6, 3.55, 3.3, 3.0, 2.7, 2.4],
                "QVV": [3.6, 3.5, 3.6, 3.55, 3.6, 3.5, 3.0, 2.5],
            },
            suppressed_of={"QVV": {7}},
        )
        weeks = [w.isoformat() for w in published.released_weeks()]
        db.session.remove()
    return weeks


def test_alerts_name_the_falling_area_and_say_why_others_cannot_be_judged(
    history, new_context, make_user
):
    page = new_context(**DESKTOP).new_page()
    sign_in(page, make_user(role="researcher"))
    alerts = page.locator("#alerts li")
    alerts.first.wait_for()
    assert alerts.count() == 1
    assert alerts.first.get_attribute("data-area") == "QT6"
    assert alerts.first.inner_text().startswith(
        "Mean mood in NHS Cornwall and the Isles of Scilly has been lower over recent weeks"
    )
    hidden = page.locator('.not-judged[data-reason="latest_not_shown"]')
    assert "fewer than 10 people" in hidden.inner_text()
    assert hidden.locator('li[data-area="QVV"]').inner_text() == "NHS Dorset"
    few = page.locator('.not-judged[data-reason="few_weeks"]')
    assert few.locator('li[data-area="QR1"]').count() == 1  # no release at all
    assert "counts once it is over" in page.locator("#alerts-about").inner_text()


def test_the_week_selector_offers_every_published_week(history, new_context, make_user):
    page = new_context(**DESKTOP).new_page()
    sign_in(page, make_user(role="researcher"))
    options = page.locator("#week option")
    assert options.count() == len(history) == 8
    assert [o.get_attribute("value") for o in options.all()] == history  # newest first
    oldest = contributions.current_week() - timedelta(weeks=8)
    assert history[-1] == oldest.isoformat()
    assert options.last.inner_text() == f"{oldest.day} {oldest:%b %Y}"
    page.get_by_label("Week beginning").select_option(history[-1])
    page.locator(
        "#table caption", has_text=f"week beginning {oldest.day} {oldest:%b %Y}"
    ).wait_for()


@pytest.mark.parametrize(
    "view",
    [{"viewport": {"width": 320, "height": 800}}, {**DESKTOP, "color_scheme": "dark"}],
    ids=["320px", "dark"],
)
def test_the_dashboard_is_accessible_narrow_and_dark(
    history, new_context, make_user, assert_accessible, view
):
    page = new_context(**view, reduced_motion="reduce").new_page()
    sign_in(page, make_user(role="researcher"))
    page.locator("#alerts li").first.wait_for()
    page.locator('#map g.hex[data-area="QT6"]').click()
    page.locator("#detail h2", has_text="Cornwall").wait_for()
    assert_accessible(page)
    # Only the map scrolls sideways on a narrow screen; the page itself reflows.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if view.get("color_scheme") == "dark":
        background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert background == "rgb(18, 22, 24)"  # --bg of the shared dark palette, #121618
