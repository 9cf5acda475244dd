"""The graph as it goes into a release: validated, optionally without persons, re-based, with
stable blank-node labels — and the lookups every output needs (labels, outgoing and incoming
links, the files and sources each entity comes from)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable

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
    """The release dataset in an Oxigraph store plus indexes over its union graph."""

    config: Config
    store: OxigraphStore
    files: dict[str, SourceFile]
    rebaser: Rebaser
    removed: RemovedPersons | None = None
    _labels: dict[tuple[Term, str], Label] = field(default_factory=dict, repr=False)

    @property
    def base(self) -> str:
        return self.config.base_iri

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """Prefixes for readable serialisations: the standard ones and the project's own."""
        return {**PREFIXES, **own_prefixes(self.base)}

    @cached_property
    def triples(self) -> list[ox.Triple]:
        """The union graph: every distinct triple, sorted by subject, predicate, object."""
        seen = {ox.Triple(q.subject, q.predicate, q.object) for q in self.store.quads()}
        return sorted(seen, key=statement_key)

    @cached_property
    def _index(self) -> tuple[dict, dict, dict]:
        out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        incoming: dict[Term, list[tuple[Term, str]]] = defaultdict(list)
        for t in self.triples:
            out[t.subject][t.predicate.value].append(t.object)
            if not isinstance(t.object, ox.Literal):
                incoming[t.object].append((t.subject, t.predicate.value))
        graphs: dict[Term, set[str]] = defaultdict(set)
        for q in self.store.quads():
            graphs[q.subject].add(q.graph_name.value)
        return out, incoming, graphs

    def out(self, subject: Term) -> dict[str, list[Term]]:
        """Outgoing properties of ``subject``: predicate IRI -> objects."""
        return self._index[0].get(subject, {})

    def incoming(self, node: Term) -> list[tuple[Term, str]]:
        """(subject, predicate) pairs pointing at ``node``."""
        return self._index[1].get(node, [])

    def subjects(self) -> Iterable[Term]:
        return self._index[0].keys()

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
        return self._index[2].get(subject, set())

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
        return len(self.triples)


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
