"""RDF documents made on request from the release's own files: another format of a document
(RDF/XML, JSON-LD, N-Triples from a Turtle file: one writer, pyoxigraph's, so a release needs
only one format of each document on disk to offer them all here), the description of one
subject out of a larger file (a query out of ``queries/queries.ttl``), and a plain HTML page
listing triples (for the catalog, named graphs and queries, which have no page of their own).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

# The formats a document is offered in, in the server's order of preference for ties.
FORMATS: dict[str, tuple[str, str, ox.RdfFormat]] = {   # extension -> (media type, name, format)
    ".ttl": ("text/turtle", "Turtle", ox.RdfFormat.TURTLE),
    ".jsonld": ("application/ld+json", "JSON-LD", ox.RdfFormat.JSON_LD),
    ".nt": ("application/n-triples", "N-Triples", ox.RdfFormat.N_TRIPLES),
    ".rdf": ("application/rdf+xml", "RDF/XML", ox.RdfFormat.RDF_XML),
}
EXTENSION = {media: ext for ext, (media, _name, _fmt) in FORMATS.items()}
# A document is converted on request only up to this size: a request must not make the server
# parse a whole dump (dumps are offered in their formats by publish).
MAX_CONVERTED = 16 << 20
SPARQL_TEXT = ("http://www.w3.org/ns/shacl#select", "http://www.w3.org/ns/shacl#ask",
               "http://www.w3.org/ns/shacl#construct", "http://www.w3.org/ns/shacl#describe")


@dataclass(frozen=True)
class Parsed:
    triples: list[ox.Triple]
    prefixes: dict[str, str]


class Documents:
    """Parsed release files, kept while they are unchanged (by size and modification time)."""

    def __init__(self, max_files: int = 64) -> None:
        self._parsed: OrderedDict[tuple[Path, int, int], Parsed] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_files

    def source(self, stem: Path) -> Path | None:
        """The first RDF file ``stem.<ext>`` that exists and may be converted."""
        for ext in FORMATS:
            path = stem.with_name(stem.name + ext)
            if path.is_file():
                return path if path.stat().st_size <= MAX_CONVERTED else None
        return None

    def parsed(self, path: Path) -> Parsed:
        stat = path.stat()
        key = (path, stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key in self._parsed:
                self._parsed.move_to_end(key)
                return self._parsed[key]
        parser = ox.parse(path=str(path), format=FORMATS[path.suffix][2])
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in parser]
        parsed = Parsed(triples, dict(parser.prefixes))
        with self._lock:
            self._parsed[key] = parsed
            while len(self._parsed) > self._max:
                self._parsed.popitem(last=False)
        return parsed

    def converted(self, source: Path, ext: str) -> bytes:
        """``source`` in the format of ``ext``."""
        if source.suffix == ext:
            return source.read_bytes()
        parsed = self.parsed(source)
        return serialize(parsed.triples, ext, parsed.prefixes)

    def description(self, source: Path, iri: str) -> list[ox.Triple]:
        """What ``source`` says about ``iri``: its triples and, recursively, those of the blank
        nodes they lead to (its concise bounded description)."""
        triples = self.parsed(source).triples
        by_subject: dict[object, list[ox.Triple]] = {}
        for triple in triples:
            by_subject.setdefault(triple.subject, []).append(triple)
        out: list[ox.Triple] = []
        todo: list[object] = [ox.NamedNode(iri)]
        seen: set[object] = set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            for triple in by_subject.get(node, []):
                out.append(triple)
                if isinstance(triple.object, ox.BlankNode):
                    todo.append(triple.object)
        return out

    def prefixes(self, source: Path) -> dict[str, str]:
        return self.parsed(source).prefixes


def serialize(triples: Iterable[ox.Triple], ext: str, prefixes: dict[str, str] | None = None) -> bytes:
    fmt = FORMATS[ext][2]
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) and prefixes:
        data = ox.serialize(triples, format=fmt, prefixes=prefixes)
    else:
        data = ox.serialize(triples, format=fmt)
    assert data is not None  # no output given: the bytes are returned
    return data


def sparql_text(triples: Sequence[ox.Triple]) -> str | None:
    """The SPARQL text of a published query (``sh:select`` and the like)."""
    for triple in triples:
        if triple.predicate.value in SPARQL_TEXT and isinstance(triple.object, ox.Literal):
            return triple.object.value
    return None


def html_page(title: str, iri: str, triples: Sequence[ox.Triple], formats: dict[str, str],
              note: str = "", base: str | None = None) -> bytes:
    """A plain page listing ``triples``, with links to the other formats (media type -> URL);
    IRIs under ``base`` link to this server."""
    from akke_graph.publish.site import environment

    rows = [tuple(_cell(term, base) for term in (t.subject, t.predicate, t.object))
            for t in triples]
    links = [{"href": href, "media": media, "name": _name(media)} for media, href in formats.items()]
    template = environment().get_template("rdf-document.html")  # type: ignore[attr-defined]
    return template.render(title=title, iri=iri, rows=rows, formats=links, note=note).encode("utf-8")


def _name(media: str) -> str:
    for known, name, _fmt in FORMATS.values():
        if known == media:
            return name
    return {"application/sparql-query": "SPARQL"}.get(media, media)


def _cell(term: object, base: str | None) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        value = term.value
        if base and value.startswith(base):
            return {"text": value, "href": "/" + value[len(base):]}
        return {"text": value, "href": value if value.startswith(("http://", "https://")) else ""}
    if isinstance(term, ox.Literal):
        suffix = f"@{term.language}" if term.language else (
            "" if term.datatype.value.endswith("#string") else f" ({term.datatype.value})")
        return {"text": term.value + suffix, "href": ""}
    return {"text": str(term), "href": ""}
