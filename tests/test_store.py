"""The two store backends hold the same graph and answer queries the same way."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from akke_graph.errors import ConfigError, QueryError
from akke_graph.load import load
from akke_graph.store import OxigraphStore, RdflibStore, open_store

QUERIES = [
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?wp ?n WHERE { ?wp a <https://w3id.org/akke/ontology#WorkPackage> ; "
    "<http://www.w3.org/2004/02/skos/core#notation> ?n } ORDER BY ?n ?wp",
    "SELECT ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = 'fi') } ORDER BY ?l",
]


@pytest.fixture(scope="module")
def both(config):
    return load(config, store="oxigraph"), load(config, store="memory")


def test_same_quads(both) -> None:
    ox_graph, mem_graph = both
    def ground(quads):
        return {q for q in quads if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}

    assert ground(ox_graph.store.quads()) == ground(mem_graph.store.quads())
    assert len(ox_graph.store) == len(mem_graph.store) > 700
    assert ox_graph.store.graphs() == mem_graph.store.graphs()


@pytest.mark.parametrize("query", QUERIES)
def test_same_select_results(both, query: str) -> None:
    ox_graph, mem_graph = both
    assert ox_graph.store.select(query) == mem_graph.store.select(query)


def test_substitutions_and_ask(both) -> None:
    node = ox.NamedNode("https://w3id.org/akke/id/project/akke-turku")
    for graph in both:
        rows = graph.store.select("SELECT ?s ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t FILTER(lang(?t) = 'en') }",
                                  {"s": node})
        assert [r["t"].value for r in rows] == ["AKKE – Development of regional ecosystems in the Turku region"]
        assert graph.store.ask("ASK { ?s a <https://w3id.org/akke/ontology#WorkPackage> }")


def test_construct_and_dump_round_trip(both) -> None:
    for graph in both:
        triples = graph.store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s a <http://xmlns.com/foaf/0.1/Person> ; ?p ?o }")
        assert len(triples) == 4 * 5  # type, name, given name, family name, organisation
        for fmt in ("nquads", "trig"):
            again = OxigraphStore()
            again.add(ox.parse(graph.store.dump(fmt), format={"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[fmt]))
            assert len(again) == len(graph.store)


def test_on_disk_store(tmp_path, config) -> None:
    graph = load(config, store=f"oxigraph:{tmp_path / 'store'}")
    assert len(graph.store) > 700 and (tmp_path / "store").is_dir()


def test_bad_query_is_a_query_error(both) -> None:
    for graph in both:
        with pytest.raises(QueryError):
            graph.store.select("SELECT WHERE {")


def test_unknown_store_spec() -> None:
    with pytest.raises(ConfigError):
        open_store("postgres")
    assert isinstance(open_store("memory"), RdflibStore)


@pytest.mark.parametrize("spec", ["memory", "oxigraph", "oxigraph:DIR"])
def test_one_interface_on_every_backend(spec: str, tmp_path) -> None:
    """What publish, serve and validate ask of a store, answered alike by each backend."""
    store = open_store(spec.replace("DIR", str(tmp_path / "store")))
    a, p, b = ox.NamedNode("urn:x:a"), ox.NamedNode("urn:x:p"), ox.BlankNode("b1")
    one, two = ox.NamedNode("urn:g:1"), ox.NamedNode("urn:g:2")
    quads = [ox.Quad(a, p, b, one), ox.Quad(b, p, ox.Literal("x"), two), ox.Quad(a, p, ox.Literal("d"), ox.DefaultGraph())]
    store.add(quads)
    assert store.graphs() == ["urn:g:1", "urn:g:2"] and store.has_default_graph() and len(store) == 3
    assert set(store.quads_matching(subject=a)) == {quads[0], quads[2]}
    assert set(store.quads_matching(object=b)) == {quads[0]}
    assert set(store.quads_matching(predicate=p, graph="urn:g:2")) == {quads[1]}
    assert list(store.quads(ox.DefaultGraph())) == [quads[2]]
    assert store.dump("nt", ox.DefaultGraph()) == b'<urn:x:a> <urn:x:p> "d" .\n'
    store.dump_to(tmp_path / "all.nq", "nquads")
    assert set(ox.parse(path=str(tmp_path / "all.nq"), format=ox.RdfFormat.N_QUADS)) == set(quads)
    assert store.in_memory == (spec != "oxigraph:DIR")
    copy = store.as_oxigraph()
    assert (copy is store) == spec.startswith("oxigraph") and set(copy.quads()) == set(quads)
    store.remove(store.quads_matching(object=b))
    store.remove_graph(ox.DefaultGraph())
    assert set(store.quads()) == {quads[1]} and not store.has_default_graph()
