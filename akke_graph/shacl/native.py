"""The native SHACL engine: runs the shapes as set-based SPARQL queries on the store.

Each shape costs a handful of queries over *all* its focus nodes at once (value constraints in one
query with a flag per constraint, cardinalities in one aggregate query, then the property-pair,
``sh:uniqueLang``, ``sh:hasValue``, ``sh:closed`` and SHACL-SPARQL constraints), instead of one
evaluation per focus node. A shape that uses something this engine does not compile is handed to
pyshacl, the reference engine, and reported in ``ShaclOutcome.delegated``.

Results are a list, as SHACL defines them: one per value node, constraint and parameter, and one
per path through nested property shapes (a node reached from two focus nodes is reported twice).
Each is kept under a key naming what produced it, so that a focus node two targets name is still
reported once. Literals the store rewrote are checked as written (:mod:`akke_graph.shacl.literals`).
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Generator, Iterable

import pyoxigraph as ox

from akke_graph.shacl.compiler import (PAIR_COMPONENTS, VALUE_COMPONENTS, Compiler, flag, safe, same,
                                       term)
from akke_graph.shacl.literals import NESTED, LiteralChecks, WrittenView, rewrite_conflict
from akke_graph.shacl.outcome import ShaclOutcome, ValidationResult
from akke_graph.shacl.shapes import Shape, ShapeReader, ShapesGraph, Term, prefixes_of, read_shapes
from akke_graph.store import Store
from akke_graph.terms import RDFS, SH
from akke_graph.written import rewritten

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


@dataclass(frozen=True)
class Focus:
    """Where a shape's focus nodes come from: ``pattern`` binds ``?this``. The focus nodes of a
    property shape nested in a property shape are that shape's value nodes, once per outer focus
    node: ``context`` names the variables of the outer nodes, ``via`` the property shapes."""

    pattern: str
    origin: Term
    context: tuple[str, ...] = ()
    via: tuple[Shape, ...] = ()

    @property
    def variables(self) -> str:
        return " ".join((*self.context, "?this"))

    def nested(self, shape: Shape) -> "Focus":
        """The value nodes of property shape ``shape`` as focus nodes of its property shapes."""
        outer, keep = f"?_c{len(self.context)}", " ".join(self.context)
        pattern = (f"{{ SELECT DISTINCT {keep} {outer} ?this WHERE {{ "
                   f"{{ SELECT {keep} (?this AS {outer}) WHERE {{ {self.pattern} }} }} "
                   f"{outer} {shape.sparql_path} ?this }} }}")
        return Focus(pattern, self.origin, (*self.context, outer), (*self.via, shape))


class NativeEngine:
    """Validates one store against one shapes graph."""

    def __init__(self, store: Store, graph: ShapesGraph) -> None:
        self.store = store
        self.graph = graph
        self.reader = ShapeReader(graph)
        self.subclasses = Subclasses(store)
        self.compiler = Compiler(graph, self.reader.shape, self.subclasses)
        self.written = WrittenView(store.written_triples())
        self.literals = LiteralChecks(store, self.compiler, self.reader.shape, graph)
        self.results: dict[tuple, ValidationResult] = {}
        self.prefixes: dict[str, str] = {}

    # --- driving ----------------------------------------------------------------------------

    def run(self) -> ShaclOutcome:
        outcome = ShaclOutcome(engine="native")
        tasks: list[Task] = []
        for shape in read_shapes(self.graph, self.reader):
            if shape.deactivated:
                continue
            try:
                self.check_compilable(shape)
                focus, literals = self.focus(shape)
                if literals or self.written:
                    reason = rewrite_conflict(shape, self.written, self.reader.shape, self.graph, bool(literals))
                    if reason:
                        raise ValueError(reason)
            except ValueError as exc:
                outcome.delegated.append(f"{shape.node} ({exc})")
                continue
            tasks.extend(self.shape_tasks(shape, focus))
            if shape.is_property:  # a property shape with targets of its own
                tasks.append(self.count_constraints([shape], focus))
            for literal in literals:
                for owner, component, index, value in self.literals.results(shape, literal):
                    self.emit(owner, focus, {"this": literal}, component, index=index, value=value)
        self.execute(tasks)
        outcome.results = sorted(self.results.values(), key=ValidationResult.key)
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

    def check_compilable(self, shape: Shape, seen: frozenset = frozenset()) -> None:
        """Raise ``ValueError`` naming the first feature of ``shape`` this engine cannot run."""
        if shape.deactivated:
            return
        if shape.unsupported:
            raise ValueError(", ".join(shape.unsupported))
        for component in VALUE_COMPONENTS:
            for param in shape.params.get(component, []):
                try:
                    self.compiler.value_condition(shape, component, param, "?_x")
                except (AttributeError, KeyError, TypeError) as exc:
                    raise ValueError(f"sh:{component} {param} ({exc.__class__.__name__})") from None
        if shape.node in seen:
            raise ValueError("a shape that refers to itself (recursive shapes are undefined in SHACL)")
        for component in NESTED:
            for param in shape.params.get(component, []):
                nested = self.graph.items(param) if component in ("and", "or", "xone") else [param]
                for node in nested:
                    self.compiler.conforms(self.reader.shape(node), "?_x")
        if shape.param("qualifiedValueShape") is not None:
            self.compiler.qualified(shape, "?_x")
        if shape.is_property and flag(shape, "closed"):
            raise ValueError("sh:closed on a property shape")
        if not shape.is_property and (shape.params.get("lessThan") or shape.params.get("lessThanOrEquals")):
            raise ValueError("sh:lessThan on a node shape")
        for prop in shape.properties:
            self.check_compilable(prop, seen | {shape.node})
        for constraint in shape.params.get("sparql", []):
            text = self.sparql_select(constraint)
            if "$currentShape" in text or "$shapesGraph" in text:
                raise ValueError("$currentShape/$shapesGraph in a SPARQL constraint")
            if _WHERE.search(text) is None:
                raise ValueError("a SPARQL constraint without WHERE")

    def shape_tasks(self, shape: Shape, focus: Focus) -> list[Task]:
        """One task per query family of ``shape`` and of its property shapes."""
        if shape.deactivated:
            return []
        tasks = [self.value_constraints(shape, focus), self.pair_constraints(shape, focus),
                 self.has_value(shape, focus)]
        tasks.append(self.unique_lang(shape, focus) if shape.is_property else self.closed(shape, focus))
        tasks += [self.sparql_constraint(shape, c, focus) for c in shape.params.get("sparql", [])]
        inner = focus.nested(shape) if shape.is_property else focus
        on_path: dict[str, list[Shape]] = {}
        for prop in shape.properties:
            if not prop.deactivated:
                tasks += self.shape_tasks(prop, inner)
                on_path.setdefault(prop.sparql_path or "", []).append(prop)
        tasks += [self.count_constraints(group, inner) for group in on_path.values()]
        return tasks

    # --- focus nodes ------------------------------------------------------------------------

    def focus(self, shape: Shape) -> tuple[Focus, list[ox.Literal]]:
        """A pattern binding ``?this`` to each focus node of ``shape``, and the focus nodes that
        are literals the store rewrote (checked as written, in Python)."""
        parts: list[str] = []
        literals: list[Term] = []
        for kind, value in shape.targets:
            if kind == "targetClass":
                parts.extend(f"?this a <{c}> ." for c in self.subclasses(value.value))
            elif kind == "targetNode" and rewritten(value):
                literals.append(value)
            elif kind == "targetNode":
                parts.append(f"VALUES ?this {{ {term(value)} }}")
            elif kind == "targetSubjectsOf":
                parts.append(f"?this {term(value)} ?_any .")
            elif kind == "targetObjectsOf" and value.value in self.written.predicates:
                stored = self.written.objects(value.value)
                parts.append(f"?_any {term(value)} ?this . MINUS {{ VALUES ?this {{ {' '.join(map(term, stored))} }} }}")
                for c in stored:
                    rows = self.store.select(f"SELECT DISTINCT ?s WHERE {{ ?s {term(value)} {term(c)} }}")
                    literals += [f for r in rows for f in self.written.forms(r["s"], value.value, c)]
            elif kind == "targetObjectsOf":
                parts.append(f"?_any {term(value)} ?this .")
            else:
                select = self.graph.value(value, SH + "select")
                if select is None:
                    raise ValueError("a custom sh:target that is not a SPARQL target")
                self.prefixes.update(prefixes_of(self.graph, value))
                parts.append("{ " + select.value + " }")
        if not parts and not literals:
            raise ValueError("no target")
        # No DISTINCT: a node reached twice only repeats rows, which the result keys merge, and
        # counts are COUNT(DISTINCT …): the extra hashing costs more than it saves at scale.
        pattern = parts[0] if len(parts) == 1 else " UNION ".join("{ " + p + " }" for p in parts) or "VALUES ?this { }"
        return Focus(pattern, shape.node), [t for t in dict.fromkeys(literals) if isinstance(t, ox.Literal)]

    # --- queries and results ----------------------------------------------------------------

    def query(self, body: str, extra_prefixes: dict[str, str] | None = None) -> str:
        """A query with the prologue of every prefix the shapes declared for it."""
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in {**self.prefixes, **(extra_prefixes or {})}.items())
        return prologue + body

    def emit(self, shape: Shape, focus: Focus, row: dict, component: str, *, index: int = 0,
             value: Term | None = None, extra: tuple = (), path: Term | None = None,
             path_text: str | None = None, constraint: Term | None = None,
             messages: Iterable[ox.Literal] | None = None) -> None:
        """Record one result, unless the same one (same key) is recorded already. A focus node
        the store rewrote, reached through a nested property shape, is reported as written."""
        context = tuple(row.get(v[1:]) for v in focus.context)
        foci: tuple[Term, ...] = (row["this"],)
        outer = focus.via[-1].path_expr if focus.via else None
        if outer is not None and outer.kind == "predicate" and context[-1] is not None:
            foci = self.written.forms(context[-1], outer.iri, row["this"])
        for node in foci:
            key = (focus.origin, tuple(s.node for s in focus.via), context, shape.node, component, index,
                   node, value, extra)
            if key not in self.results:
                self.results[key] = ValidationResult(
                    focus=node, component=SH + COMPONENT[component], severity=shape.severity.value,
                    source_shape=shape.node, path=path if path is not None else shape.path,
                    path_text=path_text if path_text is not None else shape.sparql_path,
                    value=value, source_constraint=constraint,
                    messages=tuple(messages if messages is not None else shape.messages))

    def rewritten_predicate(self, shape: Shape) -> str | None:
        """The predicate of a predicate path whose objects the store rewrote somewhere."""
        path = shape.path_expr
        return path.iri if path is not None and path.kind == "predicate" and path.iri in self.written.predicates else None

    def touched(self, predicates: list[str]) -> str:
        """A filter keeping the focus nodes with a rewritten value of one of ``predicates``
        (by their values: blank nodes cannot be named in a query)."""
        tests = [f"EXISTS {{ ?this <{p}> ?_r VALUES ?_r {{ {' '.join(map(term, self.written.objects(p)))} }} }}"
                 for p in predicates]
        return f"FILTER({' || '.join(tests)})"

    def value_constraints(self, shape: Shape, focus: Focus) -> Task:
        """All value-level constraints of a shape in one query, one flag per constraint; then,
        where the store rewrote values, those values as written."""
        checks = [(c, i, p) for c in VALUE_COMPONENTS for i, p in enumerate(shape.params.get(c, []))]
        if not checks:
            return
        v = "?v" if shape.is_property else "?this"
        binds, flags = [], []
        for k, (component, _, param) in enumerate(checks):
            binds.append(f"BIND({safe(self.compiler.value_condition(shape, component, param, v))} AS ?k{k})")
            flags.append(f"!?k{k}")
        values = f"?this {shape.sparql_path} ?v ." if shape.is_property else ""
        flag_vars = " ".join(f"?k{k}" for k in range(len(checks)))
        rows = yield self.query(f"SELECT {focus.variables} {'?v' if shape.is_property else ''} {flag_vars} WHERE {{ "
                                f"{focus.pattern} {values} {' '.join(binds)} FILTER({' || '.join(flags)}) }}")
        predicate = self.rewritten_predicate(shape)
        for row in rows:
            value = row.get("v") if shape.is_property else row["this"]
            if predicate and self.written.has(row["this"], predicate, value):
                continue
            for k, (component, index, _) in enumerate(checks):
                result = row.get(f"k{k}")
                if isinstance(result, ox.Literal) and result.value == "false":
                    self.emit(shape, focus, row, component, index=index, value=value)
        if predicate is None:
            return
        stored = " ".join(map(term, self.written.objects(predicate)))
        rows = yield self.query(f"SELECT {focus.variables} ?v WHERE {{ {focus.pattern} "
                                f"?this <{predicate}> ?v VALUES ?v {{ {stored} }} }}")
        for row in rows:
            for form in self.written.forms(row["this"], predicate, row["v"]):
                for component, index, param in checks:
                    if not self.literals.holds(shape, component, param, form):
                        self.emit(shape, focus, row, component, index=index, value=form)

    def count_constraints(self, shapes: list[Shape], focus: Focus) -> Task:
        """minCount, maxCount and qualified counts of all property shapes on one path of one
        node shape, in one aggregate query (a title's shapes alone would otherwise cost three);
        the focus nodes with rewritten values are counted again with their written forms."""
        path = shapes[0].sparql_path
        checks: list[tuple[Shape, str, str, str, int]] = []  # shape, component, count, op, bound
        counts, binds = [], []
        for i, shape in enumerate(shapes):
            low, high = shape.param("minCount"), shape.param("maxCount")
            if low is not None and int(low.value) > 0:
                checks.append((shape, "minCount", "n", "<", int(low.value)))
            if high is not None:
                checks.append((shape, "maxCount", "n", ">", int(high.value)))
            qmin, qmax = shape.param("qualifiedMinCount"), shape.param("qualifiedMaxCount")
            if shape.param("qualifiedValueShape") is not None and (qmin is not None or qmax is not None):
                binds.append(f"BIND(IF({self.compiler.qualified(shape, '?v')}, ?v, ?_unbound) AS ?q{i})")
                counts.append(f"(COUNT(DISTINCT ?q{i}) AS ?nq{i})")
                if qmin is not None and int(qmin.value) > 0:
                    checks.append((shape, "qualifiedMinCount", f"nq{i}", "<", int(qmin.value)))
                if qmax is not None:
                    checks.append((shape, "qualifiedMaxCount", f"nq{i}", ">", int(qmax.value)))
        if not checks:
            return
        def select(restrict: str = "", having: str = "") -> str:
            return self.query(f"SELECT {focus.variables} (COUNT(DISTINCT ?v) AS ?n) {' '.join(counts)} WHERE {{ "
                              f"{focus.pattern} {restrict} OPTIONAL {{ ?this {path} ?v . {' '.join(binds)} }} }} "
                              f"GROUP BY {focus.variables} {having}")

        having = " || ".join(f"COUNT(DISTINCT ?{'v' if var == 'n' else 'q' + var[2:]}) {op} {bound}"
                             for _, _, var, op, bound in checks)
        predicate = self.rewritten_predicate(shapes[0])
        rows = yield select(having=f"HAVING ({having})")
        for row in rows:
            if predicate is None or not self.written.by_predicate[predicate].get(row["this"]):
                self.report_counts(row, focus, checks, {})
        if predicate is None:
            return
        rows = yield select(restrict=self.touched([predicate]))
        for row in rows:
            stored = self.written.by_predicate[predicate].get(row["this"], [])
            forms = {c: self.written.forms(row["this"], predicate, c) for c in stored}
            fix = {"n": sum(len(f) - 1 for f in forms.values())}
            for i, shape in enumerate(shapes):
                if f"nq{i}" in row:
                    counted = sum(self.literals.truth(self.compiler.qualified(shape, term(c))) for c in stored)
                    written = sum(self.qualified_as_written(shape, f) for fs in forms.values() for f in fs)
                    fix[f"nq{i}"] = written - counted
            self.report_counts(row, focus, checks, fix)

    def qualified_as_written(self, shape: Shape, value: Term) -> bool:
        """Python's twin of :meth:`Compiler.qualified` for a value the store rewrote."""
        if not self.literals.conforms(self.reader.shape(shape.params["qualifiedValueShape"][0]), value):
            return False
        return not flag(shape, "qualifiedValueShapesDisjoint") or not any(
            self.literals.conforms(self.reader.shape(s), value) for s in self.compiler.siblings(shape))

    def report_counts(self, row: dict, focus: Focus, checks: list[tuple[Shape, str, str, str, int]],
                      fix: dict[str, int]) -> None:
        for shape, component, var, op, bound in checks:
            n = int(row[var].value) + fix.get(var, 0)
            if (n < bound) if op == "<" else (n > bound):
                self.emit(shape, focus, row, component)

    def pair_constraints(self, shape: Shape, focus: Focus) -> Task:
        """sh:equals, sh:disjoint, sh:lessThan and sh:lessThanOrEquals: one query each; the focus
        nodes with rewritten values on either side are compared again as written."""
        own = self.rewritten_predicate(shape)
        for component in PAIR_COMPONENTS:
            for index, other in enumerate(shape.params.get(component, [])):
                branches = self.compiler.pair_branches(shape, component, other, "?this", "?v", "?w")
                where = " UNION ".join(f"{{ {focus.pattern} {b} }}" for b in branches)
                rows = yield self.query(f"SELECT {focus.variables} ?v ?w WHERE {{ {where} }}")
                predicates = [p for p in (own, other.value) if p and p in self.written.predicates]
                for row in rows:
                    if not any(self.written.by_predicate[p].get(row["this"]) for p in predicates):
                        self.emit(shape, focus, row, component, index=index, value=row.get("v"),
                                  extra=(row.get("w"),) if component.startswith("lessThan") else ())
                if predicates:
                    values = self.compiler.values(shape, "?this", "?v")
                    rows = yield self.query(f"SELECT {focus.variables} ?v ?w WHERE {{ {focus.pattern} "
                                            f"{self.touched(predicates)} OPTIONAL {{ {values} }} "
                                            f"OPTIONAL {{ ?this {term(other)} ?w }} }}")
                    self.pairs_as_written(shape, focus, component, index, other, rows)

    def pairs_as_written(self, shape: Shape, focus: Focus, component: str, index: int, other: Term,
                         rows: list[dict]) -> None:
        by_focus: dict[tuple, tuple[dict, set[Term], set[Term]]] = {}
        for row in rows:
            key = tuple(row.get(v[1:]) for v in (*focus.context, "?this"))
            _, mine, theirs = by_focus.setdefault(key, (row, set(), set()))
            if "v" in row:
                mine.update(self.written.forms(row["this"], shape.path_expr.iri, row["v"])
                            if shape.path_expr and shape.path_expr.kind == "predicate" else (row["v"],))
            if "w" in row:
                theirs.update(self.written.forms(row["this"], other.value, row["w"]))
        for row, mine, theirs in by_focus.values():
            if component == "equals":
                for value in sorted(mine ^ theirs, key=str):
                    self.emit(shape, focus, row, component, index=index, value=value)
            elif component == "disjoint":
                for value in sorted(mine & theirs, key=str):
                    self.emit(shape, focus, row, component, index=index, value=value)
            else:
                for a in mine:
                    for b in theirs:
                        if not self.literals.less(a, b, strict=component == "lessThan"):
                            self.emit(shape, focus, row, component, index=index, value=a, extra=(b,))

    def unique_lang(self, shape: Shape, focus: Focus) -> Task:
        if not flag(shape, "uniqueLang"):
            return
        p = shape.sparql_path
        rows = yield self.query(f"SELECT DISTINCT {focus.variables} (LCASE(lang(?a)) AS ?lang) WHERE {{ {focus.pattern} "
                                f"?this {p} ?a . ?this {p} ?b . FILTER(!sameTerm(?a, ?b) && lang(?a) != \"\" "
                                f"&& LCASE(lang(?a)) = LCASE(lang(?b))) }}")
        for row in rows:
            self.emit(shape, focus, row, "uniqueLang", extra=(row["lang"],))

    def has_value(self, shape: Shape, focus: Focus) -> Task:
        """sh:hasValue: the focus nodes without the value (results without ``sh:value``)."""
        value = shape.param("hasValue")
        if value is None:
            return
        if not shape.is_property:
            rows = yield self.query(f"SELECT {focus.variables} WHERE {{ {focus.pattern} FILTER(!{same('?this', value)}) }}")
        elif rewritten(value) and shape.path_expr and shape.path_expr.kind != "predicate":
            rows = yield self.query(f"SELECT {focus.variables} WHERE {{ {focus.pattern} }}")  # no value is written so
        else:
            rows = yield self.query(f"SELECT {focus.variables} WHERE {{ {focus.pattern} "
                                    f"FILTER NOT EXISTS {{ ?this {shape.sparql_path} {term(value)} }} }}")
        for row in rows:
            self.emit(shape, focus, row, "hasValue")
        predicate = shape.path_expr.iri if shape.path_expr and shape.path_expr.kind == "predicate" else None
        if predicate and (rewritten(value) or predicate in self.written.predicates):
            rows = yield self.query(f"SELECT {focus.variables} ?v WHERE {{ {focus.pattern} "
                                    f"?this <{predicate}> ?v FILTER(sameTerm(?v, {term(value)})) }}")
            for row in rows:
                if value not in self.written.forms(row["this"], predicate, row["v"]):
                    self.emit(shape, focus, row, "hasValue")

    def closed(self, shape: Shape, focus: Focus) -> Task:
        if not flag(shape, "closed"):
            return
        condition = self.compiler.closed_filter(shape, "?p")
        rows = yield self.query(f"SELECT {focus.variables} ?p ?o WHERE {{ {focus.pattern} ?this ?p ?o FILTER({condition}) }}")
        for row in rows:
            for value in self.written.forms(row["this"], row["p"].value, row["o"]):
                self.emit(shape, focus, row, "closed", value=value, path=row["p"],
                          path_text=f"<{row['p'].value}>", extra=(row["p"],))

    # --- SHACL-SPARQL -----------------------------------------------------------------------

    def sparql_select(self, constraint: Term) -> str:
        select = self.graph.value(constraint, SH + "select")
        if select is None:
            raise ValueError("a SPARQL constraint without sh:select")
        return select.value

    def sparql_constraint(self, shape: Shape, constraint: Term, focus: Focus) -> Task:
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
        query = text[: match.end()] + " " + focus.pattern + " " + text[match.end():]
        messages = [m for m in self.graph.objects(constraint, SH + "message") if isinstance(m, ox.Literal)]
        messages = messages or shape.messages
        rows = yield self.query(query, prefixes_of(self.graph, constraint))
        for row in rows:
            path = row.get("path")
            self.emit(shape, focus, row, "sparql", value=row.get("value"),
                      path=path if path is not None else shape.path,
                      path_text=f"<{path.value}>" if isinstance(path, ox.NamedNode) else shape.sparql_path,
                      constraint=constraint, messages=[substitute(m, row) for m in messages],
                      extra=tuple(sorted((k, str(v)) for k, v in row.items())))


def substitute(message: ox.Literal, row: dict) -> ox.Literal:
    """Fill ``{?var}`` and ``{$var}`` in a SPARQL constraint's message from one result row."""
    def fill(match: re.Match[str]) -> str:
        value = row.get(match.group(2))
        if value is None:
            return match.group(0)
        return value.value if isinstance(value, (ox.NamedNode, ox.Literal)) else str(value)

    text = _PLACEHOLDER.sub(fill, message.value)
    return ox.Literal(text, language=message.language) if message.language else ox.Literal(text)


def validate_native(store: Store, graph: ShapesGraph) -> ShaclOutcome:
    """Validate ``store`` against ``graph`` with the native engine."""
    return NativeEngine(store, graph).run()
