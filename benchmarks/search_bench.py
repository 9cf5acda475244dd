"""How big a release's search index is and how fast it answers, two ways: ``serve``'s ``/search``
over HTTP on loopback (its first query reads the whole index), and the page's search box in
Chromium over a static server (the time from typing to the results, measured in the page with
``performance.now()``; a query loads the index, or its bucket, the first time).

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

from akke_graph.search import ALL, INDEX  # noqa: E402

QUERIES = ("Turun", "turun kaupunki", "0204819-8", "helsingin", "jyväskylä", "oy", "tampere", "science park",
           "kiertotalous", "aalto")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def sizes(root: Path) -> dict[str, object]:
    manifest = json.loads((root / INDEX).read_text(encoding="utf-8"))
    buckets = sorted(p.stat().st_size for p in (root / "search" / "b").glob("*.json"))
    whole = root / ALL
    records = manifest.get("records") or json.loads(whole.read_text(encoding="utf-8"))["records"]
    return {"records": len(records), "index_json_bytes": (root / INDEX).stat().st_size,
            "all_json_bytes": whole.stat().st_size if whole.is_file() else None, "buckets": len(buckets),
            "bucket_bytes_median": buckets[len(buckets) // 2] if buckets else None,
            "bucket_bytes_max": max(buckets, default=None), "bucket_bytes_total": sum(buckets)}


def served(root: Path) -> dict[str, float]:
    """``serve``'s /search over HTTP on loopback: its front server and handler (no SPARQL is asked,
    so no Oxigraph is started)."""
    import http.client
    import io
    import urllib.parse

    from akke_graph.serve.handler import FrontServer
    from akke_graph.serve.linked_data import ReleaseSite

    server = FrontServer(("127.0.0.1", 0), None, ReleaseSite(root), 30.0, io.StringIO(), {})  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=120)
    times = []
    try:
        for query in (QUERIES[0], *QUERIES):
            started = time.perf_counter()
            connection.request("GET", "/search?" + urllib.parse.urlencode({"q": query}))
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200
            times.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
        server.shutdown()
        server.server_close()
    return {"first_query_ms": round(times[0], 1), "p50_ms": round(statistics.median(times[1:]), 2),
            "max_ms": round(max(times[1:]), 2)}


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
            first = [page.evaluate(measure, q) for q in QUERIES]        # each loads its bucket (or the index once)
            again = [page.evaluate(measure, q) for q in QUERIES]        # the same, loaded
            typing = [page.evaluate(measure, "Turun kaupunki"[:n]) for n in range(2, 15)]
            chromium.close()
    finally:
        server.shutdown()
    return {"first_ms_p50": round(statistics.median(t for t, _ in first), 1),
            "first_ms_max": round(max(t for t, _ in first), 1),
            "loaded_ms_p50": round(statistics.median(t for t, _ in again), 1),
            "loaded_ms_max": round(max(t for t, _ in again), 1),
            "typing_Turun_kaupunki_ms_max": round(max(t for t, _ in typing), 1),
            "results_first_query": first[0][1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("release", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    figures = {"sizes": sizes(args.release), "serve_http": served(args.release)}
    if not args.no_browser:
        figures["browser"] = browser(args.release)
    text = json.dumps(figures, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
