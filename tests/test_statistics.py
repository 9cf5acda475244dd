"""The statistics counted at load (akke_graph/statistics.py) equal a direct count of the data, on
every store, and the two statistics queries that read them answer what counting would; the
statistics graph counts nothing of itself, types nothing, is never stale on a store on disk, and
the validation does not see it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.config import Config, load_config
from akke_graph.load import LoadedGraph, load
from akke_graph.query import run_query
from akke_graph.shacl.validate import validate_graph
from akke_graph.statistics import statistics_graph
from akke_graph.synthetic.generate import DEFAULT_SEED, write_project
from akke_graph.terms import RDF_TYPE
from tests.conftest import copy_seed_project

SYNTHETIC_SIZE = 5_000   # some 40 files: several graphs per kind, and rdflib counts it in seconds


def direct_triples(loaded: LoadedGraph) -> list[tuple[str, int]]:
    """Triples per named graph counted over the data, as triples-per-graph once did."""
    rows = loaded.store.select(f"""SELECT ?graph (COUNT(*) AS ?triples) WHERE {{
        GRAPH ?graph {{ ?s ?p ?o }} FILTER(?graph != <{statistics_graph(loaded.config.base_iri)}>)
        }} GROUP BY ?graph ORDER BY ?graph""")
    return [(r["graph"].value, int(r["triples"].value)) for r in rows]


def direct_classes(loaded: LoadedGraph) -> list[tuple[str, int]]:
    """Distinct entities per class counted over the data, as entities-per-class once did."""
    rows = loaded.store.select(f"""SELECT ?class (COUNT(DISTINCT ?entity) AS ?entities) WHERE {{
        GRAPH ?g {{ ?entity a ?class }} FILTER(?g != <{statistics_graph(loaded.config.base_iri)}>)
        }} GROUP BY ?class ORDER BY DESC(?entities) ?class""")
    return [(str(r["class"]), int(r["entities"].value)) for r in rows]


def answered(loaded: LoadedGraph, name: str, key: str, value: str) -> list[tuple[str, int]]:
    rows = run_query(loaded, name).rows or []
    return [(str(r[key]) if key == "class" else r[key].value, int(r[value].value)) for r in rows]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Config:
    folder = tmp_path_factory.mktemp("statistics") / "synthetic"
    write_project(folder, SYNTHETIC_SIZE, DEFAULT_SEED)
    return load_config(folder)


@pytest.mark.parametrize("store", ["memory", "oxigraph", "oxigraph:DIR"])
@pytest.mark.parametrize("project", ["shipped", "synthetic"])
def test_statistics_equal_a_direct_count(project: str, store: str, config: Config, synthetic: Config,
                                         tmp_path: Path) -> None:
    chosen = config if project == "shipped" else synthetic
    loaded = load(chosen, store=store.replace("DIR", str(tmp_path / "store")))
    assert loaded.statistics is not None
    graphs = direct_triples(loaded)
    assert len(graphs) == len(loaded.files) > (1 if project == "shipped" else 30)
    assert answered(loaded, "triples-per-graph", "graph", "triples") == graphs
    assert sorted(loaded.statistics.triples.items()) == graphs
    assert graphs == [(g, sum(1 for _ in loaded.store.quads(g))) for g in sorted(loaded.files)]
    classes = direct_classes(loaded)
    assert answered(loaded, "entities-per-class", "class", "entities") == classes
    assert sorted((str(c), n) for c, n in loaded.statistics.classes.items()) == sorted(classes)
    assert len(loaded) == sum(n for _, n in graphs)   # the statistics graph is not data


def test_the_statistics_graph_counts_nothing_of_itself_and_types_nothing(loaded: LoadedGraph) -> None:
    assert loaded.statistics is not None
    graph = loaded.statistics.graph
    assert graph == "https://w3id.org/akke/graph/statistics" and graph in loaded.store.graphs()
    assert graph not in loaded.statistics.triples and graph not in loaded.files
    quads = list(loaded.store.quads(graph))
    assert sorted(map(str, quads)) == sorted(map(str, loaded.statistics.quads()))
    assert not [q for q in quads if q.predicate == RDF_TYPE]
    # every subject is its own: nothing starting from the data reaches it
    assert {q.subject.value.split("#")[0] for q in quads if isinstance(q.subject, ox.NamedNode)} == {graph}
    assert not [q for q in quads if not isinstance(q.subject, ox.NamedNode)]


def test_a_store_on_disk_is_counted_again_when_loaded_again(tmp_path: Path) -> None:
    """On a copy of the seed project: when counts are made again does not depend on the
    imported records."""
    project = copy_seed_project(tmp_path / "project")
    spec = f"oxigraph:{tmp_path / 'store'}"
    first = load(load_config(project), store=spec)
    before = dict(first.statistics.triples) if first.statistics else {}
    del first
    roles = project / "data" / "roles.ttl"
    roles.write_text(roles.read_text(encoding="utf-8") + "\n<https://w3id.org/akke/id/role/funder> "
                     "<http://www.w3.org/2000/01/rdf-schema#comment> \"one more\"@en .\n", encoding="utf-8")
    again = load(load_config(project), store=spec)
    assert again.statistics is not None
    graph = again.config.graph_iri(roles)
    assert again.statistics.triples[graph] == before[graph] + 1
    assert answered(again, "triples-per-graph", "graph", "triples") == direct_triples(again)
    assert sum(1 for _ in again.store.quads(again.statistics.graph)) == len(again.statistics.quads())
    del again
    unstated = load(load_config(project), store=spec, statistics=False)
    assert unstated.statistics is None   # no counts, and no old ones left behind either
    assert statistics_graph(unstated.config.base_iri) not in unstated.store.graphs()
    assert run_query(unstated, "triples-per-graph").rows == []


def test_the_validation_does_not_see_the_statistics(tmp_path: Path) -> None:
    """The same results, one by one, with and without the statistics graph, on a graph with an
    injected violation of every kind the shapes check."""
    folder = tmp_path / "violations"
    write_project(folder, 7_000, DEFAULT_SEED, violations=True)
    config = load_config(folder)
    counted = sorted(r.key() for r in validate_graph(load(config)).outcome.results)
    uncounted = sorted(r.key() for r in validate_graph(load(config, statistics=False)).outcome.results)
    assert counted and counted == uncounted
