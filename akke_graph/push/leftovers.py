"""The temporary graphs of a push, named so that what a push which never finished left in the
store is found and removed by the next one (or by ``push --clean``).

Every temporary graph is ``urn:akke-graph:push:<token>:<n>``, the token being the push's start
(UTC) and a random part. A push killed part-way cannot drop its own, and they would stay in the
store, seen by every query over the union of graphs; so each push first lists the graphs under
the prefix — by a query that Oxigraph and Virtuoso both answer — and drops them, and says so.
Only one push at a time may write to a store: a second one started meanwhile would take the
first one's temporary graphs for leftovers.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from akke_graph.errors import Message, text
from akke_graph.push.client import StoreClient
from akke_graph.sparql_http.policy import HttpPolicy

PREFIX = "urn:akke-graph:push:"
DROPS_PER_REQUEST = 200   # thousands of leftover graphs are dropped a few hundred at a time


def new_token() -> str:
    """A push's token: when it started (UTC, readable by an operator) and a random part."""
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(6)


def temporary_graph(token: str, number: int) -> str:
    return f"{PREFIX}{token}:{number}"


@dataclass(frozen=True)
class Leftovers:
    """Temporary graphs found in a store, with their triples."""

    graphs: dict[str, int]

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def __bool__(self) -> bool:
        return bool(self.graphs)

    def describe(self) -> str:
        n = len(self.graphs)
        return f"{n} temporary graph{'s' if n != 1 else ''} ({self.triples} triples)"


def find_leftovers(client: StoreClient) -> Leftovers:
    """The temporary graphs the store holds, by one query (a graph without triples does not
    exist in most stores, and cannot be seen by a reader where it does)."""
    what = text("push-what-find-leftovers")
    rows = client.select(
        f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
        f'FILTER(STRSTARTS(STR(?g), "{PREFIX}")) }} GROUP BY ?g', what=what)
    graphs: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        graph, count = row.get("g"), row.get("n")
        if graph is None or count is None or not graph.startswith(PREFIX) or ">" in graph:
            raise client.malformed(what, f"row {number} is not a temporary graph and its count: "
                                         f"{row!r:.120}")
        graphs[graph] = client.count_value(count, what=what)
    return Leftovers(graphs)


def drop_graphs(client: StoreClient, graphs: list[str], *, what: Message,
                policy: HttpPolicy | None = None) -> None:
    """``DROP SILENT`` each graph, a few hundred per update request."""
    for start in range(0, len(graphs), DROPS_PER_REQUEST):
        part = graphs[start:start + DROPS_PER_REQUEST]
        client.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in part), what=what,
                      policy=policy)


def remove_leftovers(client: StoreClient) -> Leftovers:
    """Find the temporary graphs of unfinished pushes and drop them; what was dropped."""
    leftovers = find_leftovers(client)
    if leftovers:
        drop_graphs(client, sorted(leftovers.graphs), what=text("push-what-drop-leftovers"))
    return leftovers
