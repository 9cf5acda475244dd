"""One store interface over two embedded backends: Oxigraph (pyoxigraph; the default, fast, in
memory or on disk) and rdflib (an in-memory ``Dataset``; ``--store memory``).

Both stay full stores. Oxigraph is the one to use; rdflib is kept as a second, independent SPARQL
engine: the tests run every canned query and the validation on both, which keeps the queries and
the SHACL compiler portable SPARQL, and small graphs need nothing more. Everything outside this
module — load, query, validate, publish, serve, push — uses only :class:`Store`'s operations,
never a backend's own objects; where speed needs Oxigraph (the native SHACL engine, the release
graph's lookups) a caller asks for :meth:`Store.as_oxigraph`, which is the store itself or an
in-memory Oxigraph copy.

Terms crossing this interface are pyoxigraph terms (``NamedNode``, ``BlankNode``, ``Literal``):
one term model for the whole package, cheap to create, and what the fast paths need anyway.
Every query sees the union of all named graphs as its default graph; ``GRAPH ?g`` still reaches
each file's own graph. A graph is named by its IRI (``str`` or ``NamedNode``) or is
``ox.DefaultGraph()``; ``None`` means every graph.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Union, cast

import pyoxigraph as ox

from akke_graph.errors import ConfigError, QueryError
from akke_graph.store_spec import StoreSpec

if TYPE_CHECKING:
    from rdflib import Dataset

Term = Union[ox.NamedNode, ox.BlankNode, ox.Literal]
Row = dict[str, Term]
GraphName = Union[str, ox.NamedNode, ox.DefaultGraph]
Subject = Union[ox.NamedNode, ox.BlankNode]

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}


def serialize(statements: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: ox.RdfFormat,
              prefixes: Mapping[str, str] | None = None) -> bytes:
    """Triples or quads serialised into bytes by Oxigraph."""
    return written(ox.serialize(statements, format=fmt, prefixes=dict(prefixes) if prefixes else None))


def written(data: bytes | None) -> bytes:
    """What an Oxigraph writer returns without an output file: bytes (its stub allows None,
    which it returns only after writing to a file)."""
    if data is None:
        raise TypeError("the Oxigraph writer was given an output file")
    return data


def graph_term(graph: GraphName) -> ox.NamedNode | ox.DefaultGraph:
    """A graph name as a pyoxigraph term."""
    return ox.NamedNode(graph) if isinstance(graph, str) else graph


class Store(ABC):
    """A quad store that answers SPARQL with the union of its named graphs as default graph."""

    kind: str = "abstract"
    parallel_queries = False   # queries run outside Python's lock: other threads go on meanwhile

    @abstractmethod
    def load(self, data: bytes, fmt: str, graph: str, base_iri: str) -> None:
        """Parse ``data`` into named graph ``graph``; raises ``SyntaxError`` with a line number."""

    @abstractmethod
    def add(self, quads: Iterable[ox.Quad]) -> None: ...

    @abstractmethod
    def remove(self, quads: Iterable[ox.Quad]) -> None:
        """Remove these quads (read whole first, so they may come from this store)."""

    @abstractmethod
    def remove_graph(self, graph: GraphName) -> None: ...

    @abstractmethod
    def quads_matching(self, subject: Subject | None = None, predicate: ox.NamedNode | None = None,
                       object: Term | None = None, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        """The quads that match a pattern (``None`` matches anything), answered from indexes."""

    def quads(self, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        """The quads of one graph, or of every graph."""
        return self.quads_matching(graph=graph)

    @abstractmethod
    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def has_default_graph(self) -> bool:
        """Whether the default graph (outside every named graph) holds any triple."""
        return next(iter(self.quads(ox.DefaultGraph())), None) is not None

    @property
    @abstractmethod
    def in_memory(self) -> bool:
        """Held in this process's memory only: changing it changes nothing another process or a
        later run sees (a store on disk is shared)."""

    def as_oxigraph(self) -> "OxigraphStore":
        """This store as Oxigraph: itself, or an in-memory Oxigraph copy (blank nodes kept)."""
        copy = OxigraphStore()
        copy.add(self.quads())
        return copy

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
        return cast("list[Row] | list[ox.Triple] | bool", self._query(sparql, substitutions))

    def __len__(self) -> int:
        return sum(1 for _ in self.quads())

    def dump(self, fmt: str, graph: GraphName | None = None) -> bytes:
        """Serialise one graph (as triples) or the whole dataset (as quads, for nquads/trig)."""
        target = FORMATS[fmt]
        if graph is None and target in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return serialize(self.quads(), target)
        return serialize((ox.Triple(q.subject, q.predicate, q.object) for q in self.quads(graph)), target)

    def dump_to(self, path: Path, fmt: str, graph: GraphName | None = None) -> None:
        """:meth:`dump` straight into a file."""
        path.write_bytes(self.dump(fmt, graph))


class OxigraphStore(Store):
    """pyoxigraph's Rust store: in memory by default, on disk with ``location``."""

    kind = "oxigraph"
    parallel_queries = True

    def __init__(self, location: Path | None = None) -> None:
        self.location = location
        self._store = ox.Store(str(location)) if location else ox.Store()

    def load(self, data: bytes, fmt: str, graph: str, base_iri: str) -> None:
        self._store.load(data, format=FORMATS[fmt], base_iri=base_iri, to_graph=ox.NamedNode(graph))

    def add(self, quads: Iterable[ox.Quad]) -> None:
        self._store.extend(quads)

    def remove(self, quads: Iterable[ox.Quad]) -> None:
        for quad in list(quads):
            self._store.remove(quad)

    def remove_graph(self, graph: GraphName) -> None:
        node = graph_term(graph)
        if isinstance(node, ox.DefaultGraph):
            self._store.clear_graph(node)
        elif self._store.contains_named_graph(node):
            self._store.remove_graph(node)

    def quads_matching(self, subject: Subject | None = None, predicate: ox.NamedNode | None = None,
                       object: Term | None = None, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        return self._store.quads_for_pattern(subject, predicate, object,
                                             None if graph is None else graph_term(graph))

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    @property
    def in_memory(self) -> bool:
        return self.location is None

    def as_oxigraph(self) -> "OxigraphStore":
        return self

    def __len__(self) -> int:
        return len(self._store)

    def _query(self, sparql: str, substitutions: Mapping[str, Term] | None) -> object:
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): v for k, v in (substitutions or {}).items()}
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)
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

    def dump(self, fmt: str, graph: GraphName | None = None) -> bytes:
        target = FORMATS[fmt]
        if graph is None and target in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return written(self._store.dump(format=target))
        if graph is None:
            return serialize((ox.Triple(q.subject, q.predicate, q.object) for q in self.quads()), target)
        return written(self._store.dump(format=target, from_graph=graph_term(graph)))

    def dump_to(self, path: Path, fmt: str, graph: GraphName | None = None) -> None:
        """Streamed by Oxigraph: a large graph never sits in memory as bytes."""
        target = FORMATS[fmt]
        if graph is None and target not in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            path.write_bytes(self.dump(fmt))
        else:
            self._store.dump(str(path), target, from_graph=None if graph is None else graph_term(graph))


class RdflibStore(Store):
    """rdflib's in-memory Dataset: the second SPARQL engine, for small graphs."""

    kind = "memory"

    def __init__(self) -> None:
        from rdflib import Dataset

        self.dataset: Dataset = Dataset(default_union=True)

    def load(self, data: bytes, fmt: str, graph: str, base_iri: str) -> None:
        # Parse with oxigraph (same syntax rules and error positions as the default store), then
        # copy: the two backends then hold exactly the same terms.
        quads = ox.parse(data, format=FORMATS[fmt], base_iri=base_iri)
        g = ox.NamedNode(graph)
        self.add(ox.Quad(q.subject, q.predicate, q.object, g) for q in quads)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        from akke_graph.terms import to_rdflib

        for q in quads:
            ctx = self.dataset.graph(_context(q.graph_name))
            ctx.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))

    def remove(self, quads: Iterable[ox.Quad]) -> None:
        from akke_graph.terms import to_rdflib

        for q in list(quads):
            ctx = self.dataset.graph(_context(q.graph_name))
            ctx.remove((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))

    def remove_graph(self, graph: GraphName) -> None:
        context = _context(graph_term(graph))
        if isinstance(graph_term(graph), ox.DefaultGraph):
            self.dataset.graph(context).remove((None, None, None))
        else:
            self.dataset.remove_graph(context)

    def quads_matching(self, subject: Subject | None = None, predicate: ox.NamedNode | None = None,
                       object: Term | None = None, graph: GraphName | None = None) -> Iterator[ox.Quad]:
        from akke_graph.terms import from_rdflib, to_rdflib

        pattern = (to_rdflib(subject), to_rdflib(predicate), to_rdflib(object))
        contexts = self.dataset.graphs() if graph is None else [self.dataset.graph(_context(graph_term(graph)))]
        for ctx in list(contexts):
            name = _graph_name(ctx.identifier)
            for s, p, o in ctx.triples(pattern):
                yield ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), name)

    def graphs(self) -> list[str]:
        from rdflib import URIRef
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        return sorted(str(g.identifier) for g in self.dataset.graphs()
                      if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID
                      and len(g))

    @property
    def in_memory(self) -> bool:
        return True

    def _query(self, sparql: str, substitutions: Mapping[str, Term] | None) -> object:
        from rdflib.query import ResultRow

        from akke_graph.terms import from_rdflib, to_rdflib

        bindings = {k: to_rdflib(v) for k, v in (substitutions or {}).items()}
        try:
            result = self.dataset.query(sparql, initBindings=bindings)
        except Exception as exc:  # pyparsing and rdflib raise assorted types
            raise QueryError(f"the query does not parse or failed: {exc}") from None
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type == "SELECT":
            names = [str(v) for v in result.vars or ()]
            return [{n: from_rdflib(row[i]) for i, n in enumerate(names) if row[i] is not None}
                    for row in result if isinstance(row, ResultRow)]
        return [ox.Triple(*(from_rdflib(term) for term in triple)) for triple in result
                if isinstance(triple, tuple)]


def _context(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> Any:
    """The rdflib identifier of a graph (the Dataset's own one for the default graph)."""
    from rdflib import BNode, URIRef
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    if isinstance(graph, ox.DefaultGraph):
        return DATASET_DEFAULT_GRAPH_ID
    return URIRef(graph.value) if isinstance(graph, ox.NamedNode) else BNode(graph.value)


def _graph_name(identifier: Any) -> ox.NamedNode | ox.BlankNode | ox.DefaultGraph:
    from rdflib import BNode
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    if identifier == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    return ox.BlankNode(str(identifier)) if isinstance(identifier, BNode) else ox.NamedNode(str(identifier))


def open_store(spec: StoreSpec | str = "oxigraph") -> Store:
    """A store from a ``--store`` value (parsed: a :class:`StoreSpec`; or its text)."""
    spec = StoreSpec.parse(spec) if isinstance(spec, str) else spec.checked()
    if spec.kind == "memory":
        return RdflibStore()
    if spec.folder is None:
        return OxigraphStore()
    try:
        spec.folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"the store folder {spec.folder} cannot be made: {exc.strerror}") from None
    return OxigraphStore(spec.folder)

