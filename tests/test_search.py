"""The search rule (akke_graph.search) on a table of queries: case and Finnish and Swedish letters
do not matter, every word of the query must begin a word of a name or a business ID, business IDs
match with or without the hyphen, and a large index is split into buckets that find the same."""

from __future__ import annotations

import json

import pytest

from akke_graph.search import INDEX, SEARCHED_KINDS, SearchIndex, fold, index_documents, search

ORG, PROJECT, REGION = (SEARCHED_KINDS.index(k) for k in ("organisation", "project", "city-region"))
RECORDS = [
    [ORG, "turun-kaupunki", "Turun kaupunki", "City of Turku", ["Åbo stad"], ["0204819-8"]],
    [ORG, "turku-science-park", "Turku Science Park Oy", "", ["Turku Science Park Oy Ab"], ["2322323-1"]],
    [REGION, "jyvaskyla", "Jyväskylän kaupunkiseutu", "Jyväskylä city region", [], []],
    [REGION, "turku", "Turun kaupunkiseutu", "Turku city region", [], []],
    [PROJECT, "akke-turku", "AKKE – Alueellisten ekosysteemien kehittäminen Turun seudulla",
     "AKKE – Development of regional ecosystems in the Turku region", ["AKKE"], []],
]
CASES = [
    ("Turun", ["turun-kaupunki", "turku", "akke-turku"]),
    ("TURUN KAUPUNKI", ["turun-kaupunki", "turku"]),   # the exact name first
    ("turun kaupunki", ["turun-kaupunki", "turku"]),
    ("0204819-8", ["turun-kaupunki"]),
    ("02048198", ["turun-kaupunki"]),
    ("0204819", ["turun-kaupunki"]),
    ("åbo", ["turun-kaupunki"]),
    ("ABO STAD", ["turun-kaupunki"]),
    ("jyväskylä", ["jyvaskyla"]),
    ("jyvaskyla", ["jyvaskyla"]),
    ("city of turku", ["turun-kaupunki"]),
    ("science park", ["turku-science-park"]),
    ("kehittaminen", ["akke-turku"]),
    ("akke", ["akke-turku"]),
    ("helsinki", []),
    ("", []),
    ("t", []),                                  # one letter is too little to search by
    ("urun", []),                               # words are matched from their start
]


def test_fold_removes_case_and_diacritics() -> None:
    assert fold("Åbo Jyväskylä ÖLJY") == "abo jyvaskyla oljy"


@pytest.mark.parametrize("query,expected", CASES)
def test_search(query: str, expected: list[str]) -> None:
    assert [r[1] for r in search(RECORDS, query)] == expected


@pytest.mark.parametrize("query,expected", CASES)
def test_a_bucketed_index_finds_the_same(tmp_path, query: str, expected: list[str]) -> None:
    documents = index_documents(RECORDS, limit=100)          # small limit: forces the buckets
    assert len(documents) > 1 and "records" not in json.loads(documents[INDEX])
    for path, data in documents.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    found = SearchIndex(tmp_path).find(query)
    assert [r["path"].rsplit("/", 1)[1][:-5] for r in found] == expected
