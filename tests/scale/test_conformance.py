"""The clean synthetic graph conforms to the project's shapes: no violation and no warning, with
pyshacl (the reference) and with the project's own validator."""

from __future__ import annotations

import pytest

from akke_graph.load import LoadedGraph
from akke_graph.shacl.validate import validate_graph
from akke_graph.synthetic.reference import Result


@pytest.mark.slow
def test_clean_graph_conforms_with_pyshacl(reference_clean: list[Result]) -> None:
    assert reference_clean == []


def test_clean_graph_conforms_with_the_projects_validator(clean_loaded: LoadedGraph) -> None:
    report = validate_graph(clean_loaded)
    assert report.conforms
    assert [r.key() for r in report.results] == []
