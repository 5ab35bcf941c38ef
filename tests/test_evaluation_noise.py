"""The evaluation report as served: differential privacy on (the default), noise drawn once.

The population is tests/evaluation_population.py; the exact figures are those worked out
by hand in tests/test_evaluation_report.py (which turns the noise off to check them).
"""

import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from backend.extensions import db
from backend.models.evaluation import EvaluationFigures
from backend.services import evaluation
from backend.services.evaluation import shown
from backend.services.evaluation.shown import SMALL, Noisy, words
from tests.evaluation_population import TODAY, D, build_population, check_in, group
from tests.test_evaluation_frozen import newcomers
from tests.test_evaluation_report import check_page

EXACT_MOODS = [2.82, 3.47, 3.63, 3.6, 3.5]
EXACT_ONS4 = [6.8, 7.2, 6.2, 4.2]
ENDS = {"hardly anyone", "nearly everyone"}
GIVE_OR_TAKE = re.compile(r"about \d+(\.\d)?%?( people)?, give or take \d+(\.\d)?%?")


class Cells(HTMLParser):
    """The text of every figure cell (td class="n") of a page."""

    def __init__(self):
        super().__init__()
        self.cells, self._open = [], False

    def handle_starttag(self, tag, attrs):
        if tag == "td" and ("class", "n") in attrs:
            self._open = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "td":
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.cells[-1] += data


def report(app, months: int = 6, today=TODAY) -> tuple[dict, str]:
    with app.app_context():
        figures = evaluation.evaluation(months, today)
        return figures, evaluation.render(figures)


def months_of(figures: dict, name: str) -> list:
    return [row[name] for row in figures["activity"]["months"]]


def shares(figures: dict) -> list:
    """Every share the report shows."""
    found = months_of(figures, "tough_share")
    found += [v for month in months_of(figures, "needs") if isinstance(month, dict)
              for v in month.values()]  # fmt: skip
    found += [row["share"] for row in figures["retention"]]
    aware = figures["awareness"]
    found += [row[key] for row in aware["support"] + aware["questions"]
              for key in ("baseline", "latest")]  # fmt: skip
    return [share for share in found if share is not SMALL]


def test_noise_is_on_by_default_and_every_shown_figure_carries_its_margin(app):
    build_population(app)
    figures, html = report(app)
    assert figures["noisy"] is True
    people = months_of(figures, "people")
    assert people[5] == SMALL  # June's six: the threshold reads the exact count
    assert all(isinstance(v, Noisy) and v.margin > 0 for v in people[:5])
    assert all(isinstance(v, Noisy) for v in shares(figures))
    # One person moves a month's count of people by 1: ln(10) / 1.5 + 2.5 of rounding.
    assert people[0].margin == 4
    moods = [m.value for m in months_of(figures, "mood")[:5]]
    means = [row["mean"].value for row in figures["ons4"]["items"]]
    assert moods + means != EXACT_MOODS + EXACT_ONS4  # nine independent draws
    assert all(m.margin > 0 for m in months_of(figures, "mood")[:5])
    check_page(html, [])
    assert "give or take" in html and 'id="give-or-take"' in html
    uk = {f"{row['uk']:.2f}" for row in figures["ons4"]["items"]}
    page = Cells()
    page.feed(html)
    for cell in page.cells:
        text = " ".join(cell.split())
        ok = (
            GIVE_OR_TAKE.fullmatch(text)
            or text in uk
            or text in {"hardly anyone", "nearly everyone"}
        )
        assert ok or text.startswith(("fewer than", "not shown", "withheld", "hidden")), text


def test_the_frozen_noise_is_the_same_on_every_download(app, make_app):
    build_population(app)
    first, first_html = report(app)
    again, again_html = report(app)
    assert again_html == first_html
    # Fewer than k late check-ins, and other DP settings later: nothing is drawn again.
    with app.app_context():
        newcomers("late", 9, D(2026, 1, 21), 5)
    other = make_app(DP_FIGURE_EPSILON=0.1, DP_SHARE_EPSILON=0.1)
    later, later_html = report(other)
    assert later_html == first_html
    assert later["activity"] == first["activity"] and later["ons4"] == first["ons4"]
    with app.app_context():
        # The champion section's rows hold figures the network published with its own noise.
        query = sa.select(EvaluationFigures).where(EvaluationFigures.kind != "champion")
        rows = db.session.scalars(query).all()
    assert rows and all({"noisy", "margins"} <= set(row.figures) for row in rows)


def test_a_month_made_afresh_draws_its_noise_afresh_once(app):
    build_population(app)
    first, _ = report(app)
    with app.app_context():
        newcomers("late", 10, D(2026, 1, 21), 5)  # k newcomers: January is made afresh
    fresh, fresh_html = report(app)
    again, again_html = report(app)
    assert again_html == fresh_html
    assert fresh["activity"]["months"][1:] == first["activity"]["months"][1:]
    assert isinstance(fresh["activity"]["months"][0]["people"], Noisy)


def test_a_unanimous_share_is_never_shown_as_none_or_all(app):
    with app.app_context():
        for uid in group("all", 30):  # everyone stays, nobody has a tough week
            check_in(uid, D(2026, 1, 14), 5)
            check_in(uid, D(2026, 5, 13), 5)
        db.session.commit()
    figures, html = report(app)
    found = shares(figures)
    assert found and all(0.05 <= share.value <= 0.95 for share in found)
    # Everyone stayed: the noise may take a few off, never shows all of them.
    assert all(0.05 <= row["share"].value <= 0.95 for row in figures["retention"])
    assert "hardly anyone" in html  # the needs nobody chose, never 0%
    # However far the noise goes, a share stays inside 5%..95%.
    assert [shown.ratio(count, 30) for count in (0, 30, 34)] == [0.05, 0.95, 0.95]
    page = Cells()
    page.feed(html)
    charted = re.findall(r'class="value"[^>]*>([^<]*)<', html)  # the charts' figures
    said = [text.split(", give or take")[0] for text in page.cells + charted]  # the values
    assert not [text for text in said if re.search(r"(^|[^\d.])0%|100%", text)]


@pytest.mark.app_settings(DP_ENABLED=False)
def test_with_differential_privacy_off_the_report_is_exact(app):
    build_population(app)
    figures, html = report(app)
    assert figures["noisy"] is False
    assert months_of(figures, "people") == [35, 30, 25, 15, 10, SMALL]
    assert months_of(figures, "mood")[:5] == EXACT_MOODS
    assert "give or take" not in html and 'id="give-or-take"' not in html
    with app.app_context():
        # The champion section's rows hold figures the network published with its own noise.
        query = sa.select(EvaluationFigures).where(EvaluationFigures.kind != "champion")
        rows = db.session.scalars(query).all()
    assert rows and not any("noisy" in row.figures for row in rows)


def test_figures_in_words():
    assert words(Noisy(3.42, 0.31), "mean") == "about 3.4, give or take 0.3"
    assert words(Noisy(40, 5), "count", unit="people") == "about 40 people, give or take 5"
    assert words(Noisy(0.3, 0.12), "share") == "about 30%, give or take 12%"
    assert words(Noisy(0.05, 0.1), "share") == "hardly anyone"
    assert words(0.95, "share") == "nearly everyone"
    assert words(Noisy(3.5, 0.01), "mean") == "about 3.5, give or take 0.1"  # never "0.0"
    assert words(2.82, "mean", 2) == "2.82" and words(35) == "35"
    assert words(SMALL) is None
