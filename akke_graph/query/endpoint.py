"""Running queries on any SPARQL 1.1 endpoint (Oxigraph, Virtuoso, Fuseki, GraphDB, QLever,
Wikidata) through SPARQLWrapper, with a timeout and a clear message when the endpoint is down or
answers an error.

Parameters are checked and turned into terms exactly as for the embedded store
(:func:`akke_graph.query.params.bind`); the endpoint then gets the query with those terms written in
escaped SPARQL syntax (:func:`akke_graph.query.params.substitute_text`). The rewritten text is parsed
here before it is sent, so what leaves the machine is always one well-formed query.
"""

from __future__ import annotations

import json
import socket
import urllib.error
from http.client import HTTPException
from typing import Mapping

import pyoxigraph as ox

from akke_graph.query.choices import check_choices
from akke_graph.errors import EndpointError, QueryError
from akke_graph.query.params import bind, substitute_text
from akke_graph.query.model import CannedQuery
from akke_graph.query.results import QueryResult, Row

DEFAULT_TIMEOUT = 30.0
RDF_TYPES = {"text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
             "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
             "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD,
             "application/n-quads": ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}


def check_url(url: str) -> str:
    """An endpoint must be an http(s) URL with a host."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise EndpointError(f"{url[:200]!r} is not an http(s) URL of a SPARQL endpoint",
                            hint="for example http://127.0.0.1:7878/query")
    return url


def run_remote(url: str, query: CannedQuery, params: Mapping[str, object] | None = None, *,
               timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
    """Run a canned (or ad-hoc) query on the endpoint at ``url``, parameters bound safely."""
    bound = bind(query, params)
    text = substitute_text(query.text, bound)
    try:   # the rewritten text must still be one query that parses
        ox.Store().query(text)
    except (SyntaxError, RuntimeError, ValueError, OSError) as exc:
        raise QueryError(f"{query.name}: the query cannot be written for the endpoint with these "
                         f"parameters: {exc}") from None
    result = QueryResult(kind=query.kind, query=query.name, variables=list(query.variables),
                         bound=dict(bound))
    if query.kind in ("select", "ask"):
        data = _decode_json(url, _request(url, text, query.kind, timeout)[0])
        if query.kind == "ask":
            if not isinstance(data.get("boolean"), bool):
                raise EndpointError(f"the endpoint {url} answered an ASK query without a boolean")
            result.boolean = data["boolean"]
        else:
            result.variables, result.rows = _rows(url, data)
    else:
        body, content_type = _request(url, text, query.kind, timeout)
        fmt = RDF_TYPES.get(content_type, ox.RdfFormat.TURTLE)
        try:
            result.triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"the endpoint {url} answered RDF that does not parse: {exc}") from None
    if result.is_empty:
        check_choices(query, bound, params or {}, lambda sparql: select_remote(url, sparql, timeout=timeout))
    return result


def select_remote(url: str, sparql: str, *, timeout: float = DEFAULT_TIMEOUT) -> list[Row]:
    """Rows of a SELECT sent as it is (used for the labels of a table)."""
    return _rows(url, _decode_json(url, _request(url, sparql, "select", timeout)[0]))[1]


def _request(url: str, sparql: str, kind: str, timeout: float) -> tuple[bytes, str]:
    """POST the query (form-encoded, as the SPARQL 1.1 Protocol allows); the body and its type."""
    from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound,
                                                QueryBadFormed, SPARQLWrapperException,
                                                Unauthorized)

    check_url(url)
    client = SPARQLWrapper(url)
    client.setQuery(sparql)
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setReturnFormat(JSON if kind in ("select", "ask") else TURTLE)
    client.setOnlyConneg(True)
    client.setTimeout(max(1, int(round(timeout))))
    try:
        response = client.query().response
        body = response.read()
        content_type = response.headers.get_content_type() if hasattr(response, "headers") else ""
        return body, content_type
    except QueryBadFormed as exc:
        raise EndpointError(f"the endpoint {url} rejected the query (HTTP 400): {_detail(exc)}",
                            hint="the endpoint may not support a feature the query uses") from None
    except EndPointNotFound:
        raise EndpointError(f"there is no SPARQL endpoint at {url} (HTTP 404)",
                            hint="check the URL; an Oxigraph server answers at /query") from None
    except Unauthorized:
        raise EndpointError(f"the endpoint {url} refused access (HTTP 401)") from None
    except EndPointInternalError as exc:
        raise EndpointError(f"the endpoint {url} failed on the query (HTTP 500): {_detail(exc)}") from None
    except SPARQLWrapperException as exc:
        raise EndpointError(f"the endpoint {url} answered an error: {_detail(exc)}") from None
    except urllib.error.HTTPError as exc:
        raise EndpointError(f"the endpoint {url} answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (socket.timeout, TimeoutError)):
            raise _timeout(url, timeout) from None
        raise EndpointError(f"the endpoint {url} cannot be reached: {exc.reason}",
                            hint="check the URL and that the server is running") from None
    except (socket.timeout, TimeoutError):
        raise _timeout(url, timeout) from None
    except (HTTPException, ConnectionError, OSError) as exc:
        raise EndpointError(f"the connection to the endpoint {url} failed: {exc or type(exc).__name__}",
                            hint="check that the server is running and answers SPARQL") from None


def _timeout(url: str, timeout: float) -> EndpointError:
    return EndpointError(f"the endpoint {url} did not answer within {timeout:g} s",
                         hint="try again later or give a longer --timeout")


def _detail(exc: Exception) -> str:
    """The useful part of a SPARQLWrapper error: the endpoint's own words, shortened."""
    text = str(exc)
    if "Response:" in text:
        text = text.split("Response:", 1)[1].strip()
        if text.startswith(("b'", 'b"')):
            text = text[2:-1]
    text = " ".join(text.replace("\\n", " ").split())
    return text[:300] + ("…" if len(text) > 300 else "")


def _decode_json(url: str, body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise EndpointError(f"the endpoint {url} did not answer with SPARQL JSON results",
                            hint="is the URL the SPARQL query endpoint itself?") from None
    if not isinstance(data, dict):
        raise EndpointError(f"the endpoint {url} did not answer with SPARQL JSON results")
    return data


def _rows(url: str, data: dict) -> tuple[list[str], list[Row]]:
    try:
        variables = [str(v) for v in data["head"].get("vars", [])]
        bindings = data["results"]["bindings"]
        rows = [{name: _term(value) for name, value in binding.items()} for binding in bindings]
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise EndpointError(f"the endpoint {url} answered malformed SPARQL JSON results ({exc})") from None
    return variables, rows


def _term(value: dict) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        try:
            return ox.BlankNode(text)
        except ValueError:
            return ox.BlankNode()
    if kind in ("literal", "typed-literal"):
        if value.get("xml:lang"):
            return ox.Literal(text, language=value["xml:lang"])
        if value.get("datatype"):
            return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(text)
    raise ValueError(f"unknown term type {kind!r}")
