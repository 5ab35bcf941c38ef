"""The months an evaluation report covers, and the weeks that count in each of them.

A week (Monday to Sunday, Europe/London) counts in the month that holds most of its days,
i.e. the month of its Thursday, as ISO 8601 does for years.
"""

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """The calendar months reported on, and the weeks that count in them."""

    months: tuple[date, ...]  # the first day of each month, oldest first
    first_week: date
    last_week: date

    @property
    def first_day(self) -> date:
        return self.months[0]

    @property
    def last_day(self) -> date:
        return add_months(self.months[-1], 1) - timedelta(days=1)

    def month_index(self, week: date) -> int | None:
        """Which of the months a week counts in (its Thursday's), or None."""
        if not self.first_week <= week <= self.last_week:
            return None
        thursday = week + timedelta(days=3)
        return self.months.index(thursday.replace(day=1))

    def weeks(self) -> dict[date, int]:
        """Every week of the period (its Monday) -> the index of the month it counts in."""
        found, week = {}, self.first_week
        while week <= self.last_week:
            found[week] = self.month_index(week)
            week += timedelta(weeks=1)
        return found


def add_months(first: date, count: int) -> date:
    index = first.year * 12 + first.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def period_for(months: int, today: date) -> Period:
    """The `months` complete calendar months before the month holding `today`.

    Complete means every week that counts in them has ended: a month's last week can end
    up to three days into the next month, and until it has, the period ends a month
    earlier (a published month's figures are frozen, so they wait for its last week).
    """
    this_month = today.replace(day=1)
    firsts = tuple(add_months(this_month, n - months) for n in range(months))
    # The first Monday whose Thursday is on or after the first day, and the last whose
    # Thursday falls before this month.
    first_week = firsts[0] - timedelta(days=3)
    first_week += timedelta(days=-first_week.weekday() % 7)
    last_week = this_month - timedelta(days=4)
    last_week -= timedelta(days=last_week.weekday())
    if last_week + timedelta(days=6) >= today:
        return period_for(months, this_month - timedelta(days=1))
    return Period(firsts, first_week, last_week)
