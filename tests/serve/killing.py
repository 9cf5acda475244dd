"""Killing a push at a chosen request, deterministically: the push runs as a process
(``python -m akke_graph push``) through a :class:`FaultProxy` that holds every request; the
test lets them through one at a time and, while request N of a kind is held, kills the process
with SIGKILL — then throws the held request away ("lost": it never reached the store) or lets it
through ("delivered": the store got it after its client died), as happens on a real network.
No sleeps, no timing: each step waits for the proxy's events."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from akke_graph.push import PushTarget, push_store
from akke_graph.push.workdir import PREFIX as FOLDER_PREFIX
from akke_graph.sparql_http import HttpPolicy
from akke_graph.store import Store

from .faultproxy import FaultProxy, Held
from .helpers import counts, holds

TEMPORARY = "urn:akke-graph:push:"


@dataclass(frozen=True)
class KillPoint:
    """Kill the push while the ``nth`` request of ``kind`` is held; ``fate`` of that request."""

    kind: str
    nth: int = 1
    fate: str = "lost"   # lost | delivered

    @property
    def id(self) -> str:
        return f"{self.kind}{'' if self.nth == 1 else self.nth}-{self.fate}"


def kill_points(kinds: list[str], writes: set[str]) -> list[KillPoint]:
    """Each kind once with its request lost; the kinds that write also with it delivered."""
    points = []
    for kind in kinds:
        name, _, nth = kind.partition("#")
        points.append(KillPoint(name, int(nth or 1)))
        if name in writes:
            points.append(KillPoint(name, int(nth or 1), "delivered"))
    return points


WRITES = {"upload", "insert", "move", "delta", "drop-leftovers"}
REPLACING = {"move", "delta"}
COMMON = ["find-leftovers", "drop-leftovers", "ask"]   # what every push sends first   # the requests after which the store holds the new graphs


def push_process(project: Path, scratch: Path, *args: str, password: str = "") -> subprocess.Popen[bytes]:
    """``akke-graph push`` in a process of its own, its temporary folder ``scratch``; patient
    (requests wait in the proxy while the test looks at the store)."""
    env = {**os.environ, "TMPDIR": str(scratch), "AKKE_GRAPH_PASSWORD": password,
           "AKKE_HTTP_BACKOFF": "0.05", "AKKE_HTTP_TIMEOUT": "600", "AKKE_HTTP_DEADLINE": "3600"}
    return subprocess.Popen([sys.executable, "-m", "akke_graph", "--project", str(project), "push",
                             *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def folders(scratch: Path, pid: int | None = None) -> list[Path]:
    """The push working folders in ``scratch`` (of process ``pid`` only, if given)."""
    prefix = FOLDER_PREFIX + (f"{pid}-" if pid is not None else "")
    return sorted(scratch.glob(prefix + "*"))


def temporaries(query_url: str) -> dict[str, int]:
    return {g: n for g, n in counts(query_url).items() if g.startswith(TEMPORARY)}


def kill_at(proxy: FaultProxy, process: subprocess.Popen[bytes], point: KillPoint,
            at_kill: Callable[[Held, list[str]], None], sig: int = signal.SIGKILL) -> list[str]:
    """Let the push's requests through one by one until the ``point.nth`` request of
    ``point.kind`` is held; then send ``sig`` to the process and wait for it to end, call
    ``at_kill`` with the request and the kinds let through before (the store as readers see it
    now), and lose or deliver the held request as
    ``point.fate`` says. After SIGKILL no request comes; after another signal the requests the
    process still sends while it stops go through unheld. Returns the kinds of the requests let
    through before."""
    seen: Counter[str] = Counter()
    through: list[str] = []
    try:
        while True:
            try:
                held = proxy.held.get(timeout=0.2)
            except queue.Empty:
                if process.poll() is not None:
                    raise AssertionError(
                        f"the push ended (exit {process.returncode}) before request {point.kind} "
                        f"#{point.nth}; it sent {through}:\n{process.stderr.read().decode()[-3000:]}"
                        if process.stderr else "")
                continue
            kind = held.request.kind
            seen[kind] += 1
            if kind == point.kind and seen[kind] == point.nth:
                break
            through.append(kind)
            held.release.set()
            assert held.answered.wait(300), f"the store did not answer a released {kind} request"
        if sig != signal.SIGKILL:
            proxy.stop_holding()
        process.send_signal(sig)
        process.wait(300)
        at_kill(held, through)
        if point.fate == "delivered":
            held.release.set()
            assert held.answered.wait(300), f"the store did not answer the delivered {kind} request"
        else:
            held.discard()
        return through
    finally:
        proxy.discard_all()
        if process.poll() is None:
            process.kill()
            process.wait()


LEFTOVER = TEMPORARY + "20000101T000000Z-0123456789ab:0"   # as if from a push killed long ago


def seed_leftover(update_url: str) -> None:
    """A temporary graph of an earlier push that never finished."""
    from tests.loopback import HTTP

    HTTP.post(update_url, timeout=60, headers={"Content-Type": "application/sparql-update"},
               content=f'INSERT DATA {{ GRAPH <{LEFTOVER}> {{ <urn:x> <urn:y> "1", "2" }} }}'
               .encode()).raise_for_status()


def graph_counts(store: Store) -> dict[str, int]:
    return {g: sum(1 for _ in store.quads(g)) for g in store.graphs()}


def kill_and_push_again(*, query_url: str, update_url: str, direct: PushTarget,
                        proxy: FaultProxy, args: list[str], point: KillPoint, project: Path,
                        scratch: Path, old: Store | None, new: Store,
                        policy: HttpPolicy, password: str = "",
                        numbers_by_value: bool = False) -> list[str]:
    """One kill: the store holds ``old`` (None: nothing) and a leftover of an earlier kill; a
    push of ``new`` through the proxy is killed at ``point``. At the kill readers see the old
    complete graphs — or the new ones, once the request that replaces them went through (a
    MOVE, the change, a first push's load) — and on a first push each graph absent or
    complete; after the held request's fate, the old or the new complete graphs. The next push (``direct``) removes every
    temporary graph and the killed push's working folder, and leaves the new graphs complete.
    ``numbers_by_value``: the store gives numbers back in datatypes of its own (Virtuoso), so the
    graphs are compared as the round-trip tests compare them; the counts stay exact."""
    was = graph_counts(old) if old is not None else {}
    will = graph_counts(new)

    def readers_see(store: Store) -> bool:
        return holds(query_url, store, numbers_by_value=numbers_by_value)

    graphs = sorted(set(was) | set(will))
    seed_leftover(update_url)
    process = push_process(project, scratch, *args, password=password)

    def at_kill(held: Held, through: list[str]) -> None:
        assert len(folders(scratch, process.pid)) == 1   # SIGKILL: nothing could remove it
        now = counts(query_url, graphs)
        if old is None:
            assert all(will[g] == n for g, n in now.items()), f"half graphs at the kill: {now}"
        elif REPLACING & set(through):
            assert now == will and readers_see(new), f"readers did not see the new graphs: {now}"
        else:
            assert now == was and readers_see(old), f"readers did not see the old graphs: {now}"

    through = kill_at(proxy, process, point, at_kill)
    now = counts(query_url, graphs)
    assert now in (was, will) or (old is None and all(will[g] == n for g, n in now.items())), now
    left = temporaries(query_url)
    dropped = "drop-leftovers" in through or point == KillPoint("drop-leftovers", 1, "delivered")
    assert (LEFTOVER in left) is not dropped, left
    report = push_store(new, direct, policy=policy, scratch=scratch)
    assert set(report.leftovers.graphs) == set(left)
    assert temporaries(query_url) == {}
    assert readers_see(new)
    assert report.stale_folders == 1 and folders(scratch) == []
    return through
