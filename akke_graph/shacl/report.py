"""Validation reports for people (text, in Finnish or English) and for programs (JSON).

Results are grouped by entity; each entity is shown by its label and the file(s) it comes from,
then each broken rule with its property, the message in the chosen language and the offending
value, and a closing line with counts per severity.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox

from akke_graph.labels import fetch_labels
from akke_graph.store import serialize
from akke_graph.shacl.outcome import SEVERITIES, ShaclOutcome, ValidationResult, report_triples
from akke_graph.terms import RDFS, SH, prefix_map, show
from akke_graph.escape import visible

if TYPE_CHECKING:
    from akke_graph.load import LoadedGraph
    from akke_graph.shacl.shapes import ShapesGraph

WORDS = {
    "en": {"Violation": ("violation", "violations"), "Warning": ("warning", "warnings"),
           "Info": ("info", "info"), "file": "file", "property": "property", "value": "value",
           "rule": "rule", "conforms": "the graph conforms to the shapes",
           "conforms_warnings": "the graph conforms to the shapes (warnings do not block)",
           "fails": "the graph does not conform to the shapes", "delegated": "validated with pyshacl",
           "none": "no results"},
    "fi": {"Violation": ("virhe", "virhettä"), "Warning": ("varoitus", "varoitusta"),
           "Info": ("huomautus", "huomautusta"), "file": "tiedosto", "property": "ominaisuus",
           "value": "arvo", "rule": "sääntö", "conforms": "tietoverkko on muotojen mukainen",
           "conforms_warnings": "tietoverkko on muotojen mukainen (varoitukset eivät estä)",
           "fails": "tietoverkko ei ole muotojen mukainen", "delegated": "validoitu pyshacl:llä",
           "none": "ei tuloksia"},
}
MARK = {"Violation": "✗", "Warning": "!", "Info": "i"}


@dataclass
class ValidationReport:
    """The outcome of a validation, with what is needed to explain it to a person."""

    loaded: LoadedGraph
    shapes: ShapesGraph
    outcome: ShaclOutcome
    counts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.counts = {s.rsplit("#", 1)[-1]: 0 for s in SEVERITIES}
        for r in self.outcome.results:
            name = r.severity_name
            self.counts[name] = self.counts.get(name, 0) + 1

    @property
    def conforms(self) -> bool:
        return self.outcome.conforms

    @property
    def results(self) -> list[ValidationResult]:
        return self.outcome.results

    @property
    def exit_code(self) -> int:
        return 0 if self.conforms else 1

    def to_text(self, lang: str = "en") -> str:
        return render_text(self, lang)

    def to_json(self, lang: str = "en") -> str:
        return render_json(self, lang)

    def to_turtle(self) -> str:
        """The standard SHACL validation report in Turtle."""
        return serialize(report_triples(self.outcome), ox.RdfFormat.TURTLE, {"sh": SH}).decode("utf-8")


def labels_for(loaded: LoadedGraph, nodes: Iterable[ox.NamedNode], lang: str) -> dict[str, str]:
    """One label per IRI in ``lang``, by the one rule (:mod:`akke_graph.labels`)."""
    found = fetch_labels(loaded.store.select, (n.value for n in nodes), lang)
    return {iri: label.value for iri, label in found.items()}


def display_name(node: ox.NamedNode | ox.BlankNode | ox.Literal, labels: dict[str, str]) -> str:
    """Label of a node; a hash sub-resource is shown through its parent's label."""
    if isinstance(node, ox.NamedNode):
        if node.value in labels:
            return labels[node.value]
        parent, _, fragment = node.value.partition("#")
        if fragment and parent in labels:
            return f"{labels[parent]} › #{fragment}"
        return node.value
    return str(node)


def rule_name(report: ValidationReport, result: ValidationResult, lang: str) -> str:
    """The rule a result broke: the constraint's or shape's ``sh:name`` in ``lang``."""
    graph = report.shapes
    for node in (result.source_constraint, result.source_shape):
        if node is None:
            continue
        names = graph.objects(node, SH + "name") or graph.objects(node, RDFS + "label")
        by_lang = {n.language or "": n.value for n in names if isinstance(n, ox.Literal)}
        if by_lang:
            return by_lang.get(lang) or by_lang.get("en") or next(iter(by_lang.values()))
    return result.component.rsplit("#", 1)[-1]


def _prefixes(report: ValidationReport) -> dict[str, str]:
    return prefix_map(report.loaded.config)


def _grouped(report: ValidationReport, lang: str) -> tuple[dict, dict[str, str]]:
    nodes = set()
    for r in report.results:
        for n in (r.focus, r.value):
            if isinstance(n, ox.NamedNode):
                nodes.add(n)
                if "#" in n.value:
                    nodes.add(ox.NamedNode(n.value.split("#", 1)[0]))
    labels = labels_for(report.loaded, nodes, lang)
    groups: dict[object, list[ValidationResult]] = defaultdict(list)
    for r in report.results:
        groups[r.focus].append(r)
    return groups, labels


def _files(report: ValidationReport, node: object) -> list[str]:
    if isinstance(node, (ox.NamedNode, ox.BlankNode)):
        return [f.display for f in report.loaded.files_of(node)]
    return []


def summary_line(report: ValidationReport, lang: str) -> str:
    words = WORDS[lang]
    parts = []
    for severity in ("Violation", "Warning", "Info"):
        n = report.counts.get(severity, 0)
        singular, plural = words[severity]
        parts.append(f"{n} {singular if n == 1 else plural}")
    verdict = words["fails"] if not report.conforms else (
        words["conforms_warnings"] if report.counts.get("Warning") else words["conforms"])
    return f"{', '.join(parts)}: {verdict}."


def render_text(report: ValidationReport, lang: str = "en") -> str:
    """The report as text for a terminal, grouped by entity."""
    words = WORDS[lang]
    prefixes = _prefixes(report)
    groups, labels = _grouped(report, lang)
    lines: list[str] = []
    order = sorted(groups, key=lambda n: (",".join(_files(report, n)), display_name(n, labels).lower()))
    for focus in order:
        results = sorted(groups[focus], key=lambda r: ("VWI".index(r.severity_name[0]), r.path_text or ""))
        name = display_name(focus, labels)
        shown = focus.value if isinstance(focus, ox.NamedNode) else str(focus)
        lines.append(f"{name}" + (f"  <{shown}>" if name != shown else ""))
        files = _files(report, focus)
        if files:
            lines.append(f"  {words['file']}: {', '.join(files)}")
        for r in results:
            severity = words[r.severity_name][0] if r.severity_name in words else r.severity_name
            where = f" · {words['property']} {show(r.path, prefixes) if isinstance(r.path, ox.NamedNode) else r.path_text}" \
                if r.path_text else ""
            lines.append(f"  {MARK.get(r.severity_name, '-')} [{severity}] {rule_name(report, r, lang)}{where}")
            message = r.message(lang)
            if message:
                lines.append(f"      {message}")
            if r.value is not None:
                value = show(r.value, prefixes)
                if isinstance(r.value, ox.NamedNode) and r.value.value in labels:
                    value += f" ({labels[r.value.value]})"
                lines.append(f"      {words['value']}: {value}")
        lines.append("")
    if report.outcome.delegated:
        lines.append(f"{words['delegated']}: " + "; ".join(report.outcome.delegated))
    lines.append(summary_line(report, lang))
    return visible("\n".join(lines))   # labels and values come from the data


def render_json(report: ValidationReport, lang: str = "en") -> str:
    """The report as JSON: verdict, counts and one object per result."""
    prefixes = _prefixes(report)
    groups, labels = _grouped(report, lang)
    items = []
    for focus, results in groups.items():
        for r in results:
            items.append({
                "focusNode": str(focus.value if isinstance(focus, ox.NamedNode) else focus),
                "label": display_name(focus, labels),
                "files": _files(report, focus),
                "path": r.path_text,
                "pathLabel": show(r.path, prefixes) if isinstance(r.path, ox.NamedNode) else r.path_text,
                "value": show(r.value, prefixes) if r.value is not None else None,
                "severity": r.severity_name,
                "component": r.component.rsplit("#", 1)[-1],
                "sourceShape": str(r.source_shape.value if isinstance(r.source_shape, ox.NamedNode) else r.source_shape),
                "rule": rule_name(report, r, lang),
                "message": r.message(lang),
            })
    items.sort(key=lambda i: (i["files"], i["focusNode"], i["severity"], i["path"] or ""))
    return json.dumps({"conforms": report.conforms, "engine": report.outcome.engine,
                       "delegated": report.outcome.delegated, "counts": report.counts,
                       "summary": summary_line(report, lang), "results": items},
                      ensure_ascii=False, indent=2)
