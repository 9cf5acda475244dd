"""The release folder as a linked-data site (layout: RELEASE.md).

``/id/<kind>/<slug>`` names a thing, not a document: it answers ``303 See Other`` to the page or
RDF document the client asked for (``.html``, ``.ttl``, ``.jsonld``, ``.nt``), or ``406`` with the
list of what there is. Files are served as they are, with their proper Content-Type.
"""

from __future__ import annotations

import html
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from akke_graph.serve.conneg import DOCUMENT_TYPES, content_type, negotiate

# Non-document IRIs outside id/ whose documents have other names than "<path>.<ext>".
ALIASES: dict[str, dict[str, str]] = {
    "ontology": {"text/html": "ontology/index.html", "text/turtle": "ontology/akke.ttl"},
}


@dataclass
class Answer:
    """What to send back: a status, headers, and either a body or a file."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    file: Path | None = None


def text_answer(status: int, message: str, **headers: str) -> Answer:
    return Answer(status, {"Content-Type": "text/plain; charset=utf-8", **headers},
                  message.encode("utf-8") + b"\n")


class ReleaseSite:
    """Answers GET/HEAD requests for the release folder ``root`` (or a bare page without one)."""

    def __init__(self, root: Path | None) -> None:
        self.root = root.resolve() if root else None

    def answer(self, raw_path: str, accept: str | None, accept_language: str | None = None) -> Answer:
        path = urllib.parse.unquote(raw_path)
        parts = [p for p in path.split("/") if p]
        if any(p in ("..", ".") or "\x00" in p for p in parts):
            return text_answer(400, "bad path")
        if self.root is None:
            return self._bare(path)
        rel = "/".join(parts)
        target = self.root.joinpath(*parts) if parts else self.root
        try:
            target.resolve().relative_to(self.root)
        except ValueError:
            return text_answer(404, f"not found: {path}")
        aliased = self._documents(rel) if rel in ALIASES and not path.endswith("/") else {}
        if aliased:
            return self._negotiate(rel, aliased, accept)
        if target.is_file():
            return Answer(200, {"Content-Type": content_type(target)}, file=target)
        if target.is_dir():
            if path and not path.endswith("/"):
                return Answer(301, {"Location": "/" + rel + "/"})
            page = self._index(target, accept_language)
            if page is None:
                return text_answer(404, f"no index page in {path or '/'}")
            return Answer(200, {"Content-Type": content_type(page),
                                "Vary": "Accept-Language"}, file=page)
        documents = self._documents(rel)
        if documents:
            return self._negotiate(rel, documents, accept)
        return text_answer(404, f"not found: {path}")

    def _documents(self, rel: str) -> dict[str, str]:
        """Media type -> document path for a thing's IRI path, in preference order."""
        assert self.root is not None
        if rel in ALIASES:
            return {t: p for t, p in ALIASES[rel].items() if (self.root / p).is_file()}
        if not rel or Path(rel).suffix:
            return {}
        return {t: rel + ext for t, ext in DOCUMENT_TYPES.items() if (self.root / (rel + ext)).is_file()}

    @staticmethod
    def _negotiate(rel: str, documents: dict[str, str], accept: str | None) -> Answer:
        chosen = negotiate(accept, list(documents))
        if chosen is None:
            listing = "\n".join(f"  {t}  /{p}" for t, p in documents.items())
            return text_answer(406, f"/{rel} is available as:\n{listing}\n"
                               f"(the request accepted: {accept})", Vary="Accept")
        return Answer(303, {"Location": "/" + documents[chosen], "Vary": "Accept",
                            "Content-Type": "text/plain; charset=utf-8"},
                      f"See /{documents[chosen]}\n".encode())

    @staticmethod
    def _index(folder: Path, accept_language: str | None) -> Path | None:
        english = folder / "index.en.html"
        if english.is_file() and _prefers_english(accept_language):
            return english
        page = folder / "index.html"
        return page if page.is_file() else None

    @staticmethod
    def _bare(path: str) -> Answer:
        if path not in ("", "/"):
            return text_answer(404, f"not found: {path} (no release folder is served; "
                               "give one with --release DIR)")
        page = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                "<title>akke-graph</title></head><body><h1>akke-graph</h1><ul>"
                "<li><a href=\"/sparql\">SPARQL endpoint</a> (GET or POST <code>query</code>)</li>"
                "<li><a href=\"/health\">health</a></li></ul>"
                f"<p>{html.escape('No release folder is served: run akke-graph publish, then serve --release DIR.')}</p>"
                "</body></html>")
        return Answer(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode("utf-8"))


def _prefers_english(accept_language: str | None) -> bool:
    """Whether the client ranks English above Finnish (the default) in Accept-Language."""
    ranked = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().lower().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > 0 and tag[:2] in ("en", "fi"):
            ranked.append((q, tag[:2]))
    return bool(ranked) and max(ranked, key=lambda r: r[0])[1] == "en"
