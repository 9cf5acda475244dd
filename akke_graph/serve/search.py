"""``/search?q=…``: the release's search index answered as JSON — the same index and rule the
pages' search box uses (:mod:`akke_graph.search`), so a client needs no index of its own.
``limit`` (1–100, default 20) caps the answer. Hooked into the front server's routing
(:meth:`akke_graph.serve.handler.Handler._route`)."""

from __future__ import annotations

import json
import urllib.parse
from functools import lru_cache
from pathlib import Path

from akke_graph.search import INDEX, MAX_RESULTS, SearchIndex
from akke_graph.serve.linked_data import Answer

MAX_LIMIT = 100


@lru_cache(maxsize=4)
def _cached(root: Path, stamp: int) -> SearchIndex:
    return SearchIndex(root)   # read once per release, buckets as they are asked for


def _index(root: Path) -> SearchIndex:
    """The index of the release now in ``root`` (a release published over it is read anew)."""
    try:
        stamp = (root / INDEX).stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _cached(root, stamp)


def json_answer(status: int, doc: object) -> Answer:
    body = json.dumps(doc, ensure_ascii=False).encode("utf-8") + b"\n"
    return Answer(status, {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache"}, body)


def search_answer(root: Path | None, query_string: str) -> Answer:
    """The best matches for ``q`` as ``{"query", "results": [{kind, name, name_en, ids, path, url}]}``."""
    params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
    query = params.get("q", [""])[0]
    try:
        limit = min(MAX_LIMIT, max(1, int(params.get("limit", [str(MAX_RESULTS)])[0])))
    except ValueError:
        return json_answer(400, {"error": "limit must be a whole number from 1 to 100"})
    if root is None or not _index(root).available:
        return json_answer(404, {"error": "no search index: serve a release folder that has search/index.json "
                                          "(akke-graph publish writes one), with --release DIR"})
    results = _index(root).find(query, limit)
    for result in results:
        result["url"] = "/" + str(result["path"])
    return json_answer(200, {"query": query, "results": results})
