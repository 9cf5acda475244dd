"""Moving IRIs from one base IRI to another — the one re-basing mechanism of the package.

Two moves use it. The files shipped with akke-graph (``ontology/``, ``shapes/``, ``queries/``)
are written under :data:`~akke_graph.config.DEFAULT_BASE_IRI` and are moved onto the configured
base when they are read (:func:`shipped`), so a project configured under its own base IRI needs
no edited copies of them. A release can be moved onto a publisher's own domain (``publish
--base-iri``): every IRI under the configured base (own entities, named graphs, the ontology and
shapes namespaces) moves, in every output — RDF terms, literals that spell an IRI
(``vann:preferredNamespaceUri``, ``sh:namespace``), the regular expressions of the shapes, query
texts and mapping tables.
"""

from __future__ import annotations

from pathlib import Path

from akke_graph.config import DEFAULT_BASE_IRI

REGEX_SPECIALS = set("\\.^$*+?{}[]|()")


def regex_form(iri: str) -> str:
    """``iri`` as it appears inside a regular expression (``https://w3id\\.org/akke/``)."""
    return "".join("\\" + c if c in REGEX_SPECIALS else c for c in iri)


class Rebaser:
    """Replaces one base IRI by another in text, bytes and RDF serialisations."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new
        # Plain form, regex form (as a value) and regex form as written in a Turtle/SPARQL string
        # (backslashes doubled); longest first so a form is never replaced inside another.
        pairs = [(old, new), (regex_form(old), regex_form(new)),
                 (regex_form(old).replace("\\", "\\\\"), regex_form(new).replace("\\", "\\\\"))]
        self.pairs = sorted({p for p in pairs if p[0] != p[1]}, key=lambda p: -len(p[0]))

    @property
    def active(self) -> bool:
        return self.old != self.new

    def text(self, text: str) -> str:
        for a, b in self.pairs:
            text = text.replace(a, b)
        return text

    def data(self, data: bytes) -> bytes:
        for a, b in self.pairs:
            data = data.replace(a.encode("utf-8"), b.encode("utf-8"))
        return data

    def leftovers(self, data: bytes) -> list[str]:
        """The forms of the old base still present in ``data`` (empty when re-basing is complete)."""
        if not self.active:
            return []
        found = []
        for a, b in self.pairs:
            old, new = a.encode("utf-8"), b.encode("utf-8")
            # A new base that extends the old one contains it: look past the new form first.
            haystack = data.replace(new, b"") if old in new else data
            if old in haystack:
                found.append(a)
        return found


def shipped(base_iri: str) -> Rebaser:
    """The move of the shipped ontology, shapes and queries onto ``base_iri`` (the configured
    base IRI): the one place where the default base IRI means "the base the files are written
    under"."""
    return Rebaser(DEFAULT_BASE_IRI, base_iri)


def copy_rebased(source: Path, target: Path, *moves: Rebaser) -> None:
    """Copy a text file (ontology, shapes) with the moves applied in turn."""
    data = source.read_bytes()
    for rebaser in moves:
        data = rebaser.data(data)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
