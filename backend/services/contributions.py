"""Person-week contributions to the anonymised releases (rollup kept up to date on write).

Placeholder while the releases work lands: the entries service already calls it inside the
same transaction as each check-in change.
"""

from datetime import datetime


def entries_changed(user_id: int, moments: list[datetime]) -> None:
    """Refresh this person's contributions for the weeks that hold these moments."""
    return None
