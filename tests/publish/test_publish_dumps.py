"""Every dump of a release parses back to the same graph, with rdflib and with pyoxigraph; the
dumps are in a stable order; the JSON-LD reads with a context of readable keys; the TriG keeps one
named graph per source file with its provenance."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import IsomorphicGraph, to_isomorphic

from akke_graph.publish.dumps import CONTEXT_PATH, DUMPS
from akke_graph.terms import PROV, to_rdflib


pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}
OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
              "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG}


def expected_graph(loaded) -> rdflib.Graph:
    """The union of every named graph the loader built from ontology/ and data/ (not the
    statistics graph: counts, not data)."""
    graph = rdflib.Graph()
    for name in loaded.files:
        for q in loaded.store.quads(name):
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def digest(graph: rdflib.Graph) -> int:
    """rdflib's canonical hash of a graph, blank nodes included: two graphs are isomorphic when
    their digests are equal (what ``rdflib.compare.isomorphic`` compares)."""
    return to_isomorphic(graph).graph_digest()


@pytest.fixture(scope="module")
def expected(loaded) -> rdflib.Graph:
    return expected_graph(loaded)


@pytest.fixture(scope="module")
def expected_digest(expected: rdflib.Graph) -> int:
    """The expected graph's digest, computed once for every dump compared with it."""
    return digest(expected)


@pytest.mark.parametrize("fmt", DUMPS, ids=lambda f: f.key)
def test_dump_parses_back_isomorphic_with_rdflib(release: Path, expected: rdflib.Graph, expected_digest: int,
                                                fmt) -> None:
    path = release / fmt.path
    if fmt.key == "trig":
        dataset = rdflib.Dataset()
        dataset.parse(path, format="trig")
        parsed = IsomorphicGraph()
        for s, p, o, _ in dataset.quads():
            parsed.add((s, p, o))
    else:
        parsed = IsomorphicGraph().parse(path, format=RDFLIB_FORMATS[fmt.key])
    assert len(parsed) == len(expected)
    assert digest(parsed) == expected_digest


@pytest.mark.parametrize("fmt", DUMPS, ids=lambda f: f.key)
def test_dump_parses_back_isomorphic_with_pyoxigraph(release: Path, expected_digest: int, fmt) -> None:
    quads = list(ox.parse(path=str(release / fmt.path), format=OX_FORMATS[fmt.key]))
    store = ox.Store()
    store.extend(quads)
    parsed = IsomorphicGraph()
    for q in quads:
        parsed.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    assert digest(parsed) == expected_digest
    assert len(store) == len(quads)


def test_ntriples_are_sorted_and_distinct(release: Path) -> None:
    lines = (release / "dumps/akke-graph.nt").read_bytes().splitlines()
    assert lines == sorted(set(lines))


def test_turtle_is_readable(release: Path) -> None:
    text = (release / "dumps/akke-graph.ttl").read_text(encoding="utf-8")
    assert "@prefix dcterms: <http://purl.org/dc/terms/> ." in text
    prefixes = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes)
    # One block per subject: the project's title and partners sit under one subject line.
    block = text.split("\nproject:akke-turku a ", 1)[1].split("\n\n", 1)[0]
    assert "dcterms:title" in block and "frapo:isFundedBy" in block


def test_jsonld_keys_are_readable_with_a_context(release: Path) -> None:
    doc = json.loads((release / "dumps/akke-graph.jsonld").read_text(encoding="utf-8"))
    context = json.loads((release / CONTEXT_PATH).read_text(encoding="utf-8"))
    assert doc["@context"] == context["@context"]
    assert context["@context"]["dcterms"] == "http://purl.org/dc/terms/"
    project = next(n for n in doc["@graph"] if n["@id"] == "project:akke-turku")
    assert "dcterms:title" in project and "org:OrganizationalCollaboration" in project["@type"]


def test_trig_keeps_one_named_graph_per_source_file_with_its_sources(release: Path, loaded) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(release / "dumps/akke-graph.trig", format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert graphs == set(loaded.files)
    for graph, source in loaded.files.items():
        if source.is_data:
            named = dataset.graph(rdflib.URIRef(graph))
            assert list(named.objects(rdflib.URIRef(graph), rdflib.URIRef(PROV + "wasDerivedFrom"))), graph


def test_ontology_and_shapes_ship_as_their_own_files(release: Path, config) -> None:
    for folder, target in ((config.ontology_dir, "ontology"), (config.shapes_dir, "shapes")):
        for source in folder.glob("*.ttl"):
            copy = release / target / source.name
            assert copy.read_bytes() == source.read_bytes()
            assert list(ox.parse(path=str(copy), format=ox.RdfFormat.TURTLE))


@pytest.mark.parametrize("store", ["memory", "oxigraph:DIR"])
def test_both_store_backends_publish_the_same_release(release: Path, config, tmp_path: Path, store: str) -> None:
    """rdflib in memory and Oxigraph on disk give the very release the default store gives (every
    file but the manifest's timings); a store folder used a second time too."""
    import gc

    from .conftest import _publish, content

    spec = store.replace("DIR", str(tmp_path / "store"))
    for run in ("first", "again"):
        out = tmp_path / run
        gc.collect()   # the validation engine's reference cycle may still hold the store folder open
        _publish(config, out, store=spec, version="1.0.0")
        assert content(out) == content(release), (store, run)
        if store == "memory":
            break
