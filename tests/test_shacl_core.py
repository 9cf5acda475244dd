"""SHACL Core, case by case: every file in tests/shacl_core/ holds the data, the shapes and the
expected validation report of one case (TriG, graphs case:data, case:shapes and case:report),
and both engines must give that report through the call behind ``akke-graph validate FILE
--engine native|pyshacl``. Reports are compared as the W3C SHACL test suite compares them (the
conforms flag and the multiset of results by focus node, path, component, source shape, value
and severity), messages too where the expected report gives any.

A case's header may say ``# fallback: TEXT``: the native engine hands a shape to pyshacl, naming
TEXT (without it, nothing may be handed over); and ``# pyshacl: WHY``: pyshacl is known to be
wrong there, and the graph case:pyshacl holds the report it gives.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.shacl.compare import FIELDS, WITH_MESSAGES, differences, engine_summary, summarise
from akke_graph.shacl.shapes import ShapesGraph
from akke_graph.terms import RDF, SH

CASES = Path(__file__).parent / "shacl_core"
CASE = "urn:x-akke-case:"


def case_files() -> list[Path]:
    return sorted(CASES.rglob("*.trig"))


def header(path: Path) -> dict[str, str]:
    return dict(re.findall(r"^# (fallback|pyshacl): (.+)$", path.read_text(encoding="utf-8"), flags=re.M))


def graphs(path: Path) -> dict[str, list[ox.Triple]]:
    out: dict[str, list[ox.Triple]] = defaultdict(list)
    for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TRIG, base_iri=path.as_uri()):
        name = q.graph_name.value.removeprefix(CASE) if isinstance(q.graph_name, ox.NamedNode) else ""
        out[name].append(ox.Triple(q.subject, q.predicate, q.object))
    return out


def test_the_cases_cover_shacl_core() -> None:
    components = {f"{SH}{c}ConstraintComponent" for c in (
        "Class", "Datatype", "NodeKind", "MinCount", "MaxCount", "MinExclusive", "MinInclusive",
        "MaxExclusive", "MaxInclusive", "MinLength", "MaxLength", "Pattern", "LanguageIn",
        "UniqueLang", "Equals", "Disjoint", "LessThan", "LessThanOrEquals", "Not", "And", "Or",
        "Xone", "Node", "QualifiedMinCount", "QualifiedMaxCount", "Closed", "HasValue", "In")}
    found = {t.object.value for path in case_files() for t in graphs(path)["report"]
             if t.predicate.value == SH + "sourceConstraintComponent"}
    assert not components - found, sorted(components - found)


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
@pytest.mark.parametrize("case", case_files(), ids=lambda p: p.relative_to(CASES).with_suffix("").as_posix())
def test_case(case: Path, engine: str, tmp_path: Path) -> None:
    parts, expect = graphs(case), header(case)
    data = tmp_path / "data.ttl"
    data.write_bytes(ox.serialize(parts["data"], format=ox.RdfFormat.TURTLE))
    shapes = ShapesGraph(parts["shapes"])
    wanted = "pyshacl" if engine == "pyshacl" and "pyshacl" in expect else "report"
    expected_graph = ShapesGraph(dict.fromkeys([*parts[wanted], *parts["shapes"], *parts["data"]]))
    report_node = next(t.subject for t in parts[wanted]
                       if t.predicate.value == RDF + "type" and t.object.value == SH + "ValidationReport")
    fields = WITH_MESSAGES if any(t.predicate.value == SH + "resultMessage" for t in parts[wanted]) else FIELDS
    actual, delegated = engine_summary(data, shapes, engine, fields)
    problems = differences(summarise(expected_graph, report_node, fields), actual)
    assert not problems, "\n".join(problems)
    if engine == "native":
        if "fallback" in expect:
            assert delegated and all(expect["fallback"] in d for d in delegated), delegated
        else:
            assert not delegated, delegated
