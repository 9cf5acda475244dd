"""Remote execution: the same queries give the same answers on a real Oxigraph server (loaded
through the Graph Store Protocol) as on the embedded store, parameters travel safely, and an
endpoint that is down, slow or broken gives a clear EndpointError, never a traceback."""

from __future__ import annotations


import pytest

from akke_graph.errors import ConfigError, EndpointError, ParameterError
from akke_graph.query.endpoint import run_remote, select_remote
from akke_graph.sparql_http import HttpPolicy, check_url
from akke_graph.load import LoadedGraph
from akke_graph.oxigraph_server import OxigraphServer, free_port
from akke_graph.query import find_query, load_queries, run_query

from .conftest import all_cases, never
from .golden_io import canonical
from .test_injection import PAYLOADS, TARGETS, target_query


def patient(timeout: float) -> HttpPolicy:
    """The one policy with a short first wait: retries stay on, the tests stay quick."""
    return HttpPolicy(timeout=timeout, retries=2, backoff=0.01)


def test_every_query_same_on_server_as_embedded(loaded_server: OxigraphServer, loaded: LoadedGraph) -> None:
    cases = all_cases(load_queries(loaded.config))
    assert len(cases) >= 25
    for name, variant, params in cases:
        query = find_query(loaded.config, name)
        embedded = run_query(loaded, query, params)
        remote = run_remote(loaded_server.query_url, query, params, policy=patient(20))
        assert remote.variables == embedded.variables, (name, variant)
        assert canonical(remote, query.ordered) == canonical(embedded, query.ordered), (name, variant)


def test_payloads_reach_the_server_as_values(loaded_server: OxigraphServer, loaded: LoadedGraph) -> None:
    for name, param, accepts_text in TARGETS:
        query = target_query(loaded, name)
        for payload in PAYLOADS:
            if not accepts_text:
                with pytest.raises(ParameterError):
                    run_remote(loaded_server.query_url, query, {param: payload})
                continue
            remote = run_remote(loaded_server.query_url, query, {param: payload}, policy=patient(20))
            assert remote.rows == [], (name, payload)
            assert remote.variables == list(query.variables)


def test_remote_labels_and_known_value(loaded_server: OxigraphServer, loaded: LoadedGraph) -> None:
    rows = run_remote(loaded_server.query_url, find_query(loaded.config, "find-by-finnish-name"),
                      {"name": "Turun kaupunki"}).rows
    assert {r["entity"].value for r in rows} == {"https://w3id.org/akke/id/organisation/turun-kaupunki"}
    labels = select_remote(loaded_server.query_url,
                           "SELECT ?l WHERE { <https://w3id.org/akke/id/role/funder> "
                           "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }")
    assert {r["l"].value for r in labels} == {"rahoittaja", "funder"}


def test_endpoint_down(loaded: LoadedGraph) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(EndpointError, match="cannot be reached"):
        run_remote(url, find_query(loaded.config, "organisations"), policy=patient(5))


def test_endpoint_answers_errors(broken_endpoint, loaded: LoadedGraph) -> None:
    query = find_query(loaded.config, "organisations")
    cases = [
        (lambda h: h.answer(500, b"boom: storage failure"),
         "HTTP 500 Internal Server Error: boom: storage failure; gave up after 3 attempts"),
        (lambda h: h.answer(400, b"Parse error near line 3"), "HTTP 400 Bad Request: Parse error"),
        (lambda h: h.answer(404, b"no"), "HTTP 404 Not Found"),
        (lambda h: h.answer(503, b"busy"), "HTTP 503 Service Unavailable: busy; gave up after 3 attempts"),
        (lambda h: h.answer(200, b"<html>not json</html>", "text/html"), "answered text/html instead of SPARQL JSON results"),
        (lambda h: h.answer(200, b'{"head": {}, "results": 3}', "application/sparql-results+json"),
         "JSON without the results.bindings list"),
        (lambda h: h.wfile.write(b"garbage\r\n\r\n"), "the connection broke"),
    ]
    for behaviour, message in cases:
        with pytest.raises(EndpointError, match=message.replace("(", r"\(").replace(")", r"\)")):
            run_remote(broken_endpoint(behaviour), query, policy=patient(5))


def test_endpoint_timeout_is_bounded(broken_endpoint, loaded: LoadedGraph) -> None:
    """The endpoint never answers (until the test is over): only the timeout can end the wait,
    and a short one ends it as surely as a long one."""
    with pytest.raises(EndpointError, match=r"did not answer within 0\.25 s.*gave up after 3 attempts"):
        run_remote(broken_endpoint(never), find_query(loaded.config, "organisations"), policy=patient(0.25))


def test_construct_and_ask_remotely(loaded_server: OxigraphServer, loaded: LoadedGraph) -> None:
    export = run_remote(loaded_server.query_url, find_query(loaded.config, "project-export"))
    assert len(export.triples) == len(run_query(loaded, "project-export").triples)
    party = run_remote(loaded_server.query_url, find_query(loaded.config, "is-agreement-party"),
                       {"organisation": "organisation:turku-science-park"})
    assert party.boolean is False


@pytest.mark.parametrize("url", ["ftp://example.org/sparql", "not a url", "http://", "/query"])
def test_endpoint_url_is_checked(url: str) -> None:
    with pytest.raises(ConfigError, match="not an http"):
        check_url(url)
