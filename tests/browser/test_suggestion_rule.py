"""The matching rule of suggestions (frontend/js/suggest.js, offerFor) as a table.

For a check-in's needs and factors, the moods of the last few check-ins and what was offered
lately: which resources are offered. The rule runs in the browser (imported from the app as
the app imports it) on the real catalogues: the shipped one, whose placeholders must never be
offered, and the demo's, where every placeholder has example details.
"""

import json

import pytest

from backend.services import demo, taxonomy
from backend.services.resources import CODES, load_catalogue

pytestmark = pytest.mark.browser

DAY = 24 * 60 * 60 * 1000
NOW = 1_800_000_000_000
GOOD_DAYS = [4, 3, 4]
TOUGH_DAYS = [2, 1, 4, 2, 5]  # 3 of the last 5 at mood 2 or below
NOT_QUITE = [2, 1, 4, 4, 5]
HUB, CHAMPIONS, TEAM = "staff-wellbeing-hub", "wellbeing-champions", "team-time"
URGENT_TALK = ["samaritans", "nhs-111-mental-health", "shout"]

# (catalogue, needs, factors, moods, shown {key: days ago}, offered ids or None)
CASES = [
    # A workload or team complaint is answered by the hub, champions and team time, never
    # by bereavement support (which serves "someone to talk to" no longer).
    ("demo", ["someone_to_talk_to"], ["workload"], GOOD_DAYS, {}, [HUB, CHAMPIONS, TEAM]),
    ("demo", ["someone_to_talk_to"], ["my_team"], GOOD_DAYS, {}, [HUB, CHAMPIONS, TEAM]),
    ("demo", ["someone_to_talk_to"], ["my_manager"], GOOD_DAYS, {}, [HUB, CHAMPIONS]),
    ("demo", ["time_with_team"], ["workload"], GOOD_DAYS, {}, [TEAM, HUB, CHAMPIONS]),
    # Bereavement support: for the need, or for "a death at work" beside a need.
    ("demo", ["bereavement_support"], [], GOOD_DAYS, {}, ["bereavement-support"]),
    (
        "demo",
        ["someone_to_talk_to"],
        ["death_at_work"],
        GOOD_DAYS,
        {},
        [HUB, CHAMPIONS, "bereavement-support"],
    ),
    # Factors alone bring nothing: the person did not ask.
    ("demo", [], ["death_at_work"], GOOD_DAYS, {}, None),
    ("demo", [], ["money", "workload"], GOOD_DAYS, {}, None),
    # Domestic abuse support: only for its own need ("home and family" says nothing of it).
    (
        "demo",
        ["someone_to_talk_to"],
        ["home_family", "caring_at_home"],
        GOOD_DAYS,
        {},
        [HUB, CHAMPIONS],
    ),
    ("demo", ["domestic_abuse_support"], [], GOOD_DAYS, {}, ["domestic-abuse-helpline"]),
    # Money and menopause: their need, or their factor beside a need.
    ("demo", ["money_advice"], [], GOOD_DAYS, {}, ["money-advice", "staff-discounts"]),
    (
        "demo",
        ["someone_to_talk_to"],
        ["money"],
        GOOD_DAYS,
        {},
        [HUB, CHAMPIONS, "money-advice", "staff-discounts"],
    ),
    ("demo", ["menopause_support"], [], GOOD_DAYS, {}, ["menopause-support"]),
    (
        "demo",
        ["sleep_help"],
        ["menopause"],
        GOOD_DAYS,
        {},
        ["recovery-college", "sleep-help", "menopause-support"],
    ),
    (
        "demo",
        ["someone_to_talk_to"],
        ["physical_health"],
        GOOD_DAYS,
        {},
        [HUB, CHAMPIONS, "recovery-college"],
    ),
    (
        "demo",
        ["career_conversation"],
        [],
        GOOD_DAYS,
        {},
        ["career-conversations", "training-and-apprenticeships"],
    ),
    # At most four.
    (
        "demo",
        ["someone_to_talk_to", "money_advice", "sleep_help"],
        [],
        GOOD_DAYS,
        {},
        [HUB, CHAMPIONS, "money-advice", "staff-discounts"],
    ),
    # Mostly tough days, no need chosen: the hub, a champion, someone to talk to; with the
    # factors chosen too.
    ("demo", [], [], TOUGH_DAYS, {}, [HUB, CHAMPIONS]),
    ("demo", [], ["workload"], TOUGH_DAYS, {}, [HUB, CHAMPIONS, TEAM]),
    ("demo", [], ["death_at_work"], TOUGH_DAYS, {}, [HUB, CHAMPIONS, "bereavement-support"]),
    ("demo", [], [], NOT_QUITE, {}, None),
    # Once per need (and for the tough-days rule) in 14 days.
    ("demo", ["money_advice"], [], GOOD_DAYS, {"money_advice": 3}, None),
    (
        "demo",
        ["money_advice"],
        [],
        GOOD_DAYS,
        {"money_advice": 15},
        ["money-advice", "staff-discounts"],
    ),
    ("demo", [], [], TOUGH_DAYS, {"tough-days": 1}, None),
    ("demo", ["money_advice"], [], TOUGH_DAYS, {"money_advice": 1}, [HUB, CHAMPIONS]),
    # The shipped catalogue: placeholders are never offered, so what is left reaches someone.
    ("shipped", ["someone_to_talk_to"], [], GOOD_DAYS, {}, URGENT_TALK),
    ("shipped", ["someone_to_talk_to"], ["workload"], GOOD_DAYS, {}, URGENT_TALK),
    (
        "shipped",
        ["someone_to_talk_to"],
        ["death_at_work"],
        GOOD_DAYS,
        {},
        [*URGENT_TALK, "bereavement-support"],
    ),
    ("shipped", ["money_advice"], [], GOOD_DAYS, {}, ["money-advice"]),
    ("shipped", ["career_conversation"], [], GOOD_DAYS, {}, ["training-and-apprenticeships"]),
    ("shipped", ["wellbeing_hub"], [], GOOD_DAYS, {}, None),
    ("shipped", ["time_with_team"], ["my_team"], GOOD_DAYS, {}, None),
    ("shipped", [], [], TOUGH_DAYS, {}, URGENT_TALK),
]

OFFER_EACH = """async ({ catalogues, cases, now }) => {
  const { offerFor } = await import("/js/suggest.js");
  return cases.map((c) => {
    const offer = offerFor({ needs: c.needs, factors: c.factors }, catalogues[c.catalogue], {
      moods: c.moods, shown: c.shown, now });
    return offer && { ids: offer.resources.map((r) => r.id), tough: offer.tough };
  });
}"""


def catalogues(app, tmp_path) -> dict:
    """The shipped catalogue, and the one `make seed` leaves (demo-resources.json merged in)."""
    shipped, seeded = tmp_path / "shipped", tmp_path / "seeded"
    shipped.mkdir()
    seeded.mkdir()
    demo.write_example_resources(str(seeded))
    with app.app_context():
        known = {field: taxonomy.codes(field) for field in CODES}
        return {
            "shipped": load_catalogue(str(shipped), known),
            "demo": load_catalogue(str(seeded), known),
        }


def test_the_matching_rule_as_a_table(page, live_server, tmp_path):
    both = catalogues(live_server.app, tmp_path)
    assert not any(r["placeholder"] for r in both["demo"])
    page.goto("/")
    cases = [
        {
            "catalogue": catalogue,
            "needs": needs,
            "factors": factors,
            "moods": moods,
            "shown": {key: NOW - days * DAY for key, days in shown.items()},
        }
        for catalogue, needs, factors, moods, shown, _ in CASES
    ]
    answers = page.evaluate(OFFER_EACH, {"catalogues": both, "cases": cases, "now": NOW})
    placeholders = {r["id"] for r in both["shipped"] if r["placeholder"]}
    for case, answer in zip(CASES, answers, strict=True):
        catalogue, needs, _, _, shown, expected = case
        assert (answer and answer["ids"]) == expected, json.dumps(case)
        if answer and catalogue == "shipped":
            assert not placeholders & set(answer["ids"]), json.dumps(case)
        if answer:  # the tough-days rule answered when no need was chosen (or all were quiet)
            assert answer["tough"] == all(shown.get(n, 99) < 14 for n in needs), json.dumps(case)
