"""``serve``'s /search answers JSON from the release's own search index — the rule of the
pages' search box — and says clearly when there is no index to answer from."""

from __future__ import annotations

import io

import pytest

from tests.publish.conftest import ServedRelease
from tests.loopback import HTTP


@pytest.mark.parametrize("query, name", [("Turun", "Turun kaupunki"), ("0204819-8", "Turun kaupunki"),
                                          ("02048198", "Turun kaupunki"), ("TURKU SCIENCE", "Turku Science Park Oy")])
def test_search_answers_json(served_release: ServedRelease, query: str, name: str) -> None:
    answer = HTTP.get(served_release.url + "/search", params={"q": query}, timeout=60)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/json")
    results = answer.json()["results"]
    hit = next(r for r in results if r["name"] == name)
    assert HTTP.get(served_release.url + hit["url"], timeout=60).status_code == 200


def test_search_limits_and_refuses_bad_limits(served_release: ServedRelease) -> None:
    one = HTTP.get(served_release.url + "/search", params={"q": "turun", "limit": "1"}, timeout=60).json()
    assert len(one["results"]) == 1
    bad = HTTP.get(served_release.url + "/search", params={"q": "turun", "limit": "many"}, timeout=60)
    assert bad.status_code == 400 and "limit" in bad.json()["error"]
    assert HTTP.get(served_release.url + "/search", params={"q": ""}, timeout=60).json()["results"] == []


def test_without_a_release_search_says_why(loaded) -> None:
    from akke_graph.serve import SparqlService

    with SparqlService.from_loaded(loaded, port=0, log=io.StringIO()) as service:
        answer = HTTP.get(service.url + "/search", params={"q": "turun"}, timeout=60)
    assert answer.status_code == 404 and "--release" in answer.json()["error"]
