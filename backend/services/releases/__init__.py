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
from .dp import warn_if_off as warn_if_dp_off
from .membership_daily import daily_job
from .privacy import (
    ROUNDING,
    SHARE_RANGE,
    clip_mean,
    clip_share,
    privacy_k,
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
    "ROUNDING",
    "SHARE_RANGE",
    "answers_changed",
    "area_alerts",
    "clip_mean",
    "clip_share",
    "consent_changed",
    "count_resource_open",
    "current_week",
    "daily_job",
    "dp",
    "dp_budget",
    "entries_changed",
    "entry_added",
    "export_csv",
    "forget_take_up",
    "freeze_closed",
    "membership_changed",
    "needs_map",
    "note_signup",
    "person_leaving",
    "prepare_addition",
    "privacy_k",
    "publish",
    "publish_job",
    "rebuild_tallies",
    "recent_releases",
    "release_summary",
    "released_weeks",
    "releases_after",
    "shown_count",
    "shown_share",
    "signup_figures",
    "take_up",
    "take_up_csv",
    "today",
    "trends",
    "warn_if_dp_off",
    "week_bounds",
    "week_of",
]
