"""Dates, periods and counts as people write them: Finnish style on Finnish pages
("1.5.2021–31.12.2021", "1 015"), English style on English ones ("1 May 2021 – 31 December 2021",
"1,015"). Values that are not dates are shown as they are."""

from __future__ import annotations

import re

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def date_text(value: str, lang: str) -> str:
    """``2021-05-01`` as ``1.5.2021`` (fi) or ``1 May 2021`` (en); anything else unchanged."""
    match = ISO_DATE.match(value)
    if not match:
        return value
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return value
    return f"{day}.{month}.{year}" if lang == "fi" else f"{day} {MONTHS_EN[month - 1]} {year}"


def period_text(start: str | None, end: str | None, lang: str) -> str:
    """A period from its start and end dates (either may be open)."""
    first = date_text(start, lang) if start else ""
    last = date_text(end, lang) if end else ""
    dash = "–" if lang == "fi" and " " not in first + last else " – "
    return f"{first}{dash}{last}".strip()


def count_text(number: int, lang: str) -> str:
    """``1015`` as ``1 015`` (fi, with a no-break space) or ``1,015`` (en)."""
    grouped = f"{number:,}"
    return grouped.replace(",", "\u00a0") if lang == "fi" else grouped
