"""The loader reads files a little ahead of Oxigraph's parsing: the files still arrive in order,
and a file that cannot be read fails at its own place, after the ones before it were loaded."""

from __future__ import annotations

import threading

import pytest

from akke_graph.load import read_ahead


def test_items_in_order_past_the_read_ahead_depth() -> None:
    items = list(range(50))
    assert list(read_ahead(items, lambda x: x * x, depth=4)) == [(x, x * x) for x in items]


def test_an_error_is_raised_at_its_item() -> None:
    def read(x: int) -> int:
        if x == 7:
            raise ValueError("seven")
        return x

    seen = []
    with pytest.raises(ValueError, match="seven"):
        for item, _ in read_ahead(range(20), read, depth=3):
            seen.append(item)
    assert seen == list(range(7))
    assert not [t for t in threading.enumerate() if t.name.startswith("read-ahead")]


def test_a_bad_file_among_many_names_itself(tmp_path, config) -> None:
    from akke_graph.errors import InputError
    from akke_graph.load import load

    files = []
    for k in range(80):
        path = tmp_path / f"f{k:02d}.ttl"
        path.write_text(f"<https://w3id.org/akke/id/x/n{k}> <http://www.w3.org/2000/01/rdf-schema#label> \"n{k}\" .\n"
                        if k != 61 else "<a> <b> .\n", encoding="utf-8")
        files.append(path)
    with pytest.raises(InputError) as caught:
        load(config, files)
    assert "f61.ttl" in str(caught.value) and caught.value.line == 1
