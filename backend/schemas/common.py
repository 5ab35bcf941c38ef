"""Field types shared by the schemas."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import ValidationError, fields


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
