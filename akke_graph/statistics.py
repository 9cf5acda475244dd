"""The graph's statistics, counted once when it is loaded and kept in the store as a named graph
of VoID statements, so that the statistics queries read a few rows instead of the whole graph.

Counting every triple of a graph of a million takes Oxigraph a third of a second or more;
reading the counts back takes a few milliseconds. :func:`akke_graph.load.load` counts, after the
files are in the store: the triples of each named graph (one pass over every quad) and the
distinct entities of each class (the ``rdf:type`` rows only), and writes them into the graph
``{base}graph/statistics``::

    <…/graph/statistics#dataset> void:subset <…#graph-H> ; void:classPartition <…#class-H> .
    <…#graph-H> sd:name <named graph> ; void:triples 155 .
    <…#class-H> void:class <class> ; void:entities 23 .

Every subject is minted in the statistics graph's own namespace (``H`` is a hash of the graph or
class, so the same graph keeps the same node from load to load, and a push sends only the counts
that changed) and nothing in it has an ``rdf:type``: no shape targets it and no query that starts
from the data reaches it. It is not counted in itself. The release's VoID reuses the counts
(:mod:`akke_graph.publish.void`: entities per class, and triples per file's graph for its subsets)
and leaves the graph out of the dumps; ``serve`` and ``push`` carry it with the other graphs.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from akke_graph.store import Store, Term
from akke_graph.terms import VOID, XSD

SD = "http://www.w3.org/ns/sparql-service-description#"
GRAPH_PATH = "graph/statistics"   # below the base IRI, beside the files' graphs (graph/data/…)

TRIPLES_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
ENTITIES_PER_CLASS = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"


def statistics_graph(base_iri: str) -> str:
    """The IRI of the statistics graph of a project under ``base_iri``."""
    return base_iri + GRAPH_PATH


@dataclass(frozen=True)
class GraphStatistics:
    """The counts, as :func:`count` made them: the statistics graph's IRI, the triples of every
    other named graph, the distinct entities of each class (over the union of the graphs), and
    how long counting took."""

    graph: str
    triples: dict[str, int]
    classes: dict[Term, int]
    seconds: float = field(default=0.0, compare=False)

    def quads(self) -> list[ox.Quad]:
        """The counts as VoID statements in the statistics graph."""
        g = ox.NamedNode(self.graph)
        dataset = ox.NamedNode(self.graph + "#dataset")
        quads = []

        def add(s: ox.NamedNode, p: str, o: Term) -> None:
            quads.append(ox.Quad(s, ox.NamedNode(p), o, g))

        for name, n in sorted(self.triples.items()):
            subset = ox.NamedNode(f"{self.graph}#graph-{_key(name)}")
            add(dataset, VOID + "subset", subset)
            add(subset, SD + "name", ox.NamedNode(name))
            add(subset, VOID + "triples", _integer(n))
        for cls, n in sorted(self.classes.items(), key=lambda item: str(item[0])):
            part = ox.NamedNode(f"{self.graph}#class-{_key(str(cls))}")
            add(dataset, VOID + "classPartition", part)
            add(part, VOID + "class", cls)
            add(part, VOID + "entities", _integer(n))
        return quads


def triples_per_graph(store: Store, graph: str) -> dict[str, int]:
    """The triples of every named graph of ``store`` but ``graph`` (the statistics graph)."""
    return {r["g"].value: int(r["n"].value) for r in store.select(TRIPLES_PER_GRAPH)
            if isinstance(r.get("g"), ox.NamedNode) and r["g"].value != graph}


def entities_per_class(store: Store) -> dict[Term, int]:
    """The distinct entities of each class, over the union of the graphs (the statistics graph
    types nothing)."""
    return {r["c"]: int(r["n"].value) for r in store.select(ENTITIES_PER_CLASS) if "c" in r}


def count(store: Store, graph: str) -> GraphStatistics:
    """Count ``store`` for its statistics graph ``graph`` (removed by the caller, or not yet
    written)."""
    started = time.perf_counter()
    triples = triples_per_graph(store, graph)
    classes = entities_per_class(store)
    return GraphStatistics(graph, triples, classes, time.perf_counter() - started)


def refresh(store: Store, base_iri: str) -> GraphStatistics:
    """Count ``store`` and replace its statistics graph with the counts."""
    graph = statistics_graph(base_iri)
    store.remove_graph(graph)
    stats = count(store, graph)
    store.add(stats.quads())
    return stats


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))
