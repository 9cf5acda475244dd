"""A project under its own base IRI: only the configuration and ``data/`` are re-based (the
shipped ontology, shapes and queries move onto the configured base as they are read), and the
graph validates and answers every canned query as the original does, modulo the base."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from akke_graph.cli import cli
from akke_graph.config import DEFAULT_BASE_IRI, Config, load_config
from akke_graph.load import LoadedGraph, load
from akke_graph.query import CannedQuery, load_queries, run_query
from akke_graph.rebase import Rebaser

from .conftest import all_cases
from .golden_io import canonical

NEW_BASE = "https://data.example.org/kg/"


@pytest.fixture(scope="module")
def rebased_root(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Path:
    """A copy of the project whose configuration and data/ (only) name another base IRI."""
    root = tmp_path_factory.mktemp("rebased")
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project_root / folder, root / folder)
    for path in (root / "data").rglob("*.ttl"):
        path.write_text(path.read_text(encoding="utf-8").replace(DEFAULT_BASE_IRI, NEW_BASE), encoding="utf-8")
    text = (project_root / "pyproject.toml").read_text(encoding="utf-8")
    assert f'base-iri = "{DEFAULT_BASE_IRI}"' in text
    (root / "pyproject.toml").write_text(text.replace(f'base-iri = "{DEFAULT_BASE_IRI}"', f'base-iri = "{NEW_BASE}"'),
                                         encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def rebased(rebased_root: Path) -> LoadedGraph:
    config = load_config(rebased_root)
    assert config.base_iri == NEW_BASE
    return load(config)


def cli_in(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--project", str(root), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_the_rebased_project_validates(rebased_root: Path) -> None:
    code, output = cli_in(rebased_root, "validate", "--lang", "en")
    assert code == 0, output


def test_work_packages_of_a_project_by_its_curie(rebased_root: Path) -> None:
    code, output = cli_in(rebased_root, "query", "work-packages", "--param", "project=project:akke-turku",
                          "--format", "json")
    assert code == 0, output
    rows = json.loads(output)["results"]["bindings"]
    packages = {row["workPackage"]["value"] for row in rows}
    assert len(packages) == 7
    assert all(p.startswith(NEW_BASE + "id/work-package/akke-turku-wp-") for p in packages)
    code, table = cli_in(rebased_root, "query", "work-packages", "--param", "project=project:akke-turku")
    assert code == 0 and "(no rows)" not in table and f"project: {NEW_BASE}" not in table


def test_queries_read_into_the_project_name_its_base(rebased_root: Path) -> None:
    for query in load_queries(load_config(rebased_root)):
        assert DEFAULT_BASE_IRI not in query.text, query.name
        assert query.base_iri == NEW_BASE


def test_every_canned_query_answers_as_on_the_original(loaded: LoadedGraph, rebased: LoadedGraph,
                                                       queries: list[CannedQuery]) -> None:
    move = Rebaser(DEFAULT_BASE_IRI, NEW_BASE)
    moved = {q.name: q for q in load_queries(rebased.config)}
    cases = all_cases(queries)
    assert {name for name, _, _ in cases} == set(moved)
    for name, variant, params in cases:
        original = run_query(loaded, name, params)
        answer = run_query(rebased, moved[name], {k: move.text(v) for k, v in params.items()})
        assert not answer.is_empty or original.is_empty, (name, variant)
        assert canonical(answer, False) == move.text(canonical(original, False)), (name, variant)


def test_configuration_is_the_only_source_of_the_base(rebased: LoadedGraph, config: Config) -> None:
    assert config.base_iri == DEFAULT_BASE_IRI
    assert not [g for g in rebased.store.graphs() if g.startswith(DEFAULT_BASE_IRI)]
    assert rebased.store.ask(f"ASK {{ <{NEW_BASE}ontology#WorkPackage> a <http://www.w3.org/2002/07/owl#Class> }}")


@pytest.mark.parametrize("release_base", [None, NEW_BASE + "v2/"], ids=["as-configured", "moved-further"])
def test_its_release_names_only_its_base(rebased_root: Path, tmp_path: Path, release_base: str | None) -> None:
    """The release of the re-based project carries its base everywhere — the shipped ontology,
    shapes and queries included — and a release moved further moves every IRI once."""
    from akke_graph.publish import PublishOptions, publish
    from akke_graph.publish.checksums import release_files
    from akke_graph.rebase import regex_form

    out = tmp_path / "release"
    publish(load_config(rebased_root), PublishOptions(out=out, base_iri=release_base, version="t"))
    target = release_base or NEW_BASE
    texts = {rel: (out / rel).read_bytes().decode("utf-8", errors="replace") for rel in release_files(out)}
    for old in (DEFAULT_BASE_IRI, regex_form(DEFAULT_BASE_IRI), "v2/v2/"):
        assert not [rel for rel, text in texts.items() if old in text], old
    if release_base:
        assert not [rel for rel, text in texts.items() if NEW_BASE + "id/" in text]
    for rel in ("ontology/akke.ttl", "shapes/project.ttl", "queries/queries.ttl"):
        assert target + "ontology#" in texts[rel], rel
