"""Every malformed answer from a store is a clear error: a proxy in front of a real Oxigraph
answers one kind of request in the store's place — an HTML page with 200, a body that is not
JSON or is cut short, JSON of another shape, a term without a value, a count that is not a
whole number, a graph nobody asked about, the wrong media type — and ``push`` and
``query --endpoint`` exit 2 with a message naming the endpoint and what was wrong, never a
traceback. The store is left as it was."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from akke_graph.load import LoadedGraph
from akke_graph.oxigraph_server import OxigraphServer
from akke_graph.push import PASSWORD_ENV, PushTarget, push_store
from akke_graph.sparql_http import HttpPolicy
from akke_graph.store import OxigraphStore

from .faultproxy import Fault
from .helpers import holds

JSON = "application/sparql-results+json"
TSV = "text/tab-separated-values"
TEMPORARY = "urn:akke-graph:push:20000101T000000Z-0123456789ab:0"


def results(*rows: dict[str, object], vars: tuple[str, ...] = ("g", "n")) -> str:
    return json.dumps({"head": {"vars": list(vars)}, "results": {"bindings": list(rows)}})


def uri(value: str) -> dict[str, str]:
    return {"type": "uri", "value": value}


def number(value: str) -> dict[str, str]:
    return {"type": "literal", "value": value,
            "datatype": "http://www.w3.org/2001/XMLSchema#integer"}


@dataclass
class Bad:
    """The proxy answers the first request of ``kind`` with ``body`` (``{graph}``: a graph the
    push asks about) as ``content_type``; the message must hold ``problem``. ``store``: the store
    says it is Oxigraph ("oxigraph", then a later push reads the graphs back) or not ("other")."""

    name: str
    kind: str
    content_type: str
    body: str
    problem: str
    store: str = "other"
    action: str = "answer"


PUSH_CASES = [
    Bad("html-page-with-200", "find-leftovers", "text/html",
        "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>",
        "text/html instead of SPARQL JSON results: <!DOCTYPE html>"),
    Bad("plain-text-type", "ask", "text/plain", '{"boolean": true}',
        "text/plain instead of SPARQL JSON results"),
    Bad("html-as-json", "ask", JSON, "<html>Internal error</html>",
        "a body that is not JSON: <html>Internal error</html>"),
    Bad("cut-short-json", "find-leftovers", JSON, results()[:30], "a body that is not JSON (cut short?)"),
    Bad("empty-body", "ask", JSON, "", "an empty body, not SPARQL JSON results"),
    Bad("not-utf8", "ask", JSON, "\udcff", "not UTF-8"),
    Bad("json-array", "ask", JSON, "[]", "JSON that is not SPARQL results (a list, not an object)"),
    Bad("ask-without-boolean", "ask", JSON, '{"head": {}}', "without the boolean of SPARQL ASK results"),
    Bad("ask-boolean-a-string", "ask", JSON, '{"head": {}, "boolean": "yes"}',
        "('yes' is not true or false)"),
    Bad("no-bindings", "count", JSON, '{"head": {"vars": ["g", "n"]}, "results": {}}',
        "without the results.bindings list"),
    Bad("row-not-an-object", "find-leftovers", JSON, results(1), "row 1 is not an object"),  # type: ignore[arg-type]
    Bad("term-without-value", "count", JSON, results({"g": {"type": "uri"}, "n": number("1")}),
        "row 1 has a term ?g without a type and a string value"),
    Bad("count-not-a-number", "count", JSON, results({"g": uri("{graph}"), "n": number("many")}),
        "a count that is not a whole number: 'many'"),
    Bad("count-a-fraction", "count", JSON, results({"g": uri("{graph}"), "n": number("3.5")}),
        "a count that is not a whole number: '3.5'"),
    Bad("check-of-another-graph", "check", JSON, results({"g": uri(TEMPORARY), "n": number("1")}),
        "row 1 of the counts is not one of the graphs asked about"),
    Bad("count-negative", "find-leftovers", JSON, results({"g": uri(TEMPORARY), "n": number("-1")}),
        "a count that is not a whole number: '-1'"),
    Bad("count-of-another-graph", "count", JSON,
        results({"g": uri("https://evil.example/g"), "n": number("1")}),
        "row 1 of the counts is not one of the graphs asked about"),
    Bad("count-missing", "count", JSON, results({"g": uri("{graph}")}),
        "row 1 of the counts is not one of the graphs asked about and its count"),
    Bad("leftover-not-temporary", "find-leftovers", JSON,
        results({"g": uri("https://example.org/data"), "n": number("3")}),
        "row 1 is not a temporary graph and its count"),
    Bad("read-not-tsv", "read", JSON, results(), "application/sparql-results+json instead of SPARQL "
        "TSV results", store="oxigraph"),
    Bad("read-no-type", "read", "", "?g\t?s\t?p\t?o\n", "no media type instead of SPARQL TSV results",
        store="oxigraph"),
    Bad("read-no-header", "read", TSV, "", "TSV results whose header is not ?g ?s ?p ?o: b''",
        store="oxigraph"),
    Bad("read-bad-row", "read", TSV, "?g\t?s\t?p\t?o\nnonsense\n",
        "TSV row 2 that is not a graph and a triple", store="oxigraph"),
    Bad("answer-cut-short", "ask", JSON, '{"head": {}, "boolean": tr', "the connection broke",
        action="cut-answer"),
]


@pytest.fixture()
def invoke(cli):
    """The command through the shared runner, without retries."""
    return lambda project_root, *args: cli(*args, "--retries", "0", project=project_root,
                                           env={PASSWORD_ENV: ""})


def check_message(output: str, port: int, problem: str, exit_code: int) -> None:
    assert exit_code == 2, output
    assert f"127.0.0.1:{port}" in output, output   # the endpoint is named
    assert problem in output, output
    assert "Traceback" not in output and "KeyError" not in output, output


@pytest.mark.parametrize("case", PUSH_CASES, ids=[c.name for c in PUSH_CASES])
def test_push_says_what_was_wrong(case: Bad, oxigraph_server: OxigraphServer, fault_proxy,
                                  seed_validated: LoadedGraph, seed_version_b: OxigraphStore,
                                  seed_project: Path, invoke) -> None:
    push_store(seed_version_b, PushTarget.from_options(oxigraph_server.query_url, gsp=oxigraph_server.store_url),
               policy=HttpPolicy(retries=0))
    proxy = fault_proxy(server_name=None if case.store == "oxigraph" else "FaultProxy")
    body = case.body.replace("{graph}", seed_validated.store.graphs()[0])
    payload = body.encode("utf-8", "surrogateescape")
    proxy.faults.append(Fault(case.action, lambda r, kind=case.kind: r.kind == kind, times=1,
                              answer=(200, case.content_type, payload)))
    result = invoke(seed_project, "push", "--endpoint", proxy.url("/query"), "--gsp", proxy.url("/store"))
    check_message(result.output, proxy.port, case.problem, result.exit_code)
    assert any(r.kind == case.kind for r in proxy.seen)
    assert holds(oxigraph_server.query_url, seed_version_b)   # nothing was replaced


QUERY_CASES = [  # a SELECT: a kind of request left out above (the problems said the same way)
    *[c for c in PUSH_CASES if c.name in ("html-page-with-200", "plain-text-type", "html-as-json",
                                          "cut-short-json", "empty-body", "not-utf8", "json-array",
                                          "row-not-an-object", "answer-cut-short")],
    Bad("select-without-bindings", "", JSON, '{"head": {"vars": []}, "boolean": true}',
        "JSON without the results.bindings list of SPARQL SELECT results"),
    Bad("select-without-vars", "", JSON, '{"head": {"vars": "x"}, "results": {"bindings": []}}',
        "JSON without the head.vars list of SPARQL SELECT results"),
    Bad("term-of-unknown-type", "", JSON, results({"name": {"type": "cat", "value": "x"}}, vars=("name",)),
        "a term that is not RDF (unknown term type 'cat')"),
    Bad("term-without-value", "", JSON, results({"name": {"type": "literal"}}, vars=("name",)),
        "row 1 has a term ?name without a type and a string value"),
]


@pytest.mark.parametrize("case", QUERY_CASES, ids=[c.name for c in QUERY_CASES])
def test_query_endpoint_says_what_was_wrong(case: Bad, fault_proxy, project_root: Path,
                                            invoke) -> None:
    proxy = fault_proxy()
    proxy.faults.append(Fault(case.action, answer=(200, case.content_type,
                                                   case.body.encode("utf-8", "surrogateescape"))))
    result = invoke(project_root, "query", "organisations", "--endpoint", proxy.url("/query"))
    check_message(result.output, proxy.port, case.problem, result.exit_code)
