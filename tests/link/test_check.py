"""link check offline: business-ID form and check digits, IRI patterns, duplicates and conflicts;
exit 1 with a report when something is wrong."""

from __future__ import annotations

from pathlib import Path


from akke_graph.link.check import check_links
from akke_graph.load import load

HEAD = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix akke: <https://w3id.org/akke/ontology#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix yso: <http://www.yso.fi/onto/yso/> .
@prefix organisation: <https://w3id.org/akke/id/organisation/> .
@prefix theme: <https://w3id.org/akke/id/theme/> .
"""

BAD = HEAD + """
organisation:a a org:FormalOrganization ; adms:identifier organisation:a\\#bid .
organisation:a\\#bid a adms:Identifier ; skos:notation "2077474-0"^^akke:businessId .
organisation:b a org:FormalOrganization ; adms:identifier organisation:b\\#bid , organisation:b\\#bid2 .
organisation:b\\#bid a adms:Identifier ; skos:notation "2077474-0"^^akke:businessId .
organisation:b\\#bid2 a adms:Identifier ; skos:notation "0204819-8"^^akke:businessId .
organisation:c a org:FormalOrganization ; adms:identifier organisation:c\\#bid .
organisation:c\\#bid a adms:Identifier ; skos:notation "2077474-1"^^akke:businessId .
organisation:d a org:FormalOrganization ; adms:identifier organisation:d\\#bid .
organisation:d\\#bid a adms:Identifier ; skos:notation "2077474-1" ; adms:schemaAgency "YTJ" .
organisation:e\\#lonely a adms:Identifier ; skos:notation "2322323-1"^^akke:businessId .

organisation:a skos:exactMatch <https://www.wikidata.org/wiki/Q38511> .
organisation:a dcterms:spatial <http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/85> .
organisation:b skos:exactMatch wd:Q1 , wd:Q2 .
organisation:c skos:exactMatch wd:Q3 .
organisation:d skos:exactMatch wd:Q3 ; skos:closeMatch wd:Q3 .
organisation:ghost skos:exactMatch wd:Q4 .
theme:t a skos:Concept ; skos:exactMatch yso:p123 ; skos:closeMatch <http://www.yso.fi/onto/yso/123> .
"""

DUPLICATE = HEAD + """
organisation:c skos:exactMatch wd:Q3 .
"""


def write(tmp_path: Path) -> list[Path]:
    files = [tmp_path / "bad.ttl", tmp_path / "duplicate.ttl"]
    files[0].write_text(BAD, encoding="utf-8")
    files[1].write_text(DUPLICATE, encoding="utf-8")
    return files


def test_the_shipped_links_pass(loaded) -> None:
    report = check_links(loaded)
    assert report.ok and report.findings == []
    assert report.counts["business IDs"] == 28 and report.counts["link triples"] >= 50


def test_every_problem_is_reported(config, tmp_path: Path) -> None:
    report = check_links(load(config, write(tmp_path)))
    text = report.to_text("en")
    expected = [
        "error: business ID 2077474-1 of organisation:c is not valid",
        "error: business ID 2077474-0 is held by 2 organisations: organisation:a, organisation:b",
        "error: organisation:b has 2 business IDs: 0204819-8, 2077474-0",
        "warning: identifier <https://w3id.org/akke/id/organisation/d#bid> looks like a business ID (2077474-1)",
        "warning: business ID 2322323-1 (<https://w3id.org/akke/id/organisation/e#lonely>) belongs to no organisation",
        "error: organisation:a links to https://www.wikidata.org/wiki/Q38511, which is not an IRI of Wikidata",
        "error: organisation:a links to http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/85, which is not an IRI of the municipality code list",
        "error: theme:t links to http://www.yso.fi/onto/yso/123, which is not an IRI of YSO",
        "error: organisation:b is the same as 2 different entries of one registry: wd:Q1, wd:Q2",
        "error: wd:Q3 is the same as 2 entities of the graph: organisation:c, organisation:d",
        "error: organisation:d links to wd:Q3 with skos:closeMatch, skos:exactMatch at once",
        "error: organisation:ghost links to wd:Q4, but the graph does not describe organisation:ghost",
        "warning: organisation:c → wd:Q3 is stated in 2 files: bad.ttl, duplicate.ttl",
        "warning: the YSO mapping theme:t → yso:p123 does not say which YSO release",
    ]
    for line in expected:
        assert line.replace("bad.ttl", str(tmp_path / "bad.ttl")).replace(
            "duplicate.ttl", str(tmp_path / "duplicate.ttl")) in text or line in text, (line, text)
    assert not report.ok
    assert "virhe: Y-tunnus 2077474-1 (organisation:c) ei kelpaa" in report.to_text("fi")


def test_cli_exits_1_with_the_report(project_root: Path, tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.setenv("AKKE_GRAPH_PROJECT", str(project_root))
    result = cli("link", "check", "--lang", "en", *map(str, write(tmp_path)))
    assert result.exit_code == 1
    assert "is held by 2 organisations" in result.output and result.output.rstrip().endswith("warning(s).")
    result = cli("link", "check", "--lang", "en")
    assert result.exit_code == 0 and "0 error(s), 0 warning(s)" in result.output


def test_unreadable_input_is_an_error_not_a_traceback(project_root: Path, tmp_path: Path, monkeypatch, cli) -> None:
    monkeypatch.setenv("AKKE_GRAPH_PROJECT", str(project_root))
    broken = tmp_path / "broken.ttl"
    broken.write_text(HEAD + "o:a skos:exactMatch wd:Q1\n", encoding="utf-8")
    result = cli("link", "check", str(broken))
    assert result.exit_code == 2 and "broken.ttl:" in result.stderr and "Traceback" not in result.output
