"""Replacing graphs in Oxigraph by sending only what changed, in one update request.

Oxigraph's server runs each update request as one transaction, so ``DELETE DATA`` of the
triples that went and ``INSERT DATA`` of those that came, in one request, is atomic: a reader
sees every graph old or complete and new. It is also far cheaper than uploading everything and
``MOVE``-ing it (Oxigraph moves some 4,000 triples a second): a republished release usually
changes a small part of the graph. What the store holds is read by queries (TSV results, whose
terms are in SPARQL syntax and go back into the update as they are).

Blank nodes cannot be matched across stores and ``DELETE DATA`` refuses them, so a graph holding
any, on either side, is compared up to blank-node labels and, if it changed, dropped and
inserted whole (in the same request). Sending the same request twice leaves the same graphs, so
a request whose answer was lost is simply retried.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from akke_graph.errors import EndpointError, text
from akke_graph.push.client import StoreClient, graph_values
from akke_graph.sparql_http.client import FileBody
from akke_graph.push.upload import GraphUpload, statements

XSD = "http://www.w3.org/2001/XMLSchema#"
# TSV writes canonical numbers and booleans in Turtle's short form; N-Triples spells them out.
_SHORT = [(re.compile(rb"[+-]?[0-9]+"), b"integer"),
          (re.compile(rb"[+-]?[0-9]*\.[0-9]+"), b"decimal"),
          (re.compile(rb"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+"), b"double"),
          (re.compile(rb"true|false"), b"boolean")]
_SPELLED_OUT = (b"<", b'"', b"_")   # first bytes of IRIs, literals and blank nodes in TSV


@dataclass
class Delta:
    """Per graph: triples (``s p o`` in SPARQL syntax) to delete and to insert, and the graphs
    holding blank nodes, which are replaced whole."""

    removed: dict[str, list[bytes]] = field(default_factory=dict)
    added: dict[str, list[bytes]] = field(default_factory=dict)
    whole: dict[str, list[bytes]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.removed or self.added or self.whole)

    @property
    def counts(self) -> tuple[int, int]:
        """Triples inserted and deleted (a graph replaced whole counts as all new)."""
        added = sum(map(len, self.added.values())) + sum(map(len, self.whole.values()))
        return added, sum(map(len, self.removed.values()))

    def write_update(self, path: Path) -> None:
        """The whole change as one SPARQL Update request, written to ``path``."""
        separator = b""
        with path.open("wb") as out:
            for graph in sorted(self.whole):
                out.write(separator + b"DROP SILENT GRAPH <" + graph.encode() + b">")
                separator = b" ;\n"
            for keyword, graphs in ((b"DELETE DATA", self.removed),
                                    (b"INSERT DATA", {**self.added, **self.whole})):
                if graphs:
                    out.write(separator + keyword + b" {\n")
                    for graph, lines in sorted(graphs.items()):
                        out.write(b"GRAPH <" + graph.encode() + b"> {\n" + b" .\n".join(lines) + b" .\n}\n")
                    out.write(b"}")
                    separator = b" ;\n"
            out.write(b"\n")


def send_delta(client: StoreClient, delta: Delta, folder: Path) -> None:
    """The change as one update request (written to a file first: it may be large)."""
    path = folder / "replace.ru"
    delta.write_update(path)
    added, removed = delta.counts
    client.update(FileBody(path), what=text("push-what-delta", added=added, removed=removed))


def local_triples(uploads: list[GraphUpload]) -> dict[str, set[bytes]]:
    """The N-Triples of the uploads as sets of ``s p o`` per graph."""
    return {upload.graph: statements(upload.body.contents()) for upload in uploads}


def remote_triples(client: StoreClient, graphs: list[str], parts: int = 4) -> dict[str, set[bytes]]:
    """What the store holds in ``graphs``, by SELECTs answered as TSV: ``parts`` queries on
    disjoint sets of graphs at once, since a store reads from disk faster than one query streams."""
    chunks = [graphs[n::parts] for n in range(parts) if graphs[n::parts]]
    held: dict[str, set[bytes]] = {}
    with ThreadPoolExecutor(len(chunks) or 1) as pool:
        for part in pool.map(lambda chunk: _read_tsv(client, chunk), chunks):
            held.update(part)
    return held


def _read_tsv(client: StoreClient, graphs: list[str]) -> dict[str, set[bytes]]:
    body = client.select_tsv(f"SELECT ?g ?s ?p ?o WHERE {{ {graph_values(graphs)} "
                             "GRAPH ?g { ?s ?p ?o } }", what=text("push-what-read"))
    held: dict[bytes, set[bytes]] = {}
    for number, row in enumerate(body.split(b"\n")[1:], start=2):
        if not row:
            continue
        try:
            graph, subject, predicate, value = row.rstrip(b"\r").split(b"\t")
        except ValueError:
            graph = b""
        if not graph.startswith(b"<"):
            raise EndpointError(f"reading the graphs the store holds: {client.target.endpoint} "
                                f"answered a TSV row {number} that is not a graph and a triple")
        if value[:1] not in _SPELLED_OUT:
            value = _long_form(value)
        triples = held.get(graph)
        if triples is None:
            triples = held[graph] = set()
        triples.add(subject + b" " + predicate + b" " + value)
    return {graph[1:-1].decode("utf-8"): triples for graph, triples in held.items()}


def _long_form(term: bytes) -> bytes:
    for pattern, datatype in _SHORT:
        if pattern.fullmatch(term):
            return b'"' + term + b'"^^<' + XSD.encode() + datatype + b">"
    return term


def _has_blank(triples: set[bytes]) -> bool:
    return any(t.startswith(b"_:") or b" _:" in t for t in triples)


def _isomorphic(mine: set[bytes], theirs: set[bytes]) -> bool:
    """Equal up to blank-node labels (both read as N-Triples; unreadable counts as changed)."""
    if len(mine) != len(theirs):
        return False
    canonical = []
    for triples in (mine, theirs):
        try:
            dataset = ox.Dataset(ox.parse(b" .\n".join(triples) + b" .\n",
                                          format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError:
            return False
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        canonical.append({str(quad) for quad in dataset})
    return canonical[0] == canonical[1]


def compute_delta(local: dict[str, set[bytes]], remote: dict[str, set[bytes]]) -> Delta:
    """What turns ``remote`` into ``local``, graph by graph (graphs only ``remote`` has are left
    alone: a push never touches graphs the project does not have)."""
    delta = Delta()
    for graph, mine in local.items():
        theirs = remote.get(graph, set())
        if mine == theirs:
            continue
        if _has_blank(mine) or _has_blank(theirs):
            if not _isomorphic(mine, theirs):
                delta.whole[graph] = sorted(mine)
            continue
        if gone := theirs - mine:
            delta.removed[graph] = sorted(gone)
        if new := mine - theirs:
            delta.added[graph] = sorted(new)
    return delta
