"""The synthetic national graph: deterministic, of the asked size, in the project's own model, and
loaded by the project's loader exactly as generated."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.load import LoadedGraph
from akke_graph.registries.ytunnus import is_valid
from akke_graph.synthetic import model
from akke_graph.synthetic.generate import (DEFAULT_SEED, generate, generate_files, injected_violations, main, parse_size,
                                 write_nquads, write_project)
from tests.scale.conftest import NATIVE_SIZE

OWN = re.compile(r"^https://w3id\.org/akke/id/[a-z0-9-]+/[a-z0-9-]+(#[a-z0-9-]+)?$")
BUSINESS_ID = "https://w3id.org/akke/ontology#businessId"


def nquads(size: int, seed: int, violations: bool = False) -> str:
    out = io.StringIO()
    write_nquads(out, generate_files(size, seed, violations))
    return out.getvalue()


def test_same_seed_gives_the_same_bytes() -> None:
    assert nquads(NATIVE_SIZE, 7) == nquads(NATIVE_SIZE, 7)
    assert nquads(NATIVE_SIZE, 7, True) == nquads(NATIVE_SIZE, 7, True)
    assert nquads(NATIVE_SIZE, 7) != nquads(NATIVE_SIZE, 8)


def test_project_folders_are_byte_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_project(tmp_path / name, NATIVE_SIZE, 7)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a" / "data").rglob("*.ttl"))
    assert files and all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_nquads_parse_back_to_the_generated_quads() -> None:
    parsed = set(ox.parse(nquads(NATIVE_SIZE, DEFAULT_SEED).encode(), format=ox.RdfFormat.N_QUADS))
    assert parsed == set(generate(NATIVE_SIZE, DEFAULT_SEED))


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_size_is_close_to_the_asked_one(size: int) -> None:
    count = sum(len(f.triples) for f in generate_files(size, DEFAULT_SEED))
    assert abs(count - size) <= 0.05 * size


def test_the_loader_reads_exactly_the_generated_quads(clean_loaded: LoadedGraph) -> None:
    ontology = clean_loaded.config.graph_iri(clean_loaded.config.ontology_dir / "akke.ttl")
    loaded = {q for q in clean_loaded.store.quads() if q.graph_name.value != ontology}
    assert loaded == set(generate(NATIVE_SIZE, DEFAULT_SEED))


def test_every_file_is_a_named_graph_with_a_described_source(clean_loaded: LoadedGraph) -> None:
    rows = clean_loaded.store.select("""
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?g (COUNT(DISTINCT ?label) AS ?labels) WHERE {
            GRAPH ?g { ?g prov:wasDerivedFrom ?source }
            ?source a foaf:Document ; rdfs:label ?label .
            FILTER(LANG(?label) IN ("fi", "en"))
        } GROUP BY ?g""")
    described = {r["g"].value: int(r["labels"].value) for r in rows}
    assert set(described) == {f.graph for f in clean_loaded.data_files}
    assert set(described.values()) == {2}


def test_own_entities_have_lowercase_ascii_slugs(clean_loaded: LoadedGraph) -> None:
    subjects = {q.subject.value for q in clean_loaded.store.quads()
                if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(model.ID)}
    assert subjects and not [s for s in subjects if not OWN.match(s)]
    assert not [q for q in generate(NATIVE_SIZE, DEFAULT_SEED) if isinstance(q.subject, ox.BlankNode)]


def test_business_ids_are_valid_unique_and_never_real(clean_loaded: LoadedGraph, project_root: Path) -> None:
    ids = [q.object.value for q in generate(100_000, DEFAULT_SEED)
           if isinstance(q.object, ox.Literal) and q.object.datatype.value == BUSINESS_ID]
    real = {q.object.value for q in ox.parse(path=str(project_root / "data" / "business-ids.ttl"),
                                             format=ox.RdfFormat.TURTLE, base_iri="https://w3id.org/akke/graph/x")
            if isinstance(q.object, ox.Literal) and q.object.datatype.value == BUSINESS_ID}
    assert len(ids) > 500 and all(is_valid(i) for i in ids)
    assert max(Counter(ids).values()) == 1
    assert all(i.startswith("9") for i in ids) and not set(ids) & real and real


def test_model_follows_the_shipped_data(clean_loaded: LoadedGraph) -> None:
    counts = {r["c"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]: int(r["n"].value) for r in clean_loaded.store.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")}
    assert counts["CityRegion"] == counts["EcosystemAgreement"] == 16
    for kind in ("OrganizationalCollaboration", "WorkPackage", "Membership", "Grant", "Attribution",
                 "Association", "FormalOrganization", "Identifier", "Person", "FundingProgramme"):
        assert counts[kind] > 0, kind


def test_too_small_for_the_injections() -> None:
    with pytest.raises(ValueError, match="too few"):
        injected_violations(3_000)


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert parse_size("10k") == 10_000 and parse_size("1m") == 1_000_000 and parse_size("2500") == 2500
    main(["10k", "--violations", "--nquads", str(tmp_path / "g.nq"), "--expected", str(tmp_path / "e.json")])
    assert (tmp_path / "g.nq").read_text() == nquads(NATIVE_SIZE, DEFAULT_SEED, True)
    assert (tmp_path / "e.json").read_text().count('"focus"') == len(injected_violations(NATIVE_SIZE))
    (tmp_path / "taken").mkdir()
    with pytest.raises(SystemExit, match="not written by the generator"):
        main(["10k", "--project", str(tmp_path / "taken")])
