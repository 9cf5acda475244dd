"""Deterministic Turtle for imported facts: prefixes, then blocks of statements each under a
comment saying which row or line of which file they come from. The same facts always give the
same text, so a re-import that adds nothing changes no byte.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from akke_graph.terms import XSD, show_iri

THIS_GRAPH = "urn:x-akke-import:this-graph"   # written as <>: the file's own named graph


def literal(term: ox.Literal, prefixes: dict[str, str]) -> str:
    text = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    body = f'"{text}"'
    if term.language:
        return f"{body}@{term.language}"
    if term.datatype.value == XSD + "string":
        return body
    return f"{body}^^{show_iri(term.datatype.value, prefixes)}"


def term_text(term: ox.NamedNode | ox.Literal, prefixes: dict[str, str]) -> str:
    if isinstance(term, ox.Literal):
        return literal(term, prefixes)
    if term.value == THIS_GRAPH:
        return "<>"
    return show_iri(term.value, prefixes)


def block(triples: list[ox.Triple], prefixes: dict[str, str]) -> str:
    """Statements grouped by subject in first-seen order, predicates and objects as given."""
    by_subject: dict[str, dict[str, list[str]]] = {}
    for t in triples:
        subject = term_text(t.subject, prefixes)  # type: ignore[arg-type]
        objects = by_subject.setdefault(subject, {}).setdefault(term_text(t.predicate, prefixes), [])
        text = term_text(t.object, prefixes)  # type: ignore[arg-type]
        if text not in objects:
            objects.append(text)
    out = []
    for subject, predicates in by_subject.items():
        lines = []
        for predicate, objects in predicates.items():
            shown = "a" if predicate == "rdf:type" else predicate
            lines.append(f"    {shown} {' , '.join(objects)}")
        out.append(subject + "\n" + " ;\n".join(lines) + " .\n")
    return "\n".join(out)


def prefix_lines(prefixes: dict[str, str], used_text: str, declared: str = "") -> str:
    """``@prefix`` lines for the prefixes ``used_text`` uses that ``declared`` does not declare."""
    have = set(re.findall(r"@prefix\s+([\w-]*):", declared))
    used = set(re.findall(r"(?<![\w<:/#-])([a-z][\w-]*):(?=[\w-])", used_text))
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())
                   if p in used and p not in have)
