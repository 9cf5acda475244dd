"""Amounts of money as the sources write them, in euros: ``79683``, ``79 683``, ``79 683 €``,
``44 045,18``, ``2.8 M EUR`` is refused (a rounded figure is not the amount).

Amounts become :class:`decimal.Decimal` and are written as ``xsd:decimal``; a negative amount, a
currency other than the euro or anything that does not read as a number is an error with the reason.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

EURO = re.compile(r"\s*(€|eur|euroa?|euros?)\s*$", re.IGNORECASE)
OTHER_CURRENCY = re.compile(r"\b(usd|sek|gbp|nok|dkk)\b|[$£]", re.IGNORECASE)
GROUPED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[,.]\d{1,2})?|[+-]?\d+(?:[,.]\d{1,2})?")


class AmountError(ValueError):
    """A text that is not an amount of euros; the message says why."""


def parse_amount(text: str) -> Decimal:
    """The amount in euros that ``text`` writes, or :class:`AmountError`."""
    value = text.strip()
    if OTHER_CURRENCY.search(value):
        raise AmountError(f"{text!r} is not in euros")
    value = EURO.sub("", value).strip()
    if not GROUPED.fullmatch(value):
        raise AmountError(f"{text!r} is not an amount of euros: write digits, e.g. 79683 or 79 683,50")
    digits = re.sub(r"[ \u00a0\u202f]", "", value).replace(",", ".")
    try:
        amount = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise AmountError(f"{text!r} is not a number") from None
    if amount < 0:
        raise AmountError(f"{text!r} is negative: an amount of funding is zero or more")
    return amount


def decimal_text(amount: Decimal) -> str:
    """The canonical ``xsd:decimal`` form: no exponent, no trailing zeros after the point."""
    text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
