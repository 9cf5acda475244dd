"""The benchmark report: the committed figures render, and sizes carried over from an earlier run
are named as such (the report never passes old figures off as new)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.__main__ import carried_over
from benchmarks.report import floor_table, markdown, query_names
from benchmarks.tasks import FLOORS, floor_query

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results.json"


def test_committed_results_render_with_their_machine_and_targets() -> None:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    text = markdown(results)
    assert results["machine"]["commit"] in text and "### Targets" in text
    for label, figures in results["sizes"].items():
        if "measured" in figures:
            assert f"Figures of {label} are carried over from the run of {figures['measured']['date']}" in text


def test_kept_sizes_carry_the_date_and_commit_of_their_run(tmp_path: Path) -> None:
    earlier = tmp_path / "results.json"
    earlier.write_text(json.dumps({"machine": {"date": "2026-01-01 00:00 UTC", "commit": "abc1234"}, "repeat": 3,
                                   "sizes": {"5m": {"triples": 5, "benches": {}}}}), encoding="utf-8")
    kept = carried_over(earlier, ["5m"])
    assert kept["5m"]["measured"] == {"date": "2026-01-01 00:00 UTC", "commit": "abc1234", "repeat": 3}
    with pytest.raises(SystemExit, match="no figures for size 1m"):
        carried_over(earlier, ["1m"])
    assert carried_over(tmp_path / "missing.json", []) == {}


def test_engine_floors_render_beside_the_queries() -> None:
    step = {"p50": 0.25, "p90": 0.3, "runs": 5, "rows": 1}
    queries = {"project": {"steps": {"query triples-per-graph": step, "floor quads": step}}, "plain": {"skipped": True}}
    results = {"sizes": {"1m": {"triples": 1, "benches": {"queries": queries}}}}
    table = floor_table(results)
    assert table[0].startswith("| read (one COUNT query) | 1m |")
    assert "| every quad | 0.25 s | triples-per-graph |" in table
    assert "| every rdf:type row | – |" in "\n".join(table)
    assert query_names(results) == ["triples-per-graph"]   # a floor is not a canned query


def test_each_engine_floor_counts_rows_of_the_shipped_graph() -> None:
    from akke_graph.config import load_config
    from akke_graph.load import load

    loaded = load(load_config(RESULTS.parents[1]))
    canned = {q.stem for q in (RESULTS.parents[1] / "queries").glob("*.rq")}
    for slug, (_, _, bounds) in FLOORS.items():
        rows = loaded.store.select(floor_query(slug))
        assert len(rows) == 1 and int(rows[0]["n"].value) > 0, slug
        assert all(name.strip() in canned for name in bounds.split(",")), slug
