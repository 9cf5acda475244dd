"""The native SHACL engine and pyshacl (the reference) give identical results — focus node, path,
constraint component, value, severity — on the synthetic national graph with a violation of every
constraint kind injected, and on its clean twin. Slow (pyshacl on 7k triples); the same kinds of
constraint are compared on small graphs, every case in tests/cases/, by test_cases.py, and SHACL
Core case by case by test_shacl_core.py."""

from __future__ import annotations

import pytest

from akke_graph.config import Config
from akke_graph.load import LoadedGraph, load
from akke_graph.shacl.validate import validate_graph
from akke_graph.synthetic.generate import DEFAULT_SEED, generate, injected_violations

SIZE = 7_000  # the smallest synthetic graph that carries every injection

pytestmark = pytest.mark.slow


def synthetic(config: Config, violations: bool) -> LoadedGraph:
    loaded = load(config, paths=[])  # the ontology only
    loaded.store.add(generate(SIZE, DEFAULT_SEED, violations=violations))
    return loaded


@pytest.mark.parametrize("violations", [False, True], ids=["clean", "injected"])
def test_native_equals_pyshacl(config: Config, violations: bool) -> None:
    loaded = synthetic(config, violations)
    native = validate_graph(loaded, engine="native")
    reference = validate_graph(loaded, engine="pyshacl")
    assert not native.outcome.delegated
    assert [r.key() for r in native.results] == [r.key() for r in reference.results]
    assert native.conforms is (not violations)


def test_every_injected_violation_is_found(config: Config) -> None:
    native = validate_graph(synthetic(config, True), engine="native")
    found = {(str(r.focus.value), r.path_text, r.component, r.severity) for r in native.results}
    expected = injected_violations(SIZE, DEFAULT_SEED)
    assert len({e.component for e in expected}) >= 13  # every component the shapes can produce
    missing = [e for e in expected if (e.focus, e.path, e.component, e.severity) not in found]
    assert not missing, missing
