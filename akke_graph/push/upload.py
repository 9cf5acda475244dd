"""Filling the temporary graphs of a push, in as few requests as the store allows, and checking
their counts; graphs whose count is short (an upload the store half took) are sent again.

- Oxigraph (recognised by its ``Server`` header), a first push: N-Quads POSTs straight into the
  target graphs, each of whole graphs and taken in whole, so every graph is absent or complete.
  On Oxigraph 0.5, each POST goes to the server's bulk loader, which commits a request at
  its end all at once (an atomic ingestion of its index files) and leaves nothing of a request
  that failed; other series get a transaction per POST. (A later push to Oxigraph sends only
  the change: :mod:`.delta`.)
- Any other store with the Graph Store Protocol: one PUT per graph.
- Without it: SPARQL Update, several graphs per request up to a size limit.
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from akke_graph.errors import EndpointError, text
from akke_graph.push.client import StoreClient
from akke_graph.sparql_http.client import FileBody
from akke_graph.sparql_http.policy import Attempt, GaveUp, Retry

# Triples per SPARQL Update request (graphs holding blank nodes are never split).
UPDATE_CHUNK_TRIPLES = 20_000
# Triples per INSERT … WHERE {} template (graphs with blank nodes): Virtuoso 7.2 compiles a
# template of some 1,100 triples into more than the 10,000 lines of SQL it allows (SP031).
TEMPLATE_CHUNK_TRIPLES = 500
# Oxigraph takes many small requests faster than one large one, and two or three at once faster
# still (1M triples on 2 cores: transactions, 35 s as one POST, 19 s as 25k-triple POSTs three at
# a time; bulk loads, 5.6-6.8 s as 12.5k to 50k-triple POSTs, two or three at a time).
POST_BATCH_TRIPLES = 25_000
POST_WORKERS = 3


@dataclass(frozen=True)
class GraphUpload:
    """One named graph as sent: its target IRI, the temporary graph, and where its N-Triples
    are (``size`` bytes from ``start`` of a file that may hold other graphs too)."""

    graph: str
    temporary: str
    path: Path
    triples: int
    start: int = 0
    size: int | None = None

    @property
    def body(self) -> FileBody:
        return FileBody(self.path, self.start, self.size)


# The end of an N-Triples statement: a raw line end never occurs inside a term.
_END = re.compile(rb"[ \t]*\.[ \t\r]*\n")


def statements(ntriples: bytes) -> set[bytes]:
    """The statements of N-Triples without their closing `` .``: ``s p o`` each."""
    return set(_END.sub(b"\n", ntriples).split(b"\n")) - {b""}


def as_quads(ntriples: bytes, graph: str) -> bytes:
    """N-Triples (one statement per line, as Oxigraph writes them) as N-Quads in ``graph``."""
    return _END.sub(b" <" + graph.encode().replace(b"\\", b"\\\\") + b"> .\n", ntriples)


def upload_all(client: StoreClient, uploads: list[GraphUpload], folder: Path) -> None:
    """Fill every temporary graph and check each holds exactly what was sent; graphs found
    short are cleared and sent again, as the client's policy allows."""
    pending = [u for u in uploads if u.triples]

    def attempt(now: Attempt) -> None:
        nonlocal pending
        if now.number > 1:
            client.update(" ;\n".join(f"DROP SILENT GRAPH <{u.temporary}>" for u in pending),
                          what=text("push-what-clear-short"))
        if client.target.gsp and client.is_oxigraph:
            _post_dataset(client, pending, folder)
        elif client.target.gsp:
            for upload in pending:
                client.put_graph(upload.temporary, upload.body,
                                 what=text("push-what-upload-graph", graph=upload.graph))
        else:
            _insert(client, pending)
        held = client.graph_counts([u.temporary for u in pending], what=text("push-what-check-upload"))
        short = [u for u in pending if held.get(u.temporary, 0) != u.triples]
        if short:
            pending, u = short, short[0]
            raise Retry(f"uploading {u.graph}: the store holds {held.get(u.temporary, 0)} of the "
                        f"{u.triples} triples sent to the temporary graph <{u.temporary}>"
                        + (f" (and {len(short) - 1} more graphs are short)" if len(short) > 1 else ""))

    def give_up(gave: GaveUp) -> EndpointError:
        return EndpointError(f"{gave.reason}; gave up after {gave.attempts} attempts")

    client.retrying(attempt, give_up)


def _post_dataset(client: StoreClient, uploads: list[GraphUpload], folder: Path) -> None:
    """The graphs as N-Quads POSTs of whole graphs (each N-Triples line gets its temporary
    graph), several at once; a batch is written while the ones before it are sent. A POST that
    is retried after its answer was lost adds the same quads again, which changes nothing."""
    bulk = client.bulk_load_is_atomic
    pending: list[Future[None]] = []
    with ThreadPoolExecutor(POST_WORKERS, thread_name_prefix="push-upload") as pool:
        try:
            for n, batch in enumerate(_batches(uploads)):
                path = folder / f"upload-{n}.nq"
                with path.open("wb") as out:
                    for upload in batch:
                        out.write(as_quads(upload.body.contents(), upload.temporary))
                what = text("push-what-upload-batch", graphs=len(batch),
                            triples=sum(u.triples for u in batch))
                pending.append(pool.submit(client.post_dataset, FileBody(path), what=what, bulk=bulk))
            for future in pending:
                future.result()
        finally:
            for future in pending:   # after a failure: send no more
                future.cancel()


def _batches(uploads: list[GraphUpload]) -> list[list[GraphUpload]]:
    """Consecutive whole graphs of about ``POST_BATCH_TRIPLES`` triples together."""
    batches: list[list[GraphUpload]] = [[]]
    size = 0
    for upload in uploads:
        if batches[-1] and size + upload.triples > POST_BATCH_TRIPLES:
            batches.append([])
            size = 0
        batches[-1].append(upload)
        size += upload.triples
    return [batch for batch in batches if batch]


def _insert(client: StoreClient, uploads: list[GraphUpload]) -> None:
    """SPARQL Update upload. Blank nodes are only allowed in an ``INSERT … WHERE {}`` template
    (Virtuoso refuses them in ``INSERT DATA``) and keep their identity only within one request,
    so a graph holding any is sent whole, after the others, joined only with such graphs up to
    ``TEMPLATE_CHUNK_TRIPLES`` (a template costs Virtuoso far more than data); other graphs are
    split or joined up to the limit in ``INSERT DATA``."""
    batch: list[tuple[str, bytes]] = []
    size = 0
    bnodes = False
    with_blanks: list[tuple[GraphUpload, bytes]] = []

    def flush() -> None:
        nonlocal batch, size, bnodes
        if batch:
            blocks = b"".join(b"GRAPH <" + g.encode() + b"> {\n" + body + b"}\n" for g, body in batch)
            head, tail = (b"INSERT {\n", b"} WHERE {}\n") if bnodes else (b"INSERT DATA {\n", b"}\n")
            client.update(head + blocks + tail, what=text("push-what-insert", parts=len(batch)))
        batch, size, bnodes = [], 0, False

    for upload in uploads:
        data = upload.body.contents()
        if b"_:" in data:
            with_blanks.append((upload, data))
            continue
        lines = data.splitlines(keepends=True)
        for start in range(0, len(lines), UPDATE_CHUNK_TRIPLES):
            part = lines[start:start + UPDATE_CHUNK_TRIPLES]
            if size + len(part) > UPDATE_CHUNK_TRIPLES:
                flush()
            batch.append((upload.temporary, b"".join(part)))
            size += len(part)
    flush()
    for upload, data in with_blanks:
        if size + upload.triples > TEMPLATE_CHUNK_TRIPLES:
            flush()
        batch.append((upload.temporary, data))
        size += upload.triples
        bnodes = True
    flush()
