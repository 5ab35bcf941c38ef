"""Differential privacy (OpenDP), on by default: Laplace noise on every published figure.

Why it is on: sign-up is open and a profile is self-declared, so an attacker can make the
other k-1 members of a cell and subtract their own known check-ins. Noise is what stands
between that attacker and the last person's answers.

What is noised, each time a cell is computed afresh ("a look"). The figures behind means,
each with epsilon DP_FIGURE_EPSILON (default 1.5): the contributor count, and for every mean
(mood, energy, sleep, stress, the four ONS4 items) how many gave it and the sum of their
answers centred on the scale's middle (so one person moves it by at most half the scale's
width: 2 on 1..5, 5 on 0..10); a mean is the middle plus the noisy centred sum over the
noisy count (post-processing). The counts behind shares (tough weeks, each need, each
factor; sensitivity 1 each), each with DP_SHARE_EPSILON (default 0.5): a share is a 0/1
answer per person, and rounding to 5 would otherwise let an attacker who sets the known
count next to a rounding boundary read the last person's choice from a few looks.

Looks are bounded per cell and week (privacy.decide applies it): at most DP_REFRESHES
(default 8) at the full epsilon; after that a cell is computed afresh only when its count
has at least doubled since it was last computed, each time at half the epsilon of the look
before, so its margin never widens and the extra looks together cost less than one more.
A standing publication is shown again value for value, so re-reading averages nothing away.

What it buys (the defaults, figures worked out in the README and tests/test_dp_attacks.py):
a 10-person mood mean moves by about +/-0.3 (90% of the time), a 100-person one by +/-0.03;
a share of 100 people by about +/-0.07 (rounding included). An attacker who knows the other
9 people of a cell exactly and forces every look the cap allows is still about +/-1.1 point
off a person's weekly mood (90%; RMSE about 0.66), and see the tests for ONS4 and needs.

Accounting (honest, per person and week): a person is in one cell per level, each cell-week
spends at most (DP_REFRESHES + 1) looks, and one look costs every figure of the cell:
16 x DP_FIGURE_EPSILON + 25 x DP_SHARE_EPSILON (36.5 with the shipped taxonomy). A
release spends, for each open week and level, how far it raises the most-looked-at cell's
looks (no one is in two cells of a level). That spend is
the release's `epsilon`; the year's total is checked against DP_YEARLY_EPSILON (default:
52 weeks of the per-week bound), and when it would be overspent no cell is computed afresh
until the new year and standing publications carry on. In the formal terms of DP the
per-person-week bound is large (about 1,640 at the defaults: 36.5 a look, 5 levels, 9
looks): what protects a person is the noise on each figure, stated above.

DP_ENABLED=0 turns it off (exact values: for a test of the arithmetic, never in service);
serving then logs a warning at start-up.
"""

import logging
import math
from functools import cache

import opendp.prelude as dp
import sqlalchemy as sa

from ...extensions import db
from ...models.insights import PrivacyBudget
from .privacy import LEVELS, ONS4, ROUNDING, SCALES

log = logging.getLogger(__name__)
dp.enable_features("contrib")
DEFAULT_FIGURE_EPSILON = 1.5
DEFAULT_SHARE_EPSILON = 0.5
DEFAULT_REFRESHES = 8
# (middle, half-width) of each scale: a person moves a centred sum by at most the half-width.
SCALE_SHAPE = (3.0, 2.0)  # 1..5
ONS4_SHAPE = (5.0, 5.0)  # 0..10
Z90 = math.log(10)  # 90% of Laplace(b) lies within ln(10) x b


@cache
def _laplace(scale: float):
    return dp.m.make_laplace(
        dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float), scale=scale
    )


@cache
def _vector_laplace(scale: float):
    domain = dp.vector_domain(dp.atom_domain(T=float, nan=False))
    return dp.m.make_laplace(domain, dp.l1_distance(T=float), scale=scale)


@cache
def _integer_laplace(scale: float):
    """Discrete Laplace on whole counts: exact like the float one, and about 4x faster."""
    domain = dp.vector_domain(dp.atom_domain(T=int))
    return dp.m.make_laplace(domain, dp.l1_distance(T=int), scale=scale)


def figures(needs: int, factors: int) -> tuple[int, int]:
    """(figures behind means, counts behind shares) of one look: (16, 25) as shipped."""
    return 2 + 2 * len(SCALES) + 2 * len(ONS4), 1 + needs + factors


def settings(config) -> dict | None:
    """The DP settings in force, or None when differential privacy is turned off."""
    if not config.get("DP_ENABLED", True):
        return None
    return {
        "epsilon": float(config.get("DP_FIGURE_EPSILON") or DEFAULT_FIGURE_EPSILON),
        "share_epsilon": float(config.get("DP_SHARE_EPSILON") or DEFAULT_SHARE_EPSILON),
        "refreshes": int(config.get("DP_REFRESHES") or DEFAULT_REFRESHES),
        "yearly": config.get("DP_YEARLY_EPSILON"),
    }


def look_weight(look: int, refreshes: int) -> float:
    """The share of the full epsilon the `look`-th computation of a cell-week gets (1-based)."""
    return 1.0 if look <= refreshes else 0.5 ** (look - refreshes)


WHOLE = ("counts", "share")
ITEMS = [("mood", SCALE_SHAPE)] + [(name, SCALE_SHAPE) for name in SCALES]
ITEMS += [(name, ONS4_SHAPE) for name in ONS4]


def noisy(totals: dict, n: int, epsilon: float, share: float, needs: list, factors: list):
    """(noisy totals, noisy n) of one look at a cell: `epsilon` for each figure behind a
    mean, `share` for each count behind a share."""
    return noisy_many([(totals, n, epsilon, share)], needs, factors)[0]


def noisy_many(looks: list[tuple], needs: list, factors: list) -> list[tuple]:
    """`noisy` for many looks at once: [(totals, n, epsilon, share)] -> [(totals, n)].

    Each coordinate gets its own independent Laplace draw; the draws of every look with the
    same epsilons are made in four vectors (one per noise scale), because each OpenDP call
    costs about half a millisecond and a release may compute a hundred cells afresh.
    """
    raws = [_raw(totals, n, needs, factors) for totals, n, _e, _s in looks]
    drawn: list = [None] * len(looks)
    groups: dict[tuple, list[int]] = {}
    for i, (_t, _n, epsilon, share) in enumerate(looks):
        groups.setdefault((epsilon, share), []).append(i)
    for (epsilon, share), members in groups.items():
        scales = {"counts": 1 / epsilon, "share": 1 / share}
        scales |= {"scale": SCALE_SHAPE[1] / epsilon, "ons4": ONS4_SHAPE[1] / epsilon}
        noised = {}
        for part, scale in scales.items():
            flat = [value for i in members for value in raws[i][part]]
            if part in WHOLE:  # counts of people: whole numbers, discrete noise
                mechanism = _integer_laplace(scale)
                flat = [int(round(value)) for value in flat]
            else:
                mechanism = _vector_laplace(scale)
            noised[part] = iter(float(v) for v in mechanism(flat)) if flat else iter(())
        for i in members:
            drawn[i] = {part: [next(noised[part]) for _ in raws[i][part]] for part in scales}
    return [_assemble(raws[i], drawn[i], needs, factors) for i in range(len(looks))]


def _raw(totals: dict, n: int, needs: list, factors: list) -> dict:
    """The exact vectors of one look, one per noise scale (sums centred on the middle, so
    one person moves each by at most the half-width)."""
    given = [float(n)] + [float(totals.get(f"{name}_n", 0)) for name, _ in ITEMS[1:]]
    centred = {
        part: [float(totals.get(name, 0.0)) - shape[0] * given[i]
               for i, (name, shape) in enumerate(ITEMS) if shape == wanted]
        for part, wanted in (("scale", SCALE_SHAPE), ("ons4", ONS4_SHAPE))
    }  # fmt: skip
    choices = [float(totals.get("tough", 0))]
    choices += [float(totals.get("needs", {}).get(c, 0)) for c in needs]
    choices += [float(totals.get("factors", {}).get(c, 0)) for c in factors]
    return {"counts": given, **centred, "share": choices}


def _assemble(raw: dict, drawn: dict, needs: list, factors: list) -> tuple[dict, float]:
    counts = [max(0.0, c) for c in drawn["counts"]]
    noisy_n = max(1.0, counts[0])
    out = {f"{name}_n": c for (name, _), c in zip(ITEMS[1:], counts[1:], strict=True)}
    sums = {"scale": iter(drawn["scale"]), "ons4": iter(drawn["ons4"])}
    for i, (name, (middle, _half)) in enumerate(ITEMS):
        value = next(sums["scale" if (middle, _half) == SCALE_SHAPE else "ons4"])
        # Back on the scale: the middle times the noisy count plus the noisy centred sum.
        out[name] = middle * (noisy_n if i == 0 else counts[i]) + value
    choices = [max(0.0, v) for v in drawn["share"]]
    out["tough"] = choices[0]
    if needs:
        out["needs"] = dict(zip(needs, choices[1 : 1 + len(needs)], strict=True))
    if factors:
        out["factors"] = dict(zip(factors, choices[1 + len(needs) :], strict=True))
    return out, noisy_n


def margins(n: float, epsilon: float, share: float, means: dict) -> dict:
    """Half-widths of 90% intervals for a look's figures, from the noise scale and the count.

    `n` is the noisy count (never the exact one); `means` the published means by name, whose
    distance from the middle the count's noise scales. Shares and counts add the rounding to
    5 (up to 2.5 people either way). Post-processing only: nothing exact goes in.
    """
    n = max(n, 1.0)
    shares = (Z90 / share + ROUNDING / 2) / n
    result = {
        "contributors": shown_count_margin(1, epsilon),
        "shares": round(min(1.0, shares), 2),
    }
    for name, value in means.items():
        if value is None:
            continue
        middle, half = ONS4_SHAPE if name in ONS4 else SCALE_SHAPE
        result[name] = round(mean_margin(n, value, middle, half, epsilon) + 0.005, 2)
    return result


def mean_margin(
    n: float, mean: float, middle: float, half: float, epsilon: float, per_person: float = 1.0
) -> float:
    """Half-width of the 90% interval of a mean worked out as the middle plus a noisy sum
    centred on it (one person moves it by at most `half`) over a noisy count (one person
    moves it by at most `per_person`), both at `epsilon`. `n` is the noisy count."""
    spread = math.hypot(half, abs(mean - middle) * per_person)
    return spread * Z90 / epsilon / max(n, 1.0)


def count_margin(sensitivity: float, epsilon: float) -> float:
    """Half-width of the 90% interval of a count with noise of scale sensitivity / epsilon."""
    return Z90 * sensitivity / epsilon


def shown_count_margin(sensitivity: float, epsilon: float) -> int:
    """The give-or-take of a noisy count as shown, rounded to 5: its noise's 90% half-width
    and the rounding's (up to 2.5 either way), in whole people."""
    return round(count_margin(sensitivity, epsilon) + ROUNDING / 2)


def noisy_whole(counts: list[int], sensitivity: float, epsilon: float) -> list[int]:
    """Counts of people, each with its own discrete Laplace draw of scale sensitivity /
    epsilon, never below 0 (the evaluation report: drawn once, when its figures are made)."""
    if not counts:
        return []
    drawn = _integer_laplace(sensitivity / epsilon)([int(c) for c in counts])
    return [max(0, int(v)) for v in drawn]


def noisy_sums(sums: list[float], sensitivity: float, epsilon: float) -> list[float]:
    """Sums, each with its own Laplace draw of scale sensitivity / epsilon."""
    if not sums:
        return []
    return [float(v) for v in _vector_laplace(sensitivity / epsilon)([float(x) for x in sums])]


def per_look(config, needs: int, factors: int) -> float:
    """The epsilon one full look at a cell costs each person in it."""
    current = settings(config)
    if current is None:
        return 0.0
    means, shares = figures(needs, factors)
    return current["epsilon"] * means + current["share_epsilon"] * shares


def yearly(config, needs: int, factors: int) -> float:
    """The year's budget: DP_YEARLY_EPSILON, or 52 weeks of the per-person-week bound."""
    current = settings(config)
    if current["yearly"]:
        return float(current["yearly"])
    return 52 * len(LEVELS) * (current["refreshes"] + 1) * per_look(config, needs, factors)


def budget(year: int, config, needs: int, factors: int, open_weeks: int) -> dict | None:
    """The year's budget: the most one release may spend, yearly total, spent, remaining."""
    current = settings(config)
    if current is None:
        return None
    spent = db.session.scalar(sa.select(PrivacyBudget.spent).where(PrivacyBudget.year == year))
    spent, total = spent or 0.0, yearly(config, needs, factors)
    return {
        "epsilon_per_release": per_look(config, needs, factors) * len(LEVELS) * open_weeks,
        "figure_epsilon": current["epsilon"],
        "share_epsilon": current["share_epsilon"],
        "refreshes": current["refreshes"],
        "yearly": round(total, 6),
        "spent": round(spent, 6),
        "remaining": round(max(0.0, total - spent), 6),
        "year": year,
    }


def can_spend(year: int, config, needs: int, factors: int, open_weeks: int) -> bool:
    """Whether a release may compute cells afresh: the most it could spend is still left."""
    state = budget(year, config, needs, factors, open_weeks)
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


def warn_if_off(app) -> bool:
    """Log a warning when serving with differential privacy turned off; True if so."""
    if settings(app.config) is not None:
        return False
    log.warning(
        "Differential privacy is turned off (DP_ENABLED=0): releases publish exact values, "
        "and someone who makes the other members of a small cell can work out the last "
        "person's answers. Turn it back on unless this is a test of the arithmetic."
    )
    return True
