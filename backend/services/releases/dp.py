"""Optional differential privacy (OpenDP): Laplace noise on the counts and sums of a release.

Off unless DP_EPSILON is set. Accounting, per person and per release: a person adds at most
one contribution to one cell per level (all, region, area, role group, setting) per open
week, so a release is the sequential composition of `levels x open weeks` cell queries, and
within a cell of 19 statistics (contributors, tough weeks, mood sum, energy/sleep/stress
counts and sums, the needs vector, the factors vector, and the four ONS4 items' counts and
sums). Each gets an equal share of DP_EPSILON. Sensitivities: 1 for a count, 5 for a sum of
1-5 means, 10 for a sum of 0-10 ONS4 answers, the number of codes for a vector of 0/1
choices. The k-threshold and the live rule still read exact counts (as in
most statistical agencies' hybrids): the noise protects the values, not the pattern of
which cells are shown.

What it costs, at DP_EPSILON = 1 with the default two open weeks: each statistic gets
epsilon 1/190, so the Laplace scale of a count is 190 people. A cell of 50 people is then
noise; national cells of thousands stay within a few per cent. Useful accuracy at area
level needs DP_EPSILON around 90 or more per release, or fewer, weekly releases
(RELEASE_OPEN_WEEKS = 1). Each release that publishes any fresh cell spends DP_EPSILON from
the calendar year's budget (DP_YEARLY_EPSILON, default 52 x DP_EPSILON); when it would be
overspent, no cell is refreshed until the new year and standing publications carry on.
"""

from functools import cache

import opendp.prelude as dp
import sqlalchemy as sa

from ...extensions import db
from ...models.insights import PrivacyBudget
from .privacy import LEVELS, ONS4, SCALES

dp.enable_features("contrib")
STATISTICS = 11 + 2 * len(ONS4)
SCALE_BOUND = 5.0  # a scale mean is 1..5
ONS4_BOUND = 10.0  # an ONS4 answer is 0..10


@cache
def _laplace(scale: float):
    return dp.m.make_laplace(
        dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float), scale=scale
    )


@cache
def _vector_laplace(scale: float):
    domain = dp.vector_domain(dp.atom_domain(T=float, nan=False))
    return dp.m.make_laplace(domain, dp.l1_distance(T=float), scale=scale)


def settings(config) -> dict | None:
    """The DP settings in force, or None when differential privacy is off."""
    epsilon = config.get("DP_EPSILON")
    if not epsilon:
        return None
    epsilon = float(epsilon)
    yearly = float(config.get("DP_YEARLY_EPSILON") or 52 * epsilon)
    return {"epsilon": epsilon, "yearly": yearly}


def statistic_epsilon(epsilon: float, weeks: int) -> float:
    return epsilon / (len(LEVELS) * weeks * STATISTICS)


def noisy(totals: dict, n: int, epsilon: float, weeks: int, needs: list, factors: list) -> tuple:
    """(noisy totals, noisy n) for one cell; each statistic gets its share of epsilon."""
    eps = statistic_epsilon(epsilon, weeks)
    count = _laplace(1 / eps)
    out = {
        "tough": max(0.0, count(float(totals.get("tough", 0)))),
        "mood": _laplace(SCALE_BOUND / eps)(float(totals.get("mood", 0.0))),
    }
    for names, bound in ((SCALES, SCALE_BOUND), (ONS4, ONS4_BOUND)):
        for name in names:
            out[f"{name}_n"] = max(0.0, count(float(totals.get(f"{name}_n", 0))))
            out[name] = _laplace(bound / eps)(float(totals.get(name, 0.0)))
    for kind, codes in (("needs", needs), ("factors", factors)):
        if codes:
            raw = [float(totals.get(kind, {}).get(c, 0)) for c in codes]
            noised = _vector_laplace(len(codes) / eps)(raw)
            out[kind] = {c: max(0.0, v) for c, v in zip(codes, noised, strict=True)}
    return out, max(1.0, count(float(n)))


def budget(year: int, config) -> dict | None:
    """The year's budget: epsilon per release, yearly total, spent and remaining."""
    current = settings(config)
    if current is None:
        return None
    spent = db.session.scalar(sa.select(PrivacyBudget.spent).where(PrivacyBudget.year == year))
    spent = spent or 0.0
    return {
        "epsilon_per_release": current["epsilon"],
        "yearly": current["yearly"],
        "spent": round(spent, 6),
        "remaining": round(max(0.0, current["yearly"] - spent), 6),
        "year": year,
    }


def can_spend(year: int, config) -> bool:
    state = budget(year, config)
    return state is None or state["remaining"] + 1e-9 >= state["epsilon_per_release"]


def spend(year: int, epsilon: float) -> None:
    row = db.session.get(PrivacyBudget, year)
    if row is None:
        row = PrivacyBudget(year=year, spent=0.0)
        db.session.add(row)
    row.spent = (row.spent or 0.0) + epsilon


def noisy_count(count: int, sensitivity: float, epsilon: float) -> float:
    """One count with Laplace noise of scale sensitivity / epsilon (take-up: drawn once)."""
    return _laplace(sensitivity / epsilon)(float(count))
