"""Field types shared by the schemas."""

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import ValidationError, fields

from ..services import dates


class StrictBoolean(fields.Boolean):
    """true or false only: "yes", 1 or "false" are refused rather than guessed at."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("Please answer true or false.")
        return value


def validate_time_zone(name: str) -> None:
    """An IANA time zone name such as Europe/London."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("That is not a time zone we know, such as Europe/London.") from None


class _InRange:
    """A date field that takes only dates in the API's one range (services/dates.py).

    `ahead` lets a field reach further ahead than LATEST_AHEAD_HOURS: the end of a period
    asked for, or a pause, may be up to dates.YEAR_AHEAD away.
    """

    def __init__(self, *args, ahead: timedelta | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.ahead = ahead

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        message = dates.problem(moment, self.ahead)
        if message:
            raise ValidationError(message)
        return moment


class SensibleDate(_InRange, fields.Date):
    """YYYY-MM-DD, inside the API's range of dates."""


class SensibleDateTime(_InRange, fields.AwareDateTime):
    """An RFC 3339 date-time with a zone, inside the API's range of dates."""
