"""Synthetic graphs for the scale tests, each generated once per session.

Sizes are small on purpose: these tests check answers, never speed (timings live in benchmarks/).
pyshacl, the reference, takes about 3 ms a triple on these shapes, so it gets the smallest graphs
that still carry what is checked: ~3k triples clean, ~7k with every injected violation.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from akke_graph.config import load_config
from akke_graph.load import LoadedGraph, load
from akke_graph.synthetic.generate import DEFAULT_SEED, generate, write_project
from akke_graph.synthetic.reference import Result, pyshacl_results, shapes_graph, union_graph

NATIVE_SIZE = 10_000      # the project's own validator and loader
REFERENCE_SIZE = 3_000    # pyshacl on the clean graph
VIOLATIONS_SIZE = 7_000   # the smallest graph that carries every injection


def _loaded(folder: Path, violations: bool) -> LoadedGraph:
    write_project(folder, NATIVE_SIZE, DEFAULT_SEED, violations=violations)
    return load(load_config(folder))


@pytest.fixture(scope="session")
def clean_loaded(tmp_path_factory: pytest.TempPathFactory) -> LoadedGraph:
    return _loaded(tmp_path_factory.mktemp("scale") / "clean", False)


@pytest.fixture(scope="session")
def violations_loaded(tmp_path_factory: pytest.TempPathFactory) -> LoadedGraph:
    return _loaded(tmp_path_factory.mktemp("scale") / "violations", True)


def _reference(project_root: Path, size: int, violations: bool) -> list[Result]:
    data = union_graph(generate(size, DEFAULT_SEED, violations), project_root / "ontology")
    return pyshacl_results(data, shapes_graph(project_root / "shapes"))


@pytest.fixture(scope="session")
def reference_clean(project_root: Path) -> list[Result]:
    return _reference(project_root, REFERENCE_SIZE, False)


@pytest.fixture(scope="session")
def reference_violations(project_root: Path) -> list[Result]:
    return _reference(project_root, VIOLATIONS_SIZE, True)
