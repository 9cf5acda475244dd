"""The one label rule: which literal names an entity for a reader of a given language.

Every command, page and report picks labels here, so the same entity reads the same everywhere.

The rule. A label is a literal value of one of :data:`LABEL_PROPERTIES` (``skos:prefLabel``,
``dcterms:title``, ``rdfs:label``, ``foaf:name``). Of an entity's labels, the one read in the
language ``lang`` wins by, in order:

1. its language: exactly ``lang``; then a regional form of it (``en-GB`` for ``en``); then no
   language tag (a name that is the same in every language, such as a person's); then the graph's
   own languages, Finnish before English (so English falls back to Finnish, Finnish to English);
   then any other language, by tag — Swedish is never chosen for English or Finnish where an
   English or Finnish label exists;
2. its property, in the order of :data:`LABEL_PROPERTIES`;
3. its text, the smallest first (only to make the choice stable).

An entity without any such literal has no label here; each output then shows it its own way (a
compact IRI in tables and reports, the parent's label for a ``#part`` in a report, a notation or
"role: agent" on the pages).
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

import pyoxigraph as ox

from akke_graph.terms import DCTERMS, FOAF, RDFS, SKOS

LABEL_PROPERTIES = (SKOS + "prefLabel", DCTERMS + "title", RDFS + "label", FOAF + "name")
GRAPH_LANGUAGES = ("fi", "en")   # the graph's own languages, in the order they stand in for each other
BATCH = 400                      # IRIs per label query

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Rank = tuple[int, str, int, str]


def language_rank(tag: str, lang: str) -> tuple[int, str]:
    """How well a literal tagged ``tag`` (``""``: none) reads in ``lang``; smaller is better."""
    tag = tag.lower()
    if tag == lang:
        return (0, "")
    if tag.split("-", 1)[0] == lang:
        return (1, tag)
    if not tag:
        return (2, "")
    primary = tag.split("-", 1)[0]
    if primary in GRAPH_LANGUAGES:
        return (3 + GRAPH_LANGUAGES.index(primary), tag)
    return (3 + len(GRAPH_LANGUAGES), tag)


def rank(predicate: str, value: ox.Literal, lang: str) -> Rank | None:
    """Where ``value`` (the object of ``predicate``) stands among the labels in ``lang``; None
    when ``predicate`` is not a label property."""
    if predicate not in LABEL_PROPERTIES:
        return None
    by_language = language_rank(value.language or "", lang)
    return (by_language[0], by_language[1], LABEL_PROPERTIES.index(predicate), value.value)


def best_label(statements: Iterable[tuple[str, object]], lang: str) -> ox.Literal | None:
    """The label, by the rule, among an entity's ``(predicate IRI, object)`` pairs."""
    best: tuple[Rank, ox.Literal] | None = None
    for predicate, value in statements:
        if not isinstance(value, ox.Literal):
            continue
        found = rank(predicate, value, lang)
        if found is not None and (best is None or found < best[0]):
            best = (found, value)
    return best[1] if best else None


def best_labels(statements: Iterable[tuple[str, str, object]], lang: str) -> dict[str, ox.Literal]:
    """The label of each subject IRI, by the rule, among ``(subject, predicate, object)`` rows."""
    best: dict[str, tuple[Rank, ox.Literal]] = {}
    for subject, predicate, value in statements:
        if not isinstance(value, ox.Literal):
            continue
        found = rank(predicate, value, lang)
        if found is not None and (subject not in best or found < best[subject][0]):
            best[subject] = (found, value)
    return {subject: label for subject, (_, label) in best.items()}


def label_query(iris: Iterable[str]) -> str:
    """A SELECT of every label of ``iris`` (``?s ?p ?label``), plain SPARQL 1.1 for any store
    or endpoint; :func:`fetch_labels` applies the rule to its answer."""
    values = " ".join(f"<{iri}>" for iri in iris)
    properties = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    return (f"SELECT ?s ?p ?label WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {properties} }} "
            "?s ?p ?label FILTER(isLiteral(?label)) }")


def fetch_labels(select: Callable[[str], Sequence[Mapping[str, Term]]], iris: Iterable[str],
                 lang: str) -> dict[str, ox.Literal]:
    """The label of each of ``iris`` that has one, asked with ``select`` (a store's or an
    endpoint's) in batches."""
    wanted = sorted(set(iris))
    rows: list[tuple[str, str, object]] = []
    for start in range(0, len(wanted), BATCH):
        for row in select(label_query(wanted[start:start + BATCH])):
            s, p, label = row.get("s"), row.get("p"), row.get("label")
            if isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode) and label is not None:
                rows.append((s.value, p.value, label))
    return best_labels(rows, lang)
