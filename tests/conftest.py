"""Fixtures shared by every test folder: the project's configuration, the loaded graph, and a
real Oxigraph server on a free loopback port (started from the ``oxigraph`` binary, stopped by PID).
Area-specific fixtures live in each test folder's own conftest.py."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from akke_graph.config import Config, load_config
from akke_graph.load import LoadedGraph, load
from akke_graph.oxigraph_server import OxigraphServer

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(ROOT)


@pytest.fixture(scope="session")
def loaded(config: Config) -> LoadedGraph:
    """The shipped graph, loaded once; tests must not change it."""
    return load(config)


@pytest.fixture()
def oxigraph_server() -> Iterator[OxigraphServer]:
    """A fresh, empty, writable Oxigraph server on 127.0.0.1 and a free port."""
    server = OxigraphServer.temporary()
    server.start()
    try:
        yield server
    finally:
        server.stop()
