"""SHACL validation results in one form for both engines, and the standard report graph."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from akke_graph.shacl.shapes import ShapeReader, ShapesGraph
from akke_graph.terms import RDF, SH, XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal

VIOLATION = SH + "Violation"
SEVERITIES = (VIOLATION, SH + "Warning", SH + "Info")


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``: which node broke which constraint of which shape, and how."""

    focus: Term
    component: str
    severity: str
    source_shape: Term
    path: Term | None = None
    path_text: str | None = None
    value: Term | None = None
    source_constraint: Term | None = None
    messages: tuple[ox.Literal, ...] = ()

    def key(self) -> tuple[str, str, str, str, str]:
        """What two engines must agree on: focus node, path, component, value, severity."""
        return (str(self.focus), self.path_text or "", self.component,
                str(self.value) if self.value is not None else "", self.severity)

    def message(self, lang: str) -> str | None:
        """The message in ``lang``, else in English, else any."""
        by_lang = {m.language or "": m.value for m in self.messages}
        return by_lang.get(lang) or by_lang.get("en") or by_lang.get("") or next(iter(by_lang.values()), None)

    @property
    def severity_name(self) -> str:
        return self.severity.rsplit("#", 1)[-1]


@dataclass
class ShaclOutcome:
    """What an engine returns: the results and the shapes it could not run itself."""

    results: list[ValidationResult] = field(default_factory=list)
    delegated: list[str] = field(default_factory=list)
    engine: str = "native"

    @property
    def conforms(self) -> bool:
        """SHACL's ``sh:conforms``: true only when there is no result at all, of any severity."""
        return not self.results

    @property
    def has_violations(self) -> bool:
        """Whether any result is a violation: what blocks (warnings and info do not)."""
        return any(r.severity == VIOLATION for r in self.results)


def report_triples(outcome: ShaclOutcome, shapes: ShapesGraph) -> list[ox.Triple]:
    """The standard SHACL validation report (``sh:ValidationReport``) as triples, the first one
    about the report node. A complex result path is written out (on fresh blank nodes) as the
    engines read it from ``shapes``, so that the report says which path it was."""
    def nn(local: str) -> ox.NamedNode:
        return ox.NamedNode(SH + local)

    report = ox.BlankNode()
    triples = [ox.Triple(report, ox.NamedNode(RDF + "type"), nn("ValidationReport")),
               ox.Triple(report, nn("conforms"), ox.Literal("true" if outcome.conforms else "false",
                                                            datatype=ox.NamedNode(XSD + "boolean")))]
    reader = ShapeReader(shapes)
    paths: dict[Term, Term] = {}
    for r in sorted(outcome.results, key=ValidationResult.key):
        node = ox.BlankNode()
        triples += [ox.Triple(report, nn("result"), node),
                    ox.Triple(node, ox.NamedNode(RDF + "type"), nn("ValidationResult")),
                    ox.Triple(node, nn("focusNode"), r.focus),
                    ox.Triple(node, nn("resultSeverity"), ox.NamedNode(r.severity)),
                    ox.Triple(node, nn("sourceConstraintComponent"), ox.NamedNode(r.component)),
                    ox.Triple(node, nn("sourceShape"), r.source_shape)]
        if isinstance(r.path, ox.BlankNode) and r.path not in paths:
            paths[r.path], path_triples = reader.read_path(r.path).triples()
            triples += path_triples
        if r.path is not None:
            triples.append(ox.Triple(node, nn("resultPath"), paths.get(r.path, r.path)))
        if r.value is not None:
            triples.append(ox.Triple(node, nn("value"), r.value))
        if r.source_constraint is not None:
            triples.append(ox.Triple(node, nn("sourceConstraint"), r.source_constraint))
        triples += [ox.Triple(node, nn("resultMessage"), m) for m in r.messages]
    return triples
