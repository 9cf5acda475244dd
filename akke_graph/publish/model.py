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
from akke_graph.load import LoadedGraph, SourceFile
from akke_graph.publish.canon import canonical_labels, relabel
from akke_graph.publish.ntlines import chunks, in_graph, parse_chunks, sort_distinct, to_sortable
from akke_graph.publish.persons import RemovedPersons, remove_persons
from akke_graph.publish.rebase import Rebaser
from akke_graph.store import OxigraphStore, Store
from akke_graph.terms import (DCTERMS, FOAF, ORG, PREFIXES, PROV, RDF, RDFS, SKOS, compact,
                              own_prefixes)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
LABEL_PROPERTIES = (SKOS + "prefLabel", DCTERMS + "title", RDFS + "label", FOAF + "name")
RDF_TYPE = RDF + "type"
CACHE_SIZE = 100_000   # outgoing-property lookups kept (pages look the same neighbours up again)


def statement_key(st: ox.Triple | ox.Quad) -> tuple:
    """Stable order: named subjects before blank ones, then subject, ``rdf:type`` first, predicate,
    object — so Turtle groups each subject in one readable block."""
    return (isinstance(st.subject, ox.BlankNode), st.subject.value, st.predicate.value != RDF_TYPE,
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
    store: OxigraphStore
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
        return {**PREFIXES, **own_prefixes(self.base)}

    def graph_names(self) -> list[ox.NamedNode | ox.DefaultGraph]:
        """The default graph (when it holds anything) and the named graphs, in the order of their
        N-Quads labels (the order of the TriG dump)."""
        named = sorted((g for g in self.store.store.named_graphs() if isinstance(g, ox.NamedNode)),
                       key=lambda g: "<" + g.value + ">")
        default = ox.DefaultGraph()
        has_default = next(iter(self.store.store.quads_for_pattern(None, None, None, default)), None) is not None
        return [default, *named] if has_default else named

    def graph_lines(self, graph: ox.NamedNode | ox.DefaultGraph) -> list[bytes]:
        """One graph's triples as sorted sortable N-Triples lines (:mod:`~akke_graph.publish.ntlines`),
        serialised by Oxigraph."""
        lines = to_sortable(self.store.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph))
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
            for q in self.store.store.quads_for_pattern(subject, None, None, None):
                props[q.predicate.value].add(q.object)
                graphs.add(q.graph_name.value)  # type: ignore[union-attr]
            found = {p: sorted(v, key=str) for p, v in props.items()}
            if len(self._out) > CACHE_SIZE:
                self._out.clear()
                self._graphs.clear()
            self._out[subject] = found
            self._graphs[subject] = graphs
        return found

    def incoming(self, node: Term) -> list[tuple[Term, str]]:
        """Distinct (subject, predicate) pairs pointing at ``node``, sorted."""
        pairs = {(q.subject, q.predicate.value) for q in self.store.store.quads_for_pattern(None, None, node, None)}
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
        """The best human label of ``term`` in ``lang`` (falling back to the other language, then
        to a compact IRI)."""
        key = (term, lang)
        if key not in self._labels:
            self._labels[key] = self._label(term, lang)
        return self._labels[key]

    def _label(self, term: Term, lang: str) -> Label:
        if isinstance(term, ox.Literal):
            return Label(term.value, term.language)
        props = self.out(term)
        other = "en" if lang == "fi" else "fi"
        for prop in LABEL_PROPERTIES:
            by_lang: dict[str, ox.Literal] = {}
            for v in props.get(prop, []):
                if isinstance(v, ox.Literal):
                    by_lang.setdefault(v.language or "", v)
            for want in (lang, other, "", *sorted(by_lang)):
                if want in by_lang:
                    return Label(by_lang[want].value, by_lang[want].language or None)
        notation = self.value(term, SKOS + "notation")
        if notation is not None:
            return Label(notation.value)
        # A qualified relation (membership, association, attribution) reads as "role: agent".
        role = self.value(term, PROV + "hadRole") or self.value(term, ORG + "role")
        agent = self.value(term, PROV + "agent") or self.value(term, ORG + "member")
        if role is not None and agent is not None:
            return Label(f"{self.label(role, lang).text}: {self.label(agent, lang).text}", lang)
        if isinstance(term, ox.NamedNode):
            return Label(compact(term.value, self.prefixes).strip("<>"))
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
        if self.size is None:
            self.sorted_lines()
        return self.size  # type: ignore[return-value]


def _copy_store(store: Store, rebaser: Rebaser) -> OxigraphStore:
    """A private in-memory Oxigraph copy of ``store`` (re-based), graph by graph; blank nodes keep
    their labels (Oxigraph's parser keeps them), so one shared by two graphs stays one node. A copy
    that is not re-based (to be validated again) keeps the literals as written (akke_graph.written)."""
    target = OxigraphStore()
    if not isinstance(store, OxigraphStore):
        if rebaser.active:
            target.store.bulk_load(rebaser.data(store.dump("nquads")), format=ox.RdfFormat.N_QUADS)
        else:
            target.add(store.quads())
        return target
    source = store.store
    named = [g for g in source.named_graphs() if isinstance(g, ox.NamedNode)]

    def parts() -> Iterator[bytes]:
        yield rebaser.data(source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))
        for graph in named:
            yield rebaser.data(in_graph(source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph), graph.value))

    target.store.extend(parse_chunks(parts()))
    if not rebaser.active:
        target.written.quads = dict(store.written.quads)
    return target


def _is_private(store: Store) -> bool:
    """An in-memory Oxigraph store that only this run uses (publish may change it in place)."""
    return isinstance(store, OxigraphStore) and store.location is None


def _canonicalise_blank_nodes(store: OxigraphStore) -> None:
    rows = store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }")
    quads = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]
    labels = canonical_labels(quads)
    if not labels:
        return
    for q in quads:
        store.store.remove(q)
    store.store.extend(ox.Quad(relabel(q.subject, labels), q.predicate, relabel(q.object, labels), q.graph_name)
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
    store = loaded.store
    if not _is_private(store) and (without_persons or rebaser.active or not isinstance(store, OxigraphStore)):
        store = _copy_store(store, Rebaser(config.base_iri, config.base_iri))
    removed = None
    if without_persons:
        removed = remove_persons(store.store)  # type: ignore[attr-defined]
        if revalidate is not None and removed.removed_triples:
            revalidate(LoadedGraph(config=config, store=store, files=loaded.files))
    if rebaser.active:
        store = _copy_store(store, rebaser)
    _canonicalise_blank_nodes(store)  # type: ignore[arg-type]
    files = {rebaser.text(graph): SourceFile(path=f.path, display=f.display, graph=rebaser.text(graph),
                                             is_data=f.is_data)
             for graph, f in loaded.files.items()}
    present = set(store.graphs())
    files = {g: f for g, f in files.items() if g in present}
    return ReleaseGraph(config=new_config, store=store, files=files, rebaser=rebaser, removed=removed)  # type: ignore[arg-type]
