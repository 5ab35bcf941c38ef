"""The evaluation report: its figures on a hand-built population, its HTML, CLI and download.

The population and the day the report is made on are in tests/evaluation_population.py,
with every expected figure below worked out by hand from it (k = 10, counts to the nearest
5, shares of rounded counts). These are the figures of the first computation: later
reports show them again (tests/test_evaluation_frozen.py).
"""

import re
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models import User
from backend.services import evaluation
from backend.services.evaluation.report import COMPLEMENTARY, SMALL
from tests.evaluation_population import MONTHS, TODAY, D, build_population, check_in, group


@pytest.fixture
def app_config(app_config):
    """Exact values: these tests check the arithmetic, so differential privacy is off
    (tests/test_evaluation_noise.py has the report as it is served, with noise)."""
    return {**app_config, "DP_ENABLED": False}


@pytest.fixture
def figures(app):
    build_population(app)
    with app.app_context():
        return evaluation.evaluation(6, TODAY)


def column(figures, name):
    return [row[name] for row in figures["activity"]["months"]]


def test_the_period_is_the_last_six_whole_months_in_weeks_by_their_thursday(figures):
    period = figures["period"]
    assert period.months == tuple(MONTHS)
    assert (period.first_week, period.last_week) == (D(2025, 12, 29), D(2026, 6, 22))
    assert [row["month"] for row in figures["activity"]["months"]] == MONTHS


def test_active_diarists_and_check_ins_per_person(figures):
    # Jan: A1 12 + A2 10 + B 8 + E 4 = 34 -> 35; Feb: 12 + 10 + 8 = 30; Mar: 12 + 10 + F 5
    # = 27 -> 25; Apr: 12 + A2b 3 = 15; May: 12 -> 10; Jun: C 6 (D and E not counted).
    assert column(figures, "people") == [35, 30, 25, 15, 10, SMALL]
    # Jan: (12 x 2 + 10 + 8 + 4) / 34 = 1.35 -> 1.4; May: 24 / 12.
    assert column(figures, "check_ins_per_person") == [1.4, 1.0, 1.0, 1.0, 2.0, SMALL]
    assert figures["activity"]["people"] == 45  # 12 + 10 + 8 + 6 + 4 + 5


def test_mood_is_the_mean_of_person_week_means_and_tough_weeks_a_share_of_them(figures):
    # Jan: (12 x 3 + 10 x 4 + 8 x 1 + 4 x 3) / 34 = 2.82; Feb: (48 + 40 + 16) / 30 = 3.47;
    # Mar: (48 + 30 + 20) / 27 = 3.63; Apr: (48 + 6) / 15; May: (12 x 5 + 12 x 2) / 24.
    assert column(figures, "mood") == [2.82, 3.47, 3.63, 3.6, 3.5, SMALL]
    # Tough person-weeks, rounded over rounded: Jan 8 -> 10 of 35; Feb 10 of 30; Apr 3 -> 5
    # of 15; May 12 -> 10 of 24 -> 25. March's none shows as 5%: no share is 0 or 1.
    assert column(figures, "tough_share") == [0.29, 0.33, 0.05, 0.33, 0.4, SMALL]


def test_needs_are_shares_of_each_months_people_from_rounded_counts(figures):
    needs = column(figures, "needs")
    # Jan: someone to talk to 12 -> 10 of 35; sleep help 8 -> 10; money advice 5 of 35.
    assert needs[0]["someone_to_talk_to"] == 0.29
    assert needs[0]["sleep_help"] == 0.29
    assert needs[0]["money_advice"] == 0.14
    # Two people round to nobody, shown as 5% ("hardly anyone"), never 0.
    assert needs[1]["bereavement_support"] == 0.05
    assert all(month["training"] == 0.05 for month in needs[:5])  # only D chose it
    assert needs[5] == SMALL


def test_still_checking_in_after_4_and_12_weeks(figures):
    # Cohort: first check-in ever in the period and at least 4 (12) weeks before its last
    # week: A1, A2, B, E = 34 -> 35 (C started too late; F started before the period).
    # After 4 weeks: A1 12 + A2 10 + B1 3 (exactly 4 weeks on) = 25 of 35.
    # After 12 weeks: A1 12 + A2b 3 (exactly 12 weeks on) = 15 of 35.
    assert figures["retention"] == [
        {"weeks": 4, "people": 35, "share": 0.71},
        {"weeks": 12, "people": 35, "share": 0.43},
    ]


def test_the_12_week_group_is_not_sized_when_it_would_reveal_a_few_late_starters(app):
    with app.app_context():
        for uid in group("early", 12):  # in both groups
            check_in(uid, D(2026, 1, 14), 3)
            check_in(uid, D(2026, 5, 13), 3)
        for uid in group("late", 3):  # started 7 weeks before the end: the 4-week group only
            check_in(uid, D(2026, 5, 6), 3)
            check_in(uid, D(2026, 6, 10), 3)
        db.session.commit()
        figures = evaluation.evaluation(6, TODAY)
    # 15 -> 15 and 12 -> 10: the difference would show the 3 late starters.
    assert figures["retention"] == [
        {"weeks": 4, "people": 15, "share": 0.95},  # everyone: "nearly everyone"
        {"weeks": 12, "people": COMPLEMENTARY, "share": 0.95},
    ]


def test_take_up_counts_opens_by_month_with_small_and_complementary_suppression(figures):
    rows = {row["resource"]: row for row in figures["take_up"]}
    assert set(rows) == {"samaritans", "shout", "nhs-111-mental-health"}
    # Jan 7 + 6 = 13 -> 15; Feb 4 hidden; Mar 20; Apr 12 hidden too, or the total (49 -> 50)
    # minus the shown months would leave Feb's 4.
    samaritans = rows["samaritans"]
    assert samaritans["months"] == [15, SMALL, 20, COMPLEMENTARY, SMALL, SMALL]
    assert samaritans["total"] == 50
    assert samaritans["label"] == "Samaritans"
    assert rows["shout"]["months"] == [SMALL] * 6 and rows["shout"]["total"] == SMALL
    nhs = rows["nhs-111-mental-health"]
    assert nhs["months"] == [SMALL, SMALL, 30, SMALL, SMALL, SMALL] and nhs["total"] == 30


def test_awareness_compares_first_answers_with_latest_in_the_period(figures):
    awareness = figures["awareness"]
    assert awareness["people"] == 20  # A1 12 + B 8 answered twice; A2 once; D no consent
    support = {row["code"]: (row["baseline"], row["latest"]) for row in awareness["support"]}
    # Shares are clipped into 5%..95%: all 20 shows as 0.95, nobody as 0.05.
    assert support == {
        "wellbeing_hub": (0.25, 0.95),  # 4 -> 5 of 20; 20 of 20 (A1's July answers ignored)
        "staff_discounts": (0.5, 0.5),  # 10 of 20; 12 -> 10 of 20
        "recovery_college": (0.05, 0.05),  # 2 round to nobody
        "menopause_support": (0.05, 0.5),  # B's 8 -> 10 of 20
    }
    questions = {row["code"]: (row["baseline"], row["latest"]) for row in awareness["questions"]}
    # Of the same 20, a skipped answer counting as not yes: career conversation offered,
    # A1 no -> yes, B skipped -> yes; training, A1 6 yes -> 12 yes (5 and 10 of 20), B skipped.
    assert questions == {"career_conversation": (0.05, 0.95), "knows_training": (0.25, 0.5)}


def test_ons4_means_per_item_over_people_beside_the_uk(figures):
    ons4 = figures["ons4"]
    assert ons4["people"] == 20
    # A1's own means (8, 8, 7, 3) twelve times, B's (5, 6, 5, 6) eight times, over 20.
    means = {row["item"]: (row["mean"], row["uk"]) for row in ons4["items"]}
    assert means == {
        "life_satisfaction": (6.8, 7.45),
        "worthwhile": (7.2, 7.73),
        "happy": (6.2, 7.39),
        "anxious": (4.2, 3.23),
    }
    assert "Office for National Statistics" in ons4["source"]


def test_twelve_months_reach_back_to_last_july(app):
    build_population(app)
    with app.app_context():
        figures = evaluation.evaluation(12, TODAY)
    assert figures["period"].months[0] == D(2025, 7, 1)
    people = column(figures, "people")
    assert people[:6] == [SMALL] * 6  # F's five in November are too few
    assert people[6:] == [35, 30, 25, 15, 10, SMALL]
    samaritans = next(r for r in figures["take_up"] if r["resource"] == "samaritans")
    # December's 50 now counts: total 99 -> 100.
    assert samaritans["months"][5:10] == [50, 15, SMALL, 20, COMPLEMENTARY]
    assert samaritans["total"] == 100


def test_a_higher_k_hides_more(make_app):
    app = make_app(PRIVACY_K=30)
    build_population(app)
    with app.app_context():
        figures = evaluation.evaluation(6, TODAY)
    assert column(figures, "people") == [35, 30, SMALL, SMALL, SMALL, SMALL]
    assert [row["people"] for row in figures["retention"]] == [35, 35]  # 34 people
    assert figures["ons4"]["items"][0]["mean"] == SMALL
    assert "fewer than 30 people" in render(app, figures)


def test_the_report_reads_no_check_in_and_no_note(app):
    build_population(app)
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement.lower())

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            evaluation.render(evaluation.evaluation(12, TODAY))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
    assert statements
    assert not [s for s in statements if "note" in s or re.search(r"\bentries\b", s)]
    assert not [s for s in statements if "username" in s or "password" in s]


def render(app, figures) -> str:
    with app.app_context():
        return evaluation.render(figures)


class Page(HTMLParser):
    """What the report's HTML holds: headings in order, addresses it would load."""

    def __init__(self):
        super().__init__()
        self.headings, self.addresses, self.tags = [], [], set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self.addresses += [v for k, v in attrs if k in {"src", "href", "xlink:href", "action"}]


def check_page(html: str, usernames: list[str]) -> None:
    page = Page()
    page.feed(html)
    assert '<html lang="en">' in html
    assert {"svg", "title", "table", "style"} <= page.tags
    assert not page.tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert all(a.startswith("#") for a in page.addresses), page.addresses
    assert "url(" not in html and "@import" not in html
    assert page.headings[0] == 1
    assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert not [name for name in usernames if name in html]
    assert "@media print" in html


def test_the_page_shows_the_figures_and_marks_what_is_hidden(app, figures):
    html = render(app, figures)
    with app.app_context():
        usernames = list(db.session.scalars(db.select(User.username)))
    check_page(html, usernames)
    assert "January 2026 to June 2026" in html
    assert "fewer than 10 people — not shown" in html
    hidden = '<td class="n"><span class="hidden">{}</span></td>'
    assert hidden.format("fewer than 10") in html and hidden.format("hidden with another") in html
    assert '<td class="n">2.82</td>' in html and '<td class="n">71%</td>' in html
    assert "How to read this" in html


def test_the_cli_writes_the_report_to_a_file(app, runner, tmp_path, monkeypatch):
    usernames = build_population(app)
    target = tmp_path / "report.html"
    result = runner.invoke(
        args=["report", "evaluation", "--months", "6", "--as-of", "2026-07-10", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    check_page(html, usernames)
    assert "Wellbeing Diary: 6-month evaluation" in html and '<td class="n">2.82</td>' in html

    monkeypatch.chdir(tmp_path)
    result = runner.invoke(args=["report", "evaluation", "--months", "12", "--as-of", "2026-07-10"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "evaluation-12-months-2026-07-10.html").exists()
    printed = runner.invoke(args=["report", "evaluation", "-o", "-"])
    assert printed.exit_code == 0 and printed.output.startswith("<!doctype html>")
    assert "6-month evaluation" in printed.output
    refused = runner.invoke(args=["report", "evaluation", "--months", "7"])
    assert refused.exit_code != 0 and "7" in refused.output
    future = runner.invoke(args=["report", "evaluation", "--as-of", "2999-01-01"])
    assert future.exit_code == 1 and "today or a day before" in future.output
    assert future.exception is None or isinstance(future.exception, SystemExit)


def test_only_researchers_may_download_the_report(app, client, signed_in):
    assert client.get("/api/v1/insights/evaluation?months=6").status_code == 401
    staff, _ = signed_in()
    assert staff.get("/api/v1/insights/evaluation?months=6").status_code == 403
    researcher, _ = signed_in(role="researcher")
    response = researcher.get("/api/v1/insights/evaluation?months=12")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    today = datetime.now(ZoneInfo("Europe/London")).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="evaluation-12-months-{today}.html"'
    )
    assert "script-src" not in response.headers["Content-Security-Policy"]
    check_page(response.get_data(as_text=True), [])


@pytest.mark.parametrize("months", ["7", "0", "six", "-6", "99999999999999999999"])
def test_the_report_refuses_other_periods_naming_the_field(signed_in, months):
    researcher, _ = signed_in(role="researcher")
    response = researcher.get(f"/api/v1/insights/evaluation?months={months}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422 and body["status"] == "Unprocessable Entity"
    assert "months" in body["errors"]["query"]
