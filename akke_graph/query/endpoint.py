"""Running queries on any SPARQL 1.1 endpoint (Oxigraph, Virtuoso, Fuseki, GraphDB, QLever,
Wikidata) through SPARQLWrapper, under the one timeout-and-retry policy of :mod:`akke_graph.sparql_http`,
with a clear message when the endpoint is down or answers an error.

Parameters are checked and turned into terms exactly as for the embedded store
(:func:`akke_graph.query.params.bind`); the endpoint then gets the query with those terms written in
escaped SPARQL syntax (:func:`akke_graph.query.params.substitute_text`). The rewritten text is parsed
here before it is sent, so what leaves the machine is always one well-formed query.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

import pyoxigraph as ox

from akke_graph.errors import EndpointError, Message, QueryError, text
from akke_graph.query.choices import check_choices
from akke_graph.query.model import CannedQuery
from akke_graph.query.params import bind, substitute_text
from akke_graph.query.results import QueryResult, Row
from akke_graph.sparql_http.failures import Failing, check_url, safe_url
from akke_graph.sparql_http.policy import HttpPolicy
from akke_graph.sparql_http.query import post_query

RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
             "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
             "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
             "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}


def run_remote(url: str, query: CannedQuery, params: Mapping[str, object] | None = None, *,
               policy: HttpPolicy | None = None) -> QueryResult:
    """Run a canned (or ad-hoc) query on the endpoint at ``url``, parameters bound safely."""
    check_url(url)
    bound = bind(query, params)
    sparql_text = substitute_text(query.text, bound)
    try:   # the rewritten text must still be one query that parses
        ox.Store().query(sparql_text)
    except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
        raise QueryError(f"{query.name}: the query cannot be written for the endpoint with these "
                         f"parameters: {exc}") from None
    result = QueryResult(kind=query.kind, query=query.name, variables=list(query.variables),
                         bound=dict(bound))
    what = text("query-what", name=query.name)
    failing = _failing(url, what)
    if query.kind in ("select", "ask"):
        data = _decode_json(url, what, post_query(url, sparql_text, failing, policy=policy).body)
        if query.kind == "ask":
            if not isinstance(data.get("boolean"), bool):
                raise EndpointError(f"the endpoint {safe_url(url)} answered an ASK query without a boolean")
            result.boolean = data["boolean"]
        else:
            result.variables, result.rows = _rows(url, data)
    else:
        answer = post_query(url, sparql_text, failing, rdf=True, policy=policy)
        fmt = RDF_TYPES.get(answer.content_type, ox.RdfFormat.TURTLE)
        try:
            result.triples = [ox.Triple(q.subject, q.predicate, q.object)
                              for q in ox.parse(answer.body, format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"the endpoint {safe_url(url)} answered RDF that does not parse: "
                                f"{exc}") from None
    if result.is_empty:
        check_choices(query, bound, params or {}, lambda sparql: select_remote(url, sparql, policy=policy))
    return result


def select_remote(url: str, sparql: str, *, policy: HttpPolicy | None = None) -> list[Row]:
    """Rows of a SELECT sent as it is (used for the labels of a table)."""
    check_url(url)
    what = text("query-what", name="SELECT")
    answer = post_query(url, sparql, _failing(url, what), policy=policy)
    return _rows(url, _decode_json(url, what, answer.body))[1]


def _failing(url: str, what: Message) -> Failing:
    return Failing(what, safe_url(url), EndpointError,
                   {400: text("query-400.hint"), 401: text("http-auth.hint"),
                    403: text("http-auth.hint"), 404: text("query-404.hint")})


def _decode_json(url: str, what: Message, body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise EndpointError(text("http-not-json", what=what, where=safe_url(url)),
                            hint=text("http-not-json.hint"))
    return data


def _rows(url: str, data: dict[str, Any]) -> tuple[list[str], list[Row]]:
    try:
        variables = [str(v) for v in data["head"].get("vars", [])]
        bindings = data["results"]["bindings"]
        rows = [{name: _term(value) for name, value in binding.items()} for binding in bindings]
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise EndpointError(f"the endpoint {safe_url(url)} answered malformed SPARQL JSON results "
                            f"({exc})") from None
    return variables, rows


def _term(value: dict[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind, lexical = value["type"], value["value"]
    if kind == "uri":
        return ox.NamedNode(lexical)
    if kind == "bnode":
        try:
            return ox.BlankNode(lexical)
        except ValueError:
            return ox.BlankNode()
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return ox.Literal(lexical, language=value["xml:lang"])
        if value.get("datatype"):
            return ox.Literal(lexical, datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(lexical)
    raise ValueError(f"unknown term type {kind!r}")
