"""Statements about statements, as the pages show them: the SSSOM annotations of a mapping (an
``owl:Axiom`` on the mapping triple: justification, date, source version) belong beside the mapping
they annotate, not as a bare blank-node row; the label an annotation gives a mapped IRI
(``sssom:object_label``) names that IRI where the graph has no label of its own; and a blank node
that links to an entity is shown through the named entity it hangs from."""

from __future__ import annotations

import pyoxigraph as ox

from akke_graph.publish.model import Label, ReleaseGraph
from akke_graph.terms import OWL

SSSOM = "https://w3id.org/sssom/"
ANNOTATION_PARTS = (OWL + "annotatedSource", OWL + "annotatedProperty", OWL + "annotatedTarget")
MAX_HOPS = 3

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def is_axiom(graph: ReleaseGraph, node: object) -> bool:
    return isinstance(node, ox.BlankNode) and all(graph.value(node, p) is not None for p in ANNOTATION_PARTS)


def statement_annotations(graph: ReleaseGraph, node: Term) -> dict[tuple[str, Term], list[tuple[str, Term]]]:
    """(property, value) of each annotated statement of ``node`` -> the annotation's own
    (property, value) pairs, in property order."""
    found: dict[tuple[str, Term], list[tuple[str, Term]]] = {}
    for axiom, prop in graph.incoming(node):
        if prop != OWL + "annotatedSource" or not is_axiom(graph, axiom):
            continue
        annotated = graph.value(axiom, OWL + "annotatedProperty")
        target = graph.value(axiom, OWL + "annotatedTarget")
        if not isinstance(annotated, ox.NamedNode) or target is None:
            continue
        pairs = [(p, v) for p, values in sorted(graph.out(axiom).items())
                 if p not in ANNOTATION_PARTS and not p.endswith("#type") for v in values]
        found.setdefault((annotated.value, target), []).extend(pairs)
    return found


def mapped_label(graph: ReleaseGraph, term: ox.NamedNode) -> Label | None:
    """The label a mapping annotation gives ``term`` as its object (``sssom:object_label``)."""
    for axiom, prop in graph.incoming(term):
        if prop == OWL + "annotatedTarget" and isinstance(axiom, ox.BlankNode):
            label = graph.value(axiom, SSSOM + "object_label")
            if isinstance(label, ox.Literal):
                return Label(label.value, label.language or None)
    return None


def named_owner(graph: ReleaseGraph, node: ox.BlankNode) -> tuple[ox.NamedNode, str] | None:
    """The named node a blank node hangs from (and through which property), a few links up."""
    todo, seen = [node], {node}
    for _ in range(MAX_HOPS):
        nxt = []
        for current in todo:
            for subject, prop in graph.incoming(current):
                if isinstance(subject, ox.NamedNode):
                    return subject, prop
                if isinstance(subject, ox.BlankNode) and subject not in seen:
                    seen.add(subject)
                    nxt.append(subject)
        todo = nxt
    return None
