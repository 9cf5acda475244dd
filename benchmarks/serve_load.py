"""Load test of ``akke-graph serve`` on loopback: concurrent clients run the canned queries
through ``/sparql`` for a fixed time; report throughput, p50 / p99 latency and errors.

    python benchmarks/serve_load.py                       # 8 clients, 20 s, a fresh server
    python benchmarks/serve_load.py --clients 4 --seconds 5 --json load.json
    python benchmarks/serve_load.py --url http://127.0.0.1:8080   # a server already running

Target on the shipped data: 0 errors, p99 ≤ 50 ms. The server keeps complete answers (its graph
never changes while it runs); ``--uncached`` makes every request unique to measure the path
through Oxigraph instead. Bounded: it stops by itself after
``--seconds`` (plus the server's start and stop), and stops the server it started.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from akke_graph.config import load_config  # noqa: E402
from akke_graph.oxigraph_server import free_port  # noqa: E402
from akke_graph.query.params import bind, substitute_text  # noqa: E402
from akke_graph.query import load_queries  # noqa: E402

TARGET_P99_MS = 50.0
EXAMPLES = {"date": "2021-06-01"}  # required parameters without a default
ACCEPT = {"select": "application/sparql-results+json", "ask": "application/sparql-results+json",
          "construct": "text/turtle", "describe": "text/turtle"}


def canned_requests(project: Path) -> list[tuple[str, str, str]]:
    """(name, request target, Accept) for every canned query, with example parameters."""
    requests = []
    for query in load_queries(load_config(project)):
        params = {p.name: EXAMPLES[p.name] for p in query.params
                  if p.required and p.default is None}
        text = substitute_text(query.text, bind(query, params))
        requests.append((query.name, "/sparql?" + urllib.parse.urlencode({"query": text}),
                         ACCEPT[query.kind]))
    return requests


def start_server(project: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "akke_graph", "--project", str(project), "serve",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"akke-graph serve exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("akke-graph serve did not become healthy within 120 s")


def client(host: str, port: int, requests: list[tuple[str, str, str]], offset: int, stop_at: float,
           latencies: list[float], errors: list[str], uncached: bool = False) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=30)
    n = offset
    while time.monotonic() < stop_at:
        name, target, accept = requests[n % len(requests)]
        n += 1
        if uncached:  # a comment makes each request text unique: the server's cache never hits
            target += f"%0A%23{offset}-{n}"
        started = time.perf_counter()
        try:
            conn.request("GET", target, headers={"Accept": accept})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                errors.append(f"{name}: HTTP {response.status}")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{name}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
            continue
        latencies.append((time.perf_counter() - started) * 1000)
    conn.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--project", type=Path, default=REPO)
    parser.add_argument("--url", help="load a server already running here instead of starting one")
    parser.add_argument("--uncached", action="store_true",
                        help="make every request unique, so the server's answer cache never hits")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    requests = canned_requests(args.project)
    proc = None
    if args.url:
        parts = urllib.parse.urlsplit(args.url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
    else:
        host, port = "127.0.0.1", free_port()
        proc = start_server(args.project, port)
    try:
        latencies: list[list[float]] = [[] for _ in range(args.clients)]
        errors: list[str] = []
        stop_at = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(host, port, requests, i * 3, stop_at,
                                                        latencies[i], errors, args.uncached))
                   for i in range(args.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(args.seconds + 60)
        wall = time.perf_counter() - started
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    every = [x for per in latencies for x in per]
    figures = {"clients": args.clients, "uncached": args.uncached, "seconds": round(wall, 2),
               "queries": len(requests),
               "requests": len(every), "throughput_per_s": round(len(every) / wall, 1),
               "p50_ms": round(percentile(every, 0.50), 2), "p99_ms": round(percentile(every, 0.99), 2),
               "max_ms": round(max(every), 2) if every else None,
               "mean_ms": round(statistics.fmean(every), 2) if every else None,
               "errors": len(errors), "first_errors": errors[:5], "cpus": os.cpu_count()}
    print(f"{figures['clients']} clients{' (uncached)' if args.uncached else ''} x {figures['seconds']} s over {figures['queries']} canned "
          f"queries: {figures['requests']} requests, {figures['throughput_per_s']}/s, "
          f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms, "
          f"{figures['errors']} errors")
    ok = figures["errors"] == 0 and figures["p99_ms"] <= TARGET_P99_MS
    print(f"target (0 errors, p99 ≤ {TARGET_P99_MS:g} ms): {'met' if ok else 'missed'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
