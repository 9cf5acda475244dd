"""Benchmark of ``akke-graph publish``: the whole process (fresh Python, as a user runs it) and the
time of each step (from the release's ``release.json``).

    python benchmarks/publish_bench.py                      # the shipped data, 5 runs
    python benchmarks/publish_bench.py --runs 3 --synthetic 10k 100k
    python benchmarks/publish_bench.py --without-persons --base-iri https://data.example.fi/akke/
    python benchmarks/publish_bench.py --dumps-only --runs 1 --project build/synthetic-1m

Targets: ≤ 3 s for the whole process on the shipped data; validate + publish --dumps-only at
1M triples ≤ 20 s and ≤ 1.5 GB peak RSS (issue 6). Prints a table (median, min, max) and
the per-step medians; ``--json FILE`` also writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 3.0
SCALE_TARGET = (1_000_000, 20.0, 1536.0)   # triples, seconds, MiB: validate + publish --dumps-only


def one_run(project: Path, out: Path, extra: list[str]) -> tuple[float, float, float, dict[str, float]]:
    """Publish once in a fresh process; (wall seconds, CPU seconds, peak RSS in MiB, seconds per
    step). CPU time is the steadier figure on a shared machine."""
    if out.exists():
        shutil.rmtree(out)
    env = {**os.environ, "AKKE_GRAPH_PROJECT": str(project), "AKKE_GRAPH_LANG": "en"}
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "akke_graph", "publish", "--out", str(out), *extra],
                                env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            log.seek(0)
            raise SystemExit(f"publish failed ({code}):\n{log.read().decode('utf-8', 'replace')}")
    steps = json.loads((out / "release.json").read_text(encoding="utf-8"))["steps"]
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, steps   # Linux reports KiB


def bench(name: str, project: Path, runs: int, extra: list[str], work: Path) -> dict:
    print(f"{name}: {runs} run(s) of akke-graph publish {' '.join(extra)}".rstrip(), file=sys.stderr, flush=True)
    walls, cpus, rss, steps = [], [], [], []
    for i in range(runs):
        wall, cpu, peak, step = one_run(project, work / f"{name}-dist", extra)
        walls.append(wall)
        cpus.append(cpu)
        rss.append(peak)
        steps.append(step)
        print(f"  run {i + 1}: {wall:.2f} s ({cpu:.2f} s CPU)", file=sys.stderr, flush=True)
    triples = json.loads((work / f"{name}-dist" / "release.json").read_text(encoding="utf-8"))["triples"]
    names = list(steps[0])
    return {"name": name, "triples": triples, "runs": runs, "median_s": statistics.median(walls),
            "min_s": min(walls), "max_s": max(walls), "cpu_median_s": statistics.median(cpus), "peak_rss_mib": round(max(rss), 1),
            "steps_median_s": {n: round(statistics.median(s.get(n, 0.0) for s in steps), 4) for n in names}}


def target_text(r: dict, dumps_only: bool) -> str:
    if r["name"] == "shipped":
        return f"≤ {TARGET_SECONDS} s: {'met' if r['median_s'] <= TARGET_SECONDS else 'missed'}"
    size, seconds, mib = SCALE_TARGET
    if dumps_only and r["triples"] >= 0.9 * size:
        met = r["median_s"] <= seconds and r["peak_rss_mib"] <= mib
        return f"≤ {seconds:.0f} s, ≤ {mib:.0f} MiB: {'met' if met else 'missed'}"
    return ""


def report(results: list[dict], dumps_only: bool = False) -> str:
    load = os.getloadavg()[0]
    lines = [f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
             f"load average {load:.2f} at the end",
             "", "| data | triples | median s | min s | max s | CPU s (median) | peak RSS MiB | target |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        target = target_text(r, dumps_only)
        lines.append(f"| {r['name']} | {r['triples']} | {r['median_s']:.2f} | {r['min_s']:.2f} | {r['max_s']:.2f} "
                     f"| {r['cpu_median_s']:.2f} | {r['peak_rss_mib']:.0f} | {target} |")
    for r in results:
        lines += ["", f"steps, {r['name']} (median s): " + ", ".join(f"{n} {s:.3f}" for n, s in r["steps_median_s"].items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--synthetic", nargs="*", default=[], metavar="SIZE",
                        help="also publish synthetic graphs of these sizes (10k, 100k, 1m) from akke_graph.synthetic.generate")
    parser.add_argument("--project", type=Path, action="append", default=[], metavar="DIR",
                        help="also publish this project folder (e.g. one akke_graph.synthetic.generate wrote before)")
    parser.add_argument("--dumps-only", action="store_true", help="publish --dumps-only (no pages)")
    parser.add_argument("--without-persons", action="store_true")
    parser.add_argument("--base-iri")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    extra = (["--without-persons"] if args.without_persons else []) + (["--base-iri", args.base_iri] if args.base_iri else []) \
        + (["--dumps-only"] if args.dumps_only else [])
    # Beside the project's own dist/ (build/ is git-ignored): the same disk a real release goes to.
    (REPO / "build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="publish-bench-", dir=REPO / "build") as tmp:
        work = Path(tmp)
        results = [bench("shipped", REPO, args.runs, extra, work)]
        for size in args.synthetic:
            from akke_graph.synthetic.generate import parse_size, write_project

            project = work / f"synthetic-{size}"
            print(f"generating the synthetic {size} graph …", file=sys.stderr, flush=True)
            write_project(project, parse_size(size))
            results.append(bench(f"synthetic-{size}", project, max(1, min(args.runs, 3)), extra, work))
        for project in args.project:
            results.append(bench(project.name, project.resolve(), max(1, min(args.runs, 3)), extra, work))
    text = report(results, args.dumps_only)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
