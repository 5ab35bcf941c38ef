"""The evaluation report's noise: drawn once, when a month's or a period's figures are made.

With differential privacy on (the default, releases/dp.py) every count, share and mean of
the report carries Laplace noise, with the releases' settings: DP_FIGURE_EPSILON for the
counts shown as counts and the figures behind means, DP_SHARE_EPSILON for the counts behind
shares, discrete noise on whole counts. The noise is drawn when the figures are frozen
(store.py) and kept beside the exact ones, with each figure's 90% margin, so every later
report shows the same noisy value and re-reading averages nothing away. The exact figures
stay the basis of every rule: thresholds, suppression and the live and departures rules.

How far one person can move a figure (its sensitivity) follows from how it is counted: a
month's people and each need count a person once; its person-weeks, tough weeks and each
resource's opens up to once a week (`weeks`, the weeks counting in the month); the mood
sum 2 a person-week either side of the middle (3); check-ins per person at most
CHECK_INS_CAP a week, so a month's at most CHECK_INS_CAP x `weeks`. The period's figures
count each person once (ONS4: a person's own mean, 5 either side of the middle).
"""

import math

from flask import current_app

from ..releases import ROUNDING, dp
from .sources import CHECK_INS_CAP

MOOD_SHAPE, ONS4_SHAPE = dp.SCALE_SHAPE, dp.ONS4_SHAPE
HALF_ROUNDING = ROUNDING / 2  # rounding to 5 moves a count by up to 2.5 either way


def _settings() -> dict | None:
    return dp.settings(current_app.config)


def _share_margin(sensitivity: float, epsilon: float, n: float) -> float:
    """A share's margin: its count's noise and rounding over the (noisy) count of all."""
    return round(min(1.0, (dp.count_margin(sensitivity, epsilon) + HALF_ROUNDING) / max(n, 1)), 2)


def _mean(n: float, centred: float, middle: float, half: float, eps: float, per: float = 1):
    """(noisy sum, margin) of a mean: the middle times the noisy count plus a noisy sum
    centred on the middle (one person moves it by at most `half`)."""
    total = middle * n + dp.noisy_sums([centred], half, eps)[0]
    mean = total / max(n, 1)
    return total, round(dp.mean_margin(n, mean, middle, half, eps, per) + 0.005, 2)


def month(exact: dict, weeks: int) -> dict:
    """{"noisy": ..., "margins": ...} for one month's exact figures, or {} with DP off."""
    current = _settings()
    if current is None:
        return {}
    eps, share = current["epsilon"], current["share_epsilon"]
    (people,) = dp.noisy_whole([exact["people"]], 1, eps)
    (person_weeks,) = dp.noisy_whole([exact["weeks"]], weeks, eps)
    (tough,) = dp.noisy_whole([exact["tough"]], weeks, share)
    middle = CHECK_INS_CAP * weeks / 2
    check_ins, check_margin = _mean(
        people, exact["check_ins"] - middle * exact["people"], middle, middle, eps
    )
    mood_middle, half = MOOD_SHAPE
    centred = exact["mood"] - mood_middle * exact["weeks"]
    mood, mood_margin = _mean(person_weeks, centred, mood_middle, half * weeks, eps, weeks)
    codes = sorted(exact["needs"])
    resources = sorted(exact["opens"])
    noisy = {
        "people": people,
        "weeks": person_weeks,
        "check_ins": check_ins,
        "mood": mood,
        "tough": tough,
        "needs": dict(zip(codes, dp.noisy_whole([exact["needs"][c] for c in codes], 1, share),
                          strict=True)),
        "opens": dict(zip(resources, dp.noisy_whole([exact["opens"][r] for r in resources],
                                                    weeks, eps), strict=True)),
    }  # fmt: skip
    margins = {
        "people": dp.shown_count_margin(1, eps),
        "check_ins_per_person": check_margin,
        "mood": mood_margin,
        "tough_share": _share_margin(weeks, share, person_weeks),
        "needs": _share_margin(1, share, people),
        "opens": dp.shown_count_margin(weeks, eps),
    }
    return {"noisy": noisy, "margins": margins}


def _shares(counts: dict, share: float) -> dict:
    """Each [first, latest] pair of counts of people, noised."""
    codes = sorted(counts)
    flat = dp.noisy_whole([v for c in codes for v in counts[c]], 1, share)
    return {c: flat[2 * i : 2 * i + 2] for i, c in enumerate(codes)}


def period(exact: dict, month_noise: list[dict]) -> dict:
    """{"noisy": ..., "margins": ...} for a period's exact figures, or {} with DP off.

    `month_noise` is each month's stored noise: a resource's opens over the period are the
    sum of its months' noisy opens (what the report shows beside them), with their margins
    added as independent draws are (root of the sum of squares).
    """
    current = _settings()
    if current is None or any(not m for m in month_noise):
        return {}
    eps, share = current["epsilon"], current["share_epsilon"]
    (people,) = dp.noisy_whole([exact["people"]], 1, eps)
    retention = []
    for row in exact["retention"]:
        (cohort,) = dp.noisy_whole([row["cohort"]], 1, eps)
        (stayed,) = dp.noisy_whole([row["stayed"]], 1, share)
        retention.append({"cohort": cohort, "stayed": stayed})
    aware = exact["awareness"]
    (aware_n,) = dp.noisy_whole([aware["people"]], 1, eps)
    ons4 = exact["ons4"]
    (ons4_n,) = dp.noisy_whole([ons4["people"]], 1, eps)
    middle, half = ONS4_SHAPE
    means, ons4_margins = {}, {}
    for item, mean in ons4["means"].items():
        if mean is not None:
            centred = (mean - middle) * ons4["people"]
            total, ons4_margins[item] = _mean(ons4_n, centred, middle, half, eps)
            means[item] = total / max(ons4_n, 1)
    opens: dict[str, int] = {}
    for noise in month_noise:
        for resource, count in noise["noisy"]["opens"].items():
            opens[resource] = opens.get(resource, 0) + count
    noisy = {
        "people": people,
        "retention": retention,
        "awareness": {
            "people": aware_n,
            "support": _shares(aware["support"], share),
            "questions": _shares(aware["questions"], share),
        },
        "ons4": {"people": ons4_n, "means": means},
        "opens": dict(sorted(opens.items())),
    }
    opens_margin = math.hypot(*(noise["margins"]["opens"] for noise in month_noise))
    margins = {
        "people": dp.shown_count_margin(1, eps),
        "retention": [_share_margin(1, share, row["cohort"]) for row in retention],
        "awareness": _share_margin(1, share, aware_n),
        "ons4": ons4_margins,
        "opens": round(opens_margin),
    }
    return {"noisy": noisy, "margins": margins}


def requests(exact: list[int]) -> dict:
    """The people who asked the hub in each month (each person at most once a month, so one
    person moves a month by one), noised: {"requests_noisy": [...], "requests_margin": m,
    "requests_total_margin": t}, or {} with DP off. The period's total is the sum of the
    noisy months, as take-up's is, its margin theirs added as independent draws are."""
    current = _settings()
    if current is None:
        return {}
    eps = current["epsilon"]
    margin = dp.shown_count_margin(1, eps)
    return {
        "requests_noisy": dp.noisy_whole(exact, 1, eps),
        "requests_margin": margin,
        "requests_total_margin": round(math.hypot(*[margin] * len(exact))),
    }
