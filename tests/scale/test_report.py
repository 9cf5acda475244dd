"""The benchmark report: the committed figures render, and sizes carried over from an earlier run
are named as such (the report never passes old figures off as new)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.__main__ import carried_over
from benchmarks.report import markdown

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
