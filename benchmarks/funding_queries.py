"""Time the funding queries of issue 19 at a size, both ways they are asked: with their parameter
(a lookup: one organisation, authority, agreement or focus area) and without (the whole graph),
warm p50 through ``run_query``, beside the engine floor "every quad" for the machine's speed.

    python benchmarks/funding_queries.py build/benchmarks/1m
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from akke_graph.config import load_config
from akke_graph.load import load
from akke_graph.query import find_query, run_query
from akke_graph.synthetic import model
from akke_graph.synthetic.generate import DEFAULT_SEED


def p50(run, budget: float = 5.0, most: int = 21) -> tuple[float, int]:
    rows = run()
    times: list[float] = []
    while len(times) < most and sum(times) < budget:
        started = time.perf_counter()
        rows = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), rows


def main(folder: str) -> None:
    loaded = load(load_config(Path(folder)))
    size = len(loaded)
    plan = model.plan(size, DEFAULT_SEED)
    lead = model.project(plan, 2, 0).partners[0]          # the main contractor of a Turku project
    cases = [
        ("funding-per-organisation", {"organisation": lead}), ("funding-per-organisation", {}),
        ("funding-per-year", {"authority": model.funding_authority(2)}), ("funding-per-year", {}),
        ("co-funding-rate", {}),
        ("organisations-working-together", {"organisation": lead}), ("organisations-working-together", {}),
        ("organisation-projects", {"organisation": lead}),
        ("focus-area-projects", {"focusArea": model.focus_area(2, 0)[0]}),
        ("focus-area-projects", {"agreement": model.ID + "agreement/turku"}), ("focus-area-projects", {}),
    ]
    floor, _ = p50(lambda: len(loaded.store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))
    print(f"{size:,} quads; floor every quad {floor * 1000:.0f} ms")
    print("| query | parameter | rows | warm p50 |")
    print("|---|---|---|---|")
    for name, params in cases:
        query = find_query(loaded.config, name)
        seconds, rows = p50(lambda q=query, p=params: len(run_query(loaded, q, p).rows))
        shown = ", ".join(params) or "– (whole graph)"
        print(f"| {name} | {shown} | {rows:,} | {seconds * 1000:.1f} ms |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
