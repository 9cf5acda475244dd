"""The entity pages written by several processes make the same release as one process; a worker
that fails fails the step; the name search of ``--without-persons`` finds what the plain
alternation finds."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from akke_graph.errors import PublishError
from akke_graph.publish import jobs, pages
from akke_graph.publish.jobs import in_workers
from akke_graph.publish.persons import trie_regex

from .conftest import _publish, content

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_page_writers_in_several_processes_make_the_same_release(config, release: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "MIN_SHARE", 1)
    monkeypatch.setattr(pages, "cores", lambda: 3)
    out = tmp_path / "dist"
    _publish(config, out, version="1.0.0")
    assert content(out) == content(release)


def test_a_failing_worker_fails_the_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "MIN_SHARE", 1)
    parent = os.getpid()

    def work(share: list[int]) -> None:
        for item in share:
            if item == 3 and os.getpid() != parent:
                raise RuntimeError("disk full")
            (tmp_path / f"{item}.txt").write_text("ok", encoding="utf-8")

    with pytest.raises(PublishError, match="page writers failed"):
        in_workers(list(range(6)), work, 2)
    assert {p.name for p in tmp_path.iterdir()} >= {"0.txt", "2.txt", "4.txt"}


def test_work_stays_here_when_it_is_small(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, list[int]]] = []
    in_workers([1, 2, 3], lambda share: seen.append((os.getpid(), share)), 4)
    assert seen == [(os.getpid(), [1, 2, 3])]


@pytest.mark.parametrize("text", ["x Aino y", "Ainox", "Ai", "the Ain.", "zaino-ukkola", "aino-ukkola!", "bxc", "b.c",
                                  "https://w3id.org/akke/id/person/aino-ukkola#x", "Ukkola, Aino"])
def test_name_search_finds_what_the_plain_alternation_finds(text: str) -> None:
    words = ["Aino Ukkola", "Aino", "Ain", "https://w3id.org/akke/id/person/aino-ukkola", "aino-ukkola", "b.c"]
    plain = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
    merged = re.compile(r"(?<!\w)" + trie_regex(words) + r"(?!\w)")
    assert bool(merged.search(text)) == bool(plain.search(text))
