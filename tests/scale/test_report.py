"""The benchmark report: the committed figures render, and sizes carried over from an earlier run
are named as such (the report never passes old figures off as new)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.__main__ import carried_over, keep_the_rest
from benchmarks.report import floor_table, markdown, query_names
from benchmarks.tasks import FLOORS, STATISTICS, floor_query

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
    assert "| every quad | 0.25 s | the statistics at load |" in table
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
        assert all(name.strip() in canned | {STATISTICS} for name in bounds.split(",")), slug


def test_every_canned_query_has_a_kind_and_the_headers_agree() -> None:
    from akke_graph.config import load_config
    from akke_graph.query import load_queries
    from benchmarks.kinds import KINDS, TAGGED, TARGETS

    queries = load_queries(load_config(RESULTS.parents[1]))
    names = {q.name for q in queries}
    assert names - KINDS.keys() == set(), "give each new canned query its kind in benchmarks/kinds.py"
    assert KINDS.keys() - names == set(), "benchmarks/kinds.py names a query that is gone"
    assert set(KINDS.values()) <= TARGETS.keys()
    for query in queries:
        for tag, kind in TAGGED.items():
            assert (tag in query.tags) == (KINDS[query.name] == kind), (query.name, tag)


def test_queries_are_reported_against_their_kinds_target() -> None:
    from benchmarks.report import query_table, target_rows

    def step(p50: float) -> dict:
        return {"p50": p50, "p90": p50, "runs": 5, "rows": 1}

    steps = {"query work-packages": step(0.004), "query sources-of": step(0.02), "query organisations": step(0.3),
             "query triples-per-graph": step(0.002), "query brand-new": step(0.001),
             "statistics": {"seconds": 0.4}}
    results = {"sizes": {"1m": {"triples": 1_000_000, "benches": {"queries": {
        "project": {"steps": steps, "limit": 60, "stopped": ["query entities-without-english-label"]},
        "plain": {"skipped": True}}}}}}
    rows = "\n".join(target_rows(results))
    assert "| lookups (an entity, its packages, its funding), 1M, warm p50 | ≤ 10.0 ms each | 1 of 2 within " \
           "(slowest 4.0 ms); over: sources-of 20.0 ms | no |" in rows
    assert "| whole-graph aggregates, 1M, warm p50 | ≤ 0.50 s each | 1 of 1 within (slowest 0.30 s) | yes |" in rows
    assert "| quality scans, 1M, warm p50 | ≤ 0.50 s each | 0 of 1 within; stopped after 60 s: " \
           "entities-without-english-label | no |" in rows
    assert "statistics of the graph (VoID counts made at load), 1M, warm p50 | ≤ 10.0 ms each | 1 of 1 within" in rows
    assert "| canned queries of no kind (benchmarks/kinds.py) | a kind each | brand-new | no |" in rows
    assert "| 0.40 s | – |" in rows
    table = "\n".join(query_table(results))
    assert "| work-packages | lookup | 10.0 ms | 4.0 ms | not run | yes |" in table
    assert "| sources-of | lookup | 10.0 ms | 20.0 ms | not run | no |" in table


def test_a_run_of_some_benches_keeps_the_others_and_names_their_run(tmp_path: Path) -> None:
    from benchmarks.report import carried_benches

    earlier = tmp_path / "results.json"
    bench = {"title": "t", "project": {}, "plain": {}}
    earlier.write_text(json.dumps({"machine": {"date": "2026-01-01 00:00 UTC", "commit": "abc1234"}, "repeat": 3,
                                   "shipped": {"validate": {"wall": 0.2}},
                                   "sizes": {"1m": {"triples": 1, "benches": {"pipeline": bench, "queries": bench}}}}),
                       encoding="utf-8")
    results = {"sizes": {"1m": {"triples": 1, "benches": {"queries": {**bench, "title": "new"}}}}}
    keep_the_rest(results, earlier)
    benches = results["sizes"]["1m"]["benches"]
    assert benches["queries"]["title"] == "new" and "measured" not in benches["queries"]
    assert benches["pipeline"]["measured"] == {"date": "2026-01-01 00:00 UTC", "commit": "abc1234", "repeat": 3}
    assert carried_benches(results) == ["Figures of pipeline at 1m, the shipped data and start-up are carried "
                                        "over from the run of 2026-01-01 00:00 UTC (commit abc1234, medians of 3)."]
