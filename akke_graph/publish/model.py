"""The graph as it goes into a release: validated, optionally without persons, re-based, with
stable blank-node labels — and the lookups every output needs (labels, outgoing and incoming
links, the files and sources each entity comes from)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterator

import pyoxigraph as ox

from akke_graph.config import Config
from akke_graph.labels import best_label
from akke_graph.load import LoadedGraph, SourceFile
from akke_graph.publish.canon import canonical_labels, relabel
from akke_graph.publish.ntlines import (
    chunks,
    in_graph,
    parse_chunks,
    sort_distinct,
    to_sortable,
)
from akke_graph.publish.persons import RemovedPersons, remove_persons
from akke_graph.rebase import Rebaser
from akke_graph.store import Store, open_store
from akke_graph.terms import ORG, PROV, RDF, SKOS, compact, prefix_map

Term = ox.NamedNode | ox.BlankNode | ox.Literal
RDF_TYPE = RDF + "type"
CACHE_SIZE = 100_000   # outgoing-property lookups kept (pages look the same neighbours up again)


def statement_key(st: ox.Triple | ox.Quad) -> tuple:
    """Stable order: named subjects before blank ones, then subject, ``rdf:type`` first, predicate,
    object — so Turtle groups each subject in one readable block."""
    subject = st.subject.value if isinstance(st.subject, (ox.NamedNode, ox.BlankNode)) else str(st.subject)
    return (isinstance(st.subject, ox.BlankNode), subject, st.predicate.value != RDF_TYPE,
            str(st.predicate), str(st.object))


@dataclass(frozen=True)
class Label:
    """A label and the language it is written in (for the ``lang`` attribute), or None."""

    text: str
    lang: str | None = None


@dataclass
class ReleaseGraph:
    """The release dataset in an Oxigraph store, and lookups over its union graph (answered by the
    store's indexes, so memory stays that of the store whatever the size of the graph)."""

    config: Config
    store: Store
    files: dict[str, SourceFile]
    rebaser: Rebaser
    removed: RemovedPersons | None = None
    size: int | None = None
    _labels: dict[tuple[Term, str], Label] = field(default_factory=dict, repr=False)
    _out: dict[Term, dict[str, list[Term]]] = field(default_factory=dict, repr=False)
    _graphs: dict[Term, set[str]] = field(default_factory=dict, repr=False)

    @property
    def base(self) -> str:
        return self.config.base_iri

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Prefixes for readable serialisations: the standard ones and the project's own."""
        return prefix_map(self.config)

    def graph_names(self) -> list[ox.NamedNode | ox.DefaultGraph]:
        """The default graph (when it holds anything) and the named graphs, in the order of their
        N-Quads labels (the order of the TriG dump)."""
        named: list[ox.NamedNode | ox.DefaultGraph] = [ox.NamedNode(g) for g in sorted(
            self.store.graphs(), key=lambda g: "<" + g + ">")]
        return [ox.DefaultGraph(), *named] if self.store.has_default_graph() else named

    def graph_lines(self, graph: ox.NamedNode | ox.DefaultGraph) -> list[bytes]:
        """One graph's triples as sorted sortable N-Triples lines (:mod:`~akke_graph.publish.ntlines`),
        serialised by Oxigraph."""
        lines = to_sortable(self.store.dump("nt", graph))
        lines.sort()
        return lines

    def sorted_lines(self) -> list[bytes]:
        """The union graph as distinct sortable N-Triples lines, in the dumps' order."""
        lines: list[bytes] = []
        for graph in self.graph_names():
            lines += self.graph_lines(graph)
        lines = sort_distinct(lines)
        self.size = len(lines)
        return lines

    def triples(self) -> Iterator[ox.Triple]:
        """The union graph's triples, in the dumps' order."""
        for quad in parse_chunks(chunks(self.sorted_lines())):
            yield ox.Triple(quad.subject, quad.predicate, quad.object)

    def out(self, subject: Term) -> dict[str, list[Term]]:
        """Outgoing properties of ``subject``: predicate IRI -> distinct objects (sorted)."""
        if isinstance(subject, ox.Literal):
            return {}
        found = self._out.get(subject)
        if found is None:
            props: dict[str, set[Term]] = defaultdict(set)
            graphs: set[str] = set()
            for q in self.store.quads_matching(subject=subject):
                if isinstance(q.object, ox.Triple):   # RDF-star: not in the graph's model
                    continue
                props[q.predicate.value].add(q.object)
                if isinstance(q.graph_name, ox.NamedNode):
                    graphs.add(q.graph_name.value)
            found = {p: sorted(v, key=str) for p, v in props.items()}
            if len(self._out) > CACHE_SIZE:
                self._out.clear()
                self._graphs.clear()
            self._out[subject] = found
            self._graphs[subject] = graphs
        return found

    def incoming(self, node: Term) -> list[tuple[Term, str]]:
        """Distinct (subject, predicate) pairs pointing at ``node``, sorted."""
        pairs = {(q.subject, q.predicate.value) for q in self.store.quads_matching(object=node)
                 if not isinstance(q.subject, ox.Triple)}
        return sorted(pairs, key=lambda sp: (str(sp[0]), sp[1]))

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        return list(self.out(subject).get(predicate, []))

    def value(self, subject: Term, predicate: str) -> Term | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def types(self, subject: Term) -> list[str]:
        return sorted(t.value for t in self.objects(subject, RDF_TYPE) if isinstance(t, ox.NamedNode))

    def instances(self, cls: str) -> list[ox.NamedNode]:
        return sorted((s for s, p in self.incoming(ox.NamedNode(cls)) if p == RDF_TYPE and isinstance(s, ox.NamedNode)),
                      key=lambda n: n.value)

    def graphs_of(self, subject: Term) -> set[str]:
        """The named graphs (source files) in which ``subject`` is described."""
        if isinstance(subject, ox.Literal):
            return set()
        if subject not in self._graphs:
            self.out(subject)   # reads the graphs with the properties
        return self._graphs.get(subject, set())

    def count(self, sparql: str) -> int:
        """The single number a ``SELECT (COUNT(…) AS ?n)`` query returns."""
        rows = self.select(sparql)
        return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0

    def select(self, sparql: str, substitutions: dict[str, Term] | None = None) -> list[dict[str, Term]]:
        """Rows of a SELECT over the union graph (used for the landing page and the pictures)."""
        return self.store.select(sparql, substitutions)

    def label(self, term: Term, lang: str = "fi") -> Label:
        """The label of ``term`` in ``lang`` by the one rule (:mod:`akke_graph.labels`); without
        one, its notation, "role: agent" for a qualified relation, or its compact IRI."""
        key = (term, lang)
        if key not in self._labels:
            self._labels[key] = self._label(term, lang)
        return self._labels[key]

    def _label(self, term: Term, lang: str) -> Label:
        if isinstance(term, ox.Literal):
            return Label(term.value, term.language)
        props = self.out(term)
        found = best_label(((p, v) for p, values in props.items() for v in values), lang)
        if found is not None:
            return Label(found.value, found.language or None)
        notation = self.value(term, SKOS + "notation")
        if notation is not None:
            return Label(notation.value)
        # A qualified relation (membership, association, attribution) reads as "role: agent".
        role = self.value(term, PROV + "hadRole") or self.value(term, ORG + "role")
        agent = self.value(term, PROV + "agent") or self.value(term, ORG + "member")
        if role is not None and agent is not None:
            return Label(f"{self.label(role, lang).text}: {self.label(agent, lang).text}", lang)
        if isinstance(term, ox.NamedNode):
            return Label(compact(term.value, self.prefixes))
        return Label("[ ]")

    def sources_of(self, subject: Term) -> list[tuple[SourceFile, list[ox.NamedNode]]]:
        """The source files ``subject`` is described in, each with the documents it derives from."""
        found = []
        for graph in sorted(self.graphs_of(subject)):
            file = self.files.get(graph)
            if file is None:
                continue
            docs = sorted((o for o in self.objects(ox.NamedNode(graph), PROV + "wasDerivedFrom")
                           if isinstance(o, ox.NamedNode)), key=lambda n: n.value)
            found.append((file, docs))
        return found

    def is_own(self, term: Term) -> bool:
        return isinstance(term, ox.NamedNode) and term.value.startswith(self.base)

    def __len__(self) -> int:
        """The number of distinct triples of the union graph (counted when the dumps are written)."""
        return len(self.sorted_lines()) if self.size is None else self.size


def _copy_store(store: Store, rebaser: Rebaser) -> Store:
    """A private in-memory Oxigraph copy of ``store`` (re-based), graph by graph; blank nodes keep
    their labels (Oxigraph's parser keeps them), so one shared by two graphs stays one node."""

    def parts() -> Iterator[bytes]:
        yield rebaser.data(store.dump("nt", ox.DefaultGraph()))
        for graph in store.graphs():
            yield rebaser.data(in_graph(store.dump("nt", graph), graph))

    target = open_store("oxigraph")
    target.add(parse_chunks(parts()))
    return target


def _canonicalise_blank_nodes(store: Store) -> None:
    rows = store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }")
    quads = [ox.Quad(s, p, r["o"], g) for r in rows for s, p, g in [(r["s"], r["p"], r["g"])]
             if not isinstance(s, ox.Literal) and isinstance(p, ox.NamedNode) and not isinstance(g, ox.Literal)]
    labels = canonical_labels(quads)
    if not labels:
        return
    store.remove(quads)
    store.add(ox.Quad(relabel(q.subject, labels), q.predicate, relabel(q.object, labels), q.graph_name)
              for q in quads)


def build_release_graph(loaded: LoadedGraph, *, base_iri: str | None = None, without_persons: bool = False,
                        revalidate: Callable[[LoadedGraph], object] | None = None) -> ReleaseGraph:
    """The validated graph turned into what a release publishes.

    With ``without_persons`` the persons are removed and, because that changes the graph, the
    result is validated again with ``revalidate`` (before re-basing, so the project's own shapes
    apply as they are).

    There is never more than one copy of a large graph: a private in-memory store (the default)
    is changed in place — ``loaded`` then holds the release graph — and copied only to re-base
    it; a store on disk is used as it is (only its blank-node labels change) unless persons are
    removed or IRIs re-based; the rdflib store is copied into Oxigraph."""
    config = loaded.config
    new_config = config.with_base(base_iri) if base_iri else config
    rebaser = Rebaser(config.base_iri, new_config.base_iri)
    store: Store = loaded.store.as_oxigraph()
    if not store.in_memory and without_persons:   # (re-basing makes its own copy below)
        store = _copy_store(store, Rebaser(config.base_iri, config.base_iri))
    removed = None
    if without_persons:
        removed = remove_persons(store)
        if revalidate is not None and removed.removed_triples:
            revalidate(LoadedGraph(config=config, store=store, files=loaded.files))
    if rebaser.active:
        store = _copy_store(store, rebaser)
    _canonicalise_blank_nodes(store)
    files = {rebaser.text(graph): SourceFile(path=f.path, display=f.display, graph=rebaser.text(graph),
                                             is_data=f.is_data)
             for graph, f in loaded.files.items()}
    present = set(store.graphs())
    files = {g: f for g, f in files.items() if g in present}
    return ReleaseGraph(config=new_config, store=store, files=files, rebaser=rebaser, removed=removed)
