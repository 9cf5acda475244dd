"""Filling the temporary graphs of a push, in as few requests as the store allows, and checking
their counts; graphs whose count is short (an upload the store half took) are sent again.

- Oxigraph (recognised by its ``Server`` header), a first push: one N-Quads POST straight into
  the target graphs, one transaction, atomic by itself. (A later push to Oxigraph sends only
  the change: :mod:`.delta`.)
- Any other store with the Graph Store Protocol: one PUT per graph.
- Without it: SPARQL Update, several graphs per request up to a size limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from akke_graph.errors import EndpointError
from akke_graph.push.client import FileBody, StoreClient

# Triples per SPARQL Update request (graphs holding blank nodes are never split).
UPDATE_CHUNK_TRIPLES = 20_000


@dataclass(frozen=True)
class GraphUpload:
    """One named graph as sent: its target IRI, the temporary graph and the N-Triples file."""

    graph: str
    temporary: str
    path: Path
    triples: int


def statement(line: bytes) -> bytes:
    """An N-Triples line without its closing `` .`` and line end: ``s p o``."""
    return line.rstrip()[:-1].rstrip()


def upload_all(client: StoreClient, uploads: list[GraphUpload], folder: Path) -> None:
    """Fill every temporary graph and check each holds exactly what was sent."""
    pending = [u for u in uploads if u.triples]
    for attempt in range(1, client.policy.attempts + 1):
        if client.target.gsp and client.is_oxigraph:
            _post_dataset(client, pending, folder)
        elif client.target.gsp:
            for upload in pending:
                client.put_graph(upload.temporary, FileBody(upload.path),
                                 what=f"uploading {upload.graph}")
        else:
            _insert(client, pending)
        held = client.graph_counts([u.temporary for u in pending], what="checking the upload")
        short = [u for u in pending if held.get(u.temporary, 0) != u.triples]
        if not short:
            return
        if attempt == client.policy.attempts:
            u = short[0]
            raise EndpointError(
                f"uploading {u.graph}: the store holds {held.get(u.temporary, 0)} of the "
                f"{u.triples} triples sent to the temporary graph <{u.temporary}>"
                + (f" (and {len(short) - 1} more graphs are short)" if len(short) > 1 else "")
                + f"; gave up after {attempt} attempts")
        client.update(" ;\n".join(f"DROP SILENT GRAPH <{u.temporary}>" for u in short),
                      what="clearing short temporary graphs")
        pending = short


def _post_dataset(client: StoreClient, uploads: list[GraphUpload], folder: Path) -> None:
    """All graphs as one N-Quads document: each N-Triples line gets its temporary graph."""
    path = folder / "upload.nq"
    with path.open("wb") as out:
        for upload in uploads:
            suffix = b" <" + upload.temporary.encode() + b"> .\n"
            with upload.path.open("rb") as lines:
                for line in lines:
                    if line.strip():
                        out.write(statement(line) + suffix)
    client.post_dataset(FileBody(path), what=f"uploading {len(uploads)} graphs")


def _insert(client: StoreClient, uploads: list[GraphUpload]) -> None:
    """SPARQL Update upload. Blank nodes are only allowed in an ``INSERT … WHERE {}`` template
    (Virtuoso refuses them in ``INSERT DATA``) and keep their identity only within one request,
    so a graph holding any is sent whole; other graphs are split or joined up to the limit."""
    batch: list[tuple[str, bytes]] = []
    size = 0
    bnodes = False

    def flush() -> None:
        nonlocal batch, size, bnodes
        if batch:
            blocks = b"".join(b"GRAPH <" + g.encode() + b"> {\n" + body + b"}\n" for g, body in batch)
            head, tail = (b"INSERT {\n", b"} WHERE {}\n") if bnodes else (b"INSERT DATA {\n", b"}\n")
            client.update(head + blocks + tail, what=f"uploading {len(batch)} graph part(s)")
        batch, size, bnodes = [], 0, False

    for upload in uploads:
        data = upload.path.read_bytes()
        if b"_:" in data:
            if size + upload.triples > UPDATE_CHUNK_TRIPLES:
                flush()
            batch.append((upload.temporary, data))
            size += upload.triples
            bnodes = True
            continue
        lines = data.splitlines(keepends=True)
        for start in range(0, len(lines), UPDATE_CHUNK_TRIPLES):
            part = lines[start:start + UPDATE_CHUNK_TRIPLES]
            if size + len(part) > UPDATE_CHUNK_TRIPLES:
                flush()
            batch.append((upload.temporary, b"".join(part)))
            size += len(part)
    flush()
