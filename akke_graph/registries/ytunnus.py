"""The Finnish business ID (Y-tunnus): the one place that knows its form and check digit.

Canonical form ``NNNNNNN-C``. The check digit C comes from the weights 7, 9, 10, 5, 8, 4, 2 on the
first seven digits: remainder modulo 11 of 0 gives 0, 1 gives no valid ID, otherwise 11 − remainder
(python-stdnum ``stdnum/fi/ytunnus.py``; PEPPOL ICD 0037). People also write the ID without the
hyphen (``02048198``) or in the EU VAT form (``FI02048198``); :func:`normalise` accepts those.
"""

from __future__ import annotations

import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
CANONICAL = re.compile(r"^[0-9]{7}-[0-9]$")
_LOOSE = re.compile(r"^(?:FI)?([0-9]{7})-?([0-9])$")


class BusinessIdError(ValueError):
    """A text that is not a valid business ID; the message says why."""


def check_digit(first_seven: str) -> int | None:
    """The check digit of seven digits, or None when no valid ID has them (remainder 1)."""
    if len(first_seven) != 7 or not first_seven.isascii() or not first_seven.isdigit():
        raise BusinessIdError(f"{first_seven!r} is not seven digits")
    d = first_seven.encode("ascii")  # digits as bytes 48..57: fast on large graphs
    remainder = (7 * d[0] + 9 * d[1] + 10 * d[2] + 5 * d[3] + 8 * d[4] + 4 * d[5] + 2 * d[6]
                 - 45 * 48) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def problem(text: str) -> str | None:
    """Why ``text`` is not a valid business ID in canonical form, or None when it is one."""
    if len(text) != 9 or not CANONICAL.match(text):
        return f"{text!r} is not of the form NNNNNNN-C (seven digits, a hyphen, a check digit)"
    expected = check_digit(text[:7])
    if expected is None:
        return f"{text!r} cannot be a business ID: its first seven digits leave remainder 1"
    if int(text[8]) != expected:
        return f"{text!r} has check digit {text[8]}, but its digits give {expected}"
    return None


def is_valid(text: str, *, strict: bool = True) -> bool:
    """True for a valid business ID; with ``strict=False`` also the hyphenless and VAT forms."""
    if strict:
        return problem(text) is None
    try:
        normalise(text)
    except BusinessIdError:
        return False
    return True


def normalise(text: str) -> str:
    """The canonical ``NNNNNNN-C`` of ``0204819-8``, ``02048198`` or ``FI02048198``.

    Raises :class:`BusinessIdError` when the text is malformed or its check digit is wrong.
    """
    if not isinstance(text, str):
        raise BusinessIdError(f"{text!r} is not text")
    compact = re.sub(r"\s+", "", text).upper()
    match = _LOOSE.match(compact)
    if not match:
        raise BusinessIdError(
            f"{text!r} is not a business ID: write it as NNNNNNN-C, NNNNNNNC or FINNNNNNNC")
    canonical = f"{match.group(1)}-{match.group(2)}"
    why = problem(canonical)
    if why:
        raise BusinessIdError(why)
    return canonical


def vat_number(text: str) -> str:
    """The EU VAT form (``FI02048198``) of a business ID."""
    canonical = normalise(text)
    return "FI" + canonical.replace("-", "")


# The public page of a business ID in the Finnish Business Information System (YTJ), the
# registry's own service run by the Patent and Registration Office and the Tax Administration.
REGISTER_PAGE = "https://tietopalvelu.ytj.fi/yritys/{}"


def register_page(text: str) -> str | None:
    """The YTJ page of a valid business ID (canonical form in the URL), else None."""
    try:
        canonical = normalise(text)
    except BusinessIdError:
        return None
    return REGISTER_PAGE.format(canonical)
