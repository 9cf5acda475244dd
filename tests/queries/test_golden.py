"""Every canned query has an expected answer on the shipped data (tests/queries/golden/), and the
embedded Oxigraph store and the rdflib store both give it.

When the data changes on purpose, regenerate the files and review the diff:
    AKKE_UPDATE_GOLDEN=1 pytest tests/queries/test_golden.py
"""

from __future__ import annotations

import pytest

from akke_graph.config import load_config
from akke_graph.load import LoadedGraph
from akke_graph.query import find_query, load_queries, run_query

from .conftest import all_cases
from .golden_io import GOLDEN, UPDATE, canonical, golden_path

CASES = all_cases(load_queries(load_config()))


def _id(case: tuple[str, str, dict]) -> str:
    return case[0] + (f"--{case[1]}" if case[1] else "")


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_golden_answer_on_oxigraph(case: tuple[str, str, dict], loaded: LoadedGraph) -> None:
    name, variant, params = case
    query = find_query(loaded.config, name)
    got = canonical(run_query(loaded, query, params), query.ordered)
    path = golden_path(name, variant, query.kind)
    if UPDATE:
        path.write_text(got, encoding="utf-8")
    assert path.is_file(), f"no golden file {path.name}; run with AKKE_UPDATE_GOLDEN=1 and review it"
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_same_answer_on_rdflib_store(case: tuple[str, str, dict], loaded: LoadedGraph,
                                     memory_loaded: LoadedGraph) -> None:
    name, _, params = case
    query = find_query(loaded.config, name)
    expected = canonical(run_query(loaded, query, params), query.ordered)
    assert canonical(run_query(memory_loaded, query, params), query.ordered) == expected


def test_every_query_has_a_golden_file(loaded: LoadedGraph) -> None:
    names = {q.name for q in load_queries(loaded.config)}
    covered = {path.name.split("--")[0].rsplit(".", 1)[0] for path in GOLDEN.iterdir()}
    assert names <= covered
    stale = {p.name for p in GOLDEN.iterdir()} - {golden_path(n, v, find_query(loaded.config, n).kind).name
                                                  for n, v, _ in CASES}
    assert not stale, f"golden files no test uses: {sorted(stale)}"


def test_answers_have_content(loaded: LoadedGraph) -> None:
    """The goldens are not vacuous: the central questions have real answers on the shipped data."""
    rows = run_query(loaded, "work-packages", {}).rows
    assert sorted({int(r["__number_integer"].value) for r in rows}) == list(range(1, 8))
    card = run_query(loaded, "project-card", {}).rows
    assert {r["start"].value for r in card} == {"2021-05-01"}
    assert len(run_query(loaded, "project-export", {}).triples) > 100
    assert run_query(loaded, "is-agreement-party", {}).boolean is True
    assert run_query(loaded, "is-agreement-party", {"organisation": "organisation:turku-science-park"}).boolean is False
