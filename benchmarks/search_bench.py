"""How big a release's search index is and how fast it answers, three ways: the library rule
(:mod:`akke_graph.search`, what ``serve`` runs), ``serve``'s ``/search`` over HTTP on loopback
(a static server's files are not involved), and the page's search box in Chromium (the time from
typing to the results, measured in the page with ``performance.now()``).

    python benchmarks/search_bench.py RELEASE_DIR                 # e.g. a published 1M release
    python benchmarks/search_bench.py RELEASE_DIR --json search.json

The first browser query of a page includes loading the index (or its bucket); the next ones
are warm. Bounded: a fixed list of queries, one browser, one static server, stopped at the end.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from akke_graph.search import INDEX, SearchIndex  # noqa: E402
from akke_graph.serve.search import search_answer  # noqa: E402

QUERIES = ("Turun", "turun kaupunki", "0204819-8", "helsingin", "jyväskylä", "oy", "tampere", "science park",
           "kiertotalous", "aalto")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def sizes(root: Path) -> dict[str, object]:
    manifest = json.loads((root / INDEX).read_text(encoding="utf-8"))
    files = [root / INDEX, *sorted((root / "search" / "b").glob("*.json"))]
    buckets = [p.stat().st_size for p in files[1:]]
    records = len(manifest["records"]) if "records" in manifest else sum(manifest["buckets"].values())
    return {"index_bytes": (root / INDEX).stat().st_size, "buckets": len(buckets),
            "largest_bucket_bytes": max(buckets, default=0), "total_bytes": sum(p.stat().st_size for p in files),
            "records_or_bucket_entries": records}


def library(root: Path) -> dict[str, float]:
    index = SearchIndex(root)
    first = time.perf_counter()
    index.find(QUERIES[0])
    cold = (time.perf_counter() - first) * 1000
    warm = []
    for query in QUERIES:
        started = time.perf_counter()
        search_answer(root, "q=" + query)
        warm.append((time.perf_counter() - started) * 1000)
    return {"cold_ms": round(cold, 1), "warm_p50_ms": round(statistics.median(warm), 2), "warm_max_ms": round(max(warm), 2)}


def browser(root: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    measure = """async (q) => {
        const form = document.querySelector('form.search'), input = document.getElementById('site-search');
        const done = new Promise(resolve => new MutationObserver((_, obs) => {
            if (form.dataset.state === 'done') { obs.disconnect(); resolve(); } }).observe(form, {attributes: true}));
        const t0 = performance.now(); input.value = q; input.dispatchEvent(new Event('input')); await done;
        return [performance.now() - t0, document.querySelectorAll('#site-search-results a').length]; }"""
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = chromium.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            page.wait_for_selector("form.search[data-state]", state="attached")
            times = [page.evaluate(measure, q) for q in QUERIES]
            chromium.close()
    finally:
        server.shutdown()
    warm = [t for t, _ in times[1:]]
    return {"first_ms": round(times[0][0], 1), "warm_p50_ms": round(statistics.median(warm), 1),
            "warm_max_ms": round(max(warm), 1), "results_first_query": times[0][1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("release", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    figures = {"sizes": sizes(args.release), "library_and_serve_path": library(args.release)}
    if not args.no_browser:
        figures["browser"] = browser(args.release)
    text = json.dumps(figures, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
