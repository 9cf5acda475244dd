"""Fixtures for the canned-query tests: the queries, the graph in the rdflib store, a real
Oxigraph server loaded with the graph through the Graph Store Protocol, and small HTTP servers
on 127.0.0.1 that misbehave like broken endpoints; and ``run``/``ok``/``fails``, the query command
through the shared ``cli`` runner."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
import urllib.request
from typing import Callable, Iterator

import pytest

from akke_graph.config import Config
from akke_graph.load import LoadedGraph, load
from akke_graph.oxigraph_server import OxigraphServer
from akke_graph.query import CannedQuery, load_queries

# Every query runs with its defaults; these add the runs that exercise each parameter.
# (query, variant, params); a required parameter without default must be given here.
CASES: list[tuple[str, str, dict[str, str]]] = [
    ("projects-active-on", "", {"date": "2021-06-01"}),
    ("projects-active-on", "after", {"date": "2022-01-15"}),
    ("projects-active-on", "first-day", {"date": "2021-05-01"}),
    ("work-packages", "number-3", {"number": "3"}),
    ("projects-by-theme", "maritime", {"theme": "theme:maritime-industry"}),
    ("contacts-by-theme", "ict", {"theme": "https://w3id.org/akke/id/theme/ict"}),
    ("organisation-activities", "turku", {"organisation": "organisation:turun-kaupunki"}),
    ("organisation-activities", "business-id", {"businessId": "2322323-1"}),
    ("organisation-activities", "both-disagree", {"organisation": "organisation:turun-kaupunki",
                                                  "businessId": "2322323-1"}),
    ("sources-of", "business-ids", {"entity": "organisation:turun-kaupunki"}),
    ("find-by-finnish-name", "koordinaatio", {"name": "Koordinaatio"}),
    ("is-agreement-party", "science-park", {"organisation": "organisation:turku-science-park"}),
    ("funding-per-organisation", "turku-amk", {"organisation": "organisation:turun-ammattikorkeakoulu"}),
    ("funding-per-year", "southwest-finland", {"authority": "organisation:varsinais-suomen-liitto"}),
    ("organisations-working-together", "science-park", {"organisation": "organisation:turku-science-park"}),
    ("organisation-projects", "science-park", {"organisation": "organisation:turku-science-park"}),
    ("focus-area-projects", "turku", {"agreement": "agreement:turku"}),
]


def all_cases(queries: list[CannedQuery]) -> list[tuple[str, str, dict[str, str]]]:
    """Each query with its defaults (where it can run on them) plus the extra CASES."""
    extra_defaults = {name for name, variant, _ in CASES if variant == ""}
    cases = [(q.name, "", {}) for q in queries
             if q.name not in extra_defaults and all(p.default is not None or not p.required for p in q.params)]
    return sorted(cases + CASES)


@pytest.fixture(scope="session")
def queries(config: Config) -> list[CannedQuery]:
    return load_queries(config)


@pytest.fixture(scope="session")
def memory_loaded(config: Config) -> LoadedGraph:
    """The shipped graph in the rdflib ("memory") store."""
    return load(config, store="memory")


def put_graphs(server: OxigraphServer, loaded: LoadedGraph) -> None:
    """Load every named graph into the server with Graph Store Protocol PUTs (N-Triples)."""
    for graph in loaded.store.graphs():
        url = f"{server.store_url}?graph={urllib.parse.quote(graph, safe='')}"
        request = urllib.request.Request(url, data=loaded.store.dump("nt", graph=graph), method="PUT",
                                         headers={"Content-Type": "application/n-triples"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status in (200, 201, 204)


@pytest.fixture(scope="session")
def loaded_server(loaded: LoadedGraph) -> Iterator[OxigraphServer]:
    """A real Oxigraph server holding the graph, shared by the tests that only read it."""
    with OxigraphServer.temporary() as server:
        put_graphs(server, loaded)
        yield server


class _Handler(http.server.BaseHTTPRequestHandler):
    behaviour: Callable[["_Handler"], None]

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.behaviour()

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.behaviour()

    def log_message(self, *args: object) -> None:
        pass

    def answer(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# Set when a test ends: servers that never answer let go of their connections then.
TEST_OVER = threading.Event()


@pytest.fixture()
def broken_endpoint() -> Iterator[Callable[[Callable[[_Handler], None]], str]]:
    """Start a loopback HTTP server whose handler does what the test says; yields its URL."""
    servers: list[http.server.ThreadingHTTPServer] = []
    TEST_OVER.clear()

    def start(behaviour: Callable[[_Handler], None]) -> str:
        handler = type("Handler", (_Handler,), {"behaviour": behaviour})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/query"

    yield start
    TEST_OVER.set()
    for server in servers:
        server.shutdown()
        server.server_close()


def never(handler: _Handler) -> None:
    """Accept the request and answer nothing until the test is over."""
    TEST_OVER.wait(600)


@pytest.fixture()
def run(cli):
    """``akke-graph query ARGS`` through the shared runner."""
    return lambda *args: cli("query", *args)


@pytest.fixture()
def ok(run):
    """Run the query command; it must exit 0. Its output."""
    def check(*args: str) -> str:
        result = run(*args)
        assert result.exit_code == 0, result.output
        return result.output
    return check


@pytest.fixture()
def fails(run):
    """Run the query command; it must exit 2 with ``message`` and no traceback. Its output."""
    def check(*args: str, message: str) -> str:
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert message in result.output, result.output
        assert "Traceback" not in result.output
        return result.output
    return check
