"""Well-formed XSD literals, checked by the engine itself: SPARQL can cast only a few XSD types,
and the store hides the rest (it stores ``"300"^^xsd:byte`` as ``"300"^^xsd:integer``).

One table of lexical spaces (XSD 1.1 Part 2) and integer ranges serves both the SPARQL form of
``sh:datatype`` and the check of a literal as written.
"""

from __future__ import annotations

import re
from fractions import Fraction

import pyoxigraph as ox

from akke_graph.terms import XSD

_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_MD = r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_INTEGER = r"[+-]?[0-9]+"
_DECIMAL = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
_FLOAT = r"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)"
_DURATION_DAYS = r"([0-9]+Y([0-9]+M)?([0-9]+D)?|[0-9]+M([0-9]+D)?|[0-9]+D)"
_DURATION_TIME = r"T([0-9]+H([0-9]+M)?([0-9]+(\.[0-9]+)?S)?|[0-9]+M([0-9]+(\.[0-9]+)?S)?|[0-9]+(\.[0-9]+)?S)"
# Real characters, not \u escapes: XPath and Python spell those differently.
_NAME_START = "A-Za-z_:\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F"
_NAME_CHAR = _NAME_START + "\\-.0-9\u00B7\u0300-\u036F\u203F-\u2040"

# Local name of an XSD datatype -> its lexical space as a regular expression (the common subset
# of XPath and Python regular expressions, so that SPARQL's REGEX and Python agree).
LEXICAL = {
    **{t: _INTEGER for t in ("integer", "long", "int", "short", "byte", "nonNegativeInteger",
                             "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong",
                             "unsignedInt", "unsignedShort", "unsignedByte")},
    "decimal": _DECIMAL,
    "float": _FLOAT,
    "double": _FLOAT,
    "boolean": r"(true|false|1|0)",
    "date": f"{_YEAR}-{_MD}{_TZ}",
    "dateTime": f"{_YEAR}-{_MD}T{_TIME}{_TZ}",
    "dateTimeStamp": f"{_YEAR}-{_MD}T{_TIME}(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))",
    "time": f"{_TIME}{_TZ}",
    "gYear": f"{_YEAR}{_TZ}",
    "gYearMonth": f"{_YEAR}-(0[1-9]|1[0-2]){_TZ}",
    "gMonth": f"--(0[1-9]|1[0-2]){_TZ}",
    "gMonthDay": f"--{_MD}{_TZ}",
    "gDay": f"---(0[1-9]|[12][0-9]|3[01]){_TZ}",
    "duration": f"-?P({_DURATION_DAYS}({_DURATION_TIME})?|{_DURATION_TIME})",
    "dayTimeDuration": f"-?P([0-9]+D({_DURATION_TIME})?|{_DURATION_TIME})",
    "yearMonthDuration": r"-?P([0-9]+Y([0-9]+M)?|[0-9]+M)",
    "hexBinary": r"([0-9a-fA-F]{2})*",
    "base64Binary": r"(([A-Za-z0-9+/] ?){4})*(([A-Za-z0-9+/] ?){3}[A-Za-z0-9+/]|([A-Za-z0-9+/] ?){2}[AEIMQUYcgkosw048] ?=|[A-Za-z0-9+/] ?[AQgw] ?= ?=)?",
    "language": r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*",
    "normalizedString": r"[^\r\n\t]*",
    "token": r"([^\s]+( [^\s]+)*)?",
    "NMTOKEN": f"[{_NAME_CHAR}]+",
    "Name": f"[{_NAME_START}][{_NAME_CHAR}]*",
    "NCName": f"[{_NAME_START.replace(':', '')}][{_NAME_CHAR.replace(':', '')}]*",
}

# Integer types with bounds: (least, greatest), None for unbounded.
RANGES: dict[str, tuple[int | None, int | None]] = {
    "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1),
    "byte": (-128, 127), "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1), "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1), "unsignedShort": (0, 2**16 - 1), "unsignedByte": (0, 255),
}

# Types SPARQL casts to: a verbatim literal of one is well-formed when the cast succeeds (the
# store reads them with the same parser, and keeps verbatim only what it could not read or what
# was already in its own form).
CASTABLE = frozenset(("integer", "decimal", "float", "double", "boolean", "date", "dateTime", "time",
                      "duration", "dayTimeDuration", "yearMonthDuration", "gYear", "gYearMonth",
                      "gMonth", "gMonthDay", "gDay"))

_COMPILED = {name: re.compile(pattern) for name, pattern in LEXICAL.items()}


def local_name(datatype: str) -> str | None:
    """The local name of an XSD datatype this module checks, else None."""
    name = datatype[len(XSD):] if datatype.startswith(XSD) else None
    return name if name in LEXICAL else None


def well_formed(literal: ox.Literal) -> bool:
    """Whether the lexical form is in its datatype's lexical space (true for datatypes this
    module does not check)."""
    name = local_name(literal.datatype.value)
    if name is None:
        return True
    if _COMPILED[name].fullmatch(literal.value) is None:
        return False
    if name in TEMPORAL:
        return temporal_value(literal.value, name) is not None
    if name == "gMonthDay":
        return int(literal.value[5:7]) <= _days_in_month(2000, int(literal.value[2:4]))
    low, high = RANGES.get(name, (None, None))
    value = int(literal.value) if name in RANGES else 0
    return (low is None or value >= low) and (high is None or value <= high)


def sparql_well_formed(v: str, datatype: str) -> str | None:
    """A SPARQL expression, true when the stored literal ``v`` (of ``datatype``) is well-formed;
    None when there is nothing to check."""
    name = local_name(datatype)
    if name is None:
        return None
    if name in CASTABLE:
        return f"sameTerm(<{datatype}>(STR({v})), <{datatype}>(STR({v})))"
    pattern = LEXICAL[name].replace("\\", "\\\\")
    check = f'REGEX(STR({v}), "^{pattern}$")'
    low, high = RANGES.get(name, (None, None))
    if low is not None:
        check += f" && <{XSD}integer>(STR({v})) >= {low}"
    if high is not None:
        check += f" && <{XSD}integer>(STR({v})) <= {high}"
    return check


# --- dates and times: the value space, day-of-month included, and XSD 1.1's order -------------
# rdflib maps these to Python's date and datetime, which hold neither year 0, negative years nor
# years past 9999 (all valid in XSD 1.1) and accept time zones past ±14:00; pyshacl then cannot
# compare them (see akke_graph.shacl.pyshacl_xsd). Oxigraph follows XSD 1.1, and so does this.

TEMPORAL = frozenset(("date", "dateTime", "dateTimeStamp"))
_PARTS = re.compile(r"(-?[0-9]+)-([0-9]{2})-([0-9]{2})(?:T([0-9]{2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?))?"
                    r"(Z|[+-][0-9]{2}:[0-9]{2})?")
_FOURTEEN_HOURS = 14 * 3600


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (XSD 1.1: year 0 is 1 BCE)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def temporal_value(lexical: str, name: str) -> tuple[Fraction, bool] | None:
    """A well-formed xsd:date or xsd:dateTime(Stamp) as (seconds on the time line, in UTC when it
    has a time zone; whether it has one); None when ill-formed (day of month included)."""
    if name not in TEMPORAL or _COMPILED[name].fullmatch(lexical) is None:
        return None
    parts = _PARTS.fullmatch(lexical)
    if parts is None:
        return None
    year, month, day = int(parts[1]), int(parts[2]), int(parts[3])
    if day > _days_in_month(year, month):
        return None
    seconds = Fraction(_days_from_civil(year, month, day) * 86400)
    if parts[4] is not None:
        seconds += int(parts[4]) * 3600 + int(parts[5]) * 60 + Fraction(parts[6])
    zone = parts[7]
    if zone is not None and zone != "Z":
        offset = int(zone[1:3]) * 3600 + int(zone[4:6]) * 60
        seconds -= offset if zone[0] == "+" else -offset
    return seconds, zone is not None


def temporal_order(a: ox.Literal, b: ox.Literal) -> int | None:
    """-1, 0 or 1 as ``a`` is before, at or after ``b`` (two xsd:date, or two xsd:dateTime or
    xsd:dateTimeStamp literals), None when XSD 1.1 leaves them unordered: either is ill-formed,
    they are of different types, or only one has a time zone and they are within 14 hours."""
    name_a, name_b = local_name(a.datatype.value), local_name(b.datatype.value)
    if name_a is None or name_b is None or (name_a == "date") != (name_b == "date"):
        return None
    value_a, value_b = temporal_value(a.value, name_a), temporal_value(b.value, name_b)
    if value_a is None or value_b is None:
        return None
    (x, zoned_a), (y, zoned_b) = value_a, value_b
    if zoned_a == zoned_b:
        return (x > y) - (x < y)
    # The one without a time zone may be anywhere from -14:00 to +14:00.
    if zoned_b:
        order = temporal_order(b, a)
        return None if order is None else -order
    if x + _FOURTEEN_HOURS < y:
        return -1
    if x - _FOURTEEN_HOURS > y:
        return 1
    return None
