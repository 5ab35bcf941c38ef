"""Strategies for bad input, shared by the property tests and the Schemathesis fuzzing:
dates over the whole range Python can parse, and JSON nested as deep as anyone likes."""

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import strategies as st

# Offsets up to +/-23:59 (all that Python allows), IANA zones, and no zone at all.
offsets = st.integers(min_value=-1439, max_value=1439).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
moments = st.datetimes(
    min_value=datetime.min,
    max_value=datetime.max,
    timezones=st.one_of(st.none(), offsets, st.timezones()),
)
near_the_edges = st.sampled_from(
    [
        datetime.min.replace(tzinfo=timezone(timedelta(hours=23, minutes=59))),
        datetime.max.replace(tzinfo=timezone(-timedelta(hours=23, minutes=59))),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2000, 1, 1, tzinfo=UTC),
        datetime(2000, 1, 1, tzinfo=timezone(timedelta(hours=1))),  # 1999 in UTC
    ]
)
relative_to_now = st.timedeltas(min_value=-timedelta(days=800), max_value=timedelta(days=800)).map(
    lambda delta: datetime.now(UTC) + delta
)
any_moment = st.one_of(moments, near_the_edges, relative_to_now)


def as_text(moment: datetime, form: str) -> str:
    """A moment as the API might be sent it: a date, or a date-time to the second or finer."""
    if form == "date":
        return moment.date().isoformat()
    if form == "seconds":
        return moment.isoformat(timespec="seconds")
    return moment.isoformat().replace("+00:00", "Z")


date_time_texts = st.builds(as_text, any_moment, st.sampled_from(["iso", "seconds", "date"]))
date_texts = st.builds(as_text, any_moment, st.just("date"))


def nested(depth: int, shape: str, inside: str = "1") -> str:
    """JSON text nesting `inside` `depth` levels deep: objects, arrays, or the two in turn."""
    opening = {"object": ['{"a":'], "array": ["["], "mixed": ['{"a":', "["]}[shape]
    closing = {'{"a":': "}", "[": "]"}
    levels = [opening[n % len(opening)] for n in range(depth)]
    return "".join(levels) + inside + "".join(closing[level] for level in reversed(levels))


depths = st.integers(min_value=2, max_value=10_000)
shapes = st.sampled_from(["object", "array", "mixed"])
