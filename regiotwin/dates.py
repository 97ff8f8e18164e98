"""One grammar for dates and times as people type them, wherever they come from.

Dates: ISO `2016-06-27`, and German `27.06.2016` or `27.6.2016`. Every date option, the due date
in an action text (`due 30.06.2016`, `bis 30.06.2016`) and the models reading a file use
`parse_date`; what the tool writes is always ISO. Times: `14:30`, `9:30`, `14.30`, `14:30 Uhr`,
`14 Uhr`, stored as `HH:MM`. A date and time (a trip's start and end) is the two joined by a
space or a `T`: `2016-09-14 07:00`, `14.09.2016 7.00 Uhr`, stored as `2016-09-14 07:00`. Only the
standard library is imported, so the command line's option types can use it without loading the
models.
"""

from __future__ import annotations

import datetime as dt
import re

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

# The German form as one regular expression that admits exactly the real dates (for the JSON
# Schemas, which cannot call Python; a test holds it to `parse_date`).
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
GERMAN_DATE_PATTERN = (
    r"^(?:"
    r"(?:(?:0?[1-9]|1[0-9]|2[0-8])\.(?:0?[1-9]|1[0-2])"
    r"|(?:29|30)\.(?:0?[13-9]|1[0-2])"
    r"|31\.(?:0?[13578]|1[02]))\.(?!0000)[0-9]{4}"
    rf"|29\.0?2\.(?!0000){_LEAP_YEAR}"
    r")$"
)

DATE_FORMS = "YYYY-MM-DD or DD.MM.YYYY"
TIME_FORMS = "HH:MM (00:00-23:59)"
DATE_TIME_FORMS = "YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM"
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?:\s*Uhr)?$", re.IGNORECASE)
_DATE_TIME = re.compile(r"^(\S+?),?(?:T|\s+)(\S.*)$")

# The forms of `parse_date_time` as one regular expression (for the JSON Schemas; a test holds
# it to the parser): an ISO or German date, then a time with or without `Uhr`.
TIME_PATTERN = (r"(?:(?:[01]?[0-9]|2[0-3])[:.][0-5][0-9](?:\s*[Uu][Hh][Rr])?"
                r"|(?:[01]?[0-9]|2[0-3])\s*[Uu][Hh][Rr])")
ISO_DATE_PATTERN = (  # exactly the real ISO dates, as GERMAN_DATE_PATTERN
    r"^(?:(?!0000)[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    rf"|(?!0000){_LEAP_YEAR}-02-29)$"
)
DATE_TIME_PATTERN = (r"^\s*(?:" + ISO_DATE_PATTERN[1:-1] + "|" + GERMAN_DATE_PATTERN[1:-1]
                     + r"),?(?:T|\s+)" + TIME_PATTERN + r"\s*$")


class DateError(ValueError):
    """Text that is not a date or a time; the message says how to write it."""


def parse_date(text: str) -> dt.date:
    """`2016-06-27`, `27.06.2016` or `27.6.2016` as a date; anything else is a DateError."""
    value = text.strip()
    try:
        if ISO_DATE.match(value):
            return dt.date.fromisoformat(value)
        german = GERMAN_DATE.match(value)
        if german:
            day, month, year = (int(part) for part in german.groups())
            return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"{value} is not a real date ({exc})") from None
    raise DateError(f"{text!r} is not a date; write it as {DATE_FORMS} (e.g. 2016-07-12 or "
                    "12.07.2016)")


def is_date(text: str) -> bool:
    """Whether *text* reads as a date (used to tell a date from an id's prefix)."""
    try:
        parse_date(text)
    except DateError:
        return False
    return True


def parse_time(text: str) -> str:
    """`14:30`, `9:30`, `14.30`, `14:30 Uhr` or `14 Uhr` as `HH:MM`; else a DateError."""
    value = text.strip()
    match = _TIME.match(value)
    if match and (match.group(2) is not None or value.lower().endswith("uhr")):
        hours, minutes = int(match.group(1)), int(match.group(2) or 0)
        if hours < 24 and minutes < 60:
            return f"{hours:02d}:{minutes:02d}"
    raise DateError(f"{text!r} is not a time; write it as {TIME_FORMS}")


def parse_date_time(text: str) -> dt.datetime:
    """A local date and time to the minute: a date of `parse_date` and a time of `parse_time`,
    joined by a space or a `T` (`2016-09-14 07:00`, `14.09.2016 7.00 Uhr`); else a DateError."""
    value = text.strip()
    wrong = (f"{text!r} is not a date and time; write it as {DATE_TIME_FORMS}, e.g. "
             "2016-09-14 07:00")
    match = _DATE_TIME.match(value)
    if match is None:
        if is_date(value):
            day = parse_date(value)
            raise DateError(f"{day} has no time; write it as {DATE_TIME_FORMS}, e.g. {day} 07:00")
        raise DateError(wrong)
    try:
        day = parse_date(match.group(1))
        clock = parse_time(match.group(2))
    except DateError as exc:
        if "not a real date" in str(exc):
            raise
        raise DateError(wrong) from None
    return dt.datetime.combine(day, dt.time.fromisoformat(clock))
