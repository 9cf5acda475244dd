"""``publish --dumps-only``: the data of a release without its pages — validated, atomic, the same
dumps and catalogue as a full release — and the dumps written by other processes (Oxigraph's
converter, the JSON-LD worker), as they are for large graphs, are the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import IsomorphicGraph

from akke_graph.publish import dumps as dumps_module
from akke_graph.publish.dumps import CONTEXT_PATH, DUMPS
from akke_graph.terms import to_rdflib

from .conftest import _publish, content, sha256sum_ok
from .test_publish_dumps import OX_FORMATS, digest, expected_graph

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PAGES = ("index.html", "index.en.html", "id", "img", "queries", "ontology/index.html", ".htaccess", "nginx.conf")


@pytest.fixture(scope="module")
def data_release(tmp_path_factory: pytest.TempPathFactory, run_cli) -> Path:
    out = tmp_path_factory.mktemp("dumps-only") / "dist"
    result = run_cli("publish", "--dumps-only", "--out", str(out), "--version", "1.0.0")
    assert result.exit_code == 0, result.stderr
    assert "entity pages" not in result.stderr   # the steps it skips are not announced
    return out


def test_holds_the_data_and_no_pages(data_release: Path, config) -> None:
    for path in [f.path for f in DUMPS] + [CONTEXT_PATH, "catalog.ttl", "SHA256SUMS", "release.json",
                                            "mappings/akke-graph.sssom.tsv", "ontology/akke.ttl"]:
        assert (data_release / path).is_file(), path
    for shape in config.shapes_dir.glob("*.ttl"):
        assert (data_release / "shapes" / shape.name).read_bytes() == shape.read_bytes()
    for path in PAGES:
        assert not (data_release / path).exists(), path
    assert not list(data_release.rglob("*.html")) and not list(data_release.rglob("*.svg"))
    manifest = json.loads((data_release / "release.json").read_text(encoding="utf-8"))
    assert manifest["dumps_only"] is True
    assert "pages" not in manifest["steps"] and "dumps" in manifest["steps"]


def test_checksums_pass(data_release: Path) -> None:
    assert sha256sum_ok(data_release)
    listed = {line.split("  ", 1)[1] for line in (data_release / "SHA256SUMS").read_text().splitlines()}
    assert listed == {p.relative_to(data_release).as_posix() for p in data_release.rglob("*")
                      if p.is_file() and p.name != "SHA256SUMS"}


@pytest.fixture(scope="module")
def expected_digest(loaded) -> int:
    return digest(expected_graph(loaded))


@pytest.mark.parametrize("fmt", DUMPS, ids=lambda f: f.key)
def test_dumps_parse_back_isomorphic(data_release: Path, expected_digest: int, fmt) -> None:
    quads = ox.parse(path=str(data_release / fmt.path), format=OX_FORMATS[fmt.key])
    parsed = IsomorphicGraph()
    for q in quads:
        parsed.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    assert digest(parsed) == expected_digest


def test_same_dumps_and_catalogue_as_a_full_release(data_release: Path, release: Path) -> None:
    """The same bytes as the full release (every file but the manifest and the checksums): and
    so two releases of the same graph, one published in this process and one by the command in
    another, have identical dumps and catalogue."""
    full, data = content(release), content(data_release)
    assert set(data) < set(full)
    assert {p: full[p] for p in data} == data


def test_replaces_a_full_release_whole(tmp_path: Path, run_cli, seed_project: Path) -> None:
    out = tmp_path / "dist"
    assert run_cli("--project", str(seed_project), "publish", "--out", str(out)).exit_code == 0
    assert (out / "id").is_dir()
    result = run_cli("--project", str(seed_project), "publish", "--dumps-only", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert not (out / "id").exists() and not (out / "index.html").exists()
    assert sha256sum_ok(out)
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]


@pytest.mark.parametrize("cores", [1, 2, 5])
def test_background_writers_give_the_same_bytes(config, release: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch, cores: int) -> None:
    """Large graphs have their Turtle and TriG written by ``oxigraph convert`` and their JSON-LD by
    worker processes (one per core, each on a run of subjects); here the shipped graph goes that
    way too."""
    monkeypatch.setattr(dumps_module, "BACKGROUND_FROM", 0)
    monkeypatch.setattr(dumps_module, "cores", lambda: cores)
    out = tmp_path / "dist"
    _publish(config, out, version="1.0.0", dumps_only=True)
    for path in [f.path for f in DUMPS] + ["catalog.ttl"]:
        assert (out / path).read_bytes() == (release / path).read_bytes(), path
    assert not [p for p in out.rglob(".dumps-*")]
