"""Well-formed XSD literals, checked by the engine itself: SPARQL can cast only a few XSD types,
and the store hides the rest (it stores ``"300"^^xsd:byte`` as ``"300"^^xsd:integer``).

One table of lexical spaces (XSD 1.1 Part 2) and integer ranges serves both the SPARQL form of
``sh:datatype`` and the check of a literal as written.
"""

from __future__ import annotations

import re

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
