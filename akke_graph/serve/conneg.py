"""HTTP content negotiation (RFC 9110 ``Accept``) for the release's linked-data documents."""

from __future__ import annotations

import mimetypes
from pathlib import Path

# The RDF and HTML documents an entity has, in the server's order of preference for ties.
DOCUMENT_TYPES: dict[str, str] = {
    "text/html": ".html",
    "text/turtle": ".ttl",
    "application/ld+json": ".jsonld",
    "application/n-triples": ".nt",
    "application/rdf+xml": ".rdf",
}
# The RDF formats a document can be converted into on the fly, by extension.
RDF_EXTENSIONS = (".ttl", ".jsonld", ".nt", ".rdf")

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".rq": "application/sparql-query",
    ".tsv": "text/tab-separated-values",
    ".md": "text/markdown",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".js": "text/javascript",
    ".txt": "text/plain",
    ".conf": "text/plain",
    ".ini": "text/plain",
    ".htaccess": "text/plain",
}
# Textual types that are not text/*: the release and the engine write them all in UTF-8, and
# a client that is not told so may decode them as Latin-1.
UTF8_TYPES = ("application/ld+json", "application/json", "application/n-triples",
              "application/n-quads", "application/trig", "application/rdf+xml",
              "application/sparql-query", "application/sparql-results+json",
              "application/sparql-results+xml", "application/xml",
              "application/javascript")


def with_charset(content_type: str) -> str:
    """The Content-Type with ``charset=utf-8`` added to a textual type that names none."""
    media = content_type.split(";")[0].strip().lower()
    if "charset=" in content_type.lower() or not (media.startswith("text/") or media in UTF8_TYPES):
        return content_type
    return f"{content_type}; charset=utf-8"


def content_type(path: Path) -> str:
    """The Content-Type a release file is served with."""
    if path.name in ("SHA256SUMS", ".htaccess"):
        return "text/plain; charset=utf-8"
    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return with_charset(known)
    guessed, _ = mimetypes.guess_type(path.name)
    return with_charset(guessed) if guessed else "application/octet-stream"


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """``[(media range, q)]`` from an Accept header; no header means ``*/*``."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific range matching ``media_type`` (0 when none matches)."""
    kind = media_type.split("/")[0]
    best, specificity = 0.0, -1
    for media, q in ranges:
        if media == media_type:
            level = 2
        elif media == f"{kind}/*":
            level = 1
        elif media == "*/*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def negotiate(accept: str | None, available: list[str]) -> str | None:
    """The available media type the client prefers (server order breaks ties), or None (406)."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for media_type in available:
        q = _quality(media_type, ranges)
        if q > best_q:
            best, best_q = media_type, q
    return best
