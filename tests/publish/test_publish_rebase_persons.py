"""``--base-iri`` leaves nothing of the default base IRI in any file; ``--without-persons`` leaves
no person's name in any file and still publishes a graph with no violation of the shapes (and no
result the shipped graph does not have)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.config import DEFAULT_BASE_IRI
from akke_graph.load import LoadedGraph
from akke_graph.rebase import regex_form
from akke_graph.shacl.validate import validate_graph
from akke_graph.store import OxigraphStore
from akke_graph.terms import FOAF

from .conftest import NEW_BASE, ROOT, release_text_files

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def person_names() -> set[str]:
    """Full and family names of every person in data/persons.ttl."""
    names = set()
    for quad in ox.parse(path=str(ROOT / "data/persons.ttl"), format=ox.RdfFormat.TURTLE,
                         base_iri="https://w3id.org/akke/graph/data/persons"):
        if quad.predicate.value in (FOAF + "name", FOAF + "familyName"):
            names.add(quad.object.value)
    return names


def test_rebased_release_has_no_default_base_anywhere(rebased_release: Path) -> None:
    forms = [DEFAULT_BASE_IRI, regex_form(DEFAULT_BASE_IRI), "w3id.org/akke", "w3id\\.org/akke"]
    hits = [f"{path.relative_to(rebased_release)}: {form}" for path, text in release_text_files(rebased_release)
            for form in forms if form in text]
    assert not hits, hits[:10]


def test_rebased_release_uses_the_new_base_everywhere(rebased_release: Path) -> None:
    triples = list(ox.parse(path=str(rebased_release / "dumps/akke-graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert any(t.subject.value == NEW_BASE + "id/project/akke-turku" for t in triples)
    graphs = {q.graph_name.value for q in ox.parse(path=str(rebased_release / "dumps/akke-graph.trig"), format=ox.RdfFormat.TRIG)}
    assert graphs and all(g.startswith(NEW_BASE + "graph/") for g in graphs)
    assert (rebased_release / "id/project/akke-turku.html").is_file()
    shapes = (rebased_release / "shapes/common.ttl").read_text(encoding="utf-8")
    assert regex_form(NEW_BASE).replace("\\", "\\\\") + "id/" in shapes     # the IRI pattern moved too
    catalog = (rebased_release / "catalog.ttl").read_text(encoding="utf-8")
    assert f"<{NEW_BASE}catalog>" in catalog


@pytest.fixture(scope="module")
def shipped_results(loaded: LoadedGraph) -> list[tuple[str, ...]]:
    """The shipped graph's own results (its warnings: what no source gives)."""
    return [r.key() for r in validate_graph(loaded).results]


def test_rebased_release_conforms_to_the_rebased_shapes(rebased_release: Path, config, shipped_results) -> None:
    """The re-based dumps validate against the project's shapes moved onto the new base: no
    violation, and the very results of the shipped graph, moved onto the new base."""
    store = OxigraphStore()
    store.add(ox.parse(path=str(rebased_release / "dumps/akke-graph.trig"), format=ox.RdfFormat.TRIG))
    report = validate_graph(LoadedGraph(config=config.with_base(NEW_BASE), store=store))
    assert not report.has_violations, report.to_text("en")
    moved = sorted(tuple(part.replace(DEFAULT_BASE_IRI, NEW_BASE) for part in key) for key in shipped_results)
    assert sorted(r.key() for r in report.results) == moved


def test_release_without_persons_has_no_names_in_any_file(anonymous_release: Path) -> None:
    names = person_names()
    assert len(names) >= 8
    hits = [f"{path.relative_to(anonymous_release)}: {name}" for path, text in release_text_files(anonymous_release)
            for name in names if name.casefold() in text.casefold()]
    assert not hits, hits[:10]
    assert not (anonymous_release / "id/person").exists()


def test_release_with_persons_publishes_what_the_source_published(release: Path) -> None:
    text = (release / "dumps/akke-graph.ttl").read_text(encoding="utf-8")
    assert all(name in text for name in person_names())


def test_release_without_persons_keeps_roles_and_conforms(anonymous_release: Path, config, shipped_results) -> None:
    """No violation, and the results of the shipped graph but those about persons."""
    store = OxigraphStore()
    store.add(ox.parse(path=str(anonymous_release / "dumps/akke-graph.trig"), format=ox.RdfFormat.TRIG))
    report = validate_graph(LoadedGraph(config=config, store=store))
    assert not report.has_violations, report.to_text("en")
    not_persons = [key for key in shipped_results if not key[0].startswith(config.base_iri + "id/person/")]
    assert [r.key() for r in report.results] == not_persons
    rows = store.select("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?wp ?org WHERE { ?wp prov:qualifiedAssociation [ prov:agent ?org ;
            prov:hadRole <https://w3id.org/akke/id/role/responsible-organisation> ] }""")
    assert len({r["wp"] for r in rows}) == 7                                      # every work package keeps its responsible organisations
    assert store.ask("ASK { <https://w3id.org/akke/id/role/contact-person> a <http://www.w3.org/2004/02/skos/core#Concept> }")
    assert not store.ask("ASK { ?p a <http://xmlns.com/foaf/0.1/Person> }")
    index = (anonymous_release / "index.html").read_text(encoding="utf-8")
    assert "poistettu henkilöt" in index


def test_changes_against_a_release_with_persons_name_no_one(release: Path, config, tmp_path: Path) -> None:
    from .conftest import _publish

    out = tmp_path / "anonymous"
    _publish(config, out, without_persons=True, previous=release, base_iri=NEW_BASE, version="1.0.1")
    names = person_names()
    for path, text in release_text_files(out):
        assert not [n for n in names if n.casefold() in text.casefold()], path
        assert DEFAULT_BASE_IRI not in text, path
    changes = (out / "CHANGES.md").read_text(encoding="utf-8")
    assert "changes about persons left out" in changes
    removed = [l for l in (out / "changes/removed.nt").read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
    assert removed and all("graph/data/persons" in l for l in removed)   # the emptied source graph
    assert not [l for l in (out / "changes/added.nt").read_text(encoding="utf-8").splitlines() if not l.startswith("#")]
