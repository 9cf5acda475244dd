"""Read a SHACL shapes graph into plain Python objects the native engine can compile.

Shapes are read with pyoxigraph (no rdflib import on the fast path). The model keeps every
constraint parameter as RDF terms; anything the native engine cannot compile is recorded in
``Shape.unsupported`` so that the engine can hand that shape to pyshacl and say so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from akke_graph.errors import InputError, ShapesError
from akke_graph.rebase import shipped
from akke_graph.terms import RDF, RDFS, SH

Term = ox.NamedNode | ox.BlankNode | ox.Literal

RDF_FIRST, RDF_REST, RDF_NIL = RDF + "first", RDF + "rest", RDF + "nil"
VIOLATION = SH + "Violation"

# Parameters the engine compiles, by constraint component.
VALUE_PARAMS = {"class", "datatype", "nodeKind", "minExclusive", "minInclusive", "maxExclusive",
                "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "in",
                "node", "not", "and", "or", "xone"}
COUNT_PARAMS = {"minCount", "maxCount", "qualifiedValueShape"}
PAIR_PARAMS = {"equals", "disjoint", "lessThan", "lessThanOrEquals"}
OTHER_PARAMS = {"uniqueLang", "hasValue", "closed", "sparql", "property"}
KNOWN = VALUE_PARAMS | COUNT_PARAMS | PAIR_PARAMS | OTHER_PARAMS | {
    "flags", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
    "ignoredProperties"}
META = {"path", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target",
        "severity", "message", "name", "description", "deactivated", "order", "group",
        "defaultValue", "declare", "prefixes", "select", "construct", "ask", "update", "rule",
        "sourceConstraint", "labelTemplate"}


class ShapesGraph:
    """An indexed, read-only view of the shapes graph: ``objects(s, p)`` and RDF lists."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.triples = list(triples)
        self._index: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for t in self.triples:
            s, o = t.subject, t.object
            if not isinstance(s, ox.Triple) and not isinstance(o, ox.Triple):   # no RDF-star in shapes
                self._index[s][t.predicate.value].append(o)

    def objects(self, subject: Term, predicate: str) -> list[Term]:
        return list(self._index.get(subject, {}).get(predicate, []))

    def value(self, subject: Term, predicate: str) -> Term | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def predicates(self, subject: Term) -> list[str]:
        return list(self._index.get(subject, {}).keys())

    def subjects(self, predicate: str, obj: Term | None = None) -> list[Term]:
        return [t.subject for t in self.triples if not isinstance(t.subject, ox.Triple)
                and t.predicate.value == predicate and (obj is None or t.object == obj)]

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list."""
        out: list[Term] = []
        node: Term | None = head
        seen = set()
        while node is not None and not (isinstance(node, ox.NamedNode) and node.value == RDF_NIL):
            if node in seen:
                break
            seen.add(node)
            first = self.value(node, RDF_FIRST)
            if first is not None:
                out.append(first)
            node = self.value(node, RDF_REST)
        return out


@dataclass
class Shape:
    """A node or property shape with its targets, parameters and nested property shapes."""

    node: Term
    path: Term | None = None
    sparql_path: str | None = None
    targets: list[tuple[str, Term]] = field(default_factory=list)
    params: dict[str, list[Term]] = field(default_factory=dict)
    properties: list["Shape"] = field(default_factory=list)
    severity: ox.NamedNode = field(default_factory=lambda: ox.NamedNode(VIOLATION))
    messages: list[ox.Literal] = field(default_factory=list)
    deactivated: bool = False
    unsupported: list[str] = field(default_factory=list)

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def param(self, name: str) -> Term | None:
        values = self.params.get(name)
        return values[0] if values else None


class ShapeReader:
    """Builds :class:`Shape` objects, each shape node once (shared shapes are shared objects)."""

    def __init__(self, graph: ShapesGraph) -> None:
        self.graph = graph
        self.cache: dict[Term, Shape] = {}

    def shape(self, node: Term) -> Shape:
        if node in self.cache:
            return self.cache[node]
        g = self.graph
        shape = Shape(node=node)
        self.cache[node] = shape
        path = g.value(node, SH + "path")
        if path is not None:
            shape.path = path
            try:
                shape.sparql_path = self.path_to_sparql(path)
            except ValueError as exc:
                shape.unsupported.append(str(exc))
        for kind in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
            for value in g.objects(node, SH + kind):
                shape.targets.append((kind, value))
        if self.is_class(node) and not shape.is_property:
            shape.targets.append(("targetClass", node))
        severity = g.value(node, SH + "severity")
        if isinstance(severity, ox.NamedNode):
            shape.severity = severity
        shape.messages = [m for m in g.objects(node, SH + "message") if isinstance(m, ox.Literal)]
        deactivated = g.value(node, SH + "deactivated")
        shape.deactivated = isinstance(deactivated, ox.Literal) and deactivated.value == "true"
        for predicate in g.predicates(node):
            if not predicate.startswith(SH):
                continue
            local = predicate[len(SH):]
            if local in META:
                continue
            if local not in KNOWN:
                shape.unsupported.append(f"sh:{local}")
                continue
            shape.params[local] = g.objects(node, predicate)
        shape.properties = [self.shape(p) for p in shape.params.pop("property", [])]
        return shape

    def is_class(self, node: Term) -> bool:
        types = {t.value for t in self.graph.objects(node, RDF + "type") if isinstance(t, ox.NamedNode)}
        return bool(types & {RDFS + "Class", "http://www.w3.org/2002/07/owl#Class"}) and bool(
            types & {SH + "NodeShape"})

    def path_to_sparql(self, path: Term) -> str:
        """A SHACL property path as a SPARQL property path expression."""
        g = self.graph
        if isinstance(path, ox.NamedNode):
            return f"<{path.value}>"
        if g.value(path, RDF_FIRST) is not None:
            parts = [self.path_to_sparql(p) for p in g.items(path)]
            return "(" + "/".join(parts) + ")"
        for key, template in (("inversePath", "^({})"), ("zeroOrMorePath", "({})*"),
                              ("oneOrMorePath", "({})+"), ("zeroOrOnePath", "({})?")):
            inner = g.value(path, SH + key)
            if inner is not None:
                return template.format(self.path_to_sparql(inner))
        alternatives = g.value(path, SH + "alternativePath")
        if alternatives is not None:
            return "(" + "|".join(self.path_to_sparql(p) for p in g.items(alternatives)) + ")"
        raise ValueError("unrecognised sh:path")


def read_shapes(graph: ShapesGraph, reader: ShapeReader | None = None) -> list[Shape]:
    """The shapes that have targets (where validation starts), each fully resolved."""
    reader = reader or ShapeReader(graph)
    starts: list[Term] = []
    for kind in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"):
        for s in graph.subjects(SH + kind):
            if s not in starts:
                starts.append(s)
    for s in graph.subjects(RDF + "type", ox.NamedNode(SH + "NodeShape")):
        if reader.is_class(s) and s not in starts:
            starts.append(s)
    return [reader.shape(s) for s in starts]


def prefixes_of(graph: ShapesGraph, node: Term) -> dict[str, str]:
    """Prefix declarations reachable through ``sh:prefixes`` (SHACL-SPARQL prologue)."""
    out: dict[str, str] = {}
    for owner in graph.objects(node, SH + "prefixes"):
        for decl in graph.objects(owner, SH + "declare"):
            prefix, ns = graph.value(decl, SH + "prefix"), graph.value(decl, SH + "namespace")
            if isinstance(prefix, ox.Literal) and isinstance(ns, ox.Literal):
                out[prefix.value] = ns.value
    return out


def load_shapes_graph(files: list[Path], display: dict[Path, str] | None = None, *,
                      base_iri: str | None = None) -> ShapesGraph:
    """Parse the shape files; with ``base_iri`` (the project's), moved from the base they are
    written under onto it (:func:`akke_graph.rebase.shipped`)."""
    if not files:
        raise ShapesError("no SHACL shape files found",
                          hint="put the shapes (*.ttl) in the shapes folder named in [tool.akke-graph]")
    move = shipped(base_iri) if base_iri else None
    triples: list[ox.Triple] = []
    for path in files:
        shown = (display or {}).get(path, str(path))
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(shown, f"cannot read the shapes file: {exc}") from None
        if move is not None:
            text = move.text(text)
        try:
            triples.extend(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()))
        except SyntaxError as exc:
            from akke_graph.load import syntax_error

            raise syntax_error(shown, exc) from None
    return ShapesGraph(triples)
