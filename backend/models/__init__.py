"""The data model. Each module holds the nouns of one part of the product."""

from . import champions, evaluation, hub, insights, membership, reminders, signposting, wellbeing  # noqa: F401 (their models register with the metadata)
from .entries import Entry
from .passkeys import Passkey, PasskeyChallenge
from .users import ROLES, RecoveryCode, User

__all__ = ["ROLES", "Entry", "Passkey", "PasskeyChallenge", "RecoveryCode", "User"]
