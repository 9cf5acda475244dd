"""Benchmark of ``akke-graph push`` into a local Oxigraph server: triples per second, and the
time of each phase (serialise; upload, or read and compare; the replacing update; count check).

    python -m akke_graph.synthetic.generate 1m --nquads build/synthetic-1m.nq
    python benchmarks/push_bench.py build/synthetic-1m.nq --twice --changed 0.01,0.1
    python benchmarks/push_bench.py build/synthetic-100k.nq --method update --twice

Target: the 1M-triple synthetic graph in ≤ 15 s. The graph is read into an in-memory Oxigraph
store first (not timed); a fresh ``oxigraph serve`` on loopback receives it; ``--twice`` pushes
the same graph again (replacement where nothing changed); ``--changed F`` then pushes versions
in which a fraction F of the triples was replaced by others (a release after edits), each
followed by a push of the original again.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from akke_graph.oxigraph_server import OxigraphServer  # noqa: E402
from akke_graph.push import PushTarget, push_store  # noqa: E402
from akke_graph.sparql_http import HttpPolicy  # noqa: E402
from akke_graph.store import FORMATS, OxigraphStore  # noqa: E402

TARGET_SECONDS_1M = 15.0
SUFFIXES = {".nq": "nquads", ".trig": "trig", ".ttl": "turtle", ".nt": "nt"}
DEFAULT_GRAPH = "urn:akke-graph:bench"


def read_graph(path: Path) -> OxigraphStore:
    """The file in a store; triples of a triples-only format go into one named graph."""
    import pyoxigraph as ox

    fmt = SUFFIXES.get(path.suffix)
    if fmt is None:
        raise SystemExit(f"{path}: give an .nq, .trig, .ttl or .nt file")
    store = OxigraphStore()
    quads = ox.parse(path=str(path), format=FORMATS[fmt])
    if fmt not in ("nquads", "trig"):
        quads = (ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(DEFAULT_GRAPH)) for q in quads)
    store.add(quads)
    return store


def changed(store: OxigraphStore, fraction: float) -> OxigraphStore:
    """A copy in which every n-th triple (n = 1 / fraction) has another object."""
    import pyoxigraph as ox

    step = max(1, round(1 / fraction))
    version = OxigraphStore()
    version.add(
        q if n % step else ox.Quad(q.subject, q.predicate, ox.Literal(f"changed {n}"), q.graph_name)
        for n, q in enumerate(store.quads()))
    return version


def run(store: OxigraphStore, method: str, twice: bool, fractions: list[float]) -> list[dict]:
    results = []
    runs = [("first push", store)] + ([("same graph again", store)] if twice else [])
    for fraction in fractions:
        runs += [(f"{fraction:.0%} of the triples changed", changed(store, fraction)),
                 ("back to the original", store)]
    with OxigraphServer.temporary() as server:
        target = PushTarget.from_options(server.query_url,
                                         gsp=server.store_url if method == "gsp" else None)
        for label, version in runs:
            report = push_store(version, target, policy=HttpPolicy(timeout=3600, deadline=7200))
            row = {"run": label, "method": report.method, "graphs": len(report.graphs),
                   "changes": report.changes,
                   "triples": report.triples, "seconds": round(report.seconds, 3),
                   "triples_per_s": round(report.triples / report.seconds),
                   "phases_s": {k: round(v, 3) for k, v in report.phases.items()}}
            change = f" ({report.changes[0]} in, {report.changes[1]} out)" if report.changes else ""
            print(f"{label}: {row['triples']} triples in {row['graphs']} graphs{change}, "
                  f"{row['seconds']:.2f} s, {row['triples_per_s']:,} triples/s; phases "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in row["phases_s"].items()), flush=True)
            results.append(row)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("graph", type=Path, help="N-Quads, TriG, Turtle or N-Triples file")
    parser.add_argument("--method", choices=["gsp", "update"], default="gsp",
                        help="upload by Graph Store Protocol (default) or SPARQL Update")
    parser.add_argument("--twice", action="store_true", help="push the same graph a second time")
    parser.add_argument("--changed", default="", metavar="F,F",
                        help="then push versions with these fractions of the triples changed")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    store = read_graph(args.graph)
    print(f"read {len(store)} quads from {args.graph} in {time.perf_counter() - started:.1f} s",
          file=sys.stderr, flush=True)
    fractions = [float(f) for f in args.changed.split(",") if f.strip()]
    results = run(store, args.method, args.twice, fractions)
    if len(store) >= 900_000:
        verdict = "meets" if results[0]["seconds"] <= TARGET_SECONDS_1M else "misses"
        print(f"target ≤ {TARGET_SECONDS_1M:g} s for 1M triples: {verdict} it")
    if args.json:
        args.json.write_text(json.dumps({"graph": str(args.graph), "machine": platform.node(),
                                         "python": platform.python_version(), "results": results},
                                        indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
