"""Query parameters: declared by variable names in grlc's convention, bound as RDF terms.

A canned query declares a parameter by using a variable ``?_name`` (required) or ``?__name``
(optional), with an optional type suffix: ``_iri``, ``_integer``, ``_number``, ``_literal``,
``_xsd_date`` (any ``_prefix_datatype`` whose prefix the query declares), a bare XSD type name
such as ``_date``, or a language tag such as ``_fi``. Values arrive as text (command line, API)
and become terms here, checked against the declared type; they are never pasted into a query.

:func:`substitute_text` writes each term in escaped SPARQL syntax in place of its variable, for
the embedded stores and remote endpoints alike (a remote endpoint cannot take terms, and
Oxigraph plans a query better with its values as constants); the tests check that no value can
change what the query means.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Iterator, Mapping

import pyoxigraph as ox

from akke_graph.errors import ParameterError, QueryError
from akke_graph.query.model import CannedQuery, Param
from akke_graph.terms import IRI_FORBIDDEN, XSD, iri_problem

Term = ox.NamedNode | ox.Literal
MAX_LENGTH = 2000  # characters; parameters are names, identifiers and dates, never documents

# grlc's variable grammar (gquery.get_parameters), anchored to the whole variable name.
PARAM_NAME = re.compile(
    r"(?P<required>_{1,2})(?P<name>[A-Za-z0-9]+)"
    r"(?:_(?P<type>iri|number|literal|integer|string))?"
    r"(?:_(?P<prefix>[A-Za-z0-9]+)_(?P<local>[A-Za-z0-9]+))?"
    r"(?:_(?P<suffix>[A-Za-z0-9-]+))?")

XSD_TYPES = {  # bare suffixes read as XSD datatypes (BASIL and older grlc), with a lexical check
    "integer": r"[+-]?[0-9]+", "int": r"[+-]?[0-9]+", "long": r"[+-]?[0-9]+",
    "nonNegativeInteger": r"\+?[0-9]+", "positiveInteger": r"\+?0*[1-9][0-9]*",
    "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "double": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF)|NaN",
    "float": r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF)|NaN",
    "boolean": r"true|false|1|0",
    "date": r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}",
    "dateTime": r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?",
    "gYear": r"-?[0-9]{4,}",
    "gYearMonth": r"-?[0-9]{4,}-[0-9]{2}",
    "string": r"(?s).*", "anyURI": r"\S*",
}
EXAMPLES = {"integer": "3", "decimal": "2.5", "double": "2.5e3", "boolean": "true",
            "date": "2021-06-01", "dateTime": "2021-06-01T12:00:00", "gYear": "2021"}
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def parse_param(variable: str, prefixes: Mapping[str, str]) -> Param:
    """The parameter a ``?_...`` variable declares; :class:`QueryError` if it does not read."""
    match = PARAM_NAME.fullmatch(variable)
    if not match:
        raise QueryError(f"?{variable} is not a parameter name in grlc's convention",
                         hint="write ?_name, ?__name (optional) or add a type: ?_name_iri, "
                              "?_name_integer, ?_name_xsd_date, ?_name_fi (camelCase names)")
    name, kind = match["name"], match["type"]
    required = len(match["required"]) == 1

    def param(type: str, datatype: str | None = None, language: str | None = None) -> Param:
        return Param(name=name, variable=variable, type=type, required=required, datatype=datatype,
                     language=language)

    suffix = match["suffix"]
    if kind and (match["prefix"] or suffix) or match["prefix"] and suffix:
        raise QueryError(f"?{variable} has more than one type suffix")
    if kind == "iri":
        return param("iri")
    if kind == "number":
        return param("number")
    if kind in ("literal", "string") or not (kind or match["prefix"] or suffix):
        return param("string")
    if kind == "integer":
        return param("xsd:integer", datatype=XSD + "integer")
    if match["prefix"]:
        prefix, local = match["prefix"], match["local"]
        if prefix not in prefixes:
            raise QueryError(f"?{variable} uses the datatype {prefix}:{local} but the query "
                             f"declares no prefix {prefix}:", hint=f"add PREFIX {prefix}: <...>")
        return param(f"{prefix}:{local}", datatype=prefixes[prefix] + local)
    if suffix in XSD_TYPES:
        return param(f"xsd:{suffix}", datatype=XSD + suffix)
    if LANGUAGE.fullmatch(suffix):
        return param(f"string@{suffix}", language=suffix)
    raise QueryError(f"?{variable}: {suffix!r} is neither an XSD type nor a language tag")


def describe_params(query: "CannedQuery") -> str:
    """One line listing a query's parameters, for error hints."""
    if not query.params:
        return f"the query {query.name} takes no parameters"
    parts = []
    for p in query.params:
        extra = (f"default {p.default}" if p.default is not None
                 else "required" if p.required else "optional")
        parts.append(f"{p.name}={p.placeholder} ({extra})")
    return f"parameters of {query.name}: " + ", ".join(parts)


def bind(query: "CannedQuery", values: Mapping[str, object] | None = None) -> dict[str, Term]:
    """The substitutions (variable -> term) for running ``query`` with ``values``; CURIEs are
    read with the query's prefix map (its project's, :meth:`CannedQuery.prefix_map`).

    Defaults fill what is not given; optional parameters without a value stay unbound.
    """
    values = dict(values or {})
    known = {p.name: p for p in query.params}
    for key in values:
        if key not in known:
            raise ParameterError(f"the query {query.name} has no parameter {_shown(key)}",
                                 hint=describe_params(query))
    prefixes = query.prefix_map()
    bound: dict[str, Term] = {}
    for param in query.params:
        raw = values.get(param.name)
        if raw is None:
            raw = param.default
        if raw is None:
            if param.required:
                raise ParameterError(f"the query {query.name} needs the parameter {param.name} "
                                     f"({param.type})", hint=describe_params(query))
            continue
        bound[param.variable] = to_term(param, raw, prefixes, query.name)
    return bound


def to_term(param: Param, raw: object, prefixes: Mapping[str, str], query: str = "") -> Term:
    """Check one value against the parameter's type and make it an RDF term."""
    where = f"{query}: parameter {param.name}" if query else f"parameter {param.name}"
    if isinstance(raw, (ox.NamedNode, ox.Literal)):
        raw = raw.value
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParameterError(f"{where}: the value is not valid UTF-8 text") from None
    if isinstance(raw, (_dt.date, _dt.datetime)):
        raw = raw.isoformat()
    value = raw if isinstance(raw, str) else str(raw).lower() if isinstance(raw, bool) else str(raw)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ParameterError(f"{where}: the value is not valid UTF-8 text",
                             hint="give the value in UTF-8 (check the terminal's encoding)") from None
    if len(value) > MAX_LENGTH:
        raise ParameterError(f"{where}: the value is {len(value)} characters long; at most "
                             f"{MAX_LENGTH} are accepted")
    bad = next((c for c in value if ord(c) < 0x20 and c not in "\t\n\r" or ord(c) == 0x7F), None)
    if bad is not None:
        raise ParameterError(f"{where}: the value contains the control character U+{ord(bad):04X}")
    if param.type == "iri":
        term: Term = _iri(value, prefixes, where)
    elif param.language:
        term = ox.Literal(value, language=param.language)
    elif param.type == "number":
        term = _number(value, where)
    elif param.datatype:
        term = _typed(value, param, where)
    else:
        term = ox.Literal(value)
    if param.enumerate and term.value not in param.enumerate:
        raise ParameterError(f"{where}: {_shown(term.value)} is not one of the allowed values",
                             hint="allowed: " + ", ".join(param.enumerate))
    return term


def _iri(value: str, prefixes: Mapping[str, str], where: str) -> ox.NamedNode:
    prefix, sep, local = value.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        value = prefixes[prefix] + local
    hint = (f"give an absolute IRI such as {prefixes['project']}akke-turku, or a CURIE such as "
            "project:akke-turku" if "project" in prefixes else "give an absolute IRI (https://...)")
    problem = iri_problem(value)
    if problem:
        raise ParameterError(f"{where}: {_shown(value)} is not an IRI: {problem}", hint=hint)
    return ox.NamedNode(value)


def _number(value: str, where: str) -> ox.Literal:
    for local in ("integer", "decimal", "double"):
        if re.fullmatch(XSD_TYPES[local], value):
            return ox.Literal(str(int(value)) if local == "integer" else value,
                              datatype=ox.NamedNode(XSD + local))
    raise ParameterError(f"{where}: {_shown(value)} is not a number", hint="for example 3 or 2.5")


def _typed(value: str, param: Param, where: str) -> ox.Literal:
    datatype = param.datatype or ""
    local = datatype[len(XSD):] if datatype.startswith(XSD) else None
    pattern = XSD_TYPES.get(local or "")
    if pattern is not None:
        example = EXAMPLES.get(local or "", "")
        hint = f"for example {example}" if example else None
        if not re.fullmatch(pattern, value):
            raise ParameterError(f"{where}: {_shown(value)} is not a valid {param.type}", hint=hint)
        try:
            if local == "date":
                _dt.date.fromisoformat(value.lstrip("-"))
            elif local == "dateTime":
                _dt.datetime.fromisoformat(value.lstrip("-").replace("Z", "+00:00"))
        except ValueError:
            raise ParameterError(f"{where}: {_shown(value)} is not a valid {param.type} "
                                 "(no such day)", hint=hint) from None
        if pattern == XSD_TYPES["integer"]:
            value = str(int(value))
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def _shown(value: str, limit: int = 60) -> str:
    """A value as an error message may quote it: short, with control characters visible."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


# --- Writing terms into SPARQL text (remote endpoints) -------------------------------------------

TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_.\-]*(?::[A-Za-z0-9_.:%\-]*)?|:[A-Za-z0-9_.:%\-]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def tokens(text: str) -> Iterator[re.Match[str]]:
    """SPARQL tokens, enough to find variables and keywords outside strings, IRIs and comments."""
    return TOKEN.finditer(text)


def sparql_term(term: Term) -> str:
    """A term in SPARQL syntax that no engine can read as anything else.

    Besides the usual escapes, a backslash in the value is never followed by a literal ``u`` or
    ``U``: SPARQL engines may expand ``\\uXXXX`` before parsing (rdflib does), which would undo
    the escaping. That letter is written as ``\\U000000XX``, which takes no further digits.
    """
    if isinstance(term, ox.NamedNode):
        if any(c in IRI_FORBIDDEN or ord(c) <= 0x20 for c in term.value):
            raise ParameterError(f"{_shown(term.value)} cannot be written as an IRI")
        return f"<{term.value}>"
    if not isinstance(term, ox.Literal):
        raise ParameterError(f"{term!r} cannot be a parameter value (only IRIs and literals can)")
    out, after_backslash = [], False
    for c in term.value:
        if after_backslash and c in "uU":
            out.append("\\U00000075" if c == "u" else "\\U00000055")
        else:
            out.append({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, c))
        after_backslash = c == "\\"
    text = '"' + "".join(out) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype.value != XSD + "string":
        return f"{text}^^<{term.datatype.value}>"
    return text


def substitute_text(text: str, bound: Mapping[str, Term], where: str | None = None) -> str:
    """The query with each bound parameter variable replaced by its term in SPARQL syntax.

    In a SELECT projection the variable becomes ``(term AS ?var)``, so the answer keeps the
    column; in GROUP BY / ORDER BY it becomes ``(term)``. A parameter as the target of AS or in
    a VALUES block is refused; with ``where`` (the query file) the message names its line.
    """
    if not bound:
        return text
    out: list[str] = []
    clause = ""          # "select" (projection), "modifier" (GROUP/ORDER BY), "values" or ""
    depth = 0            # parentheses inside the current clause
    previous = ""        # the previous significant token, upper-cased
    for match in tokens(text):
        kind, token = match.lastgroup, match.group()
        upper = token.upper()
        if kind == "word":
            if upper == "SELECT":
                clause, depth = "select", 0
            elif upper in ("WHERE", "LIMIT", "OFFSET", "HAVING"):
                clause = ""
            elif upper == "BY" and previous in ("GROUP", "ORDER"):
                clause, depth = "modifier", 0
            elif upper == "VALUES":
                clause = "values"
        elif kind == "other":
            if token == "(":
                depth += 1
            elif token == ")":
                depth -= 1
            elif token == "{" and clause in ("select", "modifier"):
                clause = ""
            elif token == "}" and clause in ("values", "modifier"):
                clause = ""
        if kind == "var" and token[1:] in bound:
            name = token[1:]
            if previous == "AS" or clause == "values":
                line = text.count("\n", 0, match.start()) + 1
                at = f"{where}:{line}: " if where else ""
                raise QueryError(f"{at}the parameter ?{name} cannot be bound: the query assigns it "
                                 "(AS or VALUES)", hint="use the parameter only as a value")
            written = sparql_term(bound[name])
            if clause == "select" and depth == 0:
                written = f"({written} AS ?{name})"
            elif clause == "modifier" and depth == 0:
                written = f"({written})"
            out.append(written)
        else:
            out.append(token)
        if kind not in ("space", "comment"):
            previous = upper
    return "".join(out)
