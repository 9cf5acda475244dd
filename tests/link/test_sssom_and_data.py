"""SSSOM TSV read/write, the release's SSSOM export of the shipped graph, and the shipped links
(municipality and region codes, YSO themes, the Wikidata place)."""

from __future__ import annotations

from pathlib import Path

import pytest

from akke_graph.link import mappings_sssom
from akke_graph.link.sssom_tsv import (LEXICAL, MANUAL, CurieMap, Mapping, MappingSet, read_sssom,
                                       write_sssom)
from akke_graph.registries import codes, yso

pytestmark = pytest.mark.filterwarnings("ignore:::sssom")
ORG = "https://w3id.org/akke/id/organisation/"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def test_write_then_read_gives_the_same_mappings(tmp_path: Path) -> None:
    rows = [Mapping(ORG + "a", SKOS + "exactMatch", "http://www.wikidata.org/entity/Q1", LEXICAL,
                    subject_label="A\tOy", object_label="Ä", confidence=0.875, mapping_date="2026-01-02",
                    mapping_tool="t", comment="line\nbreak", reviewer_label="R"),
            Mapping(ORG + "b", SKOS + "closeMatch", "http://example.org/x/y", MANUAL)]
    text = write_sssom(MappingSet({"mapping_set_id": "https://w3id.org/akke/mappings/t",
                                   "license": "https://creativecommons.org/licenses/by/4.0/"}, rows),
                       {"organisation": ORG})
    path = tmp_path / "m.sssom.tsv"
    path.write_text(text, encoding="utf-8")
    back = read_sssom(path)
    assert back.metadata["mapping_set_id"] == "https://w3id.org/akke/mappings/t"
    assert [(m.subject_id, m.predicate_id, m.object_id, m.mapping_justification) for m in back.mappings] == \
        [(m.subject_id, m.predicate_id, m.object_id, m.mapping_justification) for m in rows]
    first = back.mappings[0]
    assert first.subject_label == "A Oy" and first.comment == "line break" and first.confidence == 0.875
    assert first.line == text.splitlines().index(next(l for l in text.splitlines() if l.startswith("organisation:a"))) + 1


def test_curie_map_reuses_and_invents_prefixes() -> None:
    curies = CurieMap({"wd": "http://www.wikidata.org/entity/"})
    assert curies.compress("http://www.wikidata.org/entity/Q1") == "wd:Q1"
    a = curies.compress("http://example.org/x/1")
    b = curies.compress("http://example.org/x/2")
    assert a.split(":")[0] == b.split(":")[0] and curies.expand(b) == "http://example.org/x/2"
    assert curies.compress("http://example.org/") != "ns1:"  # a namespace IRI still gets a local part


def test_release_export_is_read_by_the_sssom_package(loaded, tmp_path: Path) -> None:
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    path = tmp_path / "links.sssom.tsv"
    path.write_text(mappings_sssom(loaded), encoding="utf-8")
    msdf = parse_sssom_table(str(path))
    validate(msdf, [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness,
                    SchemaValidationType.StrictCurieFormat])
    df = msdf.df
    turku = df[(df.subject_id == "organisation:turun-kaupunki")]
    assert set(turku.object_id) == {"ytj:0204819-8", "kunta:853", "wd:Q38511"}
    assert "data/business-ids.ttl" in " ".join(turku.comment)
    yso_rows = df[df.object_id.str.startswith("yso:")]
    assert len(yso_rows) == 8 and set(yso_rows.object_source_version) == {"2019.3 Cicero"}
    assert set(df.mapping_justification) == {"semapv:ManualMappingCuration"}


AGREEMENT_CITIES = {
    "helsingin-kaupunki": "091", "espoon-kaupunki": "049", "vantaan-kaupunki": "092",
    "tampereen-kaupunki": "837", "turun-kaupunki": "853", "oulun-kaupunki": "564",
    "jyvaskylan-kaupunki": "179", "vaasan-kaupunki": "905", "lappeenrannan-kaupunki": "405",
    "imatran-kaupunki": "153", "lahden-kaupunki": "398", "joensuun-kaupunki": "167",
    "kuopion-kaupunki": "297", "porin-kaupunki": "609", "kajaanin-kaupunki": "205",
    "sotkamon-kunta": "765", "kokkolan-kaupunki": "272", "seinajoen-kaupunki": "743",
    "rovaniemen-kaupunki": "698", "mikkelin-kaupunki": "491",
}


def test_every_agreement_city_has_its_municipality_code(loaded) -> None:
    rows = loaded.store.select("""
        PREFIX akke: <https://w3id.org/akke/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?region ?city ?code WHERE {
            ?region akke:includesCity ?city .
            OPTIONAL { ?city dcterms:spatial ?code . FILTER(CONTAINS(STR(?code), "/kunta_1_")) }
            FILTER NOT EXISTS { ?region dcterms:hasPart ?code } }""")
    assert rows == []  # each city's code is also part of its city region
    found = {r["city"].value.rsplit("/", 1)[1]: codes.municipality_code(r["code"].value)
             for r in loaded.store.select("""
        PREFIX akke: <https://w3id.org/akke/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?city ?code WHERE { ?region akke:includesCity ?city . ?city dcterms:spatial ?code .
                                  FILTER(CONTAINS(STR(?code), "/kunta_1_")) }""")}
    assert found == AGREEMENT_CITIES
    assert codes.municipality_iri("853") == "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/853"
    assert codes.region_code(codes.region_iri("02")) == "02"
    assert loaded.store.ask("""ASK { <https://w3id.org/akke/id/organisation/varsinais-suomen-liitto>
        <http://purl.org/dc/terms/spatial> <http://uri.suomi.fi/codelist/jhs/maakunta_1_20230101/code/02> }""")


def test_themes_map_to_yso_with_the_release_checked(loaded) -> None:
    found = {m.theme.rsplit("/", 1)[1]: (m.predicate.rsplit("#", 1)[1], m.concept.rsplit("/", 1)[1], m.release)
             for m in yso.theme_mappings(loaded.store)}
    assert found["circular-economy"] == ("exactMatch", "p28601", "2019.3 Cicero")
    assert found["drug-development"] == ("closeMatch", "p11187", "2019.3 Cicero")
    assert "competence-clusters" not in found
    assert all(r == yso.CHECKED_RELEASE for _, _, r in found.values())
    with pytest.raises(ValueError):
        yso.yso_iri("x123")


def test_links_are_plain_triples_for_queries(loaded) -> None:
    rows = loaded.store.select("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?org ?place WHERE { ?org dcterms:spatial ?place .
            FILTER(STRSTARTS(STR(?place), "http://www.wikidata.org/entity/")) }""")
    assert [(r["org"].value, r["place"].value) for r in rows] == [
        (ORG + "turun-kaupunki", "http://www.wikidata.org/entity/Q38511")]
