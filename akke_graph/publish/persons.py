"""``--without-persons``: take every person out of the release, for publishers who must not publish
personal data.

Removed: every ``foaf:Person`` node, its hash sub-resources and blank nodes, and every triple that
mentions any of them (names included); the qualified associations and attributions whose agent is
a person (an association without an agent would break the shapes, and its IRI carries the
person's slug) — so a work package keeps its responsible organisations but no contact; and named
graphs that are left describing nothing but themselves. Kept: the role concepts themselves
(``role:contact-person`` stays in the role scheme) and every organisation's roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from akke_graph.store import Store
from akke_graph.terms import FOAF, PROV, RDF_TYPE, RDFS, SKOS

# Full names and family names identify a person; a given name alone ("Kari") also occurs in
# ordinary words and place names, so it is not searched for on its own.
NAME_PROPERTIES = (FOAF + "name", FOAF + "familyName", FOAF + "nick", RDFS + "label", SKOS + "prefLabel")


@dataclass
class RemovedPersons:
    """What was taken out, so the finished release can be checked for any trace of it."""

    iris: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    removed_triples: int = 0

    def traces(self) -> list[str]:
        """Strings that must not occur in any file of the release."""
        slugs = {iri.rstrip("/").rsplit("/", 1)[-1] for iri in self.iris}
        return sorted(self.names | self.iris | {s for s in slugs if len(s) > 3})

    def pattern(self) -> re.Pattern[str] | None:
        """A regular expression that finds any trace as a whole word (None when there is none)."""
        traces = self.traces()
        return re.compile(r"(?<!\w)" + trie_regex(traces) + r"(?!\w)") if traces else None


def trie_regex(words: list[str]) -> str:
    """An alternation of ``words`` merged by common prefixes: thousands of names are then searched
    in one pass that follows only the branches the text can take (a flat ``a|b|c`` tries every
    name at every position)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and "" not in node else "(?:" + "|".join(branches) + ")"
        return body + ("?" if "" in node else "")

    return build(trie)


Node = ox.NamedNode | ox.BlankNode


def _subjects(store: Store, predicate: ox.NamedNode, object: Node) -> set[Node]:
    return {q.subject for q in store.quads_matching(predicate=predicate, object=object)
            if isinstance(q.subject, (ox.NamedNode, ox.BlankNode))}


def _texts(store: Store, subject: Node, predicate: str) -> list[str]:
    return [q.object.value for q in store.quads_matching(subject, ox.NamedNode(predicate))
            if isinstance(q.object, ox.Literal)]


def _nodes_to_remove(store: Store) -> set[Node]:
    persons = _subjects(store, RDF_TYPE, ox.NamedNode(FOAF + "Person"))
    nodes = set(persons)
    for person in persons:
        # Qualified associations / attributions naming the person as their agent.
        nodes.update(_subjects(store, ox.NamedNode(PROV + "agent"), person))
    person_iris = [p.value for p in persons if isinstance(p, ox.NamedNode)]
    if person_iris:
        for q in store.quads():
            s = q.subject
            if isinstance(s, ox.NamedNode) and "#" in s.value and s.value.split("#", 1)[0] in person_iris:
                nodes.add(s)
    # Blank nodes hanging off anything removed go with it.
    todo = list(nodes)
    while todo:
        node = todo.pop()
        for q in store.quads_matching(subject=node):
            if isinstance(q.object, ox.BlankNode) and q.object not in nodes:
                nodes.add(q.object)
                todo.append(q.object)
    return nodes


def remove_persons(store: Store) -> RemovedPersons:
    """Remove persons from ``store`` in place; returns what was removed."""
    removed = RemovedPersons()
    for person in _subjects(store, RDF_TYPE, ox.NamedNode(FOAF + "Person")):
        if isinstance(person, ox.NamedNode):
            removed.iris.add(person.value)
        for prop in NAME_PROPERTIES:
            removed.names.update(_texts(store, person, prop))
        given, family = _texts(store, person, FOAF + "givenName"), _texts(store, person, FOAF + "familyName")
        removed.names.update(f"{g} {f}" for g in given for f in family)
    doomed: set[ox.Quad] = set()
    for node in _nodes_to_remove(store):
        doomed.update(store.quads_matching(subject=node))
        doomed.update(store.quads_matching(object=node))
    store.remove(doomed)
    removed.removed_triples = len(doomed)
    _drop_empty_graphs(store)
    return removed


def _drop_empty_graphs(store: Store) -> None:
    """Remove named graphs that only describe themselves (a source file whose content was all persons)."""
    for graph in store.graphs():
        node = ox.NamedNode(graph)
        if all(q.subject == node for q in store.quads(graph)):
            store.remove_graph(graph)
