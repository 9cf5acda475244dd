"""Reading graphs back from a store by SPARQL queries, and comparing them up to blank nodes."""

from __future__ import annotations

import httpx
import pyoxigraph as ox

from akke_graph.store import Store

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def select(query_url: str, query: str) -> list[dict[str, str]]:
    response = httpx.post(query_url, data={"query": query}, timeout=30,
                          headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def counts(query_url: str, graphs: list[str] | None = None) -> dict[str, int]:
    """Triples per named graph (only ``graphs`` if given), by one query: one snapshot."""
    values = f"VALUES ?g {{ {' '.join(f'<{g}>' for g in graphs)} }}" if graphs else ""
    rows = select(query_url, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }} "
                             "GROUP BY ?g")
    return {r["g"]: int(r["n"]) for r in rows}


def graph_triples(query_url: str, graph: str) -> list[ox.Triple]:
    """One named graph as the store holds it, by a CONSTRUCT query."""
    response = httpx.post(query_url, timeout=30, headers={"Accept": "text/turtle"}, data={
        "query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
    response.raise_for_status()
    return [ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE)]


def canonical(triples) -> set[str]:
    """The triples with canonical blank-node labels: equal sets mean isomorphic graphs."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def store_graph(store: Store, graph: str) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(graph)]


def holds(query_url: str, store: Store) -> bool:
    """Whether the endpoint holds every named graph of ``store`` exactly (isomorphic)."""
    return all(canonical(graph_triples(query_url, g)) == canonical(store_graph(store, g))
               for g in store.graphs())
