"""``push`` to a real Oxigraph server: round trips, replacement without duplicates, atomicity
as a concurrent reader sees it, and faults injected between client and server — after every
fault the server holds the old complete graph or the new complete graph, and the exit code and
message say what happened."""

from __future__ import annotations

import queue
import re
import signal
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
import pytest

from akke_graph.errors import ConfigError, EndpointError
from akke_graph.load import LoadedGraph
from akke_graph.oxigraph_server import OxigraphServer, free_port
from akke_graph.push import PASSWORD_ENV, PushTarget, push_store, upload
from akke_graph.sparql_http import HttpPolicy
from akke_graph.store import OxigraphStore

from akke_graph.synthetic.generate import generate

from .conftest import ontology_graph
from .faultproxy import Fault, FaultProxy, Held, Request
from .helpers import canonical, counts, graph_triples, holds, store_graph
from .killing import (COMMON, LEFTOVER, WRITES, KillPoint, folders, kill_and_push_again, kill_at,
                      kill_points, push_process, seed_leftover, temporaries)

FAST = HttpPolicy(retries=2, backoff=0.05, timeout=10)


def target(server: OxigraphServer, gsp: bool = True) -> PushTarget:
    return PushTarget.from_options(server.query_url, gsp=server.store_url if gsp else None)


@pytest.fixture()
def run_push(cli):
    """The command, its retries keeping their number and timeout, with a first wait of 50 ms."""
    return lambda project_root, *args, env=None: cli(
        "push", *args, project=project_root,
        env={PASSWORD_ENV: "", "AKKE_HTTP_BACKOFF": "0.05", **(env or {})})


def leftovers(server: OxigraphServer) -> list[str]:
    return [g for g in counts(server.query_url) if g.startswith("urn:akke-graph:push:")]


@pytest.mark.parametrize("gsp", [True, False], ids=["graph-store-protocol", "sparql-update"])
def test_round_trip_and_push_twice_replaces(oxigraph_server: OxigraphServer, loaded: LoadedGraph,
                                            version_b: OxigraphStore, gsp: bool) -> None:
    store = loaded.store
    report = push_store(store, target(oxigraph_server, gsp), policy=FAST)
    assert report.triples == len(store) and set(report.graphs) == set(store.graphs())
    for graph in store.graphs():  # isomorphic per named graph, read back by queries
        assert canonical(graph_triples(oxigraph_server.query_url, graph)) == \
            canonical(store_graph(store, graph)), graph
    push_store(store, target(oxigraph_server, gsp), policy=FAST)
    assert counts(oxigraph_server.query_url) == {g: sum(1 for _ in store.quads(g)) for g in store.graphs()}
    push_store(version_b, target(oxigraph_server, gsp), policy=FAST)
    assert holds(oxigraph_server.query_url, version_b)
    assert not holds(oxigraph_server.query_url, store)
    assert leftovers(oxigraph_server) == []


def test_into_one_graph(oxigraph_server: OxigraphServer, seed_loaded: LoadedGraph) -> None:
    report = push_store(seed_loaded.store, target(oxigraph_server), into_graph="https://example.org/g/akke",
                        policy=FAST)
    distinct = {(q.subject, q.predicate, q.object) for q in seed_loaded.store.quads()}
    assert report.graphs == {"https://example.org/g/akke": len(distinct)}
    assert counts(oxigraph_server.query_url) == {"https://example.org/g/akke": len(distinct)}
    with pytest.raises(ConfigError, match="not an absolute IRI"):
        push_store(seed_loaded.store, target(oxigraph_server), into_graph="not an iri")


class Watcher:
    """Calls ``look`` over and over in a thread while the block runs, and fails the test with
    what it raised. It looks whenever the machine lets it; the tests do not count its looks."""

    def __init__(self, look: Callable[[], object]) -> None:
        self.look = look
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(0.01):   # leaves the work it watches most of the machine
            try:
                self.look()
            except BaseException as exc:  # reported by the test's thread
                self.errors.append(exc)
                return

    def __enter__(self) -> "Watcher":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(300)
        if self.errors and exc[0] is None:
            raise self.errors[0]


def step_through(proxy: FaultProxy, work: Callable[[], object],
                 at: Callable[[Held, str], None]) -> int:
    """Run ``work`` in a thread; each request the proxy holds is let through one at a time, with
    ``at(held, "before")`` before it reaches the store and ``at(held, "after")`` once the store
    answered it. Returns how many requests were held, after failing on what ``work`` raised."""
    done = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # reported by the calling thread
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    steps = 0
    try:
        while True:
            try:
                held = proxy.held.get(timeout=0.2)
            except queue.Empty:
                if done.is_set() and proxy.held.empty():
                    break
                continue
            at(held, "before")
            held.release.set()
            assert held.answered.wait(300), "the store did not answer a released request"
            at(held, "after")
            steps += 1
    finally:
        proxy._released.set()   # on failure, let every request still held go on
        thread.join(300)
    assert not errors, errors
    return steps


# Generous: requests wait in the proxy while the test looks at the store.
PATIENT = HttpPolicy(retries=2, backoff=0.05, timeout=600, deadline=3600)


def test_readers_see_old_or_new_never_half(oxigraph_server: OxigraphServer, fault_proxy,
                                          seed_loaded: LoadedGraph, seed_version_b: OxigraphStore) -> None:
    """Six pushes replace the graph in turn; the change of each is held at the proxy. Before it
    reaches the store readers see the old version, after it the new one, and a reader polling
    all the while sees one or the other, never a mix."""
    graphs = sorted(set(seed_loaded.store.graphs()) | set(seed_version_b.graphs()))
    versions = [seed_loaded.store, seed_version_b]
    expected = [{g: n for g in graphs if (n := sum(1 for _ in s.quads(g)))} for s in versions]
    push_store(seed_loaded.store, target(oxigraph_server), policy=FAST)
    proxy = fault_proxy()
    proxy.faults.append(Fault("hold", when=is_delta))
    through = PushTarget.from_options(proxy.url("/query"), gsp=proxy.url("/store"))
    pushed: list[int] = []

    def writer() -> None:
        for n in range(6):
            pushed.append((n + 1) % 2)
            push_store(versions[pushed[-1]], through, policy=PATIENT)

    def look() -> None:
        snapshot = counts(oxigraph_server.query_url, graphs)
        assert snapshot in expected, snapshot

    def at(held: Held, when: str) -> None:
        new = pushed[-1]
        assert counts(oxigraph_server.query_url, graphs) == expected[1 - new if when == "before" else new]

    with Watcher(look):
        assert step_through(proxy, writer, at) == 6
    assert holds(oxigraph_server.query_url, seed_loaded.store)


def is_upload(r: Request) -> bool:
    return r.is_upload


def is_move(r: Request) -> bool:
    return r.is_move


def is_insert(r: Request) -> bool:
    return r.is_insert


def is_delta(r: Request) -> bool:
    return r.is_delta


def is_read(r: Request) -> bool:
    return r.is_read


@dataclass
class Case:
    """A fault, how the client replaces ("delta": the store says it is Oxigraph, so one update
    carries the change; "gsp": a PUT per temporary graph and a MOVE, as to any other store;
    "update": SPARQL Update into temporary graphs and a MOVE), the expected exit code, final
    version ("A" new, "B" old, "empty" nothing) and message."""

    name: str
    faults: list[Fault] | str
    mode: str
    exit_code: int
    final: str
    message: str
    options: tuple[str, ...] = ()


FAULTS = [
    Case("refused", "refuse", "delta", 2, "B", r"cannot be reached"),
    Case("500-always", [Fault("500")], "delta", 2, "B", r"HTTP 500.*gave up after 4 attempts"),
    Case("503-twice", [Fault("503", times=2)], "delta", 0, "A", r"pushed \d+ graphs"),
    Case("503-on-read", [Fault("503", when=is_read)], "delta", 2, "B",
         r"reading the graphs.*HTTP 503.*nothing was replaced"),
    Case("503-on-delta", [Fault("503", when=is_delta)], "delta", 2, "B",
         r"replacing the graphs.*HTTP 503.*one transaction"),
    Case("404-no-retry", [Fault("404", when=is_delta)], "delta", 2, "B", r"answered HTTP 404"),
    Case("stall-delta", [Fault("stall", when=is_delta)], "delta", 2, "B", r"timeout",
         ("--timeout", "3", "--retries", "1")),
    Case("stall-delta-once", [Fault("stall", when=is_delta, times=1)], "delta", 0, "A", r"pushed",
         ("--timeout", "3")),
    Case("cut-delta-once", [Fault("cut", when=is_delta, times=1)], "delta", 0, "A", r"pushed"),
    Case("cut-delta-always", [Fault("cut", when=is_delta)], "delta", 2, "B", r"connection broke"),
    Case("lost-delta-answer", [Fault("lose-answer", when=is_delta, times=1)], "delta", 0, "A", r"pushed"),
    Case("503-on-move", [Fault("503", when=is_move)], "gsp", 2, "B", r"MOVE.*HTTP 503"),
    Case("stall-move-once", [Fault("stall", when=is_move, times=1)], "gsp", 0, "A", r"pushed",
         ("--timeout", "3")),
    Case("lost-move-answer", [Fault("lose-answer", when=is_move)], "gsp", 0, "A", r"pushed"),
    Case("stall-move", [Fault("stall", when=is_move)], "gsp", 2, "B",
         r"timeout.*may still be running.*left for the next push", ("--timeout", "3", "--retries", "1")),
    Case("cut-put-once", [Fault("cut", when=is_upload, times=1)], "gsp", 0, "A", r"pushed"),
    Case("cut-put-always", [Fault("cut", when=is_upload)], "gsp", 2, "B", r"connection broke"),
    Case("stall-put", [Fault("stall", when=is_upload)], "gsp", 2, "B", r"timeout",
         ("--timeout", "3", "--retries", "1")),
    Case("cut-insert-once", [Fault("cut", when=is_insert, times=1)], "update", 0, "A", r"pushed"),
    Case("cut-insert-always", [Fault("cut", when=is_insert)], "update", 2, "B", r"connection broke"),
]


@pytest.mark.parametrize("case", FAULTS, ids=[c.name for c in FAULTS])
def test_faults_leave_old_or_new_graph(case: Case, oxigraph_server: OxigraphServer, fault_proxy,
                                       seed_validated: LoadedGraph, seed_version_b: OxigraphStore,
                                       seed_project: Path, run_push) -> None:
    push_store(seed_version_b, target(oxigraph_server), policy=FAST)  # the old version, "B"
    proxy = fault_proxy(stall_s=20, server_name=None if case.mode == "delta" else "FaultProxy")
    if case.faults == "refuse":
        proxy.refuse()
    else:
        proxy.faults.extend(Fault(f.action, f.when, f.times) for f in case.faults)
    gsp = ["--gsp", proxy.url("/store")] if case.mode != "update" else []
    result = run_push(seed_project, "--endpoint", proxy.url("/query"), *gsp, *case.options)
    assert result.exit_code == case.exit_code, result.output
    assert re.search(case.message, result.output, flags=re.S), result.output
    if case.exit_code:
        assert f"127.0.0.1:{proxy.port}" in result.output  # the message names the endpoint
        assert "Traceback" not in result.output
    expected = seed_validated.store if case.final == "A" else seed_version_b
    assert holds(oxigraph_server.query_url, expected), case.name
    if case.name == "stall-move":   # left, as the message said, for the next push
        assert leftovers(oxigraph_server)
        assert push_store(seed_validated.store, target(oxigraph_server), policy=FAST).leftovers
        assert leftovers(oxigraph_server) == [] and holds(oxigraph_server.query_url, seed_validated.store)
    elif case.faults != "refuse":
        assert leftovers(oxigraph_server) == []
        methods = {r.method for r in proxy.seen if r.is_upload}
        assert methods <= {"delta": set(), "gsp": {"PUT"}, "update": set()}[case.mode]
        if case.mode == "delta":
            assert not any(r.is_move for r in proxy.seen)
            assert any(r.is_delta for r in proxy.seen) or case.exit_code
        else:
            assert methods or case.mode == "update" or case.exit_code


FIRST_PUSH_FAULTS = [
    Case("first-503-twice", [Fault("503", when=is_upload, times=2)], "delta", 0, "A", r"pushed \d+ graphs"),
    Case("first-cut-upload-once", [Fault("cut", when=is_upload, times=1)], "delta", 0, "A", r"pushed"),
    Case("first-lost-upload-answer", [Fault("lose-answer", when=is_upload, times=1)], "delta", 0, "A", r"pushed"),
    Case("first-cut-upload-always", [Fault("cut", when=is_upload)], "delta", 2, "empty",
         r"connection broke.*either still empty or complete"),
    Case("first-stall-upload", [Fault("stall", when=is_upload)], "delta", 2, "empty", r"timeout",
         ("--timeout", "3", "--retries", "1")),
]


@pytest.mark.parametrize("case", FIRST_PUSH_FAULTS, ids=[c.name for c in FIRST_PUSH_FAULTS])
def test_first_push_faults_leave_nothing_or_new_graph(case: Case, oxigraph_server: OxigraphServer, fault_proxy,
                                                      seed_validated: LoadedGraph, seed_project: Path, run_push) -> None:
    """Into an empty store the upload goes straight to the graphs, each request committed whole
    (no MOVE): after a fault each graph is absent or complete, never half."""
    proxy = fault_proxy(stall_s=20)
    proxy.faults.extend(Fault(f.action, f.when, f.times) for f in case.faults)
    result = run_push(seed_project, "--endpoint", proxy.url("/query"), "--gsp", proxy.url("/store"), *case.options)
    assert result.exit_code == case.exit_code, result.output
    assert re.search(case.message, result.output, flags=re.S), result.output
    assert not any(r.is_move for r in proxy.seen)
    if case.final == "A":
        assert holds(oxigraph_server.query_url, seed_validated.store), case.name
    else:
        assert counts(oxigraph_server.query_url) == {}, case.name


def test_first_push_is_one_bulk_load_and_the_second_sends_the_change(
        oxigraph_server: OxigraphServer, fault_proxy, seed_validated: LoadedGraph,
        seed_version_b: OxigraphStore) -> None:
    proxy = fault_proxy()
    through = PushTarget.from_options(proxy.url("/query"), gsp=proxy.url("/store"))
    first = push_store(seed_version_b, through, policy=FAST)
    assert "replace" not in first.phases and not any(r.is_move for r in proxy.seen)
    # Oxigraph 0.5's bulk loader, which commits each request whole
    assert [r.target for r in proxy.seen if r.is_upload] == ["/store?no_transaction="]
    proxy.seen.clear()
    second = push_store(seed_validated.store, through, policy=FAST)
    # B lacks one triple of the first graph, and has one more in the ontology's, which holds
    # blank nodes and so goes in whole (dropped first); the first graph gets its triple back.
    last = ontology_graph(seed_validated)
    assert second.method == "delta"
    assert second.changes == (1 + sum(1 for _ in seed_validated.store.quads(last)), 0)
    assert [r for r in proxy.seen if r.is_upload or r.is_move] == []
    (delta,) = [r for r in proxy.seen if r.is_delta]
    assert f"DROP SILENT GRAPH <{last}>" in delta.text and "urn:test:version" not in delta.text
    assert holds(oxigraph_server.query_url, seed_validated.store)
    proxy.seen.clear()
    again = push_store(seed_validated.store, through, policy=FAST)
    assert again.changes == (0, 0) and "nothing to send" in again.to_text()
    assert not any(r.is_delta for r in proxy.seen)
    assert "verify" not in again.phases   # the read compared every triple: no count query after it


def test_first_push_in_batches_leaves_each_graph_absent_or_complete(
        oxigraph_server: OxigraphServer, fault_proxy, seed_validated: LoadedGraph,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A first push sends whole graphs per POST, several POSTs at once. When one POST fails for
    good, its graphs are absent and the others' complete; pushing again loads what is missing."""
    monkeypatch.setattr(upload, "POST_BATCH_TRIPLES", 100)
    store = seed_validated.store
    expected = {g: sum(1 for _ in store.quads(g)) for g in store.graphs()}
    doomed = store.graphs()[len(expected) // 2]
    proxy = fault_proxy()
    proxy.faults.append(Fault("cut", when=lambda r: r.is_upload and f"<{doomed}>" in r.text))
    through = PushTarget.from_options(proxy.url("/query"), gsp=proxy.url("/store"))
    with pytest.raises(EndpointError, match="either still empty or complete"):
        push_store(store, through, policy=FAST)
    batches = {r.text for r in proxy.seen if r.is_upload and f"<{doomed}>" not in r.text}
    assert len(batches) > 2
    held = counts(oxigraph_server.query_url)
    assert doomed not in held and held and all(expected[g] == n for g, n in held.items()), held
    proxy.faults.clear()
    again = push_store(store, through, policy=FAST)
    assert again.method == "delta" and again.changes == (sum(expected.values()) - sum(held.values()), 0)
    assert holds(oxigraph_server.query_url, store)


@pytest.mark.parametrize("server_name", ["Oxigraph/0.4.11", "Oxigraph/0.6.0", "Oxigraph/dev"])
def test_other_oxigraph_series_get_a_transaction_per_request(
        oxigraph_server: OxigraphServer, fault_proxy, seed_validated: LoadedGraph, server_name: str) -> None:
    """Before 0.5, Oxigraph's in-memory bulk loader committed quad by quad; later series are not
    verified: no bulk load there."""
    proxy = fault_proxy(server_name=server_name)
    through = PushTarget.from_options(proxy.url("/query"), gsp=proxy.url("/store"))
    push_store(seed_validated.store, through, policy=FAST)
    assert [r.target for r in proxy.seen if r.is_upload] == ["/store"]
    assert holds(oxigraph_server.query_url, seed_validated.store)


@pytest.mark.parametrize("on_disk", [True, False], ids=["on-disk", "in-memory"])
def test_first_push_readers_see_each_graph_absent_or_complete(on_disk: bool,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A first push bulk-loads many requests; the proxy holds each until the test has looked at
    the store. At every step, and for a reader polling all the while, each graph is absent or
    complete, never half; between the requests the store holds some graphs but not all."""
    monkeypatch.setattr(upload, "POST_BATCH_TRIPLES", 700)
    store = OxigraphStore()
    store.add(generate(10_000))
    expected = {g: sum(1 for _ in store.quads(g)) for g in store.graphs()}
    server = OxigraphServer.temporary() if on_disk else OxigraphServer(location=None)
    views: list[int] = []

    def look() -> int:
        snapshot = counts(server.query_url)
        half = {g: n for g, n in snapshot.items() if n != expected[g]}
        assert not half, f"half graphs seen: {half}"
        return len(snapshot)

    def at(held: Held, when: str) -> None:
        views.append(look())

    with server:
        proxy = FaultProxy("127.0.0.1", server.port, faults=[Fault("hold", is_upload)])
        try:
            through = PushTarget.from_options(proxy.url("/query"), gsp=proxy.url("/store"))
            with Watcher(look):
                uploads = step_through(proxy, lambda: push_store(store, through, policy=PATIENT), at)
            assert uploads > 10
            # after each upload but the last, some graphs are there and some not yet
            assert sum(0 < n < len(expected) for n in views) >= uploads - 1, views
            assert counts(server.query_url) == expected
        finally:
            proxy.close()


@pytest.mark.parametrize("oxigraph", [True, False], ids=["oxigraph", "other-store"])
def test_dry_run_reports_and_sends_nothing(oxigraph_server: OxigraphServer, fault_proxy,
                                           seed_validated: LoadedGraph, seed_version_b: OxigraphStore,
                                           oxigraph: bool) -> None:
    proxy = fault_proxy(server_name=None if oxigraph else "FaultProxy")
    through = PushTarget.from_options(proxy.url("/query"), gsp=proxy.url("/store"))
    empty = push_store(seed_validated.store, through, policy=FAST, dry_run=True)
    assert empty.dry_run and empty.held == {} and counts(oxigraph_server.query_url) == {}
    assert empty.changes == ((len(seed_validated.store), 0) if oxigraph else None)
    push_store(seed_version_b, target(oxigraph_server), policy=FAST)
    proxy.seen.clear()
    report = push_store(seed_validated.store, through, policy=FAST, dry_run=True)
    assert not any(r.is_upload or r.is_move or r.is_delta or r.is_insert for r in proxy.seen)
    assert holds(oxigraph_server.query_url, seed_version_b)
    assert report.held == counts(oxigraph_server.query_url)
    last = ontology_graph(seed_validated)      # as in the test above: B lacks one triple, and the
    if oxigraph:                          # ontology (blank nodes) goes in whole
        assert report.changes == (1 + sum(1 for _ in seed_validated.store.quads(last)), 0)
    text = report.to_text()
    assert text.startswith("dry run, nothing was sent") and "the store holds" in text, text


def test_cli_dry_run(oxigraph_server: OxigraphServer, seed_validated: LoadedGraph, seed_project: Path, run_push) -> None:
    result = run_push(seed_project, "--endpoint", oxigraph_server.query_url, "--gsp",
                      oxigraph_server.store_url, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"a push would send {len(seed_validated.store)} triples in and 0 out" in result.output
    assert counts(oxigraph_server.query_url) == {}


def test_other_stores_replace_by_move(oxigraph_server: OxigraphServer, fault_proxy,
                                      seed_validated: LoadedGraph, seed_version_b: OxigraphStore) -> None:
    """A store that does not say it is Oxigraph gets temporary graphs and one MOVE: whether its
    update requests are transactions is unknown, a MOVE per graph is atomic in any store."""
    push_store(seed_version_b, target(oxigraph_server), policy=FAST)
    proxy = fault_proxy(server_name="FaultProxy")
    report = push_store(seed_validated.store, PushTarget.from_options(proxy.url("/query"), gsp=proxy.url("/store")),
                        policy=FAST)
    assert report.method == "gsp" and report.changes is None and "replace" in report.phases
    assert any(r.is_move for r in proxy.seen) and not any(r.is_delta for r in proxy.seen)
    assert holds(oxigraph_server.query_url, seed_validated.store)


def bnode_version(loaded: LoadedGraph, label: str) -> OxigraphStore:
    """The graph plus, in its first named graph, a blank node (not matchable across stores)."""
    store = OxigraphStore()
    store.add(loaded.store.quads())
    graph = ox.NamedNode(store.graphs()[0])
    node = ox.BlankNode()
    store.add([ox.Quad(ox.NamedNode("urn:test:thing"), ox.NamedNode("urn:test:has"), node, graph),
               ox.Quad(node, ox.NamedNode("urn:test:label"), ox.Literal(label, language="fi"), graph)])
    return store


@pytest.mark.parametrize("gsp", [True, False], ids=["graph-store-protocol", "sparql-update"])
def test_delta_with_blank_nodes_and_awkward_literals(oxigraph_server: OxigraphServer,
                                                    seed_loaded: LoadedGraph, gsp: bool) -> None:
    """Graphs holding blank nodes are replaced whole; literals of every short form and escape
    compare equal across the store's TSV and the local N-Triples (nothing sent twice)."""
    awkward = [ox.Literal("tab\there, \"quoted\"\nnewline \\ ä €"), ox.Literal(42),
               ox.Literal(-1.5), ox.Literal(2.5e10), ox.Literal(True), ox.Literal("x", language="en-GB"),
               ox.Literal("0.10", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
               ox.Literal("2021-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))]
    first = bnode_version(seed_loaded, "yksi")
    plain = ox.NamedNode(next(g for g in first.graphs()[1:] if not any(
        isinstance(t, ox.BlankNode) for q in first.quads(g) for t in (q.subject, q.object))))
    first.add([ox.Quad(ox.NamedNode("urn:test:awkward"), ox.NamedNode(f"urn:test:p{n}"), value, plain)
               for n, value in enumerate(awkward)])
    second = OxigraphStore()
    second.add(q for q in first.quads()
               if q.object not in (ox.Literal("yksi", language="fi"), awkward[1]))
    second.add([ox.Quad(ox.NamedNode("urn:test:awkward"), ox.NamedNode("urn:test:new"), awkward[0], plain)])
    node = next(q.object for q in second.quads() if q.subject == ox.NamedNode("urn:test:thing"))
    second.add([ox.Quad(node, ox.NamedNode("urn:test:label"), ox.Literal("kaksi", language="fi"),
                        ox.NamedNode(second.graphs()[0]))])
    push_store(first, target(oxigraph_server, gsp), policy=FAST)
    assert holds(oxigraph_server.query_url, first)
    again = push_store(first, target(oxigraph_server, gsp), policy=FAST)
    assert again.changes == (0, 0)      # no literal compared unequal
    report = push_store(second, target(oxigraph_server, gsp), policy=FAST)
    whole = sum(1 for _ in second.quads(second.graphs()[0]))
    assert report.changes == (whole + 1, 1)  # the blank-node graph whole; one triple each way
    assert holds(oxigraph_server.query_url, second)
    assert counts(oxigraph_server.query_url) == {g: sum(1 for _ in second.quads(g)) for g in second.graphs()}


def test_4xx_is_not_retried(oxigraph_server: OxigraphServer, fault_proxy, seed_loaded: LoadedGraph) -> None:
    proxy = fault_proxy()
    proxy.faults.append(Fault("400", when=is_upload))
    with pytest.raises(EndpointError, match="answered HTTP 400"):
        push_store(seed_loaded.store, PushTarget.from_options(proxy.url("/query"), gsp=proxy.url("/store")),
                   policy=FAST)
    assert sum(1 for r in proxy.seen if r.is_upload) == 1


def test_cli_push_round_trip(oxigraph_server: OxigraphServer, validated: LoadedGraph,
                             project_root: Path, run_push) -> None:
    result = run_push(project_root, "--endpoint", oxigraph_server.query_url,
                      "--gsp", oxigraph_server.store_url)
    assert result.exit_code == 0, result.output
    assert f"{len(validated.store)} triples" in result.output
    assert holds(oxigraph_server.query_url, validated.store)


def test_nonconformant_graph_is_not_pushed(oxigraph_server: OxigraphServer, broken_project: Path, run_push) -> None:
    pytest.importorskip("akke_graph.shacl.validate")
    result = run_push(broken_project, "--endpoint", oxigraph_server.query_url)
    assert result.exit_code == 1, result.output
    assert "does not conform" in result.output
    assert counts(oxigraph_server.query_url) == {}


def test_password_only_from_the_environment(project_root: Path, run_push) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = run_push(project_root, "--endpoint", url, "--user", "akke")
    assert result.exit_code == 2 and PASSWORD_ENV in result.output
    result = run_push(project_root, "--endpoint", url, "--password", "secret")
    assert result.exit_code == 2 and "No such option" in result.output
    result = run_push(project_root, "--endpoint", "http://akke:secret@127.0.0.1:1/query")
    assert result.exit_code == 2 and "credentials in the URL" in result.output
    assert "secret" not in result.output
    with pytest.raises(ConfigError, match="not an http"):
        PushTarget.from_options("ftp://example.org/sparql")


def test_update_endpoint_defaults() -> None:
    assert PushTarget.from_options("http://h:1/query").update == "http://h:1/update"
    assert PushTarget.from_options("http://h:1/sparql").update == "http://h:1/sparql"
    assert PushTarget.from_options("http://h:1/q", update="http://h:1/u").update == "http://h:1/u"
    target = PushTarget.from_options("http://h:1/sparql", user="u", password="pw")
    assert target.password == "pw" and "pw" not in repr(target)


# --- killed pushes ----------------------------------------------------------------------------

# The kinds of request of each way into Oxigraph, in order; each is a kill point (killing.py),
# those every push sends first (COMMON) in one way only.
OXIGRAPH_KILLS = {
    # a later push: the change in one update
    "delta": [*COMMON, "read", "delta", "count"],
    # an empty store: whole graphs bulk-loaded straight into their targets
    "first": [*COMMON, "upload", "count"],
    # a store that does not say it is Oxigraph (say, behind a proxy): temporary graphs and a MOVE
    "move": [*COMMON, "count", "upload", "check", "move", "count#2"],
}
KILLS = [(mode, point) for n, (mode, kinds) in enumerate(OXIGRAPH_KILLS.items())
         for point in kill_points(kinds if n == 0 else kinds[len(COMMON):], WRITES)]


@pytest.mark.parametrize("mode,point", KILLS, ids=[f"{m}-{p.id}" for m, p in KILLS])
def test_a_killed_push_leaves_nothing_a_reader_sees_after_the_next(
        mode: str, point: KillPoint, oxigraph_server: OxigraphServer, fault_proxy,
        seed_validated: LoadedGraph, seed_version_b: OxigraphStore, seed_project: Path, tmp_path: Path) -> None:
    """A push into Oxigraph killed (SIGKILL) while each kind of request it sends is held, the
    request then lost or delivered: readers see the old complete graphs, and after the next push
    no temporary graph, the new complete graphs, and no working folder of the killed push."""
    old = None if mode == "first" else seed_version_b
    if old is not None:
        push_store(old, target(oxigraph_server), policy=FAST)
    proxy = fault_proxy(server_name="FaultProxy" if mode == "move" else None)
    proxy.faults.append(Fault("hold"))
    kill_and_push_again(
        query_url=oxigraph_server.query_url, update_url=oxigraph_server.update_url,
        direct=target(oxigraph_server), proxy=proxy, project=seed_project, scratch=tmp_path,
        args=["--endpoint", proxy.url("/query"), "--gsp", proxy.url("/store")], point=point,
        old=old, new=seed_validated.store, policy=FAST)


@pytest.mark.parametrize("mode", list(OXIGRAPH_KILLS))
def test_the_kill_points_cover_every_kind_of_request(mode: str, oxigraph_server: OxigraphServer,
                                                     fault_proxy, seed_validated: LoadedGraph,
                                                     seed_version_b: OxigraphStore, tmp_path: Path) -> None:
    """The table above names every kind of request each way of pushing sends."""
    if mode != "first":
        push_store(seed_version_b, target(oxigraph_server), policy=FAST)
    seed_leftover(oxigraph_server.update_url)
    proxy = fault_proxy(server_name="FaultProxy" if mode == "move" else None)
    push_store(seed_validated.store, PushTarget.from_options(proxy.url("/query"), gsp=proxy.url("/store")),
               policy=FAST, scratch=tmp_path)
    assert {r.kind for r in proxy.seen} == {k.partition("#")[0] for k in OXIGRAPH_KILLS[mode]}


def test_sigterm_drops_the_temporary_graphs_and_the_working_folder(
        oxigraph_server: OxigraphServer, fault_proxy, seed_validated: LoadedGraph,
        seed_version_b: OxigraphStore, seed_project: Path, tmp_path: Path) -> None:
    push_store(seed_version_b, target(oxigraph_server), policy=FAST)
    proxy = fault_proxy(server_name="FaultProxy")
    proxy.faults.append(Fault("hold"))
    process = push_process(seed_project, tmp_path, "--endpoint", proxy.url("/query"),
                           "--gsp", proxy.url("/store"))
    kill_at(proxy, process, KillPoint("upload", 2), lambda *_: None, sig=signal.SIGTERM)
    assert process.returncode == 128 + signal.SIGTERM
    assert process.stderr is not None and b"Traceback" not in process.stderr.read()
    assert temporaries(oxigraph_server.query_url) == {}
    assert holds(oxigraph_server.query_url, seed_version_b)
    assert folders(tmp_path) == []


def test_clean_removes_leftovers_and_says_how_many(oxigraph_server: OxigraphServer,
                                                   seed_version_b: OxigraphStore, seed_project: Path,
                                                   run_push) -> None:
    push_store(seed_version_b, target(oxigraph_server), policy=FAST)
    seed_leftover(oxigraph_server.update_url)
    args = ("--endpoint", oxigraph_server.query_url, "--clean")
    dry = run_push(seed_project, *args, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would remove 1 temporary graph (2 triples)" in dry.output and LEFTOVER in dry.output
    assert temporaries(oxigraph_server.query_url) == {LEFTOVER: 2}
    result = run_push(seed_project, *args)
    assert result.exit_code == 0, result.output
    assert "removed 1 temporary graph (2 triples) left by pushes that did not finish" in result.output
    assert temporaries(oxigraph_server.query_url) == {}
    assert holds(oxigraph_server.query_url, seed_version_b)
    again = run_push(seed_project, *args)
    assert again.exit_code == 0 and "holds no temporary graph" in again.output


def test_stale_working_folders_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    """A folder whose process is gone goes; one of a running process, of another host, of
    another process that reused the PID, or without an owner but recent, stays."""
    import os
    import socket
    import subprocess
    import sys

    from akke_graph.push.workdir import remove_stale, work_folder

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)
    host = socket.gethostname()
    made = {}
    for name, owner in [("dead", f"{host} {dead_pid} 1"), ("alive", f"{host} {os.getpid()} "),
                        ("other-host", f"elsewhere.example {dead_pid} 1"),
                        ("reused-pid", f"{host} {os.getppid()} 1"), ("unowned", None)]:
        folder = tmp_path / f"akke-push-{name}"
        folder.mkdir()
        (folder / "graphs.nt").write_bytes(b"x" * 1000)
        if owner is not None:
            (folder / "owner").write_text(owner)
        made[name] = folder
    with work_folder(tmp_path) as mine:
        assert mine.name.startswith(f"akke-push-{os.getpid()}-")
        removed = remove_stale(tmp_path)
        assert mine.exists()
    assert not mine.exists()
    assert sorted(p.name for p, _ in removed) == ["akke-push-dead", "akke-push-reused-pid"]
    assert all(size >= 1000 for _, size in removed)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "akke-push-alive", "akke-push-other-host", "akke-push-unowned"]
