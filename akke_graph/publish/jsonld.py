"""JSON-LD that people can read: compact IRIs (``dcterms:title``, ``organisation:turun-kaupunki``)
through a context of the graph's prefixes, one node object per subject.

pyoxigraph's JSON-LD writer only writes expanded JSON-LD (full IRIs as keys); this writer is the
small part needed on top. The context is written into each document as well as shipped as
``dumps/context.jsonld``, so that every document parses offline.
"""

from __future__ import annotations

import io
import json
from typing import IO, Iterable, Iterator

import pyoxigraph as ox

from akke_graph.terms import RDF, XSD

RDF_TYPE = RDF + "type"


def context(prefixes: dict[str, str]) -> dict[str, object]:
    """The JSON-LD context: one prefix definition per namespace (all end in ``/`` or ``#``)."""
    return {"@context": dict(sorted(prefixes.items()))}


class Compactor:
    """Writes IRIs as ``prefix:local`` where a namespace of the context fits (the longest one),
    and remembers which prefixes it used (for a document's own, minimal context). One compactor
    can serve many documents: its cache is what makes thousands of entity files cheap."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self.by_namespace = {ns: prefix for prefix, ns in prefixes.items()}
        self.cache: dict[str, tuple[str, str | None]] = {}
        self.used: set[str] = set()

    def __call__(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is None:
            found = self.cache[iri] = self._compact(iri)
        if found[1] is not None:
            self.used.add(found[1])
        return found[0]

    def _compact(self, iri: str) -> tuple[str, str | None]:
        # Every namespace ends in "/" or "#": try the cuts at those characters, longest first.
        cut = len(iri)
        while cut > 0:
            cut = max(iri.rfind("/", 0, cut), iri.rfind("#", 0, cut))
            if cut < 0:
                break
            prefix = self.by_namespace.get(iri[: cut + 1])
            local = iri[cut + 1:]
            if prefix is not None and local and not local.startswith("//"):
                return f"{prefix}:{local}", prefix
        return iri, None

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


def node_objects(triples: Iterable[ox.Triple], compactor: Compactor) -> Iterator[dict[str, object]]:
    """One node object per run of triples with the same subject (the input is grouped by subject)."""
    c = compactor
    node: dict[str, object] | None = None
    subject: object = None
    for t in triples:
        if node is None or t.subject != subject:
            if node is not None:
                yield node
            subject, node = t.subject, {"@id": c.node(t.subject)}
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(c(t.object.value))  # type: ignore[union-attr]
        else:
            node.setdefault(c(t.predicate.value), []).append(c.value(t.object))  # type: ignore[union-attr]
    if node is not None:
        yield node


def write_jsonld(triples: Iterable[ox.Triple], prefixes: dict[str, str] | Compactor, handle: IO[bytes], *,
                 full_context: bool = True) -> None:
    """A JSON-LD document with the context inline and one node object per subject, one per line
    (readable, diff-friendly, streamed, and written by the fast C encoder). With
    ``full_context=False`` the context names only the prefixes the document uses."""
    compactor = prefixes if isinstance(prefixes, Compactor) else Compactor(prefixes)
    compactor.used = set()
    if full_context:
        handle.write(_head(compactor.prefixes))
    body = []
    for i, node in enumerate(node_objects(triples, compactor)):
        line = ("" if i == 0 else ",\n") + json.dumps(node, ensure_ascii=False)
        if full_context:
            handle.write(line.encode("utf-8"))
        else:
            body.append(line)
    if not full_context:   # the context is known only once every IRI has been compacted
        handle.write(_head({p: compactor.prefixes[p] for p in compactor.used}))
        handle.write("".join(body).encode("utf-8"))
    handle.write(b"\n]}\n")


def _head(prefixes: dict[str, str]) -> bytes:
    return (json.dumps(context(prefixes), ensure_ascii=False, indent=2)[:-2] + ',\n  "@graph": [\n').encode("utf-8")


def to_jsonld(triples: Iterable[ox.Triple], prefixes: dict[str, str] | Compactor, *, full_context: bool = True) -> bytes:
    """:func:`write_jsonld` into bytes."""
    buffer = io.BytesIO()
    write_jsonld(triples, prefixes, buffer, full_context=full_context)
    return buffer.getvalue()
