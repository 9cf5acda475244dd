"""suggest → accept → check, through the command line, on a copy of the project, with the
registries played by local stand-ins; the SSSOM files are read back by the sssom package."""

from __future__ import annotations

from pathlib import Path

import pytest
from registry_standins import company

from akke_graph.config import load_config
from akke_graph.link import mappings_sssom
from akke_graph.load import LoadedGraph, load

# Stand-in trade-register entries (test fixtures): the two IDs the graph already has, plus a
# candidate for the regional council and a weaker look-alike.
COUNCIL = "1927400-1"
# the sssom package warns about its own use of pandas; not ours to fix
pytestmark = pytest.mark.filterwarnings("ignore:::sssom")


def fill(stand_in) -> None:
    """The two business IDs the round trip starts from, the council and a look-alike."""
    stand_in.companies = [
        company("0204819-8", [("Turun kaupunki", "1", None)], form=("KUNTA", "Kunta", "Municipality")),
        company("2322323-1", [("Turku Science Park Oy Ab", "1", None)]),
        company(COUNCIL, [("Varsinais-Suomen liitto", "1", None)],
                form=("KUNTAYHTYMÄ", "Kuntayhtymä", "Joint municipal authority")),
        company("2077474-0", [("Varsinais-Suomen liitto Palvelut Oy", "1", None)]),
    ]


def fill_from_graph(stand_in, project: Path) -> None:
    """Every business ID the graph holds, registered under the name the graph gives it (its
    legal name, else its Finnish label), as the online check compares them."""
    from akke_graph.link.online import _our_names

    loaded = load(load_config(project))
    rows = loaded.store.select("""
        PREFIX adms: <http://www.w3.org/ns/adms#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?org ?id WHERE { ?org adms:identifier ?i . ?i skos:notation ?id }""")
    ids = {r["id"].value: r["org"].value for r in rows if "-" in r["id"].value}
    names = _our_names(loaded, sorted(set(ids.values())))
    stand_in.companies = [company(bid, [(names[org][0], "1", None)]) for bid, org in sorted(ids.items())
                          if org in names]


@pytest.fixture()
def run(cli):
    return lambda *args, **env: cli(*args, env=env)


def sssom_rows(path: Path) -> int:
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    msdf = parse_sssom_table(str(path))
    validate(msdf, [SchemaValidationType.JsonSchema, SchemaValidationType.PrefixMapCompleteness,
                    SchemaValidationType.StrictCurieFormat])
    return len(msdf.df)


@pytest.fixture(scope="module")
def shipped_results(loaded: LoadedGraph) -> list[tuple[str, ...]]:
    """The shipped graph's own validation results (its warnings: what no source gives)."""
    from akke_graph.shacl.validate import validate_graph

    return [r.key() for r in validate_graph(loaded).results]


def test_ytj_round_trip(project_copy: Path, prh, run, shipped_results) -> None:
    url, stand_in = prh
    fill(stand_in)
    out = project_copy / "build" / "council.sssom.tsv"
    result = run("link", "suggest", "--registry", "ytj", "--entity", "organisation:varsinais-suomen-liitto",
                 "--out", str(out), AKKE_PRH_API=url)
    assert result.exit_code == 0, result.output + result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# curie_map:")
    header = next(line for line in text.splitlines() if not line.startswith("#"))
    assert header.split("\t")[:10] == ["subject_id", "subject_label", "predicate_id", "object_id",
                                       "object_label", "mapping_justification", "confidence",
                                       "mapping_date", "mapping_tool", "comment"]
    rows = [line.split("\t") for line in text.splitlines() if line.startswith("organisation:")]
    assert rows[0][3] == f"ytj:{COUNCIL}" and float(rows[0][6]) > float(rows[1][6])  # best first
    assert rows[0][5] == "semapv:LexicalMatching"
    assert sssom_rows(out) == len(rows)

    # not reviewed → nothing written
    result = run("link", "accept", str(out))
    assert result.exit_code == 0 and "not reviewed" in result.output
    assert not (project_copy / "data" / "links" / "ytj.ttl").exists()

    result = run("link", "accept", str(out), "--min-confidence", "0.9", "--reviewer", "Testi Tarkastaja")
    assert result.exit_code == 0, result.output + result.stderr
    assert "wrote 1 link(s) to data/links/ytj.ttl" in result.output
    written = (project_copy / "data" / "links" / "ytj.ttl").read_text(encoding="utf-8")
    assert f'"{COUNCIL}"^^akke:businessId' in written and "Testi Tarkastaja" in written

    # the graph now carries the link: valid, checked, exported
    config = load_config(project_copy)
    loaded = load(config)
    from akke_graph.shacl.validate import validate_graph

    report = validate_graph(loaded)
    assert not report.has_violations, report.to_text("en")
    assert [r.key() for r in report.results] == shipped_results     # the link adds no result
    rows = loaded.store.select("""
        PREFIX adms: <http://www.w3.org/ns/adms#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?n WHERE { <https://w3id.org/akke/id/organisation/varsinais-suomen-liitto> adms:identifier/skos:notation ?n }""")
    assert [r["n"].value for r in rows] == [COUNCIL]
    exported = project_copy / "build" / "all.sssom.tsv"
    exported.write_text(mappings_sssom(loaded), encoding="utf-8")
    table = exported.read_text(encoding="utf-8")
    assert f"ytj:{COUNCIL}" in table and "Testi Tarkastaja" in table and "stated in data/links/ytj.ttl" in table
    assert sssom_rows(exported) >= 50

    result = run("link", "check")
    assert result.exit_code == 0, result.output
    result = run("link", "check", "--online", "--api", url, "--endpoint", "http://127.0.0.1:9/none")
    # Wikidata is unreachable here: a clear error, exit 2
    assert result.exit_code == 2 and "cannot be reached" in result.stderr

    # accepting again changes nothing; another ID for the same organisation is refused
    result = run("link", "accept", str(out), "--min-confidence", "0.9", "--reviewer", "Testi Tarkastaja")
    assert result.exit_code == 0 and "already in the graph" in result.output
    conflicting = out.read_text(encoding="utf-8").replace(f"ytj:{COUNCIL}", "ytj:2077474-0", 1)
    other = project_copy / "build" / "conflict.sssom.tsv"
    other.write_text(conflicting, encoding="utf-8")
    before = (project_copy / "data" / "links" / "ytj.ttl").read_text(encoding="utf-8")
    result = run("link", "accept", str(other), "--min-confidence", "0.9", "--reviewer", "X")
    assert result.exit_code == 2
    assert f"already links to https://avoindata.prh.fi/opendata-ytj-api/v3/companies?businessId={COUNCIL}" in result.stderr
    assert "data/links/ytj.ttl" in result.stderr
    assert (project_copy / "data" / "links" / "ytj.ttl").read_text(encoding="utf-8") == before


def test_online_check_finds_ceased_renamed_and_gone(project_copy: Path, prh, wikidata_endpoint: str, run) -> None:
    url, stand_in = prh
    fill_from_graph(stand_in, project_copy)
    result = run("link", "check", "--online", "--api", url, "--endpoint", wikidata_endpoint)
    assert result.exit_code == 0, result.output
    assert "checked online" in result.output

    stand_in.companies = [
        company("0204819-8", [("Turun kaupunki", "1", None)], end_date="2030-12-31"),
        company("2322323-1", [("Turku Science Park Oy Ab", "1", "2020-01-01"),
                              ("Uusi Nimi Oy", "1", None)]),
    ]
    (project_copy / "data" / "links" / "wikidata.ttl").write_text(
        (project_copy / "data" / "links" / "wikidata.ttl").read_text(encoding="utf-8")
        .replace("wd:Q38511 .", "wd:Q38511 .\norganisation:turku-science-park skos:exactMatch wd:Q900002 .\n"
                 "organisation:tyo-ja-elinkeinoministerio skos:exactMatch wd:Q999999999 .")
        .replace("@prefix xsd:", "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@prefix xsd:"),
        encoding="utf-8")
    result = run("link", "check", "--online", "--api", url, "--endpoint", wikidata_endpoint, "--lang", "en")
    assert result.exit_code == 1
    out = result.output
    assert "company 0204819-8 ceased on 2030-12-31" in out
    assert "names 2322323-1 'Uusi Nimi Oy', the graph 'Turku Science Park Oy Ab' (a former name)" in out
    assert "wd:Q900002 linked from organisation:turku-science-park now redirects to wd:Q900001" in out
    assert "wd:Q999999999 linked from organisation:tyo-ja-elinkeinoministerio is not found in Wikidata" in out

    stand_in.companies = []
    result = run("link", "check", "--online", "--api", url, "--endpoint", wikidata_endpoint, "--lang", "fi")
    assert result.exit_code == 1
    assert "kohdetta 0204819-8 ei löydy rekisteristä the trade register" in result.output


def test_wikidata_suggestions(project_copy: Path, wikidata_endpoint: str, run) -> None:
    out = project_copy / "build" / "wd.sssom.tsv"
    result = run("link", "suggest", "--registry", "wikidata", "--out", str(out),
                 "--endpoint", wikidata_endpoint)
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()
            if line.startswith("organisation:")]
    assert rows[0][0] == "organisation:varsinais-suomen-liitto" and rows[0][3] == "wd:Q900001"
    assert sssom_rows(out) == len(rows)
    result = run("link", "accept", str(out), "--min-confidence", "0.95", "--reviewer", "Testi")
    assert result.exit_code == 0, result.stderr
    assert "wrote 1 link(s) to data/links/wikidata.ttl" in result.output
    assert run("link", "check").exit_code == 0
    loaded = load(load_config(project_copy))
    assert loaded.store.ask("""ASK { <https://w3id.org/akke/id/organisation/varsinais-suomen-liitto>
        <http://www.w3.org/2004/02/skos/core#exactMatch> <http://www.wikidata.org/entity/Q900001> }""")


def test_accept_reports_bad_rows_with_file_and_line(project_copy: Path, tmp_path: Path, run) -> None:
    bad = tmp_path / "bad.sssom.tsv"
    bad.write_text("# curie_map:\n#   organisation: https://w3id.org/akke/id/organisation/\n"
                   "subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\n"
                   "organisation:turku-science-park\tskos:exactMatch\tytj:2322323-2\tsemapv:LexicalMatching\t0.9\n",
                   encoding="utf-8")
    result = run("link", "accept", str(bad), "--reviewer", "X")
    assert result.exit_code == 2 and "bad.sssom.tsv:4:" in result.stderr and "check digit" in result.stderr
    bad.write_text(bad.read_text(encoding="utf-8").replace("\t0.9", "\tmuch"), encoding="utf-8")
    result = run("link", "accept", str(bad), "--reviewer", "X")
    assert result.exit_code == 2 and "confidence 'much' is not a number" in result.stderr
    bad.write_text(bad.read_text(encoding="utf-8").replace("ytj:", "nope:"), encoding="utf-8")
    result = run("link", "accept", str(bad), "--reviewer", "X")
    assert result.exit_code == 2 and "prefix that curie_map does not define" in result.stderr


@pytest.mark.parametrize("entity", ["organisation:ei-ole", "https://w3id.org/akke/id/organisation/ei-ole"])
def test_suggest_for_an_unknown_entity_finds_nothing(project_copy: Path, prh, entity: str, run) -> None:
    url, stand_in = prh
    result = run("link", "suggest", "--registry", "ytj", "--entity", entity, "--out", "-", AKKE_PRH_API=url)
    assert result.exit_code == 0 and "subject_id" in result.output and stand_in.requests == []
