"""Compare a validation report with an expected one the way the W3C SHACL test suite does: the
``sh:conforms`` flag and the multiset of results by focus node, path, constraint component, source
shape, value and severity (messages and the other fields are not compared).

Blank nodes are compared by what they hold (their outgoing triples, recursively): the engines'
reports and the expected report are separate graphs, so their blank nodes only match that way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from akke_graph.shacl.shapes import ShapesGraph, Term
from akke_graph.terms import SH

FIELDS = ("focusNode", "resultPath", "sourceConstraintComponent", "sourceShape", "value", "resultSeverity")
WITH_MESSAGES = (*FIELDS, "resultMessage")

Signature = tuple[str, ...]


def describe(term: Term | None, graph: ShapesGraph, seen: frozenset[Term] = frozenset()) -> str:
    """A term as text; a blank node as the sorted description of what it holds."""
    if term is None:
        return "-"
    if not isinstance(term, ox.BlankNode):
        return str(term)
    if term in seen:
        return "[cycle]"
    inner = sorted(f"<{p}> {describe(o, graph, seen | {term})}"
                   for p in graph.predicates(term) for o in graph.objects(term, p))
    return "[" + " ; ".join(inner) + "]"


@dataclass
class ReportSummary:
    """What the comparison looks at in one report."""

    conforms: bool | None
    results: Counter[Signature]
    fields: tuple[str, ...] = FIELDS


def summarise(graph: ShapesGraph, report: Term, fields: tuple[str, ...] = FIELDS) -> ReportSummary:
    """The conforms flag and result signatures (``fields`` of each result, every value of a
    field that has several) of the ``sh:ValidationReport`` node ``report``."""
    flag = graph.value(report, SH + "conforms")
    results: Counter[Signature] = Counter(
        tuple(" | ".join(sorted(describe(o, graph) for o in graph.objects(r, SH + f))) or "-" for f in fields)
        for r in graph.objects(report, SH + "result"))
    return ReportSummary(conforms=flag.value == "true" if isinstance(flag, ox.Literal) else None,
                         results=results, fields=fields)


def differences(expected: ReportSummary, actual: ReportSummary) -> list[str]:
    """What ``actual`` gets wrong against ``expected``, one line each; empty when they agree."""
    out = []
    if expected.conforms != actual.conforms:
        out.append(f"sh:conforms {actual.conforms}, expected {expected.conforms}")
    for signature, n in (expected.results - actual.results).items():
        out.append(f"missing {n}x: " + ", ".join(f"{f}={v}" for f, v in zip(expected.fields, signature)))
    for signature, n in (actual.results - expected.results).items():
        out.append(f"unexpected {n}x: " + ", ".join(f"{f}={v}" for f, v in zip(actual.fields, signature)))
    return out


def summarise_report(report: list[ox.Triple], context: Iterable[ox.Triple | ox.Quad],
                     fields: tuple[str, ...] = FIELDS) -> ReportSummary:
    """The summary of an engine's report (``report[0]`` is about the report node); ``context``
    holds the shapes and data triples that its blank nodes stand for."""
    triples = dict.fromkeys([*report, *(ox.Triple(t.subject, t.predicate, t.object) for t in context)])
    node = report[0].subject
    assert not isinstance(node, ox.Triple)
    return summarise(ShapesGraph(triples), node, fields)


def engine_summary(data: Path, shapes: ShapesGraph, engine: str,
                   fields: tuple[str, ...] = FIELDS) -> tuple[ReportSummary, list[str]]:
    """Validate the RDF file ``data`` against ``shapes`` as ``akke-graph validate FILE --engine
    ENGINE`` does (without the project's ontology) and summarise the report; with the shapes the
    native engine handed to pyshacl."""
    from akke_graph.config import Config
    from akke_graph.load import load
    from akke_graph.shacl.validate import validate_graph

    folder = data.parent
    config = Config(root=folder, ontology_dir=folder / "-", data_dir=folder, shapes_dir=folder)
    loaded = load(config, [data], include_ontology=False)
    report = validate_graph(loaded, engine=engine, shapes=shapes)
    context: list[ox.Triple | ox.Quad] = [*shapes.triples, *loaded.store.written_quads()]
    return summarise_report(report.report_triples(), context, fields), report.outcome.delegated
