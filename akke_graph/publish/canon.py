"""Stable blank-node labels, so that two releases of the same graph serialise identically.

Oxigraph and rdflib give blank nodes random labels on every parse; a dump whose labels change from
run to run cannot be diffed. Each blank node is relabelled from a hash of its neighbourhood (a few
rounds of colour refinement, the idea behind RDF canonicalisation), which is enough for the trees
of blank nodes that Turtle's ``[ ]`` and ``( )`` produce.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Iterable, Sequence, overload

import pyoxigraph as ox

ROUNDS = 4


def _key(term: object, colour: dict[str, str]) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + colour.get(term.value, "")
    return str(term)


def canonical_labels(statements: Sequence[ox.Quad | ox.Triple]) -> dict[str, str]:
    """A map from each blank node id in ``statements`` to a label derived from its content."""
    edges: dict[str, list[tuple[str, object, object, object]]] = defaultdict(list)
    for st in statements:
        graph = getattr(st, "graph_name", None)
        graph = graph if isinstance(graph, (ox.NamedNode, ox.BlankNode)) else None
        if isinstance(st.subject, ox.BlankNode):
            edges[st.subject.value].append(("out", st.predicate, st.object, graph))
        if isinstance(st.object, ox.BlankNode):
            edges[st.object.value].append(("in", st.predicate, st.subject, graph))
    if not edges:
        return {}
    colour = {b: "" for b in edges}
    for _ in range(ROUNDS):
        colour = {b: hashlib.sha256("\n".join(sorted(
                      f"{d} {p} {_key(o, colour)} {g}" for d, p, o, g in es)).encode("utf-8")).hexdigest()[:16]
                  for b, es in edges.items()}
    labels: dict[str, str] = {}
    seen: dict[str, int] = defaultdict(int)
    for b in sorted(edges, key=lambda b: (colour[b], b)):
        n = seen[colour[b]]
        seen[colour[b]] += 1
        labels[b] = f"b{colour[b]}" + (f"x{n}" if n else "")
    return labels


Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@overload
def relabel(term: Subject, labels: dict[str, str]) -> Subject: ...


@overload
def relabel(term: Object, labels: dict[str, str]) -> Object: ...


def relabel(term: Object, labels: dict[str, str]) -> Object:
    """``term`` with its blank-node label replaced from ``labels`` (other terms as they are)."""
    if isinstance(term, ox.BlankNode) and term.value in labels:
        return ox.BlankNode(labels[term.value])
    return term


def canonical_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples with stable blank-node labels."""
    triples = list(triples)
    labels = canonical_labels(triples)
    if not labels:
        return triples
    return [ox.Triple(relabel(t.subject, labels), t.predicate, relabel(t.object, labels))
            for t in triples]
