"""``akke-graph push``: load the validated graph into any SPARQL 1.1 store.

Atomic from a reader's view. Every named graph is first uploaded into a fresh temporary graph
(Graph Store Protocol, or SPARQL Update where the store has no GSP; see :mod:`.upload`), its
triple count is checked there, and only then one SPARQL Update request ``MOVE``s all temporary
graphs onto their targets. A reader therefore sees each graph either as it was or complete and
new — never half; a plain GSP PUT promises no such thing (the protocol leaves it to the store,
and Oxigraph's server clears the graph and loads it as two steps). Oxigraph, which runs each
update request as one transaction, gets cheaper paths: a first push loads whole graphs straight
into their targets, each request committed whole (by the bulk loader on Oxigraph 0.5, else
a transaction; :mod:`.upload`); a later one reads the graphs back and sends only the change
(:mod:`.delta`). Afterwards a count query checks that the store holds exactly what was
sent (on a first push to Oxigraph, the upload's own check of the graphs themselves; nothing when
nothing was sent: the read compared every triple).
"""

from __future__ import annotations

import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from akke_graph.errors import ConfigError, EndpointError, Message, text
from akke_graph.load import LoadedGraph
from akke_graph.push.client import PushTarget, StoreClient
from akke_graph.sparql_http.policy import Attempt, HttpPolicy
from akke_graph.push.delta import compute_delta, local_triples, remote_triples, send_delta
from akke_graph.push.upload import GraphUpload, upload_all
from akke_graph.store import Store

@dataclass
class PushReport:
    """What a push did: graphs and triples sent, how, where, and how long it took."""

    target: PushTarget
    method: str
    graphs: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # serialise, upload|read, replace, verify
    changes: tuple[int, int] | None = None  # triples in and out, when only the change was sent
    dry_run: bool = False                   # nothing was sent: what a push would do
    held: dict[str, int] = field(default_factory=dict)  # triples per graph the store held before

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def to_text(self) -> str:
        how = {"gsp": f"the Graph Store Protocol ({self.target.gsp})",
               "update": f"SPARQL Update ({self.target.update})",
               "delta": f"one SPARQL Update of the change ({self.target.update})"}[self.method]
        rate = f", {self.triples / self.seconds:,.0f} triples/s" if self.seconds > 0 else ""
        graphs = f"{len(self.graphs)} graph{'s' if len(self.graphs) != 1 else ''}"
        if self.dry_run:
            return "\n".join([self._dry_run_text(graphs)] + [
                f"  {graph}  {n} triples (the store holds {self.held.get(graph, 0)})"
                for graph, n in self.graphs.items()])
        if self.changes == (0, 0):
            first = (f"{self.target.endpoint} already held these {graphs}, {self.triples} triples: "
                     f"nothing to send (checked in {self.seconds:.2f} s)")
        else:
            change = (f": {self.changes[0]} triples in, {self.changes[1]} out"
                      if self.changes is not None else "")
            first = (f"pushed {graphs}, {self.triples} triples to {self.target.endpoint} by {how}"
                     f"{change}, in {self.seconds:.2f} s{rate}; the store holds exactly what was sent")
        return "\n".join([first] + [f"  {graph}  {n} triples" for graph, n in self.graphs.items()])

    def _dry_run_text(self, graphs: str) -> str:
        held = (f"it holds {sum(self.held.values())} triples in {len(self.held)} of these {graphs}")
        if self.changes == (0, 0):
            would = "a push would send nothing"
        elif self.changes is not None:
            would = (f"a push would send {self.changes[0]} triples in and {self.changes[1]} out "
                     f"({self.triples} triples in all)")
        else:
            would = (f"a push would replace these {graphs} with {self.triples} triples "
                     "(through temporary graphs and one MOVE)")
        return f"dry run, nothing was sent to {self.target.endpoint}: {held}; {would}"


def push(loaded: LoadedGraph, target: PushTarget, *, into_graph: str | None = None,
         policy: HttpPolicy | None = None, log: Callable[[str], None] | None = None,
         dry_run: bool = False) -> PushReport:
    """Validate the loaded graph (nothing non-conformant leaves the machine), then push it."""
    from akke_graph.shacl.validate import require_conformant

    require_conformant(loaded)
    return push_store(loaded.store, target, into_graph=into_graph, policy=policy, log=log,
                      dry_run=dry_run)


def push_store(store: Store, target: PushTarget, *, into_graph: str | None = None,
               policy: HttpPolicy | None = None, log: Callable[[str], None] | None = None,
               dry_run: bool = False) -> PushReport:
    """Push every named graph of ``store`` (or all of them merged into ``into_graph``).
    ``dry_run``: only read the store and report what a push would change."""
    say = log or (lambda _message: None)
    if into_graph is not None:
        try:
            ox.NamedNode(into_graph)
        except ValueError:
            raise ConfigError(f"--graph {into_graph!r} is not an absolute IRI",
                              hint="write it like https://example.org/graph/akke") from None
    started = time.perf_counter()
    report = PushReport(target=target, method="gsp" if target.gsp else "update")
    token = uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="akke-push-") as tmp, \
            StoreClient(target, policy) as client:
        clock = time.perf_counter()

        def lap(phase: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            report.phases[phase] = now - clock
            clock = now

        uploads = _serialise(store, Path(tmp), token, into_graph)
        lap("serialise")
        if not uploads:
            raise EndpointError("there is nothing to push: the graph is empty")
        report.graphs = {u.graph: u.triples for u in uploads}
        replacing = direct = False
        delta = None
        graphs = [u.graph for u in uploads]
        try:
            held_any = client.holds_any(graphs)   # also tells which store answers
            if client.is_oxigraph:
                # One update request is one transaction there: read what the store holds and
                # send only the change (the read gives the counts too). The local graphs are
                # parsed meanwhile: the read waits on the server.
                report.method = "delta"
                held: dict[str, set[bytes]] = {}
                ours: dict[str, set[bytes]] = {}
                if held_any or not target.gsp:   # else a first push: nothing to compare
                    with ThreadPoolExecutor(1) as pool:
                        mine = pool.submit(local_triples, uploads)
                        if held_any:
                            say(f"reading what the store holds in these {len(graphs)} graphs")
                            held = remote_triples(client, graphs)
                        ours = mine.result()
                before = {graph: len(triples) for graph, triples in held.items()}
                lap("read")
            else:
                before = (client.graph_counts(graphs, what=text("push-what-counts-before"))
                          if held_any else {})
            say(f"the store holds {sum(before.values())} triples in {len(before)} of the "
                f"{len(uploads)} graphs now")
            if dry_run:
                report.dry_run, report.held = True, before
                if client.is_oxigraph:
                    report.changes = (compute_delta(ours, held).counts if before or ours
                                      else (sum(u.triples for u in uploads), 0))
                report.seconds = time.perf_counter() - started
                return report
            if not before and target.gsp and client.is_oxigraph:
                # Nothing to replace: loads of whole graphs into the graphs themselves, each request
                # committed whole, leave each absent or complete: the fastest way into Oxigraph.
                direct = True
                report.method = "gsp"
                uploads = [replace(u, temporary=u.graph) for u in uploads]
                say(f"uploading {sum(u.triples for u in uploads)} triples, whole graphs per request")
                upload_all(client, uploads, Path(tmp))
                lap("upload")
            elif client.is_oxigraph:
                delta = compute_delta(ours, held)
                report.changes = added, removed = delta.counts
                say(f"sending the change: {added} triples in, {removed} out")
                if not delta.empty:
                    send_delta(client, delta, Path(tmp))
                lap("replace")
            else:
                say(f"uploading {sum(u.triples for u in uploads)} triples into temporary graphs")
                upload_all(client, uploads, Path(tmp))
                lap("upload")
                replacing = True
                say(f"replacing {len(uploads)} graphs in one update")
                _commit(client, uploads)
                lap("replace")
            # Already checked: a direct upload's count check was of the graphs themselves; an
            # empty change means the read compared every triple.
            if not direct and (delta is None or not delta.empty):
                _verify(client, uploads)
                lap("verify")
        except EndpointError as exc:
            state: Message
            if direct:   # the "temporary" graphs are the targets: each request decides
                state = text("push-state-direct")
            elif report.method == "delta":
                state = text("push-state-delta-sent" if report.changes and any(report.changes)
                             else "push-state-untouched")
            else:
                _drop_temporaries(client, uploads)
                state = text("push-state-moved" if replacing else "push-state-untouched")
            raise EndpointError(text("push-state", error=exc.message_text, state=state),
                                hint=exc.hint_text) from None
    report.seconds = time.perf_counter() - started
    return report


def _serialise(store: Store, folder: Path, token: str, into_graph: str | None) -> list[GraphUpload]:
    """Write the named graphs as N-Triples, one after the other in one file (creating a file per
    graph costs more than the serialising), and count their triples."""
    path = folder / "graphs.nt"
    uploads: list[GraphUpload] = []
    with path.open("wb") as out:
        def write(graph: str, data: bytes) -> None:
            if data:
                uploads.append(GraphUpload(graph=graph, temporary="", path=path, start=out.tell(),
                                           size=len(data), triples=data.count(b"\n")))  # a line a triple
                out.write(data)

        if into_graph:
            merged = ox.Store()  # the union: a triple in several graphs is sent once
            merged.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in store.quads())
            write(into_graph, merged.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b"")
        else:
            for graph in store.graphs():  # one dump per graph: the serialiser runs in Rust
                write(graph, store.dump("nt", graph))
    return [replace(u, temporary=f"urn:akke-graph:push:{token}:{n}")
            for n, u in enumerate(sorted(uploads, key=lambda u: u.graph))]


def _commit(client: StoreClient, uploads: list[GraphUpload]) -> None:
    """One update request moves every temporary graph onto its target. If the answer is lost
    after the store committed, the temporary graphs are gone: only those still there are moved
    again (``MOVE`` from a missing graph would empty the target)."""
    remaining = list(uploads)
    what = text("push-what-move")
    failing = client.failing("POST", client.update_url, what)

    def attempt(now: Attempt) -> None:
        nonlocal remaining
        if now.number > 1:
            present = client.existing_graphs([u.temporary for u in remaining], what=what)
            remaining = [u for u in remaining if u.temporary in present]
        if remaining:
            moves = " ;\n".join(f"MOVE GRAPH <{u.temporary}> TO GRAPH <{u.graph}>" for u in remaining)
            client.update_attempt(now, moves, failing)

    client.retrying(attempt, failing.gave_up)


def _verify(client: StoreClient, uploads: list[GraphUpload]) -> None:
    held = client.graph_counts([u.graph for u in uploads], what=text("push-what-verify"))
    wrong = [f"<{u.graph}> holds {held.get(u.graph, 0)}, sent {u.triples}"
             for u in uploads if held.get(u.graph, 0) != u.triples]
    if wrong:
        raise EndpointError("the count check failed: " + "; ".join(wrong))


def _drop_temporaries(client: StoreClient, uploads: list[GraphUpload]) -> None:
    """Best effort, one short attempt: a failed push should not leave temporary graphs behind."""
    drops = " ;\n".join(f"DROP SILENT GRAPH <{u.temporary}>" for u in uploads)
    try:
        client.update(drops, what=text("push-what-clean"), policy=client.policy.once(timeout=5.0))
    except EndpointError:
        pass
