"""Compile SHACL Core constraints into SPARQL.

Two forms are produced for each constraint component:

* a *condition* on one value node (``value_condition``), used both in set-based violation queries
  over all focus nodes at once and inside nested shapes;
* a *conformance expression* of a whole shape at one node (``conforms``), used for ``sh:node``,
  ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` and qualified value shapes.

Every condition is wrapped in ``COALESCE(…, false)`` so that a comparison SPARQL cannot make
(an error) counts as a failed constraint, as SHACL requires.

A constant the store would rewrite (``"7"^^xsd:int`` as a member of ``sh:in``) is never the same
term as a value the store holds as written, so sameness with it compiles to false; the values
the store did rewrite are checked by :mod:`akke_graph.shacl.literals`.
"""

from __future__ import annotations

import itertools
from typing import Callable

import pyoxigraph as ox

from akke_graph.shacl import xsd
from akke_graph.shacl.shapes import Shape, ShapesGraph, Term
from akke_graph.terms import RDF, RDFS, SH
from akke_graph.written import rewritten

CLASS_PATH = f"<{RDF}type>/<{RDFS}subClassOf>*"

NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}
RANGE_OPERATORS = {"minExclusive": ">", "minInclusive": ">=", "maxExclusive": "<", "maxInclusive": "<="}

_counter = itertools.count()


def fresh(name: str) -> str:
    """A variable name no other part of a generated query uses."""
    return f"?_{name}{next(_counter)}"


def term(node: object) -> str:
    """An RDF term in SPARQL syntax (pyoxigraph prints N-Triples, which SPARQL accepts)."""
    if isinstance(node, ox.BlankNode):
        raise ValueError("blank node as a constraint parameter")
    return str(node)


def safe(expression: str) -> str:
    return f"COALESCE({expression}, false)"


def same(v: str, constant: object) -> str:
    """``v`` is the term ``constant`` (never, for a constant the store would rewrite)."""
    return "false" if rewritten(constant) else f"sameTerm({v}, {term(constant)})"


def flag(shape: Shape, name: str) -> bool:
    """A boolean parameter: only ``true`` turns it on (``"1"^^xsd:boolean`` does not)."""
    value = shape.param(name)
    return isinstance(value, ox.Literal) and value.value == "true"


class Compiler:
    """Turns shapes into SPARQL fragments; knows the shapes graph for lists and nested shapes."""

    def __init__(self, graph: ShapesGraph, shape_of: Callable[[Term], Shape],
                 subclasses: Callable[[str], list[str]] | None = None) -> None:
        self.graph = graph
        self.shape_of = shape_of
        self.subclasses = subclasses
        self._compiling: list[Term] = []

    # --- value-level constraints ------------------------------------------------------------

    def value_condition(self, shape: Shape, component: str, param: Term, v: str) -> str:
        """A boolean SPARQL expression, true when value ``v`` satisfies the constraint."""
        g = self.graph
        if component == "class":
            if self.subclasses is None or not isinstance(param, ox.NamedNode):
                return f"EXISTS {{ {v} {CLASS_PATH} {term(param)} }}"
            # The data's subclasses of the class, looked up once: direct type lookups are cheap.
            return "(" + " || ".join(f"EXISTS {{ {v} a <{c}> }}" for c in self.subclasses(param.value)) + ")"
        if component == "datatype":
            if param.value == RDF + "langString":
                return safe(f'(isLiteral({v}) && lang({v}) != "")')
            check = f"isLiteral({v}) && datatype({v}) = {term(param)} && lang({v}) = \"\""
            well_formed = xsd.sparql_well_formed(v, param.value)
            return safe(f"({check}{' && ' + well_formed if well_formed else ''})")
        if component == "nodeKind":
            return NODE_KINDS[param.value[len(SH):]].format(v=v)
        if component in RANGE_OPERATORS:
            return safe(f"(!isBlank({v}) && {v} {RANGE_OPERATORS[component]} {term(param)})")
        if component in ("minLength", "maxLength"):
            op = ">=" if component == "minLength" else "<="
            return safe(f"(!isBlank({v}) && STRLEN(STR({v})) {op} {int(param.value)})")
        if component == "pattern":
            flags = shape.param("flags")
            pattern = term(ox.Literal(param.value))
            extra = f", {term(ox.Literal(flags.value))}" if flags is not None else ""
            return safe(f"(!isBlank({v}) && REGEX(STR({v}), {pattern}{extra}))")
        if component == "languageIn":
            tags = [t.value for t in g.items(param)]
            tests = " || ".join(f'langMatches(lang({v}), {term(ox.Literal(t))})' for t in tags) or "false"
            return safe(f"(isLiteral({v}) && ({tests}))")
        if component == "in":
            return "(" + (" || ".join(same(v, m) for m in g.items(param)) or "false") + ")"
        if component == "node":
            return self.conforms(self.shape_of(param), v)
        if component == "not":
            return f"!({self.conforms(self.shape_of(param), v)})"
        if component in ("and", "or"):
            parts = [self.conforms(self.shape_of(s), v) for s in g.items(param)]
            joiner = " && " if component == "and" else " || "
            return "(" + (joiner.join(parts) or ("true" if component == "and" else "false")) + ")"
        if component == "xone":
            parts = [f"IF({self.conforms(self.shape_of(s), v)}, 1, 0)" for s in g.items(param)]
            return "((" + (" + ".join(parts) or "0") + ") = 1)"
        raise ValueError(f"sh:{component} is not a value constraint")

    # --- conformance of a whole shape at one node -------------------------------------------

    def conforms(self, shape: Shape, x: str) -> str:
        """A boolean expression: node ``x`` conforms to ``shape`` (all its constraints hold)."""
        if shape.unsupported:
            raise ValueError(", ".join(shape.unsupported))
        if shape.deactivated:
            return "true"
        if shape.node in self._compiling:
            raise ValueError("a shape that refers to itself (recursive shapes are undefined in SHACL)")
        self._compiling.append(shape.node)
        try:
            return "(" + (" && ".join(self.conformance_parts(shape, x)) or "true") + ")"
        finally:
            self._compiling.pop()

    def conformance_parts(self, shape: Shape, x: str) -> list[str]:
        if shape.params.get("sparql"):
            raise ValueError("SPARQL constraints inside nested shapes")
        parts = []
        tests = [(c, p) for c in VALUE_COMPONENTS for p in shape.params.get(c, [])]
        has_value = shape.param("hasValue")
        if shape.is_property:
            if tests:
                v = fresh("v")
                condition = " && ".join(self.value_condition(shape, c, p, v) for c, p in tests)
                parts.append(f"NOT EXISTS {{ {self.values(shape, x, v)} FILTER(!({condition})) }}")
            parts.extend(self.count_conditions(shape, x))
            if flag(shape, "uniqueLang"):
                a, b = fresh("a"), fresh("b")
                parts.append(f"NOT EXISTS {{ {x} {shape.sparql_path} {a} . {x} {shape.sparql_path} {b} . "
                             f"FILTER(!sameTerm({a}, {b}) && lang({a}) != \"\" && LCASE(lang({a})) = LCASE(lang({b}))) }}")
            if has_value is not None:
                parts.append("false" if rewritten(has_value) else
                             f"EXISTS {{ {x} {shape.sparql_path} {term(has_value)} }}")
            for prop in shape.properties:
                v = fresh("v")
                parts.append(f"NOT EXISTS {{ {self.values(shape, x, v)} FILTER(!{self.conforms(prop, v)}) }}")
        else:
            parts.extend(self.value_condition(shape, c, p, x) for c, p in tests)
            if has_value is not None:
                parts.append(same(x, has_value))
            if flag(shape, "closed"):
                parts.append(f"NOT EXISTS {{ {x} ?_p {fresh('o')} FILTER({self.closed_filter(shape, '?_p')}) }}")
            parts.extend(self.conforms(prop, x) for prop in shape.properties)
        parts.extend(self.pair_holds(shape, component, other, x)
                     for component in PAIR_COMPONENTS for other in shape.params.get(component, []))
        return parts

    @staticmethod
    def values(shape: Shape, x: str, v: str) -> str:
        """A pattern binding ``v`` to each value node of ``shape`` at focus node ``x``."""
        return f"{x} {shape.sparql_path} {v} ." if shape.is_property else f"BIND({x} AS {v})"

    def count_conditions(self, shape: Shape, x: str) -> list[str]:
        """Cardinality and qualified cardinality as EXISTS tests on distinct values."""
        out = []
        path = shape.sparql_path or ""
        low = shape.param("minCount")
        if low is not None and int(low.value) > 0:
            out.append(f"EXISTS {{ {self.distinct_values(x, path, int(low.value))} }}")
        high = shape.param("maxCount")
        if high is not None:
            out.append(f"NOT EXISTS {{ {self.distinct_values(x, path, int(high.value) + 1)} }}")
        if shape.param("qualifiedValueShape") is not None:
            qmin, qmax = shape.param("qualifiedMinCount"), shape.param("qualifiedMaxCount")
            test = lambda var: self.qualified(shape, var)  # noqa: E731
            if qmin is not None and int(qmin.value) > 0:
                out.append(f"EXISTS {{ {self.distinct_values(x, path, int(qmin.value), test)} }}")
            if qmax is not None:
                out.append(f"NOT EXISTS {{ {self.distinct_values(x, path, int(qmax.value) + 1, test)} }}")
        return out

    def qualified(self, shape: Shape, v: str) -> str:
        """``v`` counts for the qualified cardinalities of ``shape``: it conforms to the qualified
        value shape and, with ``sh:qualifiedValueShapesDisjoint``, to none of its siblings."""
        test = self.conforms(self.shape_of(shape.params["qualifiedValueShape"][0]), v)
        if flag(shape, "qualifiedValueShapesDisjoint"):
            test += "".join(f" && !{self.conforms(self.shape_of(s), v)}" for s in self.siblings(shape))
        return test

    def siblings(self, shape: Shape) -> list[Term]:
        """The qualified value shapes of the other property shapes of ``shape``'s parent shapes."""
        own = shape.params["qualifiedValueShape"][0]
        out: list[Term] = []
        for parent in self.graph.subjects(SH + "property", shape.node):
            for other in self.graph.objects(parent, SH + "property"):
                out += [q for q in self.graph.objects(other, SH + "qualifiedValueShape")
                        if other != shape.node and q != own and q not in out]
        return out

    @staticmethod
    def distinct_values(x: str, path: str, n: int, test: Callable[[str], str] | None = None) -> str:
        """A pattern matching when ``x`` has at least ``n`` distinct values (passing ``test``)."""
        if n > 6:
            raise ValueError("cardinalities above 6 inside nested shapes")
        names = [fresh("n") for _ in range(n)]
        pattern = " ".join(f"{x} {path} {name} ." for name in names)
        filters = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(names, 2)]
        if test:
            filters += [test(name) for name in names]
        return pattern + (f" FILTER({' && '.join(filters)})" if filters else "")

    def pair_branches(self, shape: Shape, component: str, other: Term, x: str, v: str, w: str) -> list[str]:
        """Patterns (alternatives) binding ``v`` to each value that breaks a property-pair
        constraint at focus node ``x`` (and ``w`` to the other property's value, for sh:lessThan
        and sh:lessThanOrEquals). At a node shape the value node is ``x`` itself, which each
        pattern must follow a pattern binding ``x``."""
        q = term(other)
        if not shape.is_property:
            if component == "equals":
                return [f"BIND({x} AS {v}) FILTER NOT EXISTS {{ {x} {q} {x} }}",
                        f"{x} {q} {v} FILTER(!sameTerm({v}, {x}))"]
            if component == "disjoint":
                return [f"{x} {q} {v} FILTER(sameTerm({v}, {x}))"]
            raise ValueError(f"sh:{component} on a node shape")
        p = shape.sparql_path
        if component == "equals":
            return [f"{x} {p} {v} FILTER NOT EXISTS {{ {x} {q} {v} }}",
                    f"{x} {q} {v} FILTER NOT EXISTS {{ {x} {p} {v} }}"]
        if component == "disjoint":
            return [f"{x} {p} {v} . {x} {q} {v} ."]
        op = "<" if component == "lessThan" else "<="
        return [f"{x} {p} {v} . {x} {q} {w} . FILTER(!{safe(f'{v} {op} {w}')})"]

    def pair_holds(self, shape: Shape, component: str, other: Term, x: str) -> str:
        """A boolean expression: the property-pair constraint holds at ``x``."""
        q = term(other)
        if not shape.is_property and component == "equals":
            return f"(EXISTS {{ {x} {q} {x} }} && NOT EXISTS {{ {x} {q} ?_e FILTER(!sameTerm(?_e, {x})) }})"
        if not shape.is_property and component == "disjoint":
            return f"NOT EXISTS {{ {x} {q} {x} }}"
        branches = self.pair_branches(shape, component, other, x, fresh("v"), fresh("w"))
        return "NOT EXISTS { " + " UNION ".join("{ " + b + " }" for b in branches) + " }"

    def closed_filter(self, shape: Shape, p: str) -> str:
        """True for predicates a closed shape does not allow."""
        allowed = {prop.path.value for prop in shape.properties if isinstance(prop.path, ox.NamedNode)}
        for ignored in shape.params.get("ignoredProperties", []):
            allowed.update(i.value for i in self.graph.items(ignored) if isinstance(i, ox.NamedNode))
        if not allowed:
            return "true"
        return "!(" + " || ".join(f"{p} = <{a}>" for a in sorted(allowed)) + ")"


VALUE_COMPONENTS = ("class", "datatype", "nodeKind", "minExclusive", "minInclusive", "maxExclusive",
                    "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "in", "node",
                    "not", "and", "or", "xone")
PAIR_COMPONENTS = ("equals", "disjoint", "lessThan", "lessThanOrEquals")
