"""Dates as the sources write them: ISO (``2021-04-01``) or Finnish (``1.4.2021``, ``01.04.2021``).

A date that has the right shape but does not exist (``31.2.2021``) is an error with the reason,
never a nearby date; two-digit years are refused because they would need a guess of the century.
"""

from __future__ import annotations

import datetime as dt
import re

ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
FINNISH = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
SHORT_YEAR = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2}")
# An en or em dash, or a hyphen with spaces around it (ISO dates hold hyphens themselves).
RANGE = re.compile(r"\s*[–—]\s*|\s+-\s+")


class DateError(ValueError):
    """A text that is not a date; the message says why."""


def parse_date(text: str) -> dt.date:
    """The date ``text`` writes, or :class:`DateError`."""
    value = text.strip().rstrip(".") if FINNISH.fullmatch(text.strip().rstrip(".")) else text.strip()
    iso, finnish = ISO.fullmatch(value), FINNISH.fullmatch(value)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif finnish:
        day, month, year = (int(g) for g in finnish.groups())
    elif SHORT_YEAR.fullmatch(value):
        raise DateError(f"{text!r} has a two-digit year: write the year in full (1.4.2021)")
    else:
        raise DateError(f"{text!r} is not a date: write it as 1.4.2021 or 2021-04-01")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise DateError(f"{text!r} is not a date that exists ({exc})") from None


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """``1.5.2021 – 31.12.2021`` (dash, en dash or em dash) as two dates in order."""
    parts = RANGE.split(text.strip(), maxsplit=1)
    if len(parts) != 2:
        raise DateError(f"{text!r} is not a period: write it as 1.5.2021 – 31.12.2021")
    start, end = parse_date(parts[0]), parse_date(parts[1])
    if end < start:
        raise DateError(f"{text!r} ends before it starts")
    return start, end
