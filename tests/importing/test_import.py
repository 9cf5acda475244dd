"""The good paths of ``akke-graph import``, through the real command line into a copy of the
project: the seed card changes nothing in today's graph and rebuilds every Finnish fact of the seed
without its data files; its English card adds labels to the same entities; tables (CSV and xlsx)
import once and then change nothing; candidates go through ``link accept`` and the next import
follows the review; a mapping of its own reads a table with other headers. The tables go into a
copy of the seed project (``seed_copy``): what a table's rows become does not depend on the
records imported before; the cards, which are about today's graph, into a copy of the project."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from akke_graph.config import load_config
from akke_graph.load import load

from .conftest import CASES, SEED, SEED_EN, SEED_PAGE

EN_PAGE = "https://businessturku.fi/en/projects/akke-alueellisten-ekosysteemien-kehittaminen-turun-seudulla"
PREFIXES = """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX org: <http://www.w3.org/ns/org#> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX frapo: <http://purl.org/cerif/frapo/> PREFIX akke: <https://w3id.org/akke/ontology#>
"""


def select(project: Path, query: str) -> list[tuple[str, ...]]:
    loaded = load(load_config(project))
    rows = loaded.store.select(PREFIXES + query)
    return sorted({tuple(r[k].value for k in sorted(r)) for r in rows})


def files(project: Path) -> dict[str, str]:
    folder = project / "data"
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.ttl"))}


def test_the_seed_card_changes_nothing_in_todays_graph(project_copy: Path, run) -> None:
    before = files(project_copy)
    result = run(project_copy, "import", "card", str(SEED), "--source", SEED_PAGE)
    assert result.exit_code == 0, result.output
    assert "0 created, 0 matched, 1 unchanged, 0 skipped" in result.output
    assert files(project_copy) == before


def test_the_seed_card_rebuilds_every_finnish_fact(project_copy: Path, run) -> None:
    (project_copy / "data" / "project-akke-turku.ttl").unlink()
    (project_copy / "data" / "persons.ttl").unlink()
    result = run(project_copy, "import", "card", str(SEED), "--source", SEED_PAGE)
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    projects = select(project_copy, """SELECT ?p ?t ?s ?e WHERE { ?p a org:OrganizationalCollaboration ;
        frapo:hasAcronym "AKKE" ; dcterms:title ?t ; dcterms:temporal [ dcat:startDate ?s ; dcat:endDate ?e ]
        FILTER(LANG(?t) = "fi") }""")
    assert [(t, s, e) for e, p, s, t in projects] == [
        ("AKKE – Alueellisten ekosysteemien kehittäminen Turun seudulla", "2021-05-01", "2021-12-31")]
    project = projects[0][1]
    roles = select(project_copy, f"""SELECT ?o ?r WHERE {{ ?m org:organization <{project}> ; org:member ?o ;
        org:role ?r }}""")
    assert {(o.rsplit("/", 1)[1], r.rsplit("/", 1)[1]) for o, r in roles} == {
        ("turun-kaupunki", "partner"), ("turun-kaupunki", "main-implementer"), ("turku-science-park", "partner")}
    funding = select(project_copy, f"""SELECT ?agent ?role WHERE {{ <{project}> frapo:isFundedBy ?f .
        ?f prov:qualifiedAttribution [ prov:agent ?agent ; prov:hadRole ?role ] }}""")
    assert {(a.rsplit("/", 1)[1], r.rsplit("/", 1)[1]) for a, r in funding} == {
        ("tyo-ja-elinkeinoministerio", "funder"), ("varsinais-suomen-liitto", "funding-authority")}
    packages = select(project_copy, f"""SELECT ?n ?t ?agent ?role WHERE {{ ?w dcterms:isPartOf <{project}> ;
        skos:notation ?n ; dcterms:title ?t ; prov:qualifiedAssociation [ prov:agent ?agent ; prov:hadRole ?role ] }}""")
    responsible = {(int(n), a.rsplit("/", 1)[1]) for a, n, r, t in packages if r.endswith("responsible-organisation")}
    assert responsible == {(1, "turun-kaupunki"), (1, "turku-science-park"), (2, "turun-kaupunki"),
                           (3, "turku-science-park"), (4, "turku-science-park"), (5, "turun-kaupunki"),
                           (6, "turku-science-park"), (7, "turku-science-park")}
    contacts = {(int(n), a.rsplit("/", 1)[1]) for a, n, r, t in packages if r.endswith("contact-person")}
    assert contacts == {(1, "aino-ukkola"), (3, "reeta-huhtinen"), (4, "kari-sillanpaa"), (6, "kari-sillanpaa"),
                        (7, "tero-piispanen")}
    titles = {int(n): t for a, n, r, t in packages}
    assert titles[6] == "ICT -alan näkyvyys sekä kansalliset ja kansainväliset verkostot"
    people = select(project_copy, "SELECT ?n ?o WHERE { ?x a foaf:Person ; foaf:name ?n ; org:memberOf ?o }")
    assert {(n, o.rsplit("/", 1)[1]) for n, o in people} == {
        (n, "turku-science-park") for n in ("Aino Ukkola", "Reeta Huhtinen", "Kari Sillanpää", "Tero Piispanen")}
    again = run(project_copy, "import", "card", str(SEED), "--source", SEED_PAGE)
    assert again.exit_code == 0 and "1 unchanged" in again.output
    # The English card of the same page adds its labels to the same entities, and nothing twice.
    english = run(project_copy, "import", "card", str(SEED_EN), "--source", EN_PAGE, "--card-lang", "en")
    assert english.exit_code == 0, english.output
    assert "1 matched" in english.output
    assert len(select(project_copy, """SELECT ?p WHERE { ?p a org:OrganizationalCollaboration ;
        frapo:hasAcronym "AKKE" }""")) == 1
    wp1 = select(project_copy, f"""SELECT ?t WHERE {{ ?w dcterms:isPartOf <{project}> ; skos:notation 1 ;
        dcterms:title ?t }}""")
    assert wp1 == [("Coordination",), ("Koordinaatio",)]
    assert len(select(project_copy, "SELECT ?x WHERE { ?x a foaf:Person }")) == 4
    assert run(project_copy, "validate").exit_code == 0


def test_the_english_card_of_todays_graph_adds_only_what_it_says_anew(project_copy: Path, run) -> None:
    result = run(project_copy, "import", "card", str(SEED_EN), "--source", EN_PAGE, "--card-lang", "en")
    assert result.exit_code == 0, result.output
    assert len(select(project_copy, "SELECT ?p WHERE { ?p a org:OrganizationalCollaboration }")) == 65
    titles = select(project_copy, """SELECT ?t WHERE { <https://w3id.org/akke/id/project/akke-turku>
        dcterms:title ?t }""")
    assert len(titles) == 2


def test_a_table_imports_once_and_then_changes_nothing(seed_copy: Path, run) -> None:
    table = CASES / "finnish-date.csv"
    first = run(seed_copy, "import", "table", str(table))
    assert first.exit_code == 0 and "1 created" in first.output
    written = files(seed_copy)
    second = run(seed_copy, "import", "table", str(table))
    assert second.exit_code == 0 and "1 unchanged" in second.output and "nothing to write" in second.output
    assert files(seed_copy) == written


def test_dry_run_writes_nothing_and_json_says_what_would_change(seed_copy: Path, run) -> None:
    before = files(seed_copy)
    result = run(seed_copy, "import", "table", str(CASES / "finnish-date.csv"), "--dry-run", "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.output)
    assert report["dryRun"] is True and report["counts"]["created"] == 1
    assert list(report["files"].values()) == ["created"]
    assert report["rows"][0]["created"][0].endswith("/project/testihanke")
    assert files(seed_copy) == before


def test_an_xlsx_sheet_with_excel_dates_and_numbers(seed_copy: Path, tmp_path: Path, run) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["source_url", "project_name_fi", "project_name_en", "applicant", "partners",
                  "funding_programme", "funder", "funding_authority", "granted_eur", "total_cost_eur",
                  "start_date", "end_date", "region", "notes"])
    sheet.append(["https://example.org/taulukko", "Taulukkohanke", "Sheet project", "Turun kaupunki",
                  "Turku Science Park Oy", "AKKE", None, "Varsinais-Suomen liitto", 12000.0, 20000,
                  dt.datetime(2022, 1, 1), dt.date(2022, 12, 31), None, "Granted by the council."])
    path = tmp_path / "taulukko.xlsx"
    book.save(path)
    result = run(seed_copy, "import", "table", str(path))
    assert result.exit_code == 0, result.output
    text = (seed_copy / "data/sources/example.org/taulukko.ttl").read_text(encoding="utf-8")
    assert '"12000"^^xsd:decimal' in text and '"20000"^^xsd:decimal' in text
    assert '"2022-01-01"^^xsd:date' in text and '"Sheet project"@en' in text
    assert "taulukko.xlsx" in text
    assert "1 unchanged" in run(seed_copy, "import", "table", str(path)).output


def test_a_reviewed_candidate_is_followed_by_the_next_import(seed_copy: Path, tmp_path: Path, run) -> None:
    table = CASES / "similar-name.csv"
    candidates = tmp_path / "candidates.sssom.tsv"
    first = run(seed_copy, "import", "table", str(table), "--candidates", str(candidates))
    assert first.exit_code == 1 and candidates.is_file()
    assert "turku-science-park" in candidates.read_text(encoding="utf-8")
    accepted = run(seed_copy, "link", "accept", str(candidates), "--reviewer", "Test Reviewer")
    assert accepted.exit_code == 0 and "matches.ttl" in accepted.output
    second = run(seed_copy, "import", "table", str(table), "--candidates", str(candidates))
    assert second.exit_code == 0, second.output
    assert "1 matched" in second.output
    members = select(seed_copy, """SELECT ?o WHERE { ?m org:organization
        <https://w3id.org/akke/id/project/testihanke> ; org:member ?o }""")
    assert members == [("https://w3id.org/akke/id/organisation/turku-science-park",)]
    assert run(seed_copy, "validate").exit_code == 0


def test_a_rejected_candidate_makes_a_new_organisation(seed_copy: Path, tmp_path: Path, run) -> None:
    candidates = tmp_path / "candidates.sssom.tsv"
    run(seed_copy, "import", "table", str(CASES / "similar-name.csv"), "--candidates", str(candidates))
    lines = candidates.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("subject_id"))
    lines[header] += "\tpredicate_modifier"
    lines[header + 1:] = [line + "\tNot" for line in lines[header + 1:]]
    candidates.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(seed_copy, "link", "accept", str(candidates), "--reviewer", "Test Reviewer").exit_code == 0
    second = run(seed_copy, "import", "table", str(CASES / "similar-name.csv"))
    assert second.exit_code == 0, second.output
    names = select(seed_copy, """SELECT ?n WHERE { <https://w3id.org/akke/id/organisation/turku-science-parkki>
        skos:prefLabel ?n }""")
    assert names == [("Turku Science Parkki",)]


def test_a_mapping_of_its_own_reads_other_headers(seed_copy: Path, tmp_path: Path, run) -> None:
    table = tmp_path / "lista.csv"
    table.write_text("Lähde;Hanke;Hakija;Myönnetty (€);Alkaa;Päättyy\n"
                     "https://example.org/lista;Omahanke;Turun kaupunki;1 500;1.1.2023;31.12.2023\n", encoding="utf-8")
    mapping = tmp_path / "lista.yaml"
    mapping.write_text("name: oma-lista\nkind: projects\ncolumns:\n  Lähde: {field: source}\n"
                       "  Hanke: {field: title, language: fi}\n  Hakija: {field: applicant}\n"
                       "  Myönnetty (€): {field: amount}\n  Alkaa: {field: start}\n  Päättyy: {field: end}\n"
                       "rules:\n  - {field: status, column: Hanke, pattern: '.', value: granted}\n", encoding="utf-8")
    assert run(seed_copy, "import", "table", str(table)).exit_code == 2
    result = run(seed_copy, "import", "table", str(table), "--mapping", str(mapping))
    assert result.exit_code == 0, result.output
    text = (seed_copy / "data/sources/example.org/lista.ttl").read_text(encoding="utf-8")
    assert '"1500"^^xsd:decimal' in text and "role:applicant" in text


def test_the_shipped_tables_are_recognised_by_their_header(project_root: Path) -> None:
    from akke_graph.importer.mapping import recognise, shipped_mappings

    headers = {
        "akke-projects": ("source_url", "project_name_fi", "project_name_en", "applicant", "partners",
                          "funding_programme", "funder", "funding_authority", "granted_eur", "total_cost_eur",
                          "start_date", "end_date", "region", "notes"),
        "business-ids": ("organisation_name", "business_id", "check_digit_valid", "source_url"),
        "ecosystem-focus-areas": ("city_region", "focus_area_fi", "funding_authority_2021_2027", "source_url", "notes"),
    }
    assert {m.name for m in shipped_mappings()} == set(headers)
    for name, header in headers.items():
        assert recognise(header, "table").name == name


def test_drafts_that_would_break_the_graph_write_nothing(seed_copy: Path, run) -> None:
    """The whole graph is validated with the drafts in it: when it does not conform, the report
    says why (in the command's language) and no file is written."""
    broken = Path(__file__).resolve().parents[1] / "cases" / "invalid" / "business-id-check-digit.ttl"
    (seed_copy / "data" / "broken.ttl").write_text(broken.read_text(encoding="utf-8"), encoding="utf-8")
    before = files(seed_copy)
    result = run(seed_copy, "import", "table", str(CASES / "finnish-date.csv"))
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.output and "check digit" in result.output.lower(), result.output
    assert "finnish-date.csv" in result.output
    assert files(seed_copy) == before
