"""Fixtures shared by every test folder: the project's configuration, the loaded graph, a real
Oxigraph server on a free loopback port (started from the ``oxigraph`` binary, stopped by PID),
and the one runner of the command line (``cli``). Area-specific fixtures live in each test
folder's own conftest.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping

import pytest
from click.testing import CliRunner

from akke_graph.config import Config, load_config
from akke_graph.load import LoadedGraph, load
from akke_graph.oxigraph_server import OxigraphServer

ROOT = Path(__file__).resolve().parents[1]
# What a project is: a copy of these is a project the commands run on.
PROJECT_PARTS = ("pyproject.toml", "ontology", "data", "shapes", "queries")


def copy_project(target: Path) -> Path:
    """A copy of the project's configuration, ontology, data, shapes and queries."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


# The seed project: the AKKE project of the Turku region and its national context, without the
# imported records (data/sources/) and the registry matches that name their sources. It validates
# with no result at all and is a third of the shipped graph, for tests whose property does not
# need the whole graph (a push, a kill, a differential of the engines on one case).
SEED_LEFT_OUT = ("data/sources", "data/links/matches.ttl")


def copy_seed_project(target: Path) -> Path:
    """A copy of the project with the seed data only (``SEED_LEFT_OUT`` left out)."""
    copy_project(target)
    for part in SEED_LEFT_OUT:
        path = target / part
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return target


@pytest.fixture(scope="session")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project in a folder of its own; tests must not change it."""
    return copy_seed_project(tmp_path_factory.mktemp("seed") / "project")


@pytest.fixture(scope="session")
def seed_loaded(seed_project: Path) -> LoadedGraph:
    """The seed project's graph, loaded once; tests must not change it."""
    return load(load_config(seed_project))


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    """A private copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


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


@dataclass(frozen=True)
class CliResult:
    """What one run of ``akke-graph`` left: its exit code and what it wrote."""

    exit_code: int
    stdout_bytes: bytes
    stderr_bytes: bytes
    output: str          # stdout and stderr (interleaved in-process, one after the other in a process)

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8", errors="replace")


class Cli:
    """Runs ``akke-graph ARGS`` and returns a :class:`CliResult`.

    In-process through click's CliRunner by default (fast); with ``process=True`` in a fresh
    ``python -m akke_graph`` process, for what needs one (signals, forked workers, bytes on the
    command line). ``project`` becomes ``--project DIR``; ``lang`` sets ``AKKE_GRAPH_LANG`` (None
    leaves the environment's language alone); ``env`` adds variables (a None value removes one).
    A traceback is never a result: an exception escaping the command fails the test.
    """

    def __call__(self, *args: str | bytes | Path, project: Path | str | None = None,
                 env: Mapping[str, str | None] | None = None, lang: str | None = "en",
                 input: str | None = None, process: bool = False, cwd: Path | None = None,
                 timeout: float = 600) -> CliResult:
        argv = (["--project", str(project)] if project is not None else []) + \
            [a if isinstance(a, bytes) else str(a) for a in args]
        extra = {**({"AKKE_GRAPH_LANG": lang} if lang else {}), **(env or {})}
        if process:
            return self._process(argv, extra, input, cwd, timeout)
        assert cwd is None, "cwd needs process=True (in-process runs share the test's folder)"
        assert not any(isinstance(a, bytes) for a in argv), "bytes arguments need process=True"
        from akke_graph.cli import cli

        result = CliRunner().invoke(cli, argv, env=extra, input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            pytest.fail("akke-graph " + " ".join(map(str, argv)) + " raised:\n"
                        + "".join(traceback.format_exception(result.exception)), pytrace=False)
        if result.exc_info is not None:
            # The traceback of click's SystemExit holds the command's frames in a cycle; cleared
            # here, their objects (pyoxigraph's are bound to this thread) go now, not in a later
            # garbage collection that may run on a server's thread.
            traceback.clear_frames(result.exc_info[2])
        return CliResult(result.exit_code, result.stdout_bytes, result.stderr_bytes or b"", result.output)

    @staticmethod
    def _process(argv: list, extra: Mapping[str, str | None], input: str | None, cwd: Path | None,
                 timeout: float) -> CliResult:
        env = {**os.environ, **extra}
        env = {k: v for k, v in env.items() if v is not None}
        done = subprocess.run([sys.executable, "-m", "akke_graph", *argv], cwd=cwd or Path.cwd(), env=env,
                              input=input.encode() if input is not None else None, capture_output=True,
                              timeout=timeout)
        output = (done.stdout + done.stderr).decode("utf-8", errors="replace")
        assert "Traceback (most recent call last)" not in output, output
        return CliResult(done.returncode, done.stdout, done.stderr, output)


@pytest.fixture(scope="session")
def cli() -> Cli:
    """The one way tests run the command line: ``cli("validate", "--format", "json")``."""
    return Cli()
