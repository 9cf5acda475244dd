"""Fixtures for the release tests: releases published once per session (default, re-based,
without persons) into temporary folders, a copy of the project to change, and helpers to run the
real command line and to read every file of a release."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from dataclasses import dataclass
from typing import Iterator

import pytest

from akke_graph.config import Config, load_config
from akke_graph.publish.checksums import sha256_file
from akke_graph.publish import PublishOptions, PublishResult, publish
from tests.conftest import copy_project

ROOT = Path(__file__).resolve().parents[2]
NEW_BASE = "https://data.example.org/akke-release/"
EPOCH = "1767225600"   # 2026-01-01T00:00:00Z: fixed time, so two runs can be compared byte for byte


@pytest.fixture(scope="session")
def run_cli(cli):
    """The real ``akke-graph`` command in a fresh Python process (publish installs a SIGTERM
    handler and forks workers: not for the test's own process), at a fixed release time."""
    return lambda *args, cwd=ROOT, env=None: cli(*args, process=True, cwd=cwd,
                                                 env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})})


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder with its SHA-256."""
    return {p.relative_to(folder).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def content(folder: Path) -> dict[str, str]:
    """:func:`snapshot` without the files that record the run (step timings in ``release.json``)."""
    return {p: sha for p, sha in snapshot(folder).items() if p not in ("release.json", "SHA256SUMS")}


def sha256sum_ok(folder: Path) -> bool:
    """``sha256sum -c SHA256SUMS`` passes in the folder (true where there is no sha256sum)."""
    if shutil.which("sha256sum") is None:
        return True
    return subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                          timeout=60).returncode == 0


def release_text_files(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every file of a release with its content as text (undecodable bytes replaced)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes().decode("utf-8", errors="replace")


def _publish(config: Config, out: Path, **options: object) -> PublishResult:
    released = datetime.fromtimestamp(int(EPOCH), tz=timezone.utc)
    return publish(config, PublishOptions(out=out, lang="en", released_at=released, **options))  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    """The shipped graph published with the defaults."""
    out = tmp_path_factory.mktemp("release") / "dist"
    _publish(config, out, version="1.0.0")
    return out


PORTAL_SETTINGS = {"publisher": "turku-science-park", "contact-email": "data@example.org",
                   "endpoint": "http://127.0.0.1:7878/sparql", "update-frequency": "IRREG"}


def configure(project: Path, **settings: str) -> Path:
    """Add ``key = "value"`` lines to the project's ``[tool.akke-graph]`` table."""
    pyproject = project / "pyproject.toml"
    lines = "".join(f'{key} = "{value}"\n' for key, value in settings.items())
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace("[tool.akke-graph]\n", "[tool.akke-graph]\n" + lines), encoding="utf-8")
    return project


@pytest.fixture(scope="session")
def portal_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped graph published as for a portal: publisher, contact e-mail, SPARQL endpoint
    and update frequency configured (test values: the shipped configuration sets none of them)."""
    project = configure(copy_project(tmp_path_factory.mktemp("portal") / "project"), **PORTAL_SETTINGS)
    out = project.parent / "dist"
    _publish(load_config(project), out, version="1.0.0")
    return out


@dataclass
class ServedRelease:
    """A release served by ``akke-graph serve`` (in-process), published with that server's
    SPARQL endpoint as its ``endpoint``."""

    url: str
    folder: Path
    endpoint: str


@pytest.fixture(scope="session")
def served_release(tmp_path_factory: pytest.TempPathFactory, loaded) -> Iterator[ServedRelease]:
    """The service starts first on a free port over an empty release folder (it reads the folder
    at each request), then the release is published into that folder with the service's
    ``/sparql`` as its configured endpoint — so every link of the release is the service's."""
    from akke_graph.serve import SparqlService

    base = tmp_path_factory.mktemp("served")
    out = base / "dist"
    out.mkdir()
    service = SparqlService.from_loaded(loaded, release=out, port=0, timeout_s=120.0, log=io.StringIO())
    with service:
        endpoint = service.url + "/sparql"
        project = configure(copy_project(base / "project"), endpoint=endpoint,
                            publisher=PORTAL_SETTINGS["publisher"])
        _publish(load_config(project), out, version="1.0.0")
        yield ServedRelease(url=service.url, folder=out, endpoint=endpoint)


@pytest.fixture(scope="session")
def rebased_release(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    out = tmp_path_factory.mktemp("rebased") / "dist"
    _publish(config, out, base_iri=NEW_BASE, version="1.0.0")
    return out


@pytest.fixture(scope="session")
def anonymous_release(tmp_path_factory: pytest.TempPathFactory, config: Config) -> Path:
    out = tmp_path_factory.mktemp("anonymous") / "dist"
    _publish(config, out, without_persons=True, version="1.0.0")
    return out


@pytest.fixture()
def publish_into():
    """Publish a project (a folder with pyproject.toml) into a folder, in process."""
    def run(project: Path, out: Path, **options: object) -> PublishResult:
        return _publish(load_config(project), out, **options)
    return run
