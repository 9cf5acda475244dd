"""The benchmark suite: every measure of issue 6, each the project's way against the plain rdflib +
pyshacl way in the same run, every run a fresh process. Plain runs are bounded (``timeout``) so the
suite always ends; a plain job that timed out at one size is not run again at a larger one."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from akke_graph.synthetic.generate import DEFAULT_SEED, MARKER, write_project
from benchmarks.harness import Run, median_runs, run
from benchmarks.tasks import TIMED

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PLAIN_LIMIT = 1_000_000      # rdflib holds ~1.2 KB a triple: no plain runs above this size
QUERY_LIMIT = 60             # seconds one run of one canned query may take
SLOW = 60.0                  # a plain run slower than this is not repeated (shared machine)


@dataclass(frozen=True)
class Bench:
    """A job done both ways; ``op`` picks the figure compared (a step's seconds, or wall time)."""

    name: str
    title: str
    plain: str | None                 # task name in benchmarks.tasks
    project: str | list[str]          # task name, or an akke-graph command line
    plain_op: tuple[str, ...] = ()    # steps summed for the compared time; () = whole process
    project_op: tuple[str, ...] = ()
    max_size: int | None = None       # not run above this size


BENCHES = (
    Bench("parse", "parse: rdflib Graph.parse vs load", "plain-parse", "project-parse", ("parse",), ("load",)),
    Bench("validation", "validation alone: pyshacl vs validate_graph", "plain-validate", "project-validate",
          ("validate",), ("validate",)),
    Bench("dumps", "dumps (N-Triples, JSON-LD, Turtle): rdflib serialize vs store dump", "plain-dumps",
          "project-dumps", ("dump nt", "dump json-ld", "dump turtle"), ("dump nt", "dump json-ld", "dump turtle")),
    Bench("pipeline", "validate + publish dumps, whole process", "plain-pipeline", "project-pipeline"),
    Bench("validate-cli", "akke-graph validate, whole process (vs plain parse + pyshacl)", "plain-validate",
          ["validate"]),
    Bench("publish-cli", "akke-graph publish (whole release), whole process (vs plain pipeline)",
          "plain-pipeline", ["publish", "--out", "{out}"]),
    Bench("queries", "canned queries, warm p50", "plain-queries", "project-queries", max_size=PLAIN_LIMIT),
)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def label(size: int) -> str:
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k" if size % 1000 == 0 else str(size)


def synthetic_project(work: Path, size: int) -> tuple[Path, float]:
    """The synthetic project of this size, generated unless an identical one is there."""
    folder = work / f"synthetic-{label(size)}"
    marker = folder / MARKER
    if marker.exists():
        meta = json.loads(marker.read_text())
        if (meta["size"], meta["seed"], meta["violations"]) == (size, DEFAULT_SEED, False):
            return folder, 0.0
    say(f"[{label(size)}] generating the synthetic graph …")
    started = time.perf_counter()
    triples = write_project(folder, size, DEFAULT_SEED)
    seconds = time.perf_counter() - started
    say(f"[{label(size)}] {triples} triples in {seconds:.1f} s")
    return folder, seconds


def task_command(task: str, project: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "benchmarks.tasks", task, str(project), str(out)]


def cli_command(args: list[str], out: Path) -> list[str]:
    return [str(BIN / "akke-graph"), *(a.replace("{out}", str(out)) for a in args)]


def measure(tag: str, command: Callable[[int], list[str]], repeat: int, timeout: float, env: dict[str, str],
            slow: float | None = None) -> dict:
    """Median of ``repeat`` fresh runs (one only when a run is slower than ``slow``)."""
    runs: list[Run] = []
    for i in range(repeat):
        r = run(command(i), timeout=timeout, env=env, cwd=REPO)
        runs.append(r)
        state = f"> {timeout:.0f} s (stopped)" if r.timed_out else f"{r.wall:.2f} s, {r.peak_mib:.0f} MiB"
        say(f"{tag} run {i + 1}/{repeat}: {state}")
        if not r.ok and not r.timed_out:
            say(f"{tag} failed (exit {r.code}):\n{r.output}")
            return {"failed": True, "code": r.code, "output": r.output[-1500:]}
        if r.timed_out or (slow is not None and r.wall > slow):
            break
    return median_runs(runs)


def measure_queries(tag: str, task: str, project: Path, out: Path, limit: int, budget: float,
                    env: dict[str, str]) -> dict:
    """All canned queries in as few processes as possible: a query that outlasts ``limit`` ends
    its process (SIGALRM) and the next process goes on without it, until ``budget`` is spent."""
    steps: dict[str, dict] = {}
    stopped: list[str] = []
    peak, started = 0.0, time.perf_counter()
    while True:
        left = budget - (time.perf_counter() - started)
        if left <= 0:
            return {"timed_out": True, "runs": 1, "peak_mib": peak, "partial_steps": steps, "stopped": stopped,
                    "limit": limit}
        skip = ",".join(s for s in [*steps, *stopped] if s.startswith(TIMED))
        r = run([*task_command(task, project, out), skip, str(limit)], timeout=left, env=env, cwd=REPO)
        peak = max(peak, r.peak_mib)
        steps.update({k: v for k, v in r.steps.items() if k.startswith(TIMED)})
        done = sum(1 for k in r.steps if k.startswith("query "))
        if r.code == 0:
            say(f"{tag} {done} queries in {r.wall:.1f} s")
            return {"timed_out": False, "runs": 1, "peak_mib": peak, "steps": steps,
                    "stopped": stopped, "limit": limit, "wall": time.perf_counter() - started}
        if r.running and (r.code == -14 or r.timed_out):
            stopped.append(r.running)
            say(f"{tag} {done} queries, then {r.running} > {limit} s (stopped); going on without it")
            continue
        if r.timed_out:
            continue
        say(f"{tag} failed (exit {r.code}):\n{r.output}")
        return {"failed": True, "code": r.code, "output": r.output[-1500:]}


def op_seconds(result: dict, steps: tuple[str, ...]) -> float | None:
    """The compared time of a result: the named steps' sum, else the whole process."""
    if result.get("timed_out") or result.get("failed") or result.get("skipped"):
        return None
    if not steps:
        return result["wall"]
    found = [result["steps"][s]["seconds"] for s in steps if s in result["steps"]]
    return sum(found) if len(found) == len(steps) else None


def run_size(size: int, work: Path, repeat: int, timeout: float, stopped: dict[str, str],
             plain: bool, only: set[str] | None) -> dict:
    project, gen_seconds = synthetic_project(work, size)
    marker = json.loads((project / MARKER).read_text())
    env = {"AKKE_GRAPH_PROJECT": str(project), "AKKE_GRAPH_LANG": "en"}
    out = work / "out"
    figures: dict = {"triples": marker["triples"], "generate_seconds": round(gen_seconds, 2), "benches": {}}
    plain_cache: dict[str, dict] = {}
    for bench in BENCHES:
        if (only and bench.name not in only) or (bench.max_size and size > bench.max_size):
            continue
        tag = f"[{label(size)}] {bench.name}"
        # above the plain limit the project's runs get more time: the 5M runs are to complete
        limit = timeout if size <= PLAIN_LIMIT else 3 * timeout
        if isinstance(bench.project, str):
            project_cmd = lambda i, b=bench: task_command(b.project, project, out / f"{b.name}-project-{i}")  # noqa: E731
        else:
            project_cmd = lambda i, b=bench: cli_command(b.project, out / f"{b.name}-project-{i}")  # noqa: E731
        if bench.name in stopped:
            mine = {"skipped": stopped[bench.name], "timed_out": True}
        elif bench.name == "queries":
            mine = measure_queries(f"{tag} akke-graph", bench.project, project, out, QUERY_LIMIT, limit, env)
        else:
            mine = measure(f"{tag} akke-graph", project_cmd, repeat, limit, env, slow=SLOW)
        if mine.get("timed_out") and bench.name not in stopped:
            stopped[bench.name] = f"> {limit:.0f} s at {label(size)}"
        theirs: dict
        if not plain or bench.plain is None:
            theirs = {"skipped": "plain runs not asked for"}
        elif size > PLAIN_LIMIT:
            theirs = {"skipped": f"not run above {label(PLAIN_LIMIT)} triples"}
        elif bench.plain in plain_cache:
            theirs = plain_cache[bench.plain]
        elif bench.plain in stopped:
            theirs = {"skipped": stopped[bench.plain], "timed_out": True}
        elif bench.plain == "plain-pipeline" and "plain-validate" in plain_cache and \
                plain_cache["plain-validate"].get("timed_out"):
            theirs = {"skipped": f"validation alone took > {timeout:.0f} s", "timed_out": True}
        else:
            plain_cmd = lambda i, b=bench: task_command(b.plain, project, out / f"{b.name}-plain-{i}")  # noqa: E731
            if bench.name == "queries":
                theirs = measure_queries(f"{tag} plain", bench.plain, project, out, QUERY_LIMIT, timeout, env)
            else:
                theirs = measure(f"{tag} plain", plain_cmd, repeat, timeout, env, slow=SLOW)
        plain_cache[bench.plain or ""] = theirs
        if theirs.get("timed_out") and bench.plain not in stopped:
            stopped[bench.plain] = f"> {timeout:.0f} s at {label(size)}"
        figures["benches"][bench.name] = {
            "title": bench.title, "project": mine, "plain": theirs,
            "project_seconds": op_seconds(mine, bench.project_op),
            "plain_seconds": op_seconds(theirs, bench.plain_op), "timeout": timeout, "project_timeout": limit}
        shutil.rmtree(out, ignore_errors=True)
    return figures


def run_shipped(repeat: int, timeout: float, work: Path) -> dict:
    """``akke-graph validate`` on the shipped data vs the pyshacl command line on the same graph,
    and ``akke-graph --help`` vs ``pyshacl --help``."""
    from akke_graph.config import load_config
    from akke_graph.load import load, rdf_files

    config = load_config(REPO)
    work.mkdir(parents=True, exist_ok=True)
    data, shapes = work / "shipped-data.ttl", work / "shipped-shapes.ttl"
    data.write_bytes(load(config).store.dump("turtle"))   # the same graph, as one file for pyshacl
    # Turtle files concatenate into one (a repeated @prefix is allowed)
    shapes.write_bytes(b"\n".join(p.read_bytes() for p in rdf_files(config.shapes_dir)))
    env = {"AKKE_GRAPH_PROJECT": str(REPO), "AKKE_GRAPH_LANG": "en"}
    n = max(repeat, 5)
    jobs = {
        "validate": lambda i: [str(BIN / "akke-graph"), "validate"],
        "validate-pyshacl-cli": lambda i: [str(BIN / "pyshacl"), "-s", str(shapes), "-a", "-f", "human",
                                           str(data)],
        "help": lambda i: [str(BIN / "akke-graph"), "--help"],
        "help-pyshacl-cli": lambda i: [str(BIN / "pyshacl"), "--help"],
    }
    return {name: measure(f"[shipped] {name}", cmd, n, timeout, env) for name, cmd in jobs.items()}


def machine() -> dict:
    import psutil

    def version(module: str) -> str:
        from importlib.metadata import version as v
        try:
            return v(module)
        except Exception:  # noqa: BLE001 - a missing package just shows as unknown
            return "?"

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "versions": {m: version(m) for m in ("akke-graph", "rdflib", "pyshacl", "pyoxigraph", "oxigraph")},
        "commit": commit,
    }


def run_suite(sizes: list[int], repeat: int, timeout: float, work: Path, plain: bool = True,
              only: set[str] | None = None, shipped: bool = True) -> dict:
    results = {"machine": machine(), "repeat": repeat, "timeout": timeout, "slow": SLOW, "seed": DEFAULT_SEED,
               "sizes": {}}
    stopped: dict[str, str] = {}
    if shipped:
        results["shipped"] = run_shipped(repeat, timeout, work)
    for size in sizes:
        results["sizes"][label(size)] = run_size(size, work, repeat, timeout, stopped, plain, only)
    results["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return results
