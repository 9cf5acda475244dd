"""Fixtures for serve and push: a small release folder built here (RELEASE.md layout), a running
``SparqlService`` over the validated graph, a second version of the graph, fault-injecting
proxies, and a private Virtuoso on loopback (skipped with a reason where it is not installed)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox
import pytest

from akke_graph.load import LoadedGraph
from akke_graph.oxigraph_server import OxigraphServer
from akke_graph.query import queries_as_rdf
from akke_graph.store import OxigraphStore

from .faultproxy import FaultProxy
from .virtuoso import ISQL, MISSING, VIRTUOSO, Virtuoso

NO_VALIDATE = ("akke_graph.shacl.validate (require_conformant) is not in the tree yet: serve and push "
               "refuse to run without validating")

ENTITY_DOCS = {  # entity path -> the documents the fixture release has for it
    "id/project/akke-turku": (".html", ".ttl", ".jsonld", ".nt"),
    "id/organisation/turun-kaupunki": (".html", ".ttl"),
}


@pytest.fixture(scope="session")
def validated(loaded: LoadedGraph) -> LoadedGraph:
    """The shipped graph, once the validation gate exists (else the test is skipped)."""
    pytest.importorskip("akke_graph.shacl.validate", reason=NO_VALIDATE)
    return loaded


def _entity_triples(loaded: LoadedGraph, iri: str) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in loaded.store.quads()
            if isinstance(q.subject, ox.NamedNode)
            and (q.subject.value == iri or q.subject.value.startswith(iri + "#"))]


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory, loaded: LoadedGraph) -> Path:
    """A small release folder in the RELEASE.md layout, independent of the publish command."""
    root = tmp_path_factory.mktemp("release")
    base = loaded.config.base_iri
    formats = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
               ".jsonld": ox.RdfFormat.JSON_LD}
    for rel, exts in ENTITY_DOCS.items():
        triples = _entity_triples(loaded, base + rel)
        assert triples, rel
        for ext in exts:
            path = root / (rel + ext)
            path.parent.mkdir(parents=True, exist_ok=True)
            if ext == ".html":
                path.write_text(f"<!DOCTYPE html><html><head><title>{rel}</title></head>"
                                f"<body><h1>{base + rel}</h1></body></html>", encoding="utf-8")
            else:
                path.write_bytes(ox.serialize(triples, format=formats[ext]))
    (root / "index.html").write_text("<!DOCTYPE html><html lang=fi><body>AKKE-verkko</body></html>")
    (root / "index.en.html").write_text("<!DOCTYPE html><html lang=en><body>AKKE graph</body></html>")
    (root / "ontology").mkdir()
    (root / "ontology/index.html").write_text("<!DOCTYPE html><html><body>ontology</body></html>")
    (root / "ontology/akke.ttl").write_bytes(
        loaded.store.dump("turtle", graph=base + "graph/ontology/akke"))
    (root / "dumps").mkdir()
    (root / "dumps/akke-graph.trig").write_bytes(loaded.store.dump("trig"))
    (root / "catalog.ttl").write_text(
        f"<{base}catalog> a <http://www.w3.org/ns/dcat#Catalog> ;\n"
        f'  <http://purl.org/dc/terms/title> "AKKE-tietoverkko"@fi, "Åbo – Turku"@sv .\n',
        encoding="utf-8")
    (root / "queries").mkdir()
    (root / "queries/queries.ttl").write_bytes(
        ox.serialize(queries_as_rdf(loaded.config, base), format=ox.RdfFormat.TURTLE))
    (root / "img").mkdir()
    (root / "img/ecosystem.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "release.json").write_text(json.dumps({"version": "test", "base_iri": base}))
    return root


@pytest.fixture(scope="module")
def service(validated: LoadedGraph, release_dir: Path):
    """``akke-graph serve`` in-process on a free port, with a 3 s query timeout."""
    from akke_graph.serve import SparqlService

    log = io.StringIO()
    svc = SparqlService.from_loaded(validated, release=release_dir, port=0, timeout_s=3.0, log=log)
    svc.log_buffer = log  # type: ignore[attr-defined]
    with svc:
        yield svc


@pytest.fixture(scope="module")
def patient_service(validated: LoadedGraph, release_dir: Path):
    """The same service with a timeout no answer of the tests comes near, for tests that need an
    answer to finish on a busy machine."""
    from akke_graph.serve import SparqlService

    with SparqlService.from_loaded(validated, release=release_dir, port=0, timeout_s=600.0,
                                   log=io.StringIO()) as svc:
        yield svc


def ontology_graph(loaded: LoadedGraph) -> str:
    return next(g for g, f in loaded.files.items() if not f.is_data)


@pytest.fixture(scope="session")
def published_release(tmp_path_factory: pytest.TempPathFactory, validated: LoadedGraph,
                      seed_loaded: LoadedGraph) -> Path:
    """A release written by publish itself (pages, queries page, .htaccess, nginx.conf), of the
    seed project: how a release is served does not depend on the imported records."""
    from akke_graph.publish import PublishOptions, publish

    out = tmp_path_factory.mktemp("published") / "release"
    publish(seed_loaded.config, PublishOptions(out=out, lang="en", version="test"))
    return out


@pytest.fixture(scope="session")
def seed_validated(seed_loaded: LoadedGraph) -> LoadedGraph:
    """The seed project's graph (tests/conftest.py), once the validation gate exists: for push
    tests whose property is about the push, not the shipped data."""
    pytest.importorskip("akke_graph.shacl.validate", reason=NO_VALIDATE)
    return seed_loaded


@pytest.fixture(scope="session")
def version_b(loaded: LoadedGraph) -> OxigraphStore:
    return second_version(loaded)


@pytest.fixture(scope="session")
def seed_version_b(seed_loaded: LoadedGraph) -> OxigraphStore:
    return second_version(seed_loaded)


def second_version(loaded: LoadedGraph) -> OxigraphStore:
    """A second version of the graph: one triple fewer in the first graph, one more in the
    ontology's (which holds blank nodes)."""
    store = OxigraphStore()
    store.add(loaded.store.quads())
    graphs = store.graphs()
    first = next(iter(store.quads(graphs[0])))
    store.remove([first])
    store.add([ox.Quad(ox.NamedNode("urn:test:version"), ox.NamedNode("urn:test:is"),
                       ox.Literal("B"), ox.NamedNode(ontology_graph(loaded)))])
    return store


@pytest.fixture()
def fault_proxy(oxigraph_server: OxigraphServer) -> Iterator[Callable[..., FaultProxy]]:
    """Factory: a proxy in front of the test's Oxigraph server; all closed at the end."""
    made: list[FaultProxy] = []

    def make(**kwargs: object) -> FaultProxy:
        proxy = FaultProxy("127.0.0.1", oxigraph_server.port, **kwargs)  # type: ignore[arg-type]
        made.append(proxy)
        return proxy

    yield make
    for proxy in made:
        try:
            proxy.close()
        except OSError:
            pass


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A private Virtuoso on loopback, started once for the session."""
    if not (VIRTUOSO and ISQL):
        pytest.skip(MISSING)
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def broken_project(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Path:
    """A copy of the project whose data/ holds one file that violates the shapes."""
    import shutil

    root = tmp_path_factory.mktemp("broken-project")
    shutil.copy(project_root / "pyproject.toml", root / "pyproject.toml")
    for folder in ("ontology", "shapes", "data", "queries"):
        shutil.copytree(project_root / folder, root / folder)
    shutil.copy(project_root / "tests/cases/invalid/agreement-one-party.ttl", root / "data")
    return root
