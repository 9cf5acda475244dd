"""Run one command in a fresh process, bounded in time, and measure it: wall time, peak RSS (from
the kernel's accounting of that very process, ``wait4``), exit code, and the JSON step lines a
:mod:`benchmarks.tasks` job prints."""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    """One process: how long it took, how much memory it held at most, what it reported."""

    wall: float
    peak_mib: float
    code: int | None
    timed_out: bool
    steps: dict[str, dict] = field(default_factory=dict)
    output: str = ""
    running: str | None = None      # the step announced last and never finished


    @property
    def ok(self) -> bool:
        return not self.timed_out and self.code in (0, 1)   # 1: the graph does not conform


def run(command: list[str], *, timeout: float, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> Run:
    """Run ``command``; past ``timeout`` seconds its process group is killed and the run marked."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                env={**os.environ, **(env or {})}, start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)   # the group of the process started here
                _, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.01)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    steps, running = {}, None
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if "step" in record:
                steps[record.pop("step")] = record
                running = None
            elif "running" in record:
                running = record["running"]
    return Run(wall=wall, peak_mib=usage.ru_maxrss / 1024, code=None if timed_out else proc.returncode,
               timed_out=timed_out, steps=steps, output=text[-4000:], running=running)


def median_runs(runs: list[Run]) -> dict:
    """Medians of the runs that finished: wall, peak RSS and each step's figures."""
    done = [r for r in runs if not r.timed_out]
    if not done:
        return {"timed_out": True, "runs": len(runs), "peak_mib": max(r.peak_mib for r in runs),
                "partial_steps": runs[0].steps}
    steps: dict[str, dict] = {}
    for name in done[0].steps:
        records = [r.steps[name] for r in done if name in r.steps]
        steps[name] = {k: statistics.median(rec[k] for rec in records) if isinstance(v, (int, float))
                       and not isinstance(v, bool) else v for k, v in records[0].items()}
    return {"timed_out": False, "runs": len(done), "wall": statistics.median(r.wall for r in done),
            "peak_mib": statistics.median(r.peak_mib for r in done), "code": done[0].code, "steps": steps}
