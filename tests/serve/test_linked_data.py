"""The IRIs a release mints answer in every format they claim: entities and the ontology also as
RDF/XML, named graphs (their triples, from the engine), published queries (their description
and text) and the catalog (DCAT), each as HTML, Turtle, JSON-LD, N-Triples and RDF/XML."""

from __future__ import annotations

import io

import html5lib
import httpx
import pyoxigraph as ox
import pytest

from akke_graph.load import LoadedGraph

from tests.loopback import HTTP
from .helpers import canonical, store_graph

RDF = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD,
       "application/n-triples": ox.RdfFormat.N_TRIPLES, "application/rdf+xml": ox.RdfFormat.RDF_XML}
SH_SELECT = "http://www.w3.org/ns/shacl#select"


@pytest.fixture(scope="module")
def seed_service(validated: LoadedGraph, seed_loaded: LoadedGraph, release_dir):
    """``akke-graph serve`` over the seed graph and the fixture release: what IRIs answer does
    not depend on the imported records, and the seed's 16 named graphs (the ontology's blank
    nodes among them) ask a quarter of the requests of the shipped 62. Its timeout is one no
    answer of these tests comes near."""
    from akke_graph.serve import SparqlService

    with SparqlService.from_loaded(seed_loaded, release=release_dir, port=0, timeout_s=600.0,
                                   log=io.StringIO()) as svc:
        yield svc


def _follow(url: str, path: str, accept: str) -> httpx.Response:
    """The 303 from a thing's IRI, then its document: both checked."""
    see = HTTP.get(url + path, headers={"Accept": accept})
    assert see.status_code == 303, (path, accept, see.text)
    assert "Accept" in see.headers["vary"]
    doc = HTTP.get(url + see.headers["location"].split("#")[0])
    assert doc.status_code == 200, (path, accept, doc.text)
    assert doc.headers["content-type"] == f"{accept}; charset=utf-8"
    return doc


def _triples(doc: httpx.Response, accept: str) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(doc.content, format=RDF[accept])]


def _page(doc: httpx.Response) -> str:
    html5lib.HTMLParser(strict=True).parse(doc.text)    # well-formed HTML5
    return doc.text


@pytest.mark.parametrize("accept", list(RDF))
def test_named_graphs_answer_their_triples(seed_service, seed_loaded: LoadedGraph, accept: str) -> None:
    base = seed_loaded.config.base_iri
    for graph in seed_loaded.store.graphs():
        doc = _follow(seed_service.url, "/" + graph[len(base):], accept)
        assert canonical(_triples(doc, accept)) == canonical(store_graph(seed_loaded.store, graph))


def test_named_graphs_have_a_page(seed_service, seed_loaded: LoadedGraph) -> None:
    graph = seed_loaded.config.base_iri + "graph/data/themes"
    page = _page(_follow(seed_service.url, "/graph/data/themes", "text/html"))
    assert graph in page and "/graph/data/themes.ttl" in page
    subjects = {t.subject.value for t in store_graph(seed_loaded.store, graph)
                if isinstance(t.subject, ox.NamedNode)}
    assert subjects and all(s in page for s in subjects)
    assert HTTP.get(seed_service.url + "/graph/data/no-such-graph").status_code == 404
    assert HTTP.get(seed_service.url + "/graph/data/no-such-graph.ttl").status_code == 404


@pytest.mark.parametrize("accept", list(RDF))
def test_queries_answer_their_description(seed_service, seed_loaded: LoadedGraph, accept: str) -> None:
    iri = seed_loaded.config.base_iri + "queries/work-packages"
    triples = _triples(_follow(seed_service.url, "/queries/work-packages", accept), accept)
    assert {t.subject.value for t in triples} >= {iri}
    text = next(t.object.value for t in triples if t.predicate.value == SH_SELECT)
    rq = _follow(seed_service.url, "/queries/work-packages", "application/sparql-query")
    assert rq.text == text and "SELECT" in text


def test_queries_have_a_page(seed_service) -> None:
    page = _page(_follow(seed_service.url, "/queries/work-packages", "text/html"))
    assert "work-packages" in page and SH_SELECT in page
    assert HTTP.get(seed_service.url + "/queries/no-such-query").status_code == 404


def test_a_published_query_page_is_the_queries_page(seed_loaded: LoadedGraph, published_release) -> None:
    """With publish's queries page, a query's IRI leads to its place on that page (the release
    and the graph served are the seed project's)."""
    from akke_graph.serve import SparqlService

    with SparqlService.from_loaded(seed_loaded, release=published_release, port=0) as svc:
        see = HTTP.get(svc.url + "/queries/work-packages", headers={"Accept": "text/html"})
        assert see.status_code == 303 and see.headers["location"] == "/queries/#work-packages"
        page = HTTP.get(svc.url + "/queries/")
        assert 'id="work-packages"' in page.text
        for accept in RDF:
            _follow(svc.url, "/queries/work-packages", accept)
            _follow(svc.url, "/catalog", accept)
            _follow(svc.url, "/id/project/akke-turku", accept)
            _follow(svc.url, "/ontology", accept)


@pytest.mark.parametrize("path,source", [("/catalog", "catalog.ttl"),
                                         ("/ontology", "ontology/akke.ttl")])
@pytest.mark.parametrize("accept", list(RDF))
def test_the_catalog_and_ontology_in_every_format(seed_service, release_dir, path: str, source: str,
                                                  accept: str) -> None:
    """The same triples as the release's Turtle file, whatever the format (made on request)."""
    triples = _triples(_follow(seed_service.url, path, accept), accept)
    turtle = ox.parse((release_dir / source).read_bytes(), format=ox.RdfFormat.TURTLE)
    assert canonical(triples) == canonical(ox.Triple(q.subject, q.predicate, q.object)
                                           for q in turtle)


def test_the_catalog_page(seed_service) -> None:
    page = _page(_follow(seed_service.url, "/catalog", "text/html"))
    assert "AKKE-tietoverkko" in page and "Åbo – Turku" in page
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    see = HTTP.get(seed_service.url + "/catalog", headers={"Accept": browser})
    assert see.status_code == 303 and see.headers["location"] == "/catalog.html"


def test_an_owl_tools_accept_gets_rdf(seed_service) -> None:
    """Protégé's and the OWL API's Accept header prefers RDF/XML."""
    owl = "application/rdf+xml, application/xml; q=0.7, text/xml; q=0.6, text/plain; q=0.1, */*; q=0.09"
    r = HTTP.get(seed_service.url + "/ontology", headers={"Accept": owl})
    assert r.status_code == 303 and r.headers["location"] == "/ontology/akke.rdf"


def test_big_files_are_not_converted(seed_service, release_dir) -> None:
    """A format is made on request only from a file of at most 16 MiB."""
    from akke_graph.serve.rdf_documents import MAX_CONVERTED

    big = release_dir / "dumps/big.nt"
    line = b"<urn:a> <urn:b> \"" + b"x" * 1000 + b"\" .\n"
    big.write_bytes(line * (MAX_CONVERTED // len(line) + 1))
    try:
        assert HTTP.get(seed_service.url + "/dumps/big.nt").status_code == 200
        assert HTTP.get(seed_service.url + "/dumps/big.rdf").status_code == 404
    finally:
        big.unlink()
