"""The release folder as a linked-data site (layout: RELEASE.md).

An IRI that names a thing rather than a document — ``/id/<kind>/<slug>``, ``/ontology``,
``/catalog``, a named graph such as ``/graph/data/themes``, a published query such as
``/queries/work-packages`` — answers ``303 See Other`` to its document in the format the client
accepts (HTML, Turtle, JSON-LD, N-Triples, RDF/XML; a query also as SPARQL), or ``406`` with the
list of what there is. Documents are the release's files, served as they are; a format the
release does not hold is converted from one it does (:mod:`.rdf_documents`), a named graph's
triples come from the SPARQL engine, and what has no page of its own gets a plain HTML page.
"""

from __future__ import annotations

import html
import json
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from akke_graph.serve.conneg import (
    DOCUMENT_TYPES,
    content_type,
    negotiate,
    with_charset,
)
from akke_graph.serve.rdf_documents import (
    FORMATS,
    Documents,
    html_page,
    serialize,
    sparql_text,
)

QUERIES_FILE = "queries/queries.ttl"
CATALOG_FILE = "catalog.ttl"
HTML_LIMIT = 2000            # triples listed on a named graph's HTML page
SPARQL_QUERY = "application/sparql-query"

# Asked of the engine for a named graph's triples, given its IRI and how many at most.
GraphTriples = Callable[[str, int], list[ox.Triple]]


@dataclass
class Answer:
    """What to send back: a status, headers, and either a body or a file."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    file: Path | None = None


@dataclass(frozen=True)
class FromEngine:
    """A document the SPARQL engine answers: a query and the media type to ask for."""

    query: str
    accept: str


def text_answer(status: int, message: str, **headers: str) -> Answer:
    return Answer(status, {"Content-Type": "text/plain; charset=utf-8", **headers},
                  message.encode("utf-8") + b"\n")


def graph_query(graph: str, limit: int | None = None) -> str:
    """The triples of one named graph."""
    return (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            + (f" LIMIT {limit}" if limit else ""))


class ReleaseSite:
    """Answers GET/HEAD requests for the release folder ``root`` (or a bare page without one).
    ``base_iri`` is the served graph's base (the release's own, from release.json, comes
    first); ``graphs`` are the named graphs the engine holds."""

    def __init__(self, root: Path | None, base_iri: str | None = None,
                 graphs: Iterable[str] = (), graph_triples: GraphTriples | None = None) -> None:
        self.root = root.resolve() if root else None
        bases = [_release_base(self.root), base_iri]
        self.bases = list(dict.fromkeys(b for b in bases if b))
        self.graphs = set(graphs)
        self.graph_triples = graph_triples
        self.documents = Documents()

    def answer(self, raw_path: str, accept: str | None,
               accept_language: str | None = None) -> Answer | FromEngine:
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
        if rel and not path.endswith("/"):
            documents = self._representations(rel)
            if documents:
                return self._negotiate(rel, documents, accept)
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
        made = self._document(rel)
        return made if made is not None else text_answer(404, f"not found: {path}")

    # --- things and their documents --------------------------------------------------------

    def _representations(self, rel: str) -> dict[str, str]:
        """Media type -> document path for an IRI path that names a thing, in preference
        order; empty if ``rel`` names no thing."""
        assert self.root is not None
        if rel == "ontology":
            turtle = sorted((self.root / "ontology").glob("*.ttl"))
            page = "ontology/index.html"
            return self._with_rdf(page if (self.root / page).is_file() else None,
                                  f"ontology/{turtle[0].stem}" if turtle else None)
        if rel == "catalog":
            return self._with_rdf("catalog.html", "catalog") if (self.root / CATALOG_FILE).is_file() else {}
        if self._graph(rel):
            return {"text/html": rel + ".html", **{m: rel + ext for ext, (m, _n, _f) in FORMATS.items()}}
        if self._query(rel):
            name = rel.split("/")[-1]
            page = f"queries/#{name}" if (self.root / "queries/index.html").is_file() else rel + ".html"
            return {"text/html": page, **{m: rel + ext for ext, (m, _n, _f) in FORMATS.items()},
                    SPARQL_QUERY: rel + ".rq"}
        if rel.startswith("id/") and not Path(rel).suffix:
            page = rel + ".html"
            return self._with_rdf(page if (self.root / page).is_file() else None, rel)
        return {}

    def _with_rdf(self, page: str | None, stem: str | None) -> dict[str, str]:
        """The page, and the RDF formats of ``stem``: all of them when one can be converted,
        else those on disk."""
        assert self.root is not None
        found = {"text/html": page} if page else {}
        if stem is None:
            return found
        convertible = self.documents.source(self.root / stem) is not None
        for ext, (media, _name, _fmt) in FORMATS.items():
            if convertible or (self.root / (stem + ext)).is_file():
                found[media] = stem + ext
        return found

    def _document(self, rel: str) -> Answer | FromEngine | None:
        """A document that is not a file of the release, made on request."""
        assert self.root is not None
        stem, ext = _split(rel)
        if not stem:
            return None
        graph, query = self._graph(stem), self._query(stem)
        if ext in FORMATS:
            media = FORMATS[ext][0]
            if graph:
                return FromEngine(graph_query(graph), media)
            if query:
                triples = self.documents.description(self.root / QUERIES_FILE, query)
                prefixes = self.documents.prefixes(self.root / QUERIES_FILE)
                return _made(media, serialize(triples, ext, prefixes))
            source = self.documents.source(self.root / stem)
            if source is not None:
                return _made(media, self.documents.converted(source, ext))
        elif ext == ".html":
            if graph:
                return self._graph_page(stem, graph)
            if query:
                triples = self.documents.description(self.root / QUERIES_FILE, query)
                return self._page(stem, query, triples)
            if stem == "catalog" and (self.root / CATALOG_FILE).is_file():
                triples = self.documents.parsed(self.root / CATALOG_FILE).triples
                return self._page(stem, self.bases[0] + "catalog" if self.bases else "catalog",
                                  triples, title="Catalog (DCAT-AP)")
        elif ext == ".rq" and query:
            text = sparql_text(self.documents.description(self.root / QUERIES_FILE, query))
            if text is not None:
                return _made(SPARQL_QUERY, text.encode("utf-8"))
        return None

    def _graph(self, rel: str) -> str | None:
        return next((b + rel for b in self.bases if b + rel in self.graphs), None)

    def _query(self, rel: str) -> str | None:
        assert self.root is not None
        if not rel.startswith("queries/") or rel.count("/") != 1 or Path(rel).suffix:
            return None
        source = self.root / QUERIES_FILE
        if not source.is_file():
            return None
        for base in self.bases:
            if self.documents.description(source, base + rel):
                return base + rel
        return None

    def _graph_page(self, rel: str, graph: str) -> Answer:
        if self.graph_triples is None:
            return text_answer(503, "the SPARQL engine is not available")
        triples = self.graph_triples(graph, HTML_LIMIT + 1)
        note = (f"The first {HTML_LIMIT} triples of the graph; every one is in the other formats."
                if len(triples) > HTML_LIMIT else "")
        return self._page(rel, graph, triples[:HTML_LIMIT], title=f"Graph {rel}", note=note)

    def _page(self, rel: str, iri: str, triples: list[ox.Triple], title: str | None = None,
              note: str = "") -> Answer:
        formats = {m: "/" + p for m, p in self._representations(rel).items() if m != "text/html"}
        body = html_page(title or iri, iri, triples, formats, note,
                         base=self.bases[0] if self.bases else None)
        return Answer(200, {"Content-Type": "text/html; charset=utf-8"}, body)

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


def _made(media: str, body: bytes) -> Answer:
    return Answer(200, {"Content-Type": with_charset(media)}, body)


def _split(rel: str) -> tuple[str, str]:
    """``id/x/y.ttl`` -> (``id/x/y``, ``.ttl``); the extension only if it is one served here."""
    for ext in (*DOCUMENT_TYPES.values(), ".rq"):
        if rel.endswith(ext):
            return rel[: -len(ext)], ext
    return rel, ""


def _release_base(root: Path | None) -> str | None:
    """The base IRI the release was published with (release.json), if it says."""
    if root is None:
        return None
    try:
        base = json.loads((root / "release.json").read_text(encoding="utf-8")).get("base_iri")
    except (OSError, ValueError, AttributeError):
        return None
    return base if isinstance(base, str) and base.endswith(("/", "#")) else None


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
