"""The privacy rules of a release, as plain functions over the cells of one week.

1. Live rule. A cell is computed afresh ("fresh") only when its contributor count differs by
   at least k from its standing publication (a cell never published counts as 0). Otherwise
   the standing publication is shown again, value for value. So two publications of a cell
   never differ by fewer than k people, and nothing (means and shares included) moves when
   one person checks in.
2. Departures. When someone who may be inside the standing publication has left the cell
   since (deleted their check-ins, withdrew consent, erased the account, moved area), that
   publication may no longer be shown: the cell is withheld (shown as suppressed) until it
   can be published afresh, i.e. until its count has moved by k. The person is gone from
   the very next release, and no pair of releases isolates them.
3. Threshold. A cell with fewer than k contributors is suppressed: no count, no values.
4. Complementary suppression. The cells form trees: all > regions > areas, all > role
   groups, all > settings (with a hidden "not given" child wherever people left a profile
   field empty). For every shown cell, what its value minus its shown descendants leaves
   over (the residual: what subtraction would reveal) must be nobody or at least k people,
   counted with the exact counts behind the values shown. Otherwise the smallest shown
   descendant is suppressed too, until every residual is safe. The residual is counted
   with the values actually shown, which may come from different moments (standing and
   fresh cells), because that is what a researcher would subtract.
5. Rounding. Counts are rounded to the nearest 5 (never 0 for a shown cell, as k >= 5); the
   shares of needs, factors and tough weeks are rounded counts over the rounded count, so
   a need chosen by one or two people shows as 0. Scale means (energy, sleep, stress) are
   shown only when at least k contributors gave that scale, and they are held like the
   ONS4 items (rule 6, `hold_items`), since they too are optional.
6. ONS4. Each of the four ONS personal wellbeing items (life satisfaction, worthwhile,
   happy, anxious) is a mean on its own 0..10 scale, shown only when at least k of the
   cell's contributors answered that item, rounded to 2 places, and never summed into one
   score. It rides on its cell: the live rule, departures and complementary suppression
   above decide whether the cell (and so the item) is shown at all. And, because fewer
   people answer ONS4 than check in, the live rule and departures apply to each item's
   answers as well (`hold_items`): when a cell is computed afresh, an item is computed
   afresh only when its number of answers differs by at least k from its standing value's
   (otherwise the standing value is shown again), and a standing value is withheld when
   someone has left the cell since (a deleted or changed answer of someone still in the
   cell is a change, as an edited check-in is: the standing value may be shown again).
   Else k newcomers who answer nothing would refresh the cell around one person's changed
   answer, or a leaver's, and the move of the mean would be theirs alone.
7. No unanimous cells. A share is never shown as 0 or 1 (nor beyond): it is clipped into
   5%..95% ("hardly anyone", "nearly everyone" on the hub), and every need and factor is
   listed, so a missing one does not say "nobody". A mean is never shown at either end of
   its scale (clipped to 1.1..4.9 on 1..5 and 0.25..9.75 on 0..10). So being known to work
   somewhere never reveals one's answer, even when everyone there gave the same one.
8. Noise. With differential privacy on (the default, dp.py) every figure of a fresh cell is
   noised and looks per cell-week are capped (`decide`'s `refreshes`); the national cell
   holds its standing publication when someone left and it cannot be computed afresh.
"""

import math
from dataclasses import dataclass, field

from flask import current_app

from ...models.wellbeing import ONS4_ITEMS

ROUNDING = 5
LEVELS = ("all", "region", "area", "role_group", "setting")
SCALES = ("energy", "sleep", "stress")
ONS4 = ONS4_ITEMS  # each 0..10
HELD_ITEMS = (*SCALES, *ONS4)
# Rule 7: shares shown inside 5%..95%, means 2.5% of their scale's width inside its ends
# (1.1..4.9 on 1..5, 0.25..9.75 on 0..10).
SHARE_RANGE = (0.05, 0.95)
MEAN_INSET = 0.025


def privacy_k() -> int:
    """The privacy threshold k of this app: the fewest people any shown figure may stand for.

    Read in this one place, so every rule above and every figure outside releases (take-up,
    sign-ups, alerts, the evaluation report) uses the same k; the factory checks it is never
    below config.MIN_K.
    """
    return current_app.config["PRIVACY_K"]


def round_to(value: float, base: int = ROUNDING) -> int:
    """Nearest multiple of `base`, halves rounded up (so 12.5 -> 15, 7 -> 5, 2 -> 0)."""
    return int(base * math.floor(value / base + 0.5))


def shown_count(n: float) -> int:
    """A count as published: to the nearest 5, and never 0 for a shown figure (k >= 5)."""
    return max(ROUNDING, round_to(n))


def shown_share(count: float, n: float) -> float:
    """A share as published: the rounded count over the rounded count, 2 places."""
    return round(min(1.0, max(0, round_to(count)) / shown_count(n)), 2)


@dataclass
class Cell:
    """One cell of one week while a release is being decided."""

    level: str
    key: str
    parent: str = ""
    n: int = 0
    totals: dict = field(default_factory=dict)
    leaves: int = 0
    published: dict | None = None
    shown: dict | None = None
    fresh: bool = False
    reason: str | None = None

    @property
    def visible(self) -> bool:
        return self.shown is not None

    @property
    def shown_exact(self) -> int:
        return self.shown["exact"] if self.shown else 0


def decide(
    cell: Cell, k: int, may_refresh: bool = True, refreshes: int | None = None,
    hold_total: bool = False,
) -> None:  # fmt: skip
    """Apply the live rule, departures and the threshold to one cell (sets shown/reason).

    `refreshes` is the cap on full looks per cell-week when differential privacy is on (None:
    off). With noise, a cell someone left is computed afresh at once (fresh noise covers
    the leaver's going) while it has looks left; past the cap a cell is computed afresh only
    when its count has doubled (dp.py says why that stays bounded). `hold_total`: the
    national cell keeps its standing publication when someone left and it cannot be
    computed afresh, instead of going blank (it was safe when published, and shown again
    it reveals nothing new).
    """
    before = cell.published["exact"] if cell.published else 0
    cell.fresh, cell.shown, cell.reason = False, None, None
    moved = abs(cell.n - before) >= k
    wanted = moved
    if refreshes is not None and cell.published:
        looks = cell.published.get("looks", 1)
        # Within the cap a departure is a reason to look again; past it, only a doubling.
        in_cap = looks < refreshes
        wanted = (moved or cell.leaves > 0) if in_cap else (moved and cell.n >= 2 * before)
    held = hold_total and cell.level == "all"
    if cell.key == "" and cell.level != "all":
        cell.reason = "not_given"
    elif wanted and may_refresh:
        if cell.n >= k:
            # Provisional: the values are computed when the release is written.
            cell.fresh, cell.shown = True, {"exact": cell.n, "computed_in": None}
        else:
            cell.reason = "small"
    elif cell.leaves > 0 and cell.published and not held:
        cell.reason = "withheld"
    elif cell.published:
        cell.shown = cell.published
    else:
        cell.reason = "small"


def children(cells: dict[tuple[str, str], Cell]) -> dict[tuple[str, str], list[Cell]]:
    """The trees: parent key -> child cells."""
    tree: dict[tuple[str, str], list[Cell]] = {}
    for cell in cells.values():
        if cell.level in ("region", "role_group", "setting"):
            tree.setdefault(("all", ""), []).append(cell)
        elif cell.level == "area":
            tree.setdefault(("region", cell.parent), []).append(cell)
    return tree


def _cover(node: tuple[str, str], tree) -> list[Cell]:
    """The shown cells just below `node`, looking through hidden ones."""
    found = []
    for child in tree.get(node, []):
        if child.visible:
            found.append(child)
        else:
            found.extend(_cover((child.level, child.key), tree))
    return found


def _groups(node: tuple[str, str], tree) -> list[list[Cell]]:
    """The child groups of a node: all has three trees, a region one."""
    kids = tree.get(node, [])
    levels = sorted({c.level for c in kids})
    return [[c for c in kids if c.level == level] for level in levels]


def residuals(cells: dict[tuple[str, str], Cell]) -> list[tuple[Cell, int, list[Cell]]]:
    """For every shown cell and child tree: (cell, residual, cover) as a researcher sees it."""
    tree = children(cells)
    found = []
    for cell in cells.values():
        if not cell.visible:
            continue
        for group in _groups((cell.level, cell.key), tree):
            cover = []
            for child in group:
                cover.extend([child] if child.visible else _cover((child.level, child.key), tree))
            residual = cell.shown_exact - sum(c.shown_exact for c in cover)
            found.append((cell, residual, cover))
    return found


def protect(cells: dict[tuple[str, str], Cell], k: int) -> None:
    """Complementary suppression: hide more cells until no residual is 1..k-1 people."""
    while True:
        for _cell, residual, cover in residuals(cells):
            if 0 < abs(residual) < k and cover:
                victim = min(cover, key=lambda c: (c.shown_exact, c.level, c.key))
                victim.shown, victim.fresh, victim.reason = None, False, "complementary"
                break
        else:
            return


def clip_share(share: float) -> float:
    """A share as shown: never 0 or 1 exactly, so being in a cell reveals no one's answer."""
    return min(SHARE_RANGE[1], max(SHARE_RANGE[0], share))


def clip_mean(mean: float, low: float, high: float) -> float:
    """A mean as shown: never at either end of its scale (inset by MEAN_INSET of its width)."""
    inset = (high - low) * MEAN_INSET
    return round(min(high - inset, max(low + inset, mean)), 2)


def values(
    totals: dict, n: float, k: int, exact: dict | None = None, codes: dict | None = None
) -> dict:
    """What a shown cell publishes, from its (possibly noisy) totals.

    `exact` is the cell's exact totals when `totals` are noisy: how many answered a scale or
    an ONS4 item is checked against k on the exact count, as every threshold is. `codes`
    ({"needs": [...], "factors": [...]}) lists every code, so that each is shown (clipped:
    0 shows as "hardly anyone"), and a code left out never says "nobody chose it".
    """
    exact = totals if exact is None else exact
    codes = codes or {}
    shown_n = shown_count(n)

    def share(count: float) -> float:
        return clip_share(shown_share(count, n))

    def mean(total: float, count: float, low: float = 1.0, high: float = 5.0) -> float:
        return clip_mean(total / max(count, 1), low, high)

    def shares(kind: str) -> dict:
        counts = totals.get(kind, {})
        return {c: share(counts.get(c, 0)) for c in sorted(codes.get(kind) or counts)}

    result = {
        "contributors": shown_n,
        "mood": mean(totals.get("mood", 0.0), n),
        "tough_share": share(totals.get("tough", 0)),
        "needs": shares("needs"),
        "factors": shares("factors"),
    }
    for names, low, high in ((SCALES, 1.0, 5.0), (ONS4, 0.0, 10.0)):
        for name in names:
            given = totals.get(f"{name}_n", 0)
            shown = exact.get(f"{name}_n", 0) >= k
            result[name] = mean(totals.get(name, 0.0), given, low, high) if shown else None
    return result


def hold_items(shown: dict, standing: dict | None, exact: dict, left: bool, k: int) -> None:
    """The live rule and departures for each optional item of a freshly computed cell.

    The items are the scales (energy, sleep, stress) and the ONS4 items: fewer people give
    them than check in, so a cell refreshed by k newcomers who gave none would otherwise
    publish a move of an item's mean that is one person's alone (rules 5 and 6).
    `shown` holds the fresh values; `standing` the cell's previous publication (or None);
    `exact` the exact totals; `left` whether anyone left the cell since `standing`. Records
    in `shown["item_basis"]` the exact number of answers behind each item's last published
    value (kept while the item is hidden, as a withheld cell keeps its publication).
    """
    before = standing or {}
    # Publications made before the scales were held carry only the ONS4 items' basis.
    before = before.get("item_basis") or before.get("ons4_basis") or {}
    basis = {}
    for item in HELD_ITEMS:
        n, previous = exact.get(f"{item}_n", 0), before.get(item)
        if abs(n - (previous or 0)) >= k and n >= k:
            basis[item] = n  # fresh: the value computed stands
            continue
        if previous is not None:
            basis[item] = previous
        if abs(n - (previous or 0)) >= k or left or previous is None:
            shown[item] = None  # too few, withheld, or never published
        else:
            shown[item] = standing.get(item)
    shown["item_basis"] = basis
