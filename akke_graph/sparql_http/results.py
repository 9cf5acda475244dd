"""Reading a store's SPARQL results, trusting nothing: an answer of the wrong media type, a body
that is not JSON (an HTML error page sent with 200, a body cut short), JSON of another shape,
a missing field or a count that is not a number is a :class:`Malformed` saying which, never a
``KeyError`` deep inside a push.
"""

from __future__ import annotations

import json
import re
from typing import Any

from akke_graph.sparql_http.failures import excerpt

JSON_TYPES = ("application/sparql-results+json", "application/json")
TSV_TYPE = "text/tab-separated-values"
_COUNT = re.compile(r"[0-9]{1,18}")


class Malformed(Exception):
    """What is wrong with an answer, in words for the user (after "answered …")."""


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def check_type(content_type: str | None, expected: tuple[str, ...], body: bytes, name: str) -> None:
    """A stated media type must be one of ``expected`` (an unstated one is let through, for
    the body to show what it is)."""
    stated = media_type(content_type)
    if stated and stated not in expected:
        raise Malformed(f"{stated} instead of {name}{_start(body)}")


def json_results(body: bytes, content_type: str | None) -> dict[str, Any]:
    """The decoded SPARQL JSON results document."""
    check_type(content_type, JSON_TYPES, body, "SPARQL JSON results")
    if not body.strip():
        raise Malformed("an empty body, not SPARQL JSON results")
    try:
        answer = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Malformed("a body that is not UTF-8 text, not SPARQL JSON results") from None
    except RecursionError:
        raise Malformed("JSON nested too deeply to be SPARQL results") from None
    except ValueError as exc:
        cut = " (cut short?)" if isinstance(exc, json.JSONDecodeError) and exc.pos >= len(body.rstrip()) else ""
        raise Malformed(f"a body that is not JSON{cut}{_start(body)}") from None
    if not isinstance(answer, dict):
        raise Malformed(f"JSON that is not SPARQL results (a {type(answer).__name__}, not an object)")
    return answer


def bindings(answer: dict[str, Any]) -> list[dict[str, str]]:
    """The rows of SELECT results as ``{variable: lexical value}``, every term checked."""
    return [{name: term["value"] for name, term in row.items()} for row in terms(answer)]


def variables(answer: dict[str, Any]) -> list[str]:
    """The variables of SELECT results (``head.vars``)."""
    head = answer.get("head")
    names = head.get("vars", []) if isinstance(head, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise Malformed("JSON without the head.vars list of SPARQL SELECT results")
    return names


def terms(answer: dict[str, Any]) -> list[dict[str, dict[str, Any]]]:
    """The rows of SELECT results as ``{variable: term}``, each term an object with a string
    ``type`` and ``value`` (and whatever else it holds)."""
    results = answer.get("results")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise Malformed("JSON without the results.bindings list of SPARQL SELECT results")
    rows = []
    for number, row in enumerate(results["bindings"], start=1):
        if not isinstance(row, dict):
            raise Malformed(f"SPARQL results whose row {number} is not an object: {row!r:.60}")
        values: dict[str, dict[str, Any]] = {}
        for name, term in row.items():
            if not isinstance(term, dict) or not isinstance(term.get("value"), str) \
                    or not isinstance(term.get("type"), str):
                raise Malformed(f"SPARQL results whose row {number} has a term ?{name:.40} without a "
                                f"type and a string value: {term!r:.60}")
            values[str(name)] = term
        rows.append(values)
    return rows


def boolean(answer: dict[str, Any]) -> bool:
    """The answer of ASK results."""
    value = answer.get("boolean")
    if not isinstance(value, bool):
        raise Malformed("JSON without the boolean of SPARQL ASK results"
                        + (f" ({value!r:.40} is not true or false)" if value is not None else ""))
    return value


def count(value: str) -> int:
    """A triple count: a whole number, nothing else."""
    if not _COUNT.fullmatch(value):
        raise Malformed(f"a count that is not a whole number: {value!r:.60}")
    return int(value)


def _start(body: bytes) -> str:
    return excerpt(body[:400].decode("utf-8", "replace"))
