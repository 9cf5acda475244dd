"""The statistics graph travels with a push of the files' graphs, so the statistics queries
answer on the store as on the embedded one; a push into one graph leaves it out (it counts the
files' graphs, which that push does not keep)."""

from __future__ import annotations

from pathlib import Path

from akke_graph.load import LoadedGraph
from akke_graph.oxigraph_server import OxigraphServer
from akke_graph.push import PASSWORD_ENV
from akke_graph.query import find_query

from .helpers import canned_local, canned_remote, counts


def push(cli, project_root: Path, server: OxigraphServer, *args: str):
    result = cli("push", "--endpoint", server.query_url, "--gsp", server.store_url, *args,
                 project=project_root, env={PASSWORD_ENV: ""})
    assert result.exit_code == 0, result.output
    return result


def test_a_push_carries_the_statistics(oxigraph_server: OxigraphServer, validated: LoadedGraph,
                                       project_root: Path, cli) -> None:
    assert validated.statistics is not None
    push(cli, project_root, oxigraph_server)
    held = counts(oxigraph_server.query_url)
    assert held[validated.statistics.graph] == len(validated.statistics.quads())
    for name in ("triples-per-graph", "entities-per-class"):
        query = find_query(validated.config, name)
        assert canned_remote(oxigraph_server.query_url, query) == canned_local(validated, query), name


def test_a_push_into_one_graph_leaves_the_statistics_out(oxigraph_server: OxigraphServer,
                                                         validated: LoadedGraph, project_root: Path,
                                                         cli) -> None:
    push(cli, project_root, oxigraph_server, "--graph", "https://example.org/g/akke")
    distinct = {(q.subject, q.predicate, q.object) for g in validated.files for q in validated.store.quads(g)}
    assert counts(oxigraph_server.query_url) == {"https://example.org/g/akke": len(distinct)}
