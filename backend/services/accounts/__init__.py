"""Accounts: sign-up, sign-in and its second factor, recovery, profile and erasure.

The one door of the package. Inside: account keeps a person's account from sign-up to
erasure, passwords hashes and checks them, second_factor keeps the one-time codes and
their recovery codes, and recovery the recovery key that lets a person back in.
"""

from .account import (
    authenticate,
    change_password,
    create_account,
    end_sessions,
    erase,
    find,
    normalise_username,
    register,
    signed_in_person,
    tables_holding_people,
    update_profile,
)
from .passwords import hash_password, verify_password
from .recovery import new_key as new_recovery_key
from .recovery import recover
from .recovery import replace_key as replace_recovery_key
from .second_factor import check_sign_in, passkey_is_second_step
from .second_factor import confirm as confirm_second_factor
from .second_factor import enrol_now as enrol_second_factor_now
from .second_factor import start as start_second_factor
from .second_factor import turn_off as turn_off_second_factor

__all__ = [
    "authenticate",
    "change_password",
    "check_sign_in",
    "confirm_second_factor",
    "create_account",
    "end_sessions",
    "enrol_second_factor_now",
    "erase",
    "find",
    "hash_password",
    "new_recovery_key",
    "normalise_username",
    "passkey_is_second_step",
    "recover",
    "register",
    "replace_recovery_key",
    "signed_in_person",
    "start_second_factor",
    "tables_holding_people",
    "turn_off_second_factor",
    "update_profile",
    "verify_password",
]
