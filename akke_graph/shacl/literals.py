"""Literals the store rewrote, checked as written.

The store holds ``"7"^^xsd:int`` as ``"7"^^xsd:integer`` (see :mod:`akke_graph.written`), so the
SPARQL the engine runs sees the stored form. For the value and focus nodes the store rewrote, the
engine checks the written forms here: what depends on the lexical form or the datatype
(``sh:datatype``, ``sh:in``, ``sh:hasValue``, ``sh:pattern``, the lengths, and well-formedness
for the comparisons) in Python, and what depends on the value alone through SPARQL on the stored
form, with the condition the fast path compiles.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable, Iterator

import pyoxigraph as ox

from akke_graph.shacl import xsd
from akke_graph.shacl.compiler import RANGE_OPERATORS, VALUE_COMPONENTS, Compiler, safe, term
from akke_graph.shacl.shapes import Shape, ShapesGraph, Term
from akke_graph.store import Store
from akke_graph.terms import RDF
from akke_graph.written import rewritten

LEXICAL = ("pattern", "minLength", "maxLength")
NESTED = ("node", "not", "and", "or", "xone")


class WrittenView:
    """The union graph's triples the store holds with a rewritten literal, and the literals
    written there (:meth:`akke_graph.store.Store.written_triples`), indexed by predicate."""

    def __init__(self, triples: dict[ox.Triple, tuple[ox.Literal, ...]]) -> None:
        self.triples = triples
        self.by_predicate: dict[str, dict[Term, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.by_predicate[t.predicate.value][t.subject].append(t.object)  # type: ignore[index, arg-type]

    def __bool__(self) -> bool:
        return bool(self.triples)

    @property
    def predicates(self) -> set[str]:
        return set(self.by_predicate)

    def forms(self, subject: Term, predicate: str, stored: Term) -> tuple[Term, ...]:
        """The terms written for the stored triple (the stored object itself if not rewritten)."""
        if not isinstance(stored, ox.Literal):
            return (stored,)
        return self.triples.get(ox.Triple(subject, ox.NamedNode(predicate), stored), (stored,))  # type: ignore[arg-type]

    def has(self, subject: Term, predicate: str, stored: Term) -> bool:
        return isinstance(stored, ox.Literal) and ox.Triple(subject, ox.NamedNode(predicate), stored) in self.triples  # type: ignore[arg-type]

    def subjects(self, predicate: str) -> list[Term]:
        return list(self.by_predicate.get(predicate, {}))

    def objects(self, predicate: str) -> list[ox.Literal]:
        """The distinct stored literals of ``predicate`` that were written otherwise somewhere."""
        return list(dict.fromkeys(o for values in self.by_predicate.get(predicate, {}).values() for o in values))


class LiteralChecks:
    """SHACL Core at a literal as written: one value's constraints and whole shapes."""

    def __init__(self, store: Store, compiler: Compiler, shape_of: Callable[[Term], Shape],
                 graph: ShapesGraph) -> None:
        self.store = store
        self.compiler = compiler
        self.shape_of = shape_of
        self.graph = graph
        self.cache: dict[str, bool] = {}

    def truth(self, expression: str) -> bool:
        """The value of a constant SPARQL expression, asked once."""
        if expression not in self.cache:
            rows = self.store.select(f"SELECT ({safe(expression)} AS ?ok) WHERE {{}}")
            ok = rows[0].get("ok") if rows else None
            self.cache[expression] = isinstance(ok, ox.Literal) and ok.value == "true"
        return self.cache[expression]

    def holds(self, shape: Shape, component: str, param: Term, value: Term) -> bool:
        """Whether ``value`` (as written) satisfies one value constraint of ``shape``."""
        if not rewritten(value):
            return self.truth(self.compiler.value_condition(shape, component, param, term(value)))
        assert isinstance(value, ox.Literal)
        if component == "datatype":
            if param.value == RDF + "langString":
                return value.language is not None
            return value.language is None and value.datatype == param and xsd.well_formed(value)
        if component == "in":
            return value in self.graph.items(param)
        if component == "node":
            return self.conforms(self.shape_of(param), value)
        if component == "not":
            return not self.conforms(self.shape_of(param), value)
        if component in ("and", "or", "xone"):
            passed = [self.conforms(self.shape_of(s), value) for s in self.graph.items(param)]
            return all(passed) if component == "and" else any(passed) if component == "or" else passed.count(True) == 1
        if component in LEXICAL:
            return self.truth(self.compiler.value_condition(shape, component, param, term(ox.Literal(value.value))))
        if component in RANGE_OPERATORS and not xsd.well_formed(value):
            return False
        return self.truth(self.compiler.value_condition(shape, component, param, term(value)))

    def less(self, a: Term, b: Term, strict: bool) -> bool:
        """``a`` < ``b`` (or <=) as sh:lessThan compares them: false when either is ill-formed."""
        if any(rewritten(t) and not xsd.well_formed(t) for t in (a, b)):  # type: ignore[arg-type]
            return False
        return self.truth(f"{term(a)} {'<' if strict else '<='} {term(b)}")

    def conforms(self, shape: Shape, value: Term) -> bool:
        return next(self.results(shape, value), None) is None

    def results(self, shape: Shape, focus: Term) -> Iterator[tuple[Shape, str, int, Term | None]]:
        """The results of ``shape`` at the literal ``focus``: (shape, component, index of the
        parameter, value). A literal is no subject, so a property shape (with a predicate path:
        other paths are handed to pyshacl) has no value node there."""
        if shape.deactivated:
            return
        if shape.is_property:
            low, qualified_low = shape.param("minCount"), shape.param("qualifiedMinCount")
            if low is not None and int(low.value) > 0:
                yield shape, "minCount", 0, None
            if shape.param("qualifiedValueShape") is not None and qualified_low is not None and int(qualified_low.value) > 0:
                yield shape, "qualifiedMinCount", 0, None
            if shape.param("hasValue") is not None:
                yield shape, "hasValue", 0, None
            return
        for component in VALUE_COMPONENTS:
            for i, param in enumerate(shape.params.get(component, [])):
                if not self.holds(shape, component, param, focus):
                    yield shape, component, i, focus
        has_value = shape.param("hasValue")
        if has_value is not None and has_value != focus:
            yield shape, "hasValue", 0, None
        for i, _ in enumerate(shape.params.get("equals", [])):
            yield shape, "equals", i, focus   # the other property has no value at a literal
        for prop in shape.properties:
            yield from self.results(prop, focus)


def rewrite_conflict(shape: Shape, view: WrittenView, shape_of: Callable[[Term], Shape], graph: ShapesGraph,
                     at_literal: bool, nested: bool = False, seen: set | None = None) -> str | None:
    """Why the engine cannot check ``shape`` itself where the store rewrote literals, or None.
    ``at_literal``: its focus nodes may be such literals; ``nested``: it is checked inside another
    shape's SPARQL (sh:node and the like), which sees the stored forms only."""
    seen = set() if seen is None else seen
    if (shape.node, at_literal, nested) in seen or shape.deactivated:
        return None
    seen.add((shape.node, at_literal, nested))
    values_rewritten = at_literal
    if shape.path_expr is not None:
        touched = shape.path_expr.predicates() & view.predicates
        if shape.path_expr.kind != "predicate" and (touched or at_literal):
            return "a complex path reaches literals the store rewrote"
        if nested and touched:
            return "a nested shape reads literals the store rewrote"
        values_rewritten = bool(touched)
    if at_literal and shape.params.get("sparql"):
        return "a SPARQL constraint at a literal the store rewrote"
    inner: list[tuple[Term, bool, bool]] = [(p.node, values_rewritten if shape.is_property else at_literal, nested)
                                            for p in shape.properties]
    for component in NESTED:
        for param in shape.params.get(component, []):
            targets = graph.items(param) if component in ("and", "or", "xone") else [param]
            inner += [(t, values_rewritten, True) for t in targets]
    inner += [(q, values_rewritten, True) for q in shape.params.get("qualifiedValueShape", [])]
    for node, literal, deep in inner:
        reason = rewrite_conflict(shape_of(node), view, shape_of, graph, literal, deep, seen)
        if reason:
            return reason
    return None

