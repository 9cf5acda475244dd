"""Stand-ins for the registries, on loopback only: a PRH open-data API v3 (http.server answering in
the v3 JSON format) and a Wikidata SPARQL endpoint (a real Oxigraph server holding a small
Wikidata-shaped graph). The companies and items here are test fixtures, not facts."""

from __future__ import annotations

import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlparse

import pytest

from akke_graph.oxigraph_server import OxigraphServer, free_port
from registry_standins import PrhStandIn
from tests.loopback import HTTP

HERE = Path(__file__).resolve().parent


@pytest.fixture()
def prh() -> Iterator[tuple[str, PrhStandIn]]:
    """A PRH v3 stand-in on 127.0.0.1 and a free port: (base URL, behaviour)."""
    stand_in = PrhStandIn()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlparse(self.path)
            prefix = "/opendata-ytj-api/v3"
            path = url.path[len(prefix):] if url.path.startswith(prefix) else "/missing"
            status, headers, body = stand_in.answer(path, parse_qs(url.query))
            self.send_response(status)
            for key, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/opendata-ytj-api/v3", stand_in
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def wikidata_endpoint() -> Iterator[str]:
    """A real Oxigraph server holding tests/link/wikidata-sample.ttl, shared by the tests (they
    only read it); its query URL."""
    data = (HERE / "wikidata-sample.ttl").read_bytes()
    with OxigraphServer.temporary() as server:
        response = HTTP.put(server.store_url + "?default", content=data,
                             headers={"Content-Type": "text/turtle"}, timeout=60)
        assert response.status_code in (200, 201, 204), response.text
        yield server.query_url


@pytest.fixture(autouse=True)
def patient_but_quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries and rate limit stay on, with delays short enough for tests."""
    monkeypatch.setenv("AKKE_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("AKKE_HTTP_MIN_INTERVAL", "0")
    monkeypatch.setenv("AKKE_HTTP_TIMEOUT", "5")
    monkeypatch.setenv("AKKE_HTTP_RETRIES", "2")
    monkeypatch.delenv("AKKE_PRH_API", raising=False)
    monkeypatch.delenv("AKKE_WIKIDATA_ENDPOINT", raising=False)


@pytest.fixture()
def project_copy(project_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the project (config, ontology, data, shapes), set as the current project."""
    target = tmp_path / "project"
    target.mkdir()
    shutil.copy(project_root / "pyproject.toml", target / "pyproject.toml")
    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(project_root / folder, target / folder)
    monkeypatch.setenv("AKKE_GRAPH_PROJECT", str(target))
    return target
