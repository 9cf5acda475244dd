"""Validation reports for people (text, in Finnish or English) and for programs (JSON).

Results are grouped by entity; each entity is shown by its label and the file(s) it comes from,
then each broken rule with its property, the message in the chosen language and the offending
value, and a closing line with counts per severity.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING

import pyoxigraph as ox

from akke_graph.shacl.results import ValidationResult
from akke_graph.terms import PREFIXES, RDFS, SH, own_prefixes, show

if TYPE_CHECKING:
    from akke_graph.validate import ValidationReport

LABEL_PROPERTIES = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://purl.org/dc/terms/title",
                    RDFS + "label", "http://xmlns.com/foaf/0.1/name")

WORDS = {
    "en": {"Violation": ("violation", "violations"), "Warning": ("warning", "warnings"),
           "Info": ("info", "info"), "file": "file", "property": "property", "value": "value",
           "rule": "rule", "conforms": "the graph conforms to the shapes",
           "conforms_warnings": "nothing is blocked (warnings and info still make sh:conforms false)",
           "fails": "the graph does not conform to the shapes", "delegated": "validated with pyshacl",
           "none": "no results"},
    "fi": {"Violation": ("virhe", "virhettä"), "Warning": ("varoitus", "varoitusta"),
           "Info": ("huomautus", "huomautusta"), "file": "tiedosto", "property": "ominaisuus",
           "value": "arvo", "rule": "sääntö", "conforms": "tietoverkko on muotojen mukainen",
           "conforms_warnings": "mikään ei esty (varoitukset ja huomautukset tekevät silti sh:conforms-arvoksi false)",
           "fails": "tietoverkko ei ole muotojen mukainen", "delegated": "validoitu pyshacl:llä",
           "none": "ei tuloksia"},
}
MARK = {"Violation": "✗", "Warning": "!", "Info": "i"}


def labels_for(report: "ValidationReport", nodes: set[ox.NamedNode], lang: str) -> dict[str, str]:
    """One label per IRI in ``lang`` (else English, Finnish, any), from the graph's label properties."""
    if not nodes:
        return {}
    values = " ".join(f"<{n.value}>" for n in nodes)
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    rows = report.loaded.store.select(
        f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {props} }} ?s ?p ?l FILTER(isLiteral(?l)) }}")
    ranked: dict[str, tuple[int, str]] = {}
    for row in rows:
        label = row["l"]
        tag = label.language or ""
        preference = [lang, "en", "fi", ""]
        language_rank = preference.index(tag) if tag in preference else len(preference)
        score = language_rank * 10 + LABEL_PROPERTIES.index(row["p"].value)
        key = row["s"].value
        if key not in ranked or score < ranked[key][0]:
            ranked[key] = (score, label.value)
    return {k: v for k, (_, v) in ranked.items()}


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


def rule_name(report: "ValidationReport", result: ValidationResult, lang: str) -> str:
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


def _prefixes(report: "ValidationReport") -> dict[str, str]:
    return {**PREFIXES, **own_prefixes(report.loaded.config.base_iri)}


def _grouped(report: "ValidationReport", lang: str) -> tuple[dict, dict[str, str]]:
    nodes = set()
    for r in report.results:
        for n in (r.focus, r.value):
            if isinstance(n, ox.NamedNode):
                nodes.add(n)
                if "#" in n.value:
                    nodes.add(ox.NamedNode(n.value.split("#", 1)[0]))
    labels = labels_for(report, nodes, lang)
    groups: dict[object, list[ValidationResult]] = defaultdict(list)
    for r in report.results:
        groups[r.focus].append(r)
    return groups, labels


def _files(report: "ValidationReport", node: object) -> list[str]:
    if isinstance(node, (ox.NamedNode, ox.BlankNode)):
        return [f.display for f in report.loaded.files_of(node)]
    return []


def summary_line(report: "ValidationReport", lang: str) -> str:
    words = WORDS[lang]
    parts = []
    for severity in ("Violation", "Warning", "Info"):
        n = report.counts.get(severity, 0)
        singular, plural = words[severity]
        parts.append(f"{n} {singular if n == 1 else plural}")
    verdict = words["fails"] if report.has_violations else (
        words["conforms"] if report.conforms else words["conforms_warnings"])
    return f"{', '.join(parts)}: {verdict}."


def render_text(report: "ValidationReport", lang: str = "en") -> str:
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
    return "\n".join(lines)


def render_json(report: "ValidationReport", lang: str = "en") -> str:
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
    return json.dumps({"conforms": report.conforms, "blocking": report.has_violations, "engine": report.outcome.engine,
                       "delegated": report.outcome.delegated, "counts": report.counts,
                       "summary": summary_line(report, lang), "results": items},
                      ensure_ascii=False, indent=2)
