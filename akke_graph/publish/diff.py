"""What changed between two releases (or two RDF files): the triples added and removed, grouped
by the entity they describe (a hash sub-resource or blank node belongs to the entity that owns it).

Blank nodes get content-derived labels on both sides first, so an unchanged blank-node structure
is not reported as removed and added again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from akke_graph.errors import InputError
from akke_graph.labels import best_labels
from akke_graph.load import syntax_error
from akke_graph.publish.canon import canonical_triples
from akke_graph.publish.dumps import DUMPS, ntriples

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
           ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML,
           ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML}


@dataclass
class GraphDiff:
    """Triples (as N-Triples lines) added and removed, and the entity each belongs to."""

    added: list[str]
    removed: list[str]
    entity_of: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)
    redacted: int = 0

    @property
    def entities(self) -> list[str]:
        return sorted({self.entity_of[line] for line in self.added + self.removed})

    def group(self, lines: list[str]) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = defaultdict(list)
        for line in lines:
            grouped[self.entity_of[line]].append(line)
        return grouped

    @property
    def empty(self) -> bool:
        return not self.added and not self.removed


def release_dump(folder: Path) -> Path:
    """The dump of a release folder to compare (N-Triples first: the fastest to read)."""
    for fmt in sorted(DUMPS, key=lambda f: f.key != "nt"):
        if (folder / fmt.path).is_file():
            return folder / fmt.path
    raise InputError(str(folder), "is not an akke-graph release: it has no dumps/akke-graph.* file",
                     hint="give a release folder written by akke-graph publish, or an RDF file")


def read_triples(path: Path) -> list[ox.Triple]:
    """The triples of a release folder or an RDF file (the union of its graphs, if it has any)."""
    if path.is_dir():
        path = release_dump(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(str(path), f"unknown RDF file type {path.suffix!r}",
                         hint=f"use a release folder or one of {', '.join(sorted(FORMATS))}")
    if not path.is_file():
        raise InputError(str(path), "no such file or folder")
    try:
        return list({ox.Triple(q.subject, q.predicate, q.object)
                     for q in ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri())})
    except SyntaxError as exc:
        raise syntax_error(str(path), exc) from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc}") from None


def _owners(triples: list[ox.Triple]) -> dict[str, str]:
    """Entity of each subject: an IRI without its fragment; a blank node's owning entity."""
    parent: dict[str, str] = {}
    for t in triples:
        if isinstance(t.object, ox.BlankNode):
            parent.setdefault(str(t.object), str(t.subject))
    owners: dict[str, str] = {}

    def owner(subject: str, depth: int = 0) -> str:
        if subject.startswith("<"):
            return subject.split("#", 1)[0].rstrip(">") + ">"
        if subject in parent and depth < 50:
            return owner(parent[subject], depth + 1)
        return "_:"

    for t in triples:
        owners[str(t.subject)] = owner(str(t.subject))
    return owners


def _labels(triples: Iterable[ox.Triple], lang: str) -> dict[str, str]:
    """The label of each subject IRI (as ``<iri>``) in ``lang``, by the one rule."""
    found = best_labels(((t.subject.value, t.predicate.value, t.object) for t in triples
                         if isinstance(t.subject, ox.NamedNode)), lang)
    return {f"<{iri}>": label.value for iri, label in found.items()}


def diff_triples(old: list[ox.Triple], new: list[ox.Triple],
                 redact: Callable[[str], bool] | None = None, lang: str = "fi") -> GraphDiff:
    """Compare two graphs; lines for which ``redact`` is true are left out and counted; entities
    are titled by their labels in ``lang``."""
    old, new = canonical_triples(old), canonical_triples(new)
    old_lines = set(ntriples(old).decode("utf-8").splitlines())
    new_lines = set(ntriples(new).decode("utf-8").splitlines())
    added, removed = sorted(new_lines - old_lines), sorted(old_lines - new_lines)
    redacted = 0
    if redact is not None:
        kept_added, kept_removed = [l for l in added if not redact(l)], [l for l in removed if not redact(l)]
        redacted = len(added) - len(kept_added) + len(removed) - len(kept_removed)
        added, removed = kept_added, kept_removed
    owners = {**_owners(old), **_owners(new)}
    entity_of = {line: owners.get(line.split(" ", 1)[0], line.split(" ", 1)[0]) for line in added + removed}
    labels = {**_labels(old, lang), **_labels(new, lang)}
    if redact is not None:
        labels = {k: v for k, v in labels.items() if not redact(v) and not redact(k)}
    return GraphDiff(added=added, removed=removed, entity_of=entity_of, labels=labels, redacted=redacted)


def diff_paths(old: Path, new: Path) -> GraphDiff:
    """Compare two releases or RDF files."""
    return diff_triples(read_triples(old), read_triples(new))


def changes_markdown(diff: GraphDiff, old_name: str, new_name: str) -> str:
    """``CHANGES.md``: counts, then per entity a ``diff`` block of added (+) and removed (-) triples."""
    lines = [f"# Muutokset · Changes: {old_name} → {new_name}", "",
             f"- lisätty · added: {len(diff.added)} triples",
             f"- poistettu · removed: {len(diff.removed)} triples",
             f"- muuttuneet oliot · entities changed: {len(diff.entities)}"]
    if diff.redacted:
        lines.append(f"- henkilöitä koskevat muutokset jätetty pois · changes about persons left out: {diff.redacted}")
    if diff.empty:
        lines += ["", "Ei muutoksia. · No changes."]
    added, removed = diff.group(diff.added), diff.group(diff.removed)
    for entity in diff.entities:
        title = diff.labels.get(entity)
        lines += ["", f"## {title} — {entity}" if title else f"## {entity}", "", "```diff"]
        lines += [f"+ {l}" for l in added.get(entity, [])] + [f"- {l}" for l in removed.get(entity, [])]
        lines.append("```")
    return "\n".join(lines) + "\n"


def grouped_ntriples(diff: GraphDiff, lines: list[str]) -> str:
    """N-Triples grouped by entity, each group headed by a comment naming the entity."""
    out = []
    for entity, members in sorted(diff.group(lines).items()):
        out.append(f"# {entity}")
        out += members
    return "\n".join(out) + ("\n" if out else "")


def changes_json(diff: GraphDiff) -> str:
    return json.dumps({"added": diff.added, "removed": diff.removed, "redacted": diff.redacted,
                       "entities": {e: {"added": diff.group(diff.added).get(e, []),
                                        "removed": diff.group(diff.removed).get(e, [])} for e in diff.entities}},
                      ensure_ascii=False, indent=2) + "\n"


def write_changes(diff: GraphDiff, folder: Path, old_name: str, new_name: str) -> list[Path]:
    """``CHANGES.md``, ``changes/added.nt`` and ``changes/removed.nt`` in ``folder``."""
    (folder / "changes").mkdir(parents=True, exist_ok=True)
    paths = [folder / "CHANGES.md", folder / "changes" / "added.nt", folder / "changes" / "removed.nt"]
    paths[0].write_text(changes_markdown(diff, old_name, new_name), encoding="utf-8")
    paths[1].write_text(grouped_ntriples(diff, diff.added), encoding="utf-8")
    paths[2].write_text(grouped_ntriples(diff, diff.removed), encoding="utf-8")
    return paths
