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
from akke_graph.publish.persons import RemovedPersons, remove_persons
from akke_graph.publish.rebase import Rebaser
from akke_graph.store import OxigraphStore
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


TYPE_TOKEN = f"<{RDF_TYPE}>".encode()


def line_key(line: bytes) -> tuple:
    """:func:`statement_key` for an N-Triples line (an IRI subject without its closing ``>``, so
    that ``<…/akke-turku>`` comes before its parts ``<…/akke-turku#grant>``)."""
    subject, predicate, _ = line.split(b" ", 2)
    blank = subject.startswith(b"_:")
    return (blank, subject if blank else subject[:-1], predicate != TYPE_TOKEN, line)


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
    _labels: dict[tuple[Term, str], Label] = field(default_factory=dict, repr=False)
    _out: dict[Term, dict[str, list[Term]]] = field(default_factory=dict, repr=False)

    @property
    def base(self) -> str:
        return self.config.base_iri

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Prefixes for readable serialisations: the standard ones and the project's own."""
        return {**PREFIXES, **own_prefixes(self.base)}

    @cached_property
    def union_lines(self) -> list[bytes]:
        """The union graph as distinct N-Triples lines in :func:`line_key` order, serialised by
        Oxigraph (no Python object per triple: this is what the dumps stream from)."""
        data = self.store.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                      use_default_graph_as_union=True).serialize(format=ox.RdfFormat.N_TRIPLES)
        lines = set(data.split(b"\n"))
        lines.discard(b"")
        return sorted(lines, key=line_key)

    def triples(self) -> Iterator[ox.Triple]:
        """The union graph's triples, in :func:`line_key` order."""
        for quad in ox.parse(b"\n".join(self.union_lines), format=ox.RdfFormat.N_TRIPLES):
            yield ox.Triple(quad.subject, quad.predicate, quad.object)

    def out(self, subject: Term) -> dict[str, list[Term]]:
        """Outgoing properties of ``subject``: predicate IRI -> distinct objects (sorted)."""
        if isinstance(subject, ox.Literal):
            return {}
        found = self._out.get(subject)
        if found is None:
            props: dict[str, set[Term]] = defaultdict(set)
            for q in self.store.store.quads_for_pattern(subject, None, None, None):
                props[q.predicate.value].add(q.object)
            found = {p: sorted(v, key=str) for p, v in props.items()}
            if len(self._out) > CACHE_SIZE:
                self._out.clear()
            self._out[subject] = found
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
        return {q.graph_name.value for q in self.store.store.quads_for_pattern(subject, None, None, None)}

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
        return len(self.union_lines)


def _copy_store(loaded: LoadedGraph, rebaser: Rebaser) -> OxigraphStore:
    data = loaded.store.dump("nquads")
    if rebaser.active:
        data = rebaser.data(data)
    target = OxigraphStore()
    target.store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
    return target


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
    apply as they are)."""
    config = loaded.config
    removed = None
    if without_persons:
        store = _copy_store(loaded, Rebaser(config.base_iri, config.base_iri))
        removed = remove_persons(store.store)
        if revalidate is not None and removed.removed_triples:
            revalidate(LoadedGraph(config=config, store=store, files=loaded.files))
        loaded = LoadedGraph(config=config, store=store, files=loaded.files)
    new_config = config.with_base(base_iri) if base_iri else config
    rebaser = Rebaser(config.base_iri, new_config.base_iri)
    store = _copy_store(loaded, rebaser)
    _canonicalise_blank_nodes(store)
    files = {rebaser.text(graph): SourceFile(path=f.path, display=f.display, graph=rebaser.text(graph),
                                             is_data=f.is_data)
             for graph, f in loaded.files.items()}
    present = set(store.graphs())
    files = {g: f for g, f in files.items() if g in present}
    return ReleaseGraph(config=new_config, store=store, files=files, rebaser=rebaser, removed=removed)
