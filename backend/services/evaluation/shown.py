"""A figure of the evaluation report as shown: hidden (and why), noisy with its margin, or
exact (differential privacy off), and the words the report says it in.

Shares are clipped into 5%..95% whatever the noise (privacy.py's rule 7), so a share reads
"hardly anyone" or "nearly everyone" at the ends and never says 0% or 100%.
"""

from dataclasses import dataclass

from ..releases import SHARE_RANGE, clip_mean, clip_share, shown_count, shown_share


@dataclass(frozen=True)
class Hidden:
    """A figure not shown: too few behind it, it would let a hidden one be worked out, or
    people have left it since it was worked out (until it can be worked out afresh)."""

    reason: str  # small | complementary | withheld


SMALL = Hidden("small")
COMPLEMENTARY = Hidden("complementary")
WITHHELD = Hidden("withheld")  # people have left the figures since they were worked out


@dataclass(frozen=True)
class Noisy:
    """A figure with differential-privacy noise: its value, and the half-width of its 90%
    interval ("give or take")."""

    value: float
    margin: float


def noisy(value: float, margins: dict | None, name: str | None = None):
    """The value with its margin (`margins[name]`, or `margins` itself when a number); the
    plain value when there is no noise (differential privacy was off)."""
    if margins is None:
        return value
    return Noisy(value, margins if name is None else margins[name])


def people(n: int, k: int, shown: float | None = None, margin=None):
    """A count of people as shown: hidden below k (the exact `n`), else to the nearest 5
    (of the noisy count `shown` when there is one)."""
    if n < k:
        return SMALL
    return noisy(shown_count(n if shown is None else shown), margin)


def ratio(count: float, n: float, margin=None):
    """A rounded count over a rounded count, as release cells show shares, clipped."""
    return noisy(clip_share(shown_share(count, n)), margin)


def share(exact_n: int, k: int, count: float, n: float, margin=None):
    """The share of n people, hidden when the exact `exact_n` is below k."""
    return SMALL if exact_n < k else ratio(count, n, margin)


def mean(total: float, n: float, low: float, high: float, margin=None):
    """A mean as shown: never at either end of its scale (privacy.py's rule 7)."""
    return noisy(clip_mean(total / max(n, 1), low, high), margin)


def value_of(figure) -> float | None:
    """The number a chart draws for a figure; None for a hidden one."""
    if isinstance(figure, Noisy):
        return figure.value
    return figure if isinstance(figure, int | float) else None


def words(figure, kind: str = "count", places: int = 1, unit: str = "") -> str | None:
    """A shown figure in words: "about 3.4, give or take 0.3", "about 40 people, give or
    take 5" (a count with its `unit`), "about 30%, give or take 10%", "hardly anyone"; None
    for a hidden one (the template says why). An exact figure (no noise) is the number
    alone."""
    value = value_of(figure)
    if value is None:
        return None
    margin = figure.margin if isinstance(figure, Noisy) else None
    if kind == "share":
        if value <= SHARE_RANGE[0]:
            return "hardly anyone"
        if value >= SHARE_RANGE[1]:
            return "nearly everyone"
        text = f"{round(value * 100)}%"
        give = f"{max(1, round(margin * 100))}%" if margin is not None else None
    elif kind == "count":
        text = f"{round(value)} {unit}" if unit and margin is not None else f"{round(value)}"
        give = f"{max(1, round(margin))}" if margin is not None else None
    elif margin is None:  # exact: as many places as the figure has
        text, give = f"{value:.{places}f}", None
    else:  # noisy: one place, no more precise than the noise allows
        text, give = f"{value:.1f}", f"{max(margin, 0.1):.1f}"
    return f"about {text}, give or take {give}" if give else text
