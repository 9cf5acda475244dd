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
    """Writes IRIs as ``prefix:local`` where a namespace of the context fits (the longest one)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.by_namespace = {ns: prefix for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1]))}
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is None:
            found = self.cache[iri] = self._compact(iri)
        return found

    def _compact(self, iri: str) -> str:
        # Every namespace ends in "/" or "#": try the cuts at those characters, longest first.
        for cut in reversed([i for i, c in enumerate(iri) if c in "/#"]):
            prefix = self.by_namespace.get(iri[: cut + 1])
            local = iri[cut + 1:]
            if prefix is not None and local and not local.startswith("//"):
                return f"{prefix}:{local}"
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
    """A JSON-LD document with the context inline and one node object per subject, one per line
    (readable, diff-friendly, and written by the fast C encoder)."""
    head = json.dumps(context(prefixes), ensure_ascii=False, indent=2)[:-2]   # without the closing "\n}"
    nodes = ",\n".join(json.dumps(node, ensure_ascii=False) for node in node_objects(triples, prefixes))
    return (head + ',\n  "@graph": [\n' + nodes + "\n]}\n").encode("utf-8")
