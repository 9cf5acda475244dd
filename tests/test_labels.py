"""One label rule everywhere: for every entity of the shipped graph and each language, the query
tables, the validation report, the release pages, the link tools and the release diff name it
alike — each through its own code — and the rule itself holds its promises."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from akke_graph.cli import cli
from akke_graph.config import Config
from akke_graph.labels import best_label, language_rank
from akke_graph.link.graph import labels as link_labels
from akke_graph.load import LoadedGraph, load
from akke_graph.publish.diff import diff_triples
from akke_graph.publish.model import ReleaseGraph, build_release_graph
from akke_graph.query.results import QueryResult, cell_labels
from akke_graph.shacl.report import labels_for
from akke_graph.terms import DCTERMS, RDFS, SKOS

LANGS = ("fi", "en")


@pytest.fixture(scope="module")
def entities(loaded: LoadedGraph) -> list[ox.NamedNode]:
    """Every IRI the shipped graph describes."""
    return sorted({q.subject for q in loaded.store.quads() if isinstance(q.subject, ox.NamedNode)},
                  key=lambda n: n.value)


@pytest.fixture(scope="module")
def release(config: Config) -> ReleaseGraph:
    """The release graph (its own load: preparing a release changes a private store in place)."""
    return build_release_graph(load(config))


@pytest.mark.parametrize("lang", LANGS)
def test_every_path_picks_the_same_label(lang: str, loaded: LoadedGraph, entities: list[ox.NamedNode],
                                         release: ReleaseGraph) -> None:
    iris = [e.value for e in entities]
    table = cell_labels(QueryResult(kind="select", variables=["x"], rows=[{"x": e} for e in entities]),
                        loaded.store.select, lang)
    report = labels_for(loaded, entities, lang)
    links = link_labels(loaded, iris, lang)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in loaded.store.quads()]
    diff = {key.strip("<>"): text for key, text in diff_triples([], triples, lang=lang).labels.items()}
    assert len(table) > 100
    assert report == table
    assert links == table
    assert diff == table
    pages = {iri: release.label(ox.NamedNode(iri), lang).text for iri in table}
    assert pages == table


def test_city_regions_in_english_say_tampere(project_root, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_root)
    result = CliRunner().invoke(cli, ["query", "city-regions", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Tampere" in result.output and "Pori" in result.output
    assert "Tammerfors" not in result.output and "Björneborg" not in result.output


LABELLED = [(SKOS + "prefLabel", "Tampere", "fi"), (SKOS + "prefLabel", "Tammerfors", "sv"),
            (RDFS + "label", "Tampere (en)", "en"), (DCTERMS + "title", "Tampereen", None)]


@pytest.mark.parametrize(("available", "lang", "expected"), [
    ([0, 1, 2, 3], "en", "Tampere (en)"),     # the language asked for, whatever the property
    ([0, 1, 2, 3], "fi", "Tampere"),
    ([0, 1, 3], "en", "Tampereen"),           # then a label without a language
    ([0, 1], "en", "Tampere"),                # then Finnish — never Swedish where Finnish exists
    ([1, 2], "fi", "Tampere (en)"),           # Finnish falls back to English, not Swedish
    ([1], "en", "Tammerfors"),                # any label rather than none
])
def test_the_rule(available: list[int], lang: str, expected: str) -> None:
    pairs = [(p, ox.Literal(text, language=tag) if tag else ox.Literal(text))
             for p, text, tag in (LABELLED[i] for i in available)]
    found = best_label(pairs, lang)
    assert found is not None and found.value == expected


def test_language_order() -> None:
    order = sorted(["sv", "", "en", "fi", "en-gb", "de"], key=lambda tag: language_rank(tag, "en"))
    assert order == ["en", "en-gb", "", "fi", "de", "sv"]
    assert best_label([(SKOS + "notation", ox.Literal("3"))], "fi") is None
