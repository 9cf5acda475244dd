"""The injected-violation graph gives exactly the listed results, and the list covers every kind
of constraint the shapes apply to the project's model."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import rdflib

from akke_graph.load import LoadedGraph
from akke_graph.shacl.validate import validate_graph
from akke_graph.synthetic.generate import DEFAULT_SEED, ExpectedViolation, injected_violations
from akke_graph.synthetic.reference import SH, Result
from tests.scale.conftest import NATIVE_SIZE, VIOLATIONS_SIZE

COMPONENTS = {
    "minCount": "MinCount", "maxCount": "MaxCount", "datatype": "Datatype", "class": "Class",
    "nodeKind": "NodeKind", "pattern": "Pattern", "uniqueLang": "UniqueLang", "languageIn": "LanguageIn",
    "qualifiedMinCount": "QualifiedMinCount", "qualifiedMaxCount": "QualifiedMaxCount",
    "lessThan": "LessThan", "lessThanOrEquals": "LessThanOrEquals", "equals": "Equals", "disjoint": "Disjoint",
    "minInclusive": "MinInclusive", "maxInclusive": "MaxInclusive", "minExclusive": "MinExclusive",
    "maxExclusive": "MaxExclusive", "minLength": "MinLength", "maxLength": "MaxLength", "in": "In",
    "hasValue": "HasValue", "or": "Or", "and": "And", "not": "Not", "xone": "Xone", "node": "Node",
    "closed": "Closed", "sparql": "SPARQL",
}


def keys(results: list[ExpectedViolation] | list[Result]) -> Counter:
    return Counter((r.focus, r.path, r.component, r.severity) for r in results)


def values(results: list[ExpectedViolation]) -> Counter:
    return Counter((r.focus, r.path, r.component, r.value) for r in results if r.value is not None)


@pytest.mark.slow
def test_pyshacl_finds_exactly_the_injected_violations(reference_violations: list[Result]) -> None:
    expected = injected_violations(VIOLATIONS_SIZE, DEFAULT_SEED)
    assert keys(reference_violations) == keys(expected)
    got = Counter((r.focus, r.path, r.component, r.value) for r in reference_violations)
    assert values(expected) - got == Counter()


def test_the_projects_validator_finds_exactly_the_injected_violations(violations_loaded: LoadedGraph) -> None:
    expected = injected_violations(NATIVE_SIZE, DEFAULT_SEED)
    results = validate_graph(violations_loaded).results
    got = [Result(str(r.focus).strip("<>"), r.path_text, r.component, r.severity,
                  None if r.value is None else str(r.value)) for r in results]
    assert keys(got) == keys(expected)
    assert values(expected) - Counter((r.focus, r.path, r.component, r.value) for r in got) == Counter()


def applied_constraints(project_root: Path, loaded: LoadedGraph) -> tuple[set[str], set[str]]:
    """Components, and SPARQL constraints, of the shapes whose targets exist in the synthetic graph
    (not inside qualified or sh:or member shapes, whose own results never surface)."""
    shapes = rdflib.Graph()
    for path in sorted((project_root / "shapes").glob("*.ttl")):
        shapes.parse(path)
    classes = {r["c"].value for r in loaded.store.select("SELECT DISTINCT ?c WHERE { ?s a ?c }")}
    roots = {s for s, c in shapes.subject_objects(SH.targetClass) if str(c) in classes}
    roots |= set(shapes.subjects(SH.target, None))
    components: set[str] = set()
    sparql: set[str] = set()

    def walk(node: rdflib.term.Node) -> None:
        for predicate, obj in shapes.predicate_objects(node):
            local = str(predicate).removeprefix(str(SH))
            if local in COMPONENTS:
                components.add(f"{SH}{COMPONENTS[local]}ConstraintComponent")
            if local == "sparql":
                sparql.add(str(obj))
            elif local == "property":
                walk(obj)

    for root in roots:
        walk(root)
    return components, sparql


def test_every_constraint_kind_is_injected(project_root: Path, violations_loaded: LoadedGraph) -> None:
    components, sparql = applied_constraints(project_root, violations_loaded)
    injected = {v.component for v in injected_violations(NATIVE_SIZE)}
    missing = components - injected
    assert not missing, f"no injected violation for {sorted(missing)}: add one in benchmarks/violations.py"
    hit = {str(r.source_constraint.value) for r in validate_graph(violations_loaded).results
           if r.source_constraint is not None}
    assert sparql and not sparql - hit, f"no injected violation of {sorted(sparql - hit)}"
    assert {v.severity for v in injected_violations(NATIVE_SIZE)} == {f"{SH}Violation", f"{SH}Warning"}
