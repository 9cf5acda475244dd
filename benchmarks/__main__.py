"""``python -m benchmarks``: run the suite, print progress, and write the figures
(``benchmarks/results.json``), the tables in ``benchmarks/README.md`` and ``benchmarks/plot.png``.

    python -m benchmarks --quick                       # 10k only, one run each: a smoke test
    python -m benchmarks --sizes 10k,100k,1m,5m --repeat 3
    python -m benchmarks --report-only                 # redraw tables and plot from results.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from akke_graph.synthetic.generate import parse_size
from benchmarks.report import plot, update_readme, write_whole
from benchmarks.suite import BENCHES, REPO, run_suite, say

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated sizes (default 10k,100k,1m)")
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per measure (median)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is stopped")
    parser.add_argument("--quick", action="store_true", help="10k, one run, 120 s bound: a smoke test")
    parser.add_argument("--only", help=f"comma-separated benches: {','.join(b.name for b in BENCHES)} "
                                       "(the others' figures are kept from --results, named as such)")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain rdflib + pyshacl runs")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped-data and --help runs")
    parser.add_argument("--work", type=Path, default=REPO / "build" / "benchmarks",
                        help="where the synthetic projects are kept (default build/benchmarks)")
    parser.add_argument("--results", type=Path, default=HERE / "results.json")
    parser.add_argument("--keep-sizes", default="",
                        help="comma-separated sizes whose figures are carried over from --results (e.g. 5m: "
                             "its whole-release run takes about 20 minutes); the report names their run")
    parser.add_argument("--report-only", action="store_true", help="only redraw from --results")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.timeout = "10k", 1, 120
    if args.report_only:
        results = json.loads(args.results.read_text(encoding="utf-8"))
    else:
        sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
        only = set(args.only.split(",")) if args.only else None
        kept = carried_over(args.results, [s.strip() for s in args.keep_sizes.split(",") if s.strip()])
        results = run_suite(sizes, args.repeat, args.timeout, args.work, plain=not args.no_plain,
                            only=only, shipped=not args.no_shipped)
        for label, figures in kept.items():
            results["sizes"].setdefault(label, figures)
        if only or args.no_shipped:
            keep_the_rest(results, args.results)
        # Smallest first, whichever were run and whichever carried over.
        results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda item: item[1]["triples"]))
        write_whole(args.results, (json.dumps(results, indent=1) + "\n").encode("utf-8"))
    if args.results.resolve() == (HERE / "results.json").resolve():
        update_readme(HERE / "README.md", results)
        plot(results, HERE / "plot.png")
        say(f"figures: {HERE / 'README.md'}, {HERE / 'plot.png'}")
    else:
        plot(results, args.results.with_suffix(".png"))
        say(f"figures: {args.results}, {args.results.with_suffix('.png')}")
    return 0


def keep_the_rest(results: dict, path: Path) -> None:
    """After a run of some benches only (``--only``, ``--no-shipped``): the figures it did not
    measure, at the sizes it ran and the shipped ones, are carried over from the earlier
    results, each stamped with the run that measured it (the report names them)."""
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    stamp = {"date": earlier["machine"]["date"], "commit": earlier["machine"]["commit"],
             "repeat": earlier.get("repeat")}
    for label, figures in results["sizes"].items():
        before = earlier.get("sizes", {}).get(label)
        if before is None or "measured" in figures:
            continue
        for name, bench in before.get("benches", {}).items():
            if name not in figures["benches"]:
                figures["benches"][name] = {**bench, "measured": bench.get("measured", stamp)}
    if "shipped" not in results and "shipped" in earlier:
        results["shipped"] = earlier["shipped"]
        results["shipped_measured"] = earlier.get("shipped_measured", stamp)


def carried_over(path: Path, labels: list[str]) -> dict[str, dict]:
    """The figures of sizes ``labels`` from an earlier results file, each stamped with the date
    and commit of the run that measured it."""
    if not labels:
        return {}
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise SystemExit(f"{path}: no earlier results to keep sizes from; run without --keep-sizes")
    kept = {}
    for label in labels:
        figures = earlier.get("sizes", {}).get(label)
        if figures is None:
            raise SystemExit(f"{path}: has no figures for size {label}; run it or leave it out of --keep-sizes")
        figures.setdefault("measured", {"date": earlier["machine"]["date"], "commit": earlier["machine"]["commit"],
                                        "repeat": earlier.get("repeat")})
        kept[label] = figures
    return kept


if __name__ == "__main__":
    sys.exit(main())
