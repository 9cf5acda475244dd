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
}

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".rq": "application/sparql-query",
    ".tsv": "text/tab-separated-values; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".conf": "text/plain; charset=utf-8",
    ".htaccess": "text/plain; charset=utf-8",
}


def content_type(path: Path) -> str:
    """The Content-Type a release file is served with."""
    if path.name in ("SHA256SUMS", ".htaccess"):
        return "text/plain; charset=utf-8"
    known = CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


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
