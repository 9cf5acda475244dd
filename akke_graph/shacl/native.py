"""The native SHACL engine: runs the shapes as set-based SPARQL queries on the store.

Each shape costs a handful of queries over *all* its focus nodes at once (value constraints in one
query with a flag per constraint, cardinalities in one aggregate query, then the property-pair,
``sh:uniqueLang``, ``sh:hasValue``, ``sh:closed`` and SHACL-SPARQL constraints), instead of one
evaluation per focus node. A shape that uses something this engine does not compile is handed to
pyshacl, the reference engine, and reported in ``ShaclOutcome.delegated``.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Generator, Iterable

import pyoxigraph as ox

from akke_graph.shacl.compiler import (PAIR_COMPONENTS, VALUE_COMPONENTS, Compiler, fresh, safe,
                                       term)
from akke_graph.shacl.outcome import ShaclOutcome, ValidationResult
from akke_graph.shacl.shapes import Shape, ShapeReader, ShapesGraph, Term, prefixes_of, read_shapes
from akke_graph.store import Store
from akke_graph.terms import RDFS, SH

COMPONENT = {
    "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent", "minExclusive": "MinExclusiveConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent", "maxExclusive": "MaxExclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent", "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent", "pattern": "PatternConstraintComponent",
    "languageIn": "LanguageInConstraintComponent", "uniqueLang": "UniqueLangConstraintComponent",
    "equals": "EqualsConstraintComponent", "disjoint": "DisjointConstraintComponent",
    "lessThan": "LessThanConstraintComponent", "lessThanOrEquals": "LessThanOrEqualsConstraintComponent",
    "not": "NotConstraintComponent", "and": "AndConstraintComponent", "or": "OrConstraintComponent",
    "xone": "XoneConstraintComponent", "node": "NodeConstraintComponent",
    "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
    "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent",
    "closed": "ClosedConstraintComponent", "hasValue": "HasValueConstraintComponent",
    "in": "InConstraintComponent", "sparql": "SPARQLConstraintComponent",
}

# A task yields a query, receives its rows, and may yield another; it records results as it goes.
Task = Generator[str, list, None]

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"\{([$?])([A-Za-z_][A-Za-z0-9_]*)\}")


class Subclasses:
    """The data's subclasses of a class (itself included), looked up once per class. A callable
    object, not a bound method of the engine: no reference cycle keeps an on-disk store open."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.cache: dict[str, list[str]] = {}

    def __call__(self, cls: str) -> list[str]:
        if cls not in self.cache:
            rows = self.store.select(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS}subClassOf>* <{cls}> }}")
            found = {r["c"].value for r in rows if isinstance(r.get("c"), ox.NamedNode)} | {cls}
            self.cache[cls] = sorted(found)
        return self.cache[cls]


class NativeEngine:
    """Validates one store against one shapes graph."""

    def __init__(self, store: Store, graph: ShapesGraph) -> None:
        self.store = store
        self.graph = graph
        self.reader = ShapeReader(graph)
        self.subclasses = Subclasses(store)
        self.compiler = Compiler(graph, self.reader.shape, self.subclasses)
        self.results: set[ValidationResult] = set()
        self.prefixes: dict[str, str] = {}

    # --- driving ----------------------------------------------------------------------------

    def run(self) -> ShaclOutcome:
        outcome = ShaclOutcome(engine="native")
        tasks: list[Task] = []
        for shape in read_shapes(self.graph, self.reader):
            if shape.deactivated:
                continue
            try:
                focus = self.focus_pattern(shape)
                self.check_compilable(shape)
            except ValueError as exc:
                outcome.delegated.append(f"{shape.node} ({exc})")
                continue
            tasks.extend(self.shape_tasks(shape, focus))
            if shape.is_property:  # a property shape with targets of its own
                tasks.append(self.count_constraints([shape], focus))
        self.execute(tasks)
        outcome.results = sorted(self.results, key=ValidationResult.key)
        return outcome

    def execute(self, tasks: list[Task]) -> None:
        """Run the tasks' queries concurrently (pyoxigraph releases the GIL while it evaluates a
        query), feeding each task its rows until it asks for no more."""
        pending: list[tuple[Task, str]] = []
        for task in tasks:
            try:
                pending.append((task, next(task)))
            except StopIteration:
                pass
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            while pending:
                futures = {pool.submit(self.store.select, query): task for task, query in pending}
                pending = []
                for future in as_completed(futures):
                    task = futures[future]
                    try:
                        pending.append((task, task.send(future.result())))
                    except StopIteration:
                        pass

    def check_compilable(self, shape: Shape) -> None:
        """Raise ``ValueError`` naming the first feature of ``shape`` this engine cannot run."""
        if shape.unsupported:
            raise ValueError(", ".join(shape.unsupported))
        for component in ("node", "not"):
            for nested in shape.params.get(component, []):
                self.compiler.conforms(self.reader.shape(nested), "?_x")
        for component in ("and", "or", "xone"):
            for head in shape.params.get(component, []):
                for nested in self.graph.items(head):
                    self.compiler.conforms(self.reader.shape(nested), "?_x")
        for qualified in shape.params.get("qualifiedValueShape", []):
            self.compiler.conforms(self.reader.shape(qualified), "?_x")
        if (disjoint := shape.param("qualifiedValueShapesDisjoint")) is not None and \
                disjoint.value == "true":
            raise ValueError("sh:qualifiedValueShapesDisjoint")
        for prop in shape.properties:
            if prop.properties and shape.is_property:
                raise ValueError("property shapes nested in property shapes")
            self.check_compilable(prop)
        for constraint in shape.params.get("sparql", []):
            text = self.sparql_select(constraint)
            if "$currentShape" in text or "$shapesGraph" in text:
                raise ValueError("$currentShape/$shapesGraph in a SPARQL constraint")
            if _WHERE.search(text) is None:
                raise ValueError("a SPARQL constraint without WHERE")

    def shape_tasks(self, shape: Shape, focus: str) -> list[Task]:
        """One task per query family of ``shape`` and of its property shapes."""
        if shape.deactivated:
            return []
        tasks = [self.value_constraints(shape, focus)]
        if shape.is_property:
            tasks += [self.pair_constraints(shape, focus), self.unique_lang(shape, focus),
                      self.has_value(shape, focus)]
        else:
            tasks.append(self.closed(shape, focus))
        tasks += [self.sparql_constraint(shape, c, focus) for c in shape.params.get("sparql", [])]
        on_path: dict[str, list[Shape]] = {}
        for prop in shape.properties:
            if not prop.deactivated:
                tasks += self.shape_tasks(prop, focus)
                on_path.setdefault(prop.sparql_path or "", []).append(prop)
        tasks += [self.count_constraints(group, focus) for group in on_path.values()]
        return tasks

    # --- focus nodes ------------------------------------------------------------------------

    def focus_pattern(self, shape: Shape) -> str:
        """A group pattern binding ``?this`` to each focus node of ``shape`` once."""
        parts: list[str] = []
        for kind, value in shape.targets:
            if kind == "targetClass":
                parts.extend(f"?this a <{c}> ." for c in self.subclasses(value.value))
            elif kind == "targetNode":
                parts.append(f"VALUES ?this {{ {term(value)} }}")
            elif kind == "targetSubjectsOf":
                parts.append(f"?this {term(value)} ?_any .")
            elif kind == "targetObjectsOf":
                parts.append(f"?_any {term(value)} ?this .")
            else:
                select = self.graph.value(value, SH + "select")
                if select is None:
                    raise ValueError("a custom sh:target that is not a SPARQL target")
                self.prefixes.update(prefixes_of(self.graph, value))
                parts.append("{ " + select.value + " }")
        if not parts:
            raise ValueError("no target")
        # No DISTINCT: a node reached twice only repeats rows, and results are a set and counts
        # are COUNT(DISTINCT …) — the extra hashing costs more than it saves at scale.
        if len(parts) == 1:
            return parts[0]
        return " UNION ".join("{ " + p + " }" for p in parts)

    # --- queries ----------------------------------------------------------------------------

    def query(self, body: str, extra_prefixes: dict[str, str] | None = None) -> str:
        """A query with the prologue of every prefix the shapes declared for it."""
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in {**self.prefixes, **(extra_prefixes or {})}.items())
        return prologue + body

    def add(self, shape: Shape, focus: Term, component: str, value: Term | None = None,
            path: Term | None = None, path_text: str | None = None, constraint: Term | None = None,
            messages: Iterable[ox.Literal] | None = None) -> None:
        self.results.add(ValidationResult(
            focus=focus, component=SH + COMPONENT[component], severity=shape.severity.value,
            source_shape=shape.node, path=path if path is not None else shape.path,
            path_text=path_text if path_text is not None else shape.sparql_path,
            value=value, source_constraint=constraint,
            messages=tuple(messages if messages is not None else shape.messages)))

    def value_constraints(self, shape: Shape, focus: str) -> Task:
        """All value-level constraints of a shape in one query, one flag per constraint."""
        checks = [(c, p) for c in VALUE_COMPONENTS for p in shape.params.get(c, [])]
        if not shape.is_property and (has_value := shape.param("hasValue")) is not None:
            checks.append(("hasValue", has_value))
        if not checks:
            return
        v = "?v" if shape.is_property else "?this"
        binds, flags = [], []
        for i, (component, param) in enumerate(checks):
            if component == "hasValue":
                condition = f"sameTerm(?this, {term(param)})"
            else:
                condition = self.compiler.value_condition(shape, component, param, v)
            binds.append(f"BIND({safe(condition)} AS ?k{i})")
            flags.append(f"!?k{i}")
        values = f"?this {shape.sparql_path} ?v ." if shape.is_property else ""
        flag_vars = " ".join(f"?k{i}" for i in range(len(checks)))
        rows = yield self.query(f"SELECT ?this {'?v' if shape.is_property else ''} {flag_vars} WHERE {{ "
                           f"{focus} {values} {' '.join(binds)} FILTER({' || '.join(flags)}) }}")
        for row in rows:
            for i, (component, _) in enumerate(checks):
                flag = row.get(f"k{i}")
                if isinstance(flag, ox.Literal) and flag.value == "false":
                    value = row.get("v") if shape.is_property else row["this"]
                    self.add(shape, row["this"], component, value=value)

    def count_constraints(self, shapes: list[Shape], focus: str) -> Task:
        """minCount, maxCount and qualified counts of all property shapes on one path of one
        node shape, in one aggregate query (a title's shapes alone would otherwise cost three)."""
        path = shapes[0].sparql_path
        checks: list[tuple[Shape, str, str, str, int]] = []  # shape, component, count, op, bound
        counts, binds = [], []
        for i, shape in enumerate(shapes):
            low, high = shape.param("minCount"), shape.param("maxCount")
            if low is not None and int(low.value) > 0:
                checks.append((shape, "minCount", "n", "<", int(low.value)))
            if high is not None:
                checks.append((shape, "maxCount", "n", ">", int(high.value)))
            qualified = shape.param("qualifiedValueShape")
            qmin, qmax = shape.param("qualifiedMinCount"), shape.param("qualifiedMaxCount")
            if qualified is not None and (qmin is not None or qmax is not None):
                condition = self.compiler.conforms(self.reader.shape(qualified), "?v")
                binds.append(f"BIND(IF({condition}, ?v, ?_unbound) AS ?q{i})")
                counts.append(f"(COUNT(DISTINCT ?q{i}) AS ?nq{i})")
                if qmin is not None and int(qmin.value) > 0:
                    checks.append((shape, "qualifiedMinCount", f"nq{i}", "<", int(qmin.value)))
                if qmax is not None:
                    checks.append((shape, "qualifiedMaxCount", f"nq{i}", ">", int(qmax.value)))
        if not checks:
            return
        having = " || ".join(f"COUNT(DISTINCT ?{'v' if var == 'n' else 'q' + var[2:]}) {op} {bound}"
                             for _, _, var, op, bound in checks)
        rows = yield self.query(
            f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) {' '.join(counts)} WHERE {{ {focus} "
            f"OPTIONAL {{ ?this {path} ?v . {' '.join(binds)} }} }} GROUP BY ?this HAVING ({having})")
        for row in rows:
            for shape, component, var, op, bound in checks:
                n = int(row[var].value)
                if (n < bound) if op == "<" else (n > bound):
                    self.add(shape, row["this"], component)

    def pair_constraints(self, shape: Shape, focus: str) -> Task:
        for component in PAIR_COMPONENTS:
            for other in shape.params.get(component, []):
                pattern = self.compiler.pair_violation(shape, component, other, "?this", "?v", fresh("w"))
                rows = yield self.query(f"SELECT DISTINCT ?this ?v WHERE {{ {focus} {pattern} }}")
                for row in rows:
                    self.add(shape, row["this"], component, value=row.get("v"))

    def unique_lang(self, shape: Shape, focus: str) -> Task:
        flag = shape.param("uniqueLang")
        if flag is None or flag.value != "true":
            return
        p = shape.sparql_path
        rows = yield self.query(f"SELECT DISTINCT ?this (LCASE(lang(?a)) AS ?lang) WHERE {{ {focus} "
                           f"?this {p} ?a . ?this {p} ?b . FILTER(!sameTerm(?a, ?b) && lang(?a) != \"\" "
                           f"&& LCASE(lang(?a)) = LCASE(lang(?b))) }}")
        for row in rows:
            self.add(shape, row["this"], "uniqueLang")

    def has_value(self, shape: Shape, focus: str) -> Task:
        value = shape.param("hasValue")
        if value is None:
            return
        rows = yield self.query(f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {shape.sparql_path} {term(value)} }} }}")
        for row in rows:
            self.add(shape, row["this"], "hasValue")

    def closed(self, shape: Shape, focus: str) -> Task:
        flag = shape.param("closed")
        if flag is None or flag.value != "true":
            return
        condition = self.compiler.closed_filter(shape, "?p")
        rows = yield self.query(f"SELECT ?this ?p ?o WHERE {{ {focus} ?this ?p ?o FILTER({condition}) }}")
        for row in rows:
            self.add(shape, row["this"], "closed", value=row["o"], path=row["p"],
                     path_text=f"<{row['p'].value}>")

    # --- SHACL-SPARQL -----------------------------------------------------------------------

    def sparql_select(self, constraint: Term) -> str:
        select = self.graph.value(constraint, SH + "select")
        if select is None:
            raise ValueError("a SPARQL constraint without sh:select")
        return select.value

    def sparql_constraint(self, shape: Shape, constraint: Term, focus: str) -> Task:
        """Run ``sh:select`` once over all focus nodes: ``$this`` becomes ``?this`` joined with them."""
        deactivated = self.graph.value(constraint, SH + "deactivated")
        if isinstance(deactivated, ox.Literal) and deactivated.value == "true":
            return
        text = self.sparql_select(constraint)
        if shape.sparql_path:
            text = text.replace("$PATH", shape.sparql_path)
        text = text.replace("$this", "?this")
        match = _WHERE.search(text)
        if match is None:
            raise ValueError("a SPARQL constraint without WHERE")
        query = text[: match.end()] + " " + focus + " " + text[match.end():]
        messages = [m for m in self.graph.objects(constraint, SH + "message") if isinstance(m, ox.Literal)]
        messages = messages or shape.messages
        rows = yield self.query(query, prefixes_of(self.graph, constraint))
        for row in rows:
            path = row.get("path")
            self.add(shape, row["this"], "sparql", value=row.get("value"),
                     path=path if path is not None else shape.path,
                     path_text=f"<{path.value}>" if isinstance(path, ox.NamedNode) else shape.sparql_path,
                     constraint=constraint,
                     messages=[substitute(m, row) for m in messages])


def substitute(message: ox.Literal, row: dict) -> ox.Literal:
    """Fill ``{?var}`` and ``{$var}`` in a SPARQL constraint's message from one result row."""
    def fill(match: re.Match[str]) -> str:
        name = "this" if match.group(2) == "this" else match.group(2)
        value = row.get(name)
        if value is None:
            return match.group(0)
        return value.value if isinstance(value, (ox.NamedNode, ox.Literal)) else str(value)

    text = _PLACEHOLDER.sub(fill, message.value)
    return ox.Literal(text, language=message.language) if message.language else ox.Literal(text)


def validate_native(store: Store, graph: ShapesGraph) -> ShaclOutcome:
    """Validate ``store`` against ``graph`` with the native engine."""
    return NativeEngine(store, graph).run()
