"""Compile SHACL Core constraints into SPARQL.

Two forms are produced for each constraint component:

* a *condition* on one value node (``value_condition``), used both in set-based violation queries
  over all focus nodes at once and inside nested shapes;
* a *conformance expression* of a whole shape at one node (``conforms``), used for ``sh:node``,
  ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` and qualified value shapes.

Every condition is wrapped in ``COALESCE(…, false)`` so that a comparison SPARQL cannot make
(an error) counts as a failed constraint, as SHACL requires.
"""

from __future__ import annotations

import itertools
from typing import Callable

import pyoxigraph as ox

from akke_graph.shacl.shapes import Shape, ShapesGraph, Term
from akke_graph.terms import RDF, RDFS, SH, XSD

CLASS_PATH = f"<{RDF}type>/<{RDFS}subClassOf>*"

NODE_KINDS = {
    "IRI": "isIRI({v})",
    "BlankNode": "isBlank({v})",
    "Literal": "isLiteral({v})",
    "BlankNodeOrIRI": "(isBlank({v}) || isIRI({v}))",
    "BlankNodeOrLiteral": "(isBlank({v}) || isLiteral({v}))",
    "IRIOrLiteral": "(isIRI({v}) || isLiteral({v}))",
}

# XSD datatypes SPARQL can cast to, so a cast tells whether the lexical form is well-formed.
CASTABLE = {XSD + t for t in ("integer", "decimal", "float", "double", "boolean", "dateTime",
                              "date", "time", "duration", "dayTimeDuration", "yearMonthDuration")}

_counter = itertools.count()


def fresh(name: str) -> str:
    """A variable name no other part of a generated query uses."""
    return f"?_{name}{next(_counter)}"


def term(node: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """An RDF term in SPARQL syntax (pyoxigraph prints N-Triples, which SPARQL accepts)."""
    if isinstance(node, ox.BlankNode):
        raise ValueError("blank node as a constraint parameter")
    return str(node)


def safe(expression: str) -> str:
    return f"COALESCE({expression}, false)"


class Compiler:
    """Turns shapes into SPARQL fragments; knows the shapes graph for lists and nested shapes."""

    def __init__(self, graph: ShapesGraph, shape_of: Callable[[Term], Shape],
                 subclasses: Callable[[str], list[str]] | None = None) -> None:
        self.graph = graph
        self.shape_of = shape_of
        self.subclasses = subclasses

    # --- value-level constraints ------------------------------------------------------------

    def value_condition(self, shape: Shape, component: str, param: Term, v: str) -> str:
        """A boolean SPARQL expression, true when value ``v`` satisfies the constraint."""
        g = self.graph
        if component == "class":
            if self.subclasses is None:
                return f"EXISTS {{ {v} {CLASS_PATH} {term(param)} }}"
            # The data's subclasses of the class, looked up once: direct type lookups are cheap.
            return "(" + " || ".join(f"EXISTS {{ {v} a <{c}> }}" for c in self.subclasses(param.value)) + ")"
        if component == "datatype":
            dt = term(param)
            if param.value == RDF + "langString":
                return safe(f'(isLiteral({v}) && lang({v}) != "")')
            check = f"(isLiteral({v}) && datatype({v}) = {dt} && lang({v}) = \"\""
            if param.value in CASTABLE:
                check += f" && sameTerm({dt}(STR({v})), {dt}(STR({v})))"
            return safe(check + ")")
        if component == "nodeKind":
            return NODE_KINDS[param.value[len(SH):]].format(v=v)
        if component in ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive"):
            op = {"minExclusive": ">", "minInclusive": ">=", "maxExclusive": "<",
                  "maxInclusive": "<="}[component]
            return safe(f"(!isBlank({v}) && {v} {op} {term(param)})")
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
            members = [term(m) for m in g.items(param)]
            return "(" + (" || ".join(f"sameTerm({v}, {m})" for m in members) or "false") + ")"
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
        parts = []
        if shape.is_property:
            v = fresh("v")
            values = f"{x} {shape.sparql_path} {v}"
            value_tests = [self.value_condition(shape, c, p, v)
                           for c, params in shape.params.items() if c in VALUE_COMPONENTS
                           for p in params]
            if value_tests:
                parts.append(f"NOT EXISTS {{ {values} FILTER(!({' && '.join(value_tests)})) }}")
            parts.extend(self.count_conditions(shape, x))
            parts.extend(self.pair_conditions(shape, x))
            if (unique_lang := shape.param("uniqueLang")) is not None and unique_lang.value == "true":
                a, b = fresh("a"), fresh("b")
                parts.append(f"NOT EXISTS {{ {x} {shape.sparql_path} {a} . {x} {shape.sparql_path} {b} . "
                             f"FILTER(!sameTerm({a}, {b}) && lang({a}) != \"\" && LCASE(lang({a})) = LCASE(lang({b}))) }}")
            has_value = shape.param("hasValue")
            if has_value is not None:
                parts.append(f"EXISTS {{ {x} {shape.sparql_path} {term(has_value)} }}")
        else:
            parts.extend(self.value_condition(shape, c, p, x)
                         for c, params in shape.params.items() if c in VALUE_COMPONENTS for p in params)
            has_value = shape.param("hasValue")
            if has_value is not None:
                parts.append(f"sameTerm({x}, {term(has_value)})")
            if (closed := shape.param("closed")) is not None and closed.value == "true":
                parts.append(f"NOT EXISTS {{ {x} ?_p {fresh('o')} FILTER({self.closed_filter(shape, '?_p')}) }}")
        if shape.params.get("sparql"):
            raise ValueError("SPARQL constraints inside nested shapes")
        for prop in shape.properties:
            parts.append(self.conforms(prop, x))
        return "(" + (" && ".join(parts) or "true") + ")"

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
        qualified = shape.param("qualifiedValueShape")
        if qualified is not None:
            q = self.shape_of(qualified)
            qmin, qmax = shape.param("qualifiedMinCount"), shape.param("qualifiedMaxCount")
            test = lambda var: self.conforms(q, var)  # noqa: E731
            if qmin is not None and int(qmin.value) > 0:
                out.append(f"EXISTS {{ {self.distinct_values(x, path, int(qmin.value), test)} }}")
            if qmax is not None:
                out.append(f"NOT EXISTS {{ {self.distinct_values(x, path, int(qmax.value) + 1, test)} }}")
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

    def pair_conditions(self, shape: Shape, x: str) -> list[str]:
        out = []
        for component in PAIR_COMPONENTS:
            for other in shape.params.get(component, []):
                out.append(f"NOT EXISTS {{ {self.pair_violation(shape, component, other, x, fresh('v'), fresh('w'))} }}")
        return out

    @staticmethod
    def pair_violation(shape: Shape, component: str, other: Term, x: str, v: str, w: str) -> str:
        """A pattern binding ``v`` to each value that breaks a property-pair constraint."""
        p, q = shape.sparql_path or "", term(other)
        if component == "equals":
            return (f"{{ {x} {p} {v} FILTER NOT EXISTS {{ {x} {q} {v} }} }} UNION "
                    f"{{ {x} {q} {v} FILTER NOT EXISTS {{ {x} {p} {v} }} }}")
        if component == "disjoint":
            return f"{x} {p} {v} . {x} {q} {v} ."
        op = "<" if component == "lessThan" else "<="
        return f"{x} {p} {v} . {x} {q} {w} . FILTER(!{safe(f'{v} {op} {w}')})"

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
