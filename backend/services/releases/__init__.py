"""Releases: the anonymised, small-number-safe figures hubs see, and the queue that feeds them.

The one door of the package: everything outside it (check-ins, accounts, the API, jobs and
the evaluation report) calls only the names below. Inside, the modules call each other
directly: contributions queues each person-week's change (who counts is membership's),
publishing turns the queue into tallies (tallies, queue_sums) and decides each cell by the
privacy rules (privacy, with dp's noise), published reads releases back, and take-up,
sign-ups and alerts make their own figures under the same k.
"""

from . import dp
from .alerts import area_alerts
from .contributions import (
    answers_changed,
    consent_changed,
    current_week,
    entries_changed,
    entry_added,
    membership_changed,
    person_leaving,
    prepare_addition,
    today,
    week_bounds,
    week_of,
)
from .dp import noisy_count, shown_count_margin
from .dp import warn_if_off as warn_if_dp_off
from .membership import counts as counts_in_releases
from .membership import vouched_area
from .membership_daily import daily_job
from .privacy import (
    ROUNDING,
    SHARE_RANGE,
    Cell,
    clip_mean,
    clip_share,
    decide,
    privacy_k,
    protect,
    shown_count,
    shown_share,
)
from .published import (
    export_csv,
    needs_map,
    recent_releases,
    release_summary,
    released_weeks,
    releases_after,
    trends,
)
from .publishing import dp_budget, publish, publish_job, rebuild_tallies
from .signups import figures as signup_figures
from .signups import note as note_signup
from .take_up import take_up, take_up_csv
from .take_up_marks import count_open as count_resource_open
from .take_up_marks import forget as forget_take_up
from .take_up_marks import freeze_closed

__all__ = [
    "Cell",
    "ROUNDING",
    "SHARE_RANGE",
    "answers_changed",
    "area_alerts",
    "clip_mean",
    "clip_share",
    "consent_changed",
    "count_resource_open",
    "counts_in_releases",
    "current_week",
    "daily_job",
    "decide",
    "dp",
    "dp_budget",
    "entries_changed",
    "entry_added",
    "export_csv",
    "forget_take_up",
    "freeze_closed",
    "membership_changed",
    "needs_map",
    "noisy_count",
    "note_signup",
    "person_leaving",
    "prepare_addition",
    "privacy_k",
    "protect",
    "publish",
    "publish_job",
    "rebuild_tallies",
    "recent_releases",
    "release_summary",
    "released_weeks",
    "releases_after",
    "shown_count",
    "shown_count_margin",
    "shown_share",
    "signup_figures",
    "take_up",
    "take_up_csv",
    "today",
    "trends",
    "vouched_area",
    "warn_if_dp_off",
    "week_bounds",
    "week_of",
]
