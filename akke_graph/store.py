"""One interface over two embedded stores: pyoxigraph (default, fast, in memory or on disk) and
rdflib in memory (small graphs, the full rdflib API).

Terms crossing this interface are pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``):
one term model for the whole package, cheap to create, and what the fast paths need anyway.
Every query sees the union of all named graphs as its default graph; ``GRAPH ?g`` still reaches
each file's own graph.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Union

import pyoxigraph as ox

from akke_graph.errors import ConfigError, QueryError
from akke_graph.written import WrittenLiterals, may_hold_rewritten

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal]
Row = dict[str, Term]

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


class Store(ABC):
    """A quad store that answers SPARQL with the union of its named graphs as default graph."""

    kind: str = "abstract"

    @abstractmethod
    def load(self, data: bytes, fmt: str, graph: str, base_iri: str) -> None:
        """Parse ``data`` into named graph ``graph``; raises ``SyntaxError`` with a line number."""

    @abstractmethod
    def add(self, quads: Iterable[ox.Quad]) -> None: ...

    @abstractmethod
    def remove_graph(self, graph: str) -> None: ...

    @abstractmethod
    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]: ...

    @abstractmethod
    def graphs(self) -> list[str]: ...

    def written_quads(self) -> Iterator[ox.Quad]:
        """Every quad with its literal as written (a store that rewrites none: :meth:`quads`)."""
        return self.quads()

    def written_triples(self) -> dict[ox.Triple, tuple[ox.Literal, ...]]:
        """The union graph's triples the store holds with a rewritten literal, and the literals
        written there (see :meth:`akke_graph.written.WrittenLiterals.triples`)."""
        return {}

    @abstractmethod
    def _query(self, sparql: str, substitutions: Mapping[str, Term] | None) -> object: ...

    def select(self, sparql: str, substitutions: Mapping[str, Term] | None = None) -> list[Row]:
        """Rows of a SELECT query as ``{variable: term}`` (unbound variables left out)."""
        result = self._query(sparql, substitutions)
        if not isinstance(result, list) or (result and not isinstance(result[0], dict)):
            raise QueryError("not a SELECT query")
        return result

    def ask(self, sparql: str, substitutions: Mapping[str, Term] | None = None) -> bool:
        result = self._query(sparql, substitutions)
        if not isinstance(result, bool):
            raise QueryError("not an ASK query")
        return result

    def construct(self, sparql: str, substitutions: Mapping[str, Term] | None = None) -> list[ox.Triple]:
        result = self._query(sparql, substitutions)
        if not isinstance(result, list) or (result and not isinstance(result[0], ox.Triple)):
            raise QueryError("not a CONSTRUCT or DESCRIBE query")
        return result

    def query(self, sparql: str, substitutions: Mapping[str, Term] | None = None) -> list[Row] | list[ox.Triple] | bool:
        """Run any query: rows for SELECT, triples for CONSTRUCT/DESCRIBE, a bool for ASK."""
        return self._query(sparql, substitutions)  # type: ignore[return-value]

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        """Serialise one graph (as triples) or the whole dataset (as quads, for nquads/trig)."""
        target = FORMATS[fmt]
        if graph is None and target in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return ox.serialize(self.quads(), format=target)
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in self.quads(graph))
        return ox.serialize(triples, format=target)


class OxigraphStore(Store):
    """pyoxigraph's Rust store: in memory by default, on disk with ``location``. It rewrites some
    literals (see :mod:`akke_graph.written`) and records what was written for those it loads or
    is given; the record lives with this object, not on disk."""

    kind = "oxigraph"

    def __init__(self, location: Path | None = None) -> None:
        self.location = location
        self.store = ox.Store(str(location)) if location else ox.Store()
        self.written = WrittenLiterals()

    def load(self, data: bytes, fmt: str, graph: str, base_iri: str) -> None:
        target = ox.NamedNode(graph)
        if not may_hold_rewritten(data, fmt):
            self.store.load(data, format=FORMATS[fmt], base_iri=base_iri, to_graph=target)
            return
        quads = ox.parse(data, format=FORMATS[fmt], base_iri=base_iri)
        self.add(q if not isinstance(q.graph_name, ox.DefaultGraph) else
                 ox.Quad(q.subject, q.predicate, q.object, target) for q in quads)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self.store.extend(self.written.recording(quads))

    def remove_graph(self, graph: str) -> None:
        node = ox.NamedNode(graph)
        if self.store.contains_named_graph(node):
            self.store.remove_graph(node)
        self.written.forget(node)

    def written_quads(self) -> Iterator[ox.Quad]:
        return self.written.written(self.quads()) if self.written else self.quads()

    def written_triples(self) -> dict[ox.Triple, tuple[ox.Literal, ...]]:
        if not self.written:
            return {}
        return self.written.triples(lambda t: [q.graph_name for q in self.store.quads_for_pattern(
            t.subject, t.predicate, t.object, None)])  # type: ignore[arg-type]

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        return self.store.quads_for_pattern(None, None, None, ox.NamedNode(graph) if graph else None)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self.store)

    def _query(self, sparql: str, substitutions: Mapping[str, Term] | None) -> object:
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        try:
            result = self.store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)
        except SyntaxError as exc:
            raise QueryError(f"the query does not parse: {exc.msg if hasattr(exc, 'msg') else exc}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"the query failed: {exc}") from None
        if isinstance(result, (bool, ox.QueryBoolean)):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            # zip over the solution, not s[name]: looking a value up by name costs three times more
            return [{n: v for n, v in zip(names, s) if v is not None} for s in result]
        return list(result)

    def dump(self, fmt: str, graph: str | None = None) -> bytes:
        target = FORMATS[fmt]
        if graph is None and target in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return self.store.dump(format=target)
        if graph is None:
            return ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in self.quads()), format=target)
        return self.store.dump(format=target, from_graph=ox.NamedNode(graph))


class RdflibStore(Store):
    """rdflib's in-memory Dataset, for small graphs and for code that needs the rdflib API."""

    kind = "memory"

    def __init__(self) -> None:
        from rdflib import Dataset

        self.dataset = Dataset(default_union=True)

    def load(self, data: bytes, fmt: str, graph: str, base_iri: str) -> None:
        # Parse with oxigraph (same syntax rules and error positions as the default store), then
        # copy: the two backends then hold exactly the same terms.
        quads = ox.parse(data, format=FORMATS[fmt], base_iri=base_iri)
        g = ox.NamedNode(graph)
        self.add(ox.Quad(q.subject, q.predicate, q.object, g) for q in quads)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        from akke_graph.terms import to_rdflib

        for q in quads:
            ctx = self.dataset.graph(to_rdflib(q.graph_name))
            ctx.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))

    def remove_graph(self, graph: str) -> None:
        from rdflib import URIRef

        self.dataset.remove_graph(URIRef(graph))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        from rdflib import URIRef

        from akke_graph.terms import from_rdflib

        ctx = URIRef(graph) if graph else None
        for s, p, o, g in self.dataset.quads((None, None, None, ctx)):
            gid = getattr(g, "identifier", g)
            yield ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), from_rdflib(gid))

    def graphs(self) -> list[str]:
        from rdflib import URIRef

        return sorted(str(g.identifier) for g in self.dataset.graphs()
                      if isinstance(g.identifier, URIRef) and len(g))

    def _query(self, sparql: str, substitutions: Mapping[str, Term] | None) -> object:
        from akke_graph.terms import from_rdflib, to_rdflib

        bindings = {k: to_rdflib(v) for k, v in (substitutions or {}).items()}
        try:
            result = self.dataset.query(sparql, initBindings=bindings)
        except Exception as exc:  # pyparsing and rdflib raise assorted types
            raise QueryError(f"the query does not parse or failed: {exc}") from None
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type == "SELECT":
            names = [str(v) for v in result.vars]
            return [{n: from_rdflib(row[i]) for i, n in enumerate(names) if row[i] is not None}
                    for row in result]
        return [ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in result]


def open_store(spec: str = "oxigraph") -> Store:
    """A store from a ``--store`` value: ``memory``, ``oxigraph`` or ``oxigraph:DIR``."""
    if spec == "memory":
        return RdflibStore()
    if spec == "oxigraph":
        return OxigraphStore()
    if spec.startswith("oxigraph:") and len(spec) > len("oxigraph:"):
        folder = Path(spec.split(":", 1)[1])
        folder.mkdir(parents=True, exist_ok=True)
        return OxigraphStore(folder)
    raise ConfigError(f"unknown store {spec!r}", hint="use memory, oxigraph or oxigraph:DIR")


def parse_bytes(data: bytes, fmt: str, base_iri: str | None = None) -> list[ox.Quad]:
    """Parse a serialisation without a store (used for round-trip checks)."""
    return list(ox.parse(io.BytesIO(data), format=FORMATS[fmt], base_iri=base_iri))
