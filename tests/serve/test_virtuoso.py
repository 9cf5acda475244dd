"""The same push and query round trip against a second real store, Virtuoso Open Source (Debian's
``virtuoso-opensource``), started privately on loopback. Skipped, with the reason shown, where
Virtuoso is not installed; ``.ci/run`` installs it, so CI always runs these."""

from __future__ import annotations

from pathlib import Path

import pytest

from akke_graph.load import LoadedGraph
from akke_graph.push import PASSWORD_ENV, PushTarget, push_store
from akke_graph.sparql_http import HttpPolicy
from akke_graph.query import load_queries
from akke_graph.store import OxigraphStore

from .helpers import canned_local, canned_remote, counts, holds
from .virtuoso import DBA_PASSWORD, Virtuoso

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
def test_push_round_trip(virtuoso: Virtuoso, loaded: LoadedGraph, version_b: OxigraphStore,
                         mode: str) -> None:
    target = virtuoso_target(virtuoso, mode)
    policy = HttpPolicy(retries=1, backoff=0.1, timeout=30)
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
