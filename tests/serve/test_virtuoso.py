"""The same push and query round trip against a second real store, Virtuoso Open Source (Debian's
``virtuoso-opensource``), started privately on loopback. Skipped, with the reason shown, where
Virtuoso is not installed; ``.ci/run`` installs it, so CI always runs these."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from akke_graph.load import LoadedGraph
from akke_graph.push import PASSWORD_ENV, PushTarget, push_store
from akke_graph.sparql_http import HttpPolicy
from akke_graph.query import load_queries
from akke_graph.store import OxigraphStore

from .faultproxy import Fault, FaultProxy
from .helpers import canned_local, canned_remote, counts, holds
from .killing import COMMON, WRITES, KillPoint, kill_and_push_again, kill_points, seed_leftover
from .virtuoso import DBA_PASSWORD, Virtuoso

POLICY = HttpPolicy(retries=1, backoff=0.1, timeout=60)

pytestmark = pytest.mark.virtuoso

MODES = {  # how to reach each way of writing into Virtuoso: (gsp path, update path, user)
    "gsp": ("/sparql-graph-crud", "/sparql", None),
    "update": (None, "/sparql", None),
    "gsp-digest": ("/sparql-graph-crud-auth", "/sparql-auth", "dba"),
    "update-digest": (None, "/sparql-auth", "dba"),
}


def virtuoso_target(virtuoso: Virtuoso, mode: str) -> PushTarget:
    gsp, update, user = MODES[mode]
    return PushTarget.from_options(virtuoso.sparql, gsp=virtuoso.base + gsp if gsp else None,
                                   update=virtuoso.base + update, user=user,
                                   password=DBA_PASSWORD)


@pytest.mark.parametrize("mode", list(MODES))
def test_push_round_trip(virtuoso: Virtuoso, mode: str, request: pytest.FixtureRequest) -> None:
    """The shipped graph by each way of writing; the same ways with a password (which only
    authenticate the same requests) with the seed graph."""
    seed = "seed_" if MODES[mode][2] else ""
    loaded: LoadedGraph = request.getfixturevalue(seed + "loaded")
    version_b: OxigraphStore = request.getfixturevalue(seed + "version_b")
    target = virtuoso_target(virtuoso, mode)
    policy = POLICY
    push_store(loaded.store, target, policy=policy)
    assert holds(virtuoso.sparql, loaded.store, numbers_by_value=True)   # Virtuoso: numbers in its own datatypes
    push_store(loaded.store, target, policy=policy)  # twice: replaced, never duplicated
    graphs = loaded.store.graphs()
    assert counts(virtuoso.sparql, graphs) == {g: sum(1 for _ in loaded.store.quads(g)) for g in graphs}
    push_store(version_b, target, policy=policy)
    assert holds(virtuoso.sparql, version_b, numbers_by_value=True)
    assert not [g for g in counts(virtuoso.sparql) if g.startswith("urn:akke-graph:push:")]


def test_cli_push_with_digest_password_and_canned_queries(virtuoso: Virtuoso, validated: LoadedGraph,
                                                          project_root: Path, cli) -> None:
    args = ["push", "--endpoint", virtuoso.sparql,
            "--gsp", virtuoso.base + "/sparql-graph-crud-auth",
            "--update", virtuoso.base + "/sparql-auth", "--user", "dba"]
    wrong = cli(*args, project=project_root, env={PASSWORD_ENV: "not-the-password"})
    assert wrong.exit_code == 2 and "HTTP 401" in wrong.output and "/sparql" in wrong.output
    assert "not-the-password" not in wrong.output
    result = cli(*args, project=project_root, env={PASSWORD_ENV: DBA_PASSWORD})
    assert result.exit_code == 0, result.output
    assert holds(virtuoso.sparql, validated.store, numbers_by_value=True)
    graphs = validated.store.graphs()
    differ = [q.name for q in load_queries(validated.config)
              if canned_remote(virtuoso.sparql, q, graphs=graphs) != canned_local(validated, q)]
    assert differ == []


# --- killed pushes ----------------------------------------------------------------------------

# The kinds of request of each way into Virtuoso, in order; each is a kill point (killing.py),
# those every push sends first or last the same way (COMMON, the counts) in one way only.
VIRTUOSO_KILLS = {
    "gsp": [*COMMON, "count", "upload", "check", "move", "count#2"],
    "update": [*COMMON, "count", "insert", "check", "move", "count#2"],
}
KILLS = [("gsp", p) for p in kill_points(VIRTUOSO_KILLS["gsp"], WRITES)] + [
    ("update", p) for p in kill_points(["insert", "check", "move"], WRITES)]


@pytest.fixture()
def virtuoso_proxy(virtuoso: Virtuoso) -> Iterator[FaultProxy]:
    """A proxy in front of the Virtuoso that holds every request."""
    proxy = FaultProxy("127.0.0.1", virtuoso.http_port, faults=[Fault("hold")])
    try:
        yield proxy
    finally:
        proxy.close()


@pytest.mark.parametrize("mode,point", KILLS, ids=[f"{m}-{p.id}" for m, p in KILLS])
def test_a_killed_push_leaves_nothing_a_reader_sees_after_the_next(
        mode: str, point: KillPoint, virtuoso: Virtuoso, virtuoso_proxy: FaultProxy,
        seed_validated: LoadedGraph, seed_version_b: OxigraphStore, seed_project: Path, tmp_path: Path) -> None:
    """A push into Virtuoso killed (SIGKILL) while each kind of request it sends is held, the
    request then lost or delivered: readers see the old complete graphs (the new ones once the
    MOVE went through), and after the next push no temporary graph, the new complete graphs,
    and no working folder of the killed push."""
    direct = virtuoso_target(virtuoso, "gsp")
    push_store(seed_version_b, direct, policy=POLICY)
    gsp = MODES[mode][0]
    args = ["--endpoint", virtuoso_proxy.url("/sparql")] + (
        ["--gsp", virtuoso_proxy.url(gsp)] if gsp else [])
    kill_and_push_again(query_url=virtuoso.sparql, update_url=virtuoso.sparql, direct=direct,
                        proxy=virtuoso_proxy, args=args, point=point, project=seed_project,
                        scratch=tmp_path, old=seed_version_b, new=seed_validated.store, policy=POLICY,
                        numbers_by_value=True)   # as the round trip: numbers in Virtuoso's datatypes


@pytest.mark.parametrize("mode", list(VIRTUOSO_KILLS))
def test_the_kill_points_cover_every_kind_of_request(mode: str, virtuoso: Virtuoso,
                                                     seed_validated: LoadedGraph,
                                                     seed_version_b: OxigraphStore, tmp_path: Path) -> None:
    """The table above names every kind of request each way of pushing sends."""
    push_store(seed_version_b, virtuoso_target(virtuoso, "gsp"), policy=POLICY)
    seed_leftover(virtuoso.sparql)
    proxy = FaultProxy("127.0.0.1", virtuoso.http_port)
    try:
        gsp = MODES[mode][0]
        through = PushTarget.from_options(proxy.url("/sparql"), gsp=proxy.url(gsp) if gsp else None)
        push_store(seed_validated.store, through, policy=POLICY, scratch=tmp_path)
    finally:
        proxy.close()
    assert {r.kind for r in proxy.seen} == {k.partition("#")[0] for k in VIRTUOSO_KILLS[mode]}
