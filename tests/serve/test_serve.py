"""``akke-graph serve`` on loopback: every canned query through /sparql (SPARQLWrapper) gives the
embedded store's answer; result formats; the query page; updates refused; a query past the
timeout stopped; the release with content negotiation (303 / 406); /health; access log."""

from __future__ import annotations

import time

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import GET, POST, SPARQLWrapper

from akke_graph.errors import ServeError
from akke_graph.load import LoadedGraph
from akke_graph.query import load_queries

from tests.loopback import HTTP
from .conftest import ENTITY_DOCS
from .helpers import canned_local, canned_remote, canonical
from .logs import wait_for_log

SLOW = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i ?f LIMIT 1"


@pytest.mark.parametrize("method", [GET, POST])
def test_every_canned_query_through_sparql(service, validated: LoadedGraph, method: str) -> None:
    queries = load_queries(validated.config)
    assert len(queries) == len(list(validated.config.queries_dir.glob("*.rq")))
    for query in queries:
        assert canned_remote(service.url + "/sparql", query, method) == \
            canned_local(validated, query), query.name


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_select_result_formats(service, accept: str) -> None:
    r = HTTP.get(service.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"},
                  headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept.split(";")[0])


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/rdf+xml",
                                    "application/ld+json"])
def test_construct_result_formats(service, accept: str) -> None:
    r = HTTP.post(service.url + "/sparql", headers={"Accept": accept},
                   data={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)


def test_post_sparql_query_body_and_query_page(service) -> None:
    r = HTTP.post(service.url + "/sparql", content="ASK { ?s ?p ?o }",
                   headers={"Content-Type": "application/sparql-query",
                            "Accept": "application/sparql-results+json"})
    assert r.json()["boolean"] is True
    page = HTTP.get(service.url + "/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Yasgui" in page.text
    assert "window.location.origin" in page.text  # the page queries /sparql, not /sparql/sparql
    script = HTTP.get(service.url + "/yasgui.min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    described = HTTP.get(service.url + "/sparql", headers={"Accept": "text/turtle"})
    assert described.status_code == 200 and "sparql-service-description" in described.text
    bad = HTTP.post(service.url + "/sparql", content="x", headers={"Content-Type": "text/plain"})
    assert bad.status_code == 415


def test_updates_are_refused(service, validated: LoadedGraph) -> None:
    insert = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"
    attempts = [
        HTTP.get(service.url + "/sparql", params={"update": insert}),
        HTTP.post(service.url + "/sparql", data={"update": insert}),
        HTTP.post(service.url + "/sparql", content=insert,
                   headers={"Content-Type": "application/sparql-update"}),
        HTTP.post(service.url + "/update", data={"update": insert}),
        HTTP.put(service.url + "/store?default", content="<urn:x> <urn:y> <urn:z> .",
                  headers={"Content-Type": "application/n-triples"}),
        HTTP.delete(service.url + "/id/project/akke-turku"),
    ]
    for response in attempts:
        assert response.status_code == 403, response.request
        assert "read-only" in response.text and "SPARQL Update is refused" in response.text
    client = SPARQLWrapper(service.url + "/sparql")
    client.setMethod(POST)
    client.setQuery(insert)
    with pytest.raises(Exception):
        client.query()
    count = HTTP.get(service.url + "/sparql", headers={"Accept": "application/sparql-results+json"},
                      params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert int(count.json()["results"]["bindings"][0]["n"]["value"]) == len(validated.store)


def test_query_past_the_timeout_is_stopped(service, monkeypatch: pytest.MonkeyPatch) -> None:
    """A query that cannot end within the timeout (a join of a billion rows, sorted) gets a 503
    and its process is replaced at once; the old process is stopped after its grace period.
    The query can never end, so a short timeout and grace period stop it as surely as long ones
    (and spare the seconds of a core it keeps busy)."""
    old = service.upstream.current
    process = old.process
    assert process is not None
    with monkeypatch.context() as short:
        short.setattr(service.httpd, "timeout_s", 0.25)
        short.setattr(service.upstream, "grace_s", 0.1)
        r = HTTP.get(service.url + "/sparql", params={"query": SLOW}, timeout=120)
    assert r.status_code == 503 and "past the timeout of 0.25 s" in r.text
    assert service.upstream.current is not old  # a fresh Oxigraph took over at once
    ok = HTTP.get(service.url + "/sparql", params={"query": "ASK {}"},
                   headers={"Accept": "application/sparql-results+json"})
    assert ok.json()["boolean"] is True
    # stopped once its other queries had their time (the grace period)
    assert process.wait(timeout=120) is not None
    wait_for_log(service, "ran past the timeout")


@pytest.mark.parametrize("accept,extension", [
    ("text/html", ".html"), ("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"),
    ("application/n-triples", ".nt"), ("text/turtle;q=0.5, application/ld+json", ".jsonld"),
    ("*/*", ".html"), (None, ".html"), ("text/*;q=0.9, text/html;q=0", ".ttl"),
])
def test_content_negotiation_303(service, accept: str | None, extension: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = HTTP.get(service.url + "/id/project/akke-turku", headers=headers)
    assert r.status_code == 303 and r.headers["location"] == "/id/project/akke-turku" + extension
    assert "Accept" in r.headers.get("vary", "")
    doc = HTTP.get(service.url + r.headers["location"])
    assert doc.status_code == 200
    media = {".html": "text/html", ".ttl": "text/turtle", ".jsonld": "application/ld+json",
             ".nt": "application/n-triples"}[extension]
    assert doc.headers["content-type"].startswith(media)
    if extension != ".html":
        parsed = ox.parse(doc.content, format=ox.RdfFormat.from_media_type(media))
        assert any(q.subject.value.endswith("/id/project/akke-turku") for q in parsed)


def test_content_negotiation_406_lists_the_types(service) -> None:
    r = HTTP.get(service.url + "/id/project/akke-turku", headers={"Accept": "image/png"})
    assert r.status_code == 406 and "Accept" in r.headers["vary"]
    for media, ext in (("text/html", ".html"), ("text/turtle", ".ttl"),
                       ("application/ld+json", ".jsonld"), ("application/n-triples", ".nt"),
                       ("application/rdf+xml", ".rdf")):
        assert f"{media}  /id/project/akke-turku{ext}" in r.text


@pytest.mark.parametrize("accept,fmt", [("application/ld+json", ox.RdfFormat.JSON_LD),
                                        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
                                        ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_formats_the_release_lacks_are_converted(service, release_dir, accept: str,
                                                 fmt: ox.RdfFormat) -> None:
    """turun-kaupunki has only .html and .ttl in the release: the other formats are made from
    the Turtle, with the same triples."""
    r = HTTP.get(service.url + "/id/organisation/turun-kaupunki", headers={"Accept": accept})
    assert r.status_code == 303
    doc = HTTP.get(service.url + r.headers["location"])
    assert doc.status_code == 200 and doc.headers["content-type"] == f"{accept}; charset=utf-8"
    turtle = (release_dir / "id/organisation/turun-kaupunki.ttl").read_bytes()
    assert canonical(ox.parse(doc.content, format=fmt)) == \
        canonical(ox.parse(turtle, format=ox.RdfFormat.TURTLE))


def test_release_files_and_pages(service, release_dir) -> None:
    for rel, exts in ENTITY_DOCS.items():
        for ext in exts:
            r = HTTP.get(f"{service.url}/{rel}{ext}")
            assert r.status_code == 200 and r.content == (release_dir / (rel + ext)).read_bytes()
    assert HTTP.get(service.url + "/").text.count("AKKE-verkko") == 1
    assert "AKKE graph" in HTTP.get(service.url + "/", headers={"Accept-Language": "en-GB,fi;q=0.5"}).text
    assert HTTP.get(service.url + "/dumps/akke-graph.trig").headers["content-type"] == \
        "application/trig; charset=utf-8"
    assert HTTP.get(service.url + "/img/ecosystem.svg").headers["content-type"] == "image/svg+xml"
    onto = HTTP.get(service.url + "/ontology", headers={"Accept": "text/turtle"})
    assert onto.status_code == 303 and onto.headers["location"] == "/ontology/akke.ttl"
    assert HTTP.get(service.url + "/ontology/").status_code == 200
    assert HTTP.get(service.url + "/dumps").status_code == 301
    assert HTTP.get(service.url + "/id/project/no-such-project").status_code == 404
    assert HTTP.get(service.url + "/%2e%2e/%2e%2e/etc/passwd").status_code in (400, 404)
    head = httpx.head(service.url + "/id/project/akke-turku.ttl")
    assert head.status_code == 200 and int(head.headers["content-length"]) > 0 and head.content == b""


def test_health_and_access_log(service, validated: LoadedGraph) -> None:
    r = HTTP.get(service.url + "/health", headers={"User-Agent": "health-probe"})
    assert r.status_code == 200
    doc = r.json()
    assert doc["status"] == "ok" and doc["triples"] == len(validated.store)
    log = wait_for_log(service, '"health-probe"')
    lines = [line for line in log.splitlines() if "health-probe" in line]
    assert lines and '"GET /health HTTP/1.1" 200' in lines[-1] and lines[-1].endswith("ms")


def test_store_folder_is_built_whole(validated: LoadedGraph, seed_loaded: LoadedGraph, tmp_path) -> None:
    """On the seed graph: how the folder is built does not depend on the imported records."""
    from akke_graph.serve import SparqlService

    folder = tmp_path / "store"
    for _ in range(2):  # a second start rebuilds the same folder
        with SparqlService.from_loaded(seed_loaded, store_dir=folder, port=0) as svc:
            r = HTTP.get(svc.url + "/sparql", headers={"Accept": "application/sparql-results+json"},
                          params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
            assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == len(seed_loaded.store)
    assert (folder / "CURRENT").is_file()
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    with pytest.raises(ServeError, match="not an Oxigraph store folder"):
        SparqlService.from_loaded(seed_loaded, store_dir=other, port=0)
    assert (other / "keep.txt").read_text() == "mine"


def test_long_answers_stream_whole(service, monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer longer than what is read whole before the first byte goes out (made 64 KiB
    here) is streamed chunked, whole; the timeout is one no answer of the tests comes near."""
    monkeypatch.setattr(service.httpd, "buffer_limit", 64 << 10)
    monkeypatch.setattr(service.httpd, "timeout_s", 600.0)
    big = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 4000"
    r = HTTP.get(service.url + "/sparql", params={"query": big}, timeout=120,
                  headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200 and r.headers.get("transfer-encoding") == "chunked"
    assert len(r.content) > 4 * (64 << 10) and len(r.json()["results"]["bindings"]) == 4000


class Clock:
    """``time`` for the upstream module, whose clock a test moves past any deadline."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.ahead


def test_long_answers_are_cut_at_the_timeout(service, monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer that cannot end within the timeout (a billion rows), streaming after its first
    64 KiB, is cut: the client sees an incomplete answer, never a silently short one. The
    deadline passes when the test moves the upstream's clock, once the answer is streaming."""
    from akke_graph.serve import upstream

    clock = Clock()
    monkeypatch.setattr(upstream, "time", clock)
    monkeypatch.setattr(service.httpd, "buffer_limit", 64 << 10)
    monkeypatch.setattr(service.httpd, "timeout_s", 600.0)
    monkeypatch.setattr(service.upstream, "grace_s", 0.1)
    endless = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with HTTP.stream("GET", service.url + "/sparql", params={"query": endless}, timeout=120,
                      headers={"Accept": "text/tab-separated-values"}) as r:
        assert r.status_code == 200 and r.headers.get("transfer-encoding") == "chunked"
        clock.ahead = 3600.0    # the 600 s are up
        with pytest.raises(httpx.TransportError):
            for _ in r.iter_bytes():
                pass
