"""JSON-LD that people can read: compact IRIs (``dcterms:title``, ``organisation:turun-kaupunki``)
through a context of the graph's prefixes, one node object per subject.

pyoxigraph's JSON-LD writer only writes expanded JSON-LD (full IRIs as keys); this writer is the
small part needed on top. The context is written into each document as well as shipped as
``dumps/context.jsonld``, so that every document parses offline.
"""

from __future__ import annotations

import json
from typing import Iterable

import pyoxigraph as ox

from akke_graph.terms import RDF, XSD

RDF_TYPE = RDF + "type"


def context(prefixes: dict[str, str]) -> dict[str, object]:
    """The JSON-LD context: one prefix definition per namespace (all end in ``/`` or ``#``)."""
    return {"@context": dict(sorted(prefixes.items()))}


class Compactor:
    """Writes IRIs as ``prefix:local`` where a namespace of the context fits."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.namespaces = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))

    def __call__(self, iri: str) -> str:
        for prefix, ns in self.namespaces:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def node(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self(term.value)

    def value(self, term: object) -> object:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == XSD + "string":
                return term.value
            return {"@value": term.value, "@type": self(term.datatype.value)}
        return {"@id": self.node(term)}  # type: ignore[arg-type]


def node_objects(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> list[dict[str, object]]:
    """Node objects in the order subjects first appear in ``triples``."""
    c = Compactor(prefixes)
    nodes: dict[object, dict[str, object]] = {}
    for t in triples:
        node = nodes.get(t.subject)
        if node is None:
            node = nodes[t.subject] = {"@id": c.node(t.subject)}
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(c(t.object.value))  # type: ignore[union-attr]
        else:
            node.setdefault(c(t.predicate.value), []).append(c.value(t.object))  # type: ignore[union-attr]
    return list(nodes.values())


def to_jsonld(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """A JSON-LD document with the context inline and one node object per subject."""
    doc = {**context(prefixes), "@graph": node_objects(triples, prefixes)}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
