"""Talking to someone at the hub: people's requests, the practitioners' inbox, its audit log.

Other parts of the app call only these verbs.
"""

from .announce import announce_job, announce_new
from .audit import log_of
from .inbox import read, update, waiting
from .requests import (
    forget_marks,
    mine,
    monthly_counts,
    one_of_mine,
    records_of,
    send,
    summary_of,
    withdraw,
)
from .retention import erase_closed, reseal_all

__all__ = [
    "announce_job",
    "announce_new",
    "erase_closed",
    "forget_marks",
    "log_of",
    "mine",
    "monthly_counts",
    "one_of_mine",
    "read",
    "records_of",
    "reseal_all",
    "send",
    "summary_of",
    "update",
    "waiting",
    "withdraw",
]
