"""``akke-graph query`` through click's CliRunner: every option, and every error as exit 2 with
a clear message."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.oxigraph_server import OxigraphServer, free_port


@pytest.fixture(autouse=True)
def _in_project(project_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project_root)
    monkeypatch.delenv("AKKE_GRAPH_LANG", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("AKKE_HTTP_BACKOFF", "0.01")   # retries stay on, with short waits


def test_list_in_both_languages(queries, ok) -> None:
    out = ok("--list")
    for q in queries:
        assert q.name in out and q.summary["en"] in out
    assert "--param date=YYYY-MM-DD  (xsd:date; required)" in out
    out_fi = ok("--list", "--lang", "fi")
    assert "Hankekortti" in out_fi and "pakollinen" in out_fi


def test_list_one_query_in_detail(ok) -> None:
    out = ok("work-packages", "--list", "--lang", "fi")
    assert "Hankkeen työpaketit numerojärjestyksessä" in out and "SELECT" in out
    assert "--param number=INTEGER" in out


def test_table_uses_labels_in_the_chosen_language(ok) -> None:
    out = ok("project-card")
    assert "project: AKKE – Development of regional ecosystems in the Turku region" in out
    assert "City of Turku" in out and "main contractor" in out and "(3 rows)" in out
    assert "https://w3id.org" not in out
    out_fi = ok("project-card", "--lang", "fi")
    assert "Turun kaupunki" in out_fi and "päätoteuttaja" in out_fi and "(3 riviä)" in out_fi


def test_params_and_optional_columns(ok) -> None:
    out = ok("work-packages", "--param", "number=4", "-p", "project=project:akke-turku")
    assert "number: 4" in out and "Kari Sillanpää" in out and "(1 row)" in out
    out = ok("organisation-activities", "-p", "businessId=0204819-8")
    assert "businessId: 0204819-8" in out and "main contractor" in out
    out = ok("projects-active-on", "-p", "date=2030-01-01")
    assert "(no rows)" in out


def test_ask_answers_yes_or_no(ok) -> None:
    assert ok("is-agreement-party").strip().endswith("yes")
    assert ok("is-agreement-party", "-p", "organisation=organisation:turku-science-park",
              "--lang", "fi").strip().endswith("ei")
    assert json.loads(ok("is-agreement-party", "--format", "json")) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("fmt, parse", [
    ("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML), ("tsv", ox.QueryResultsFormat.TSV)])
def test_standard_results_formats_parse(fmt: str, parse: ox.QueryResultsFormat, ok) -> None:
    out = ok("work-packages", "--format", fmt)
    solutions = ox.parse_query_results(out.encode("utf-8"), format=parse)
    rows = list(solutions)
    assert [v.value for v in solutions.variables][:3] == ["_project_iri", "__number_integer", "workPackage"]
    assert len(rows) == 9
    assert rows[0]["workPackage"] == ox.NamedNode("https://w3id.org/akke/id/work-package/akke-turku-wp-1")


def test_csv_format(run) -> None:
    out = run("organisations", "--format", "csv").stdout_bytes
    assert b"\r\n" in out
    rows = list(csv.DictReader(io.StringIO(out.decode("utf-8"), newline="")))
    assert {"organisation", "businessId"} <= set(rows[0])
    assert {r["businessId"] for r in rows} >= {"0204819-8", "2322323-1"}


@pytest.mark.parametrize("fmt, rdf", [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                                      ("jsonld", ox.RdfFormat.JSON_LD)])
def test_construct_in_rdf_formats(fmt: str, rdf: ox.RdfFormat, run) -> None:
    out = run("project-export", "--format", fmt).stdout_bytes
    triples = list(ox.parse(out, format=rdf))
    assert len(triples) > 100
    assert any(t.object == ox.Literal("Koordinaatio", language="fi") for t in triples)


def test_construct_defaults_to_turtle_and_can_be_a_table(ok) -> None:
    assert ok("project-export").startswith("@prefix")
    out = ok("project-export", "--format", "table")
    assert "Coordination" in out and "triples)" in out


def test_memory_store_gives_the_same_answer(ok) -> None:
    assert ok("work-packages", "--store", "memory", "--format", "tsv") == ok("work-packages", "--format", "tsv")


def test_store_on_disk_answers_the_same_every_time(tmp_path: Path, ok) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    first = ok("triples-per-graph", "--store", spec, "--format", "tsv")
    assert ok("triples-per-graph", "--store", spec, "--format", "tsv") == first == \
        ok("triples-per-graph", "--format", "tsv")


def test_ad_hoc_file(tmp_path: Path, ok, fails) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("#+ summary: Themes of a work package\n"
                    "PREFIX dcat: <http://www.w3.org/ns/dcat#>\n"
                    "SELECT $_wp_iri ?theme WHERE { ?_wp_iri dcat:theme ?theme } ORDER BY ?theme\n",
                    encoding="utf-8")
    out = ok("--file", str(path), "-p", "wp=work-package:akke-turku-wp-3")
    assert "bioeconomy" in out and "circular economy" in out
    assert "Themes of a work package" in ok("--file", str(path), "--list")
    fails("--file", str(path), message="needs the parameter wp")


def test_endpoint(loaded_server: OxigraphServer, ok) -> None:
    out = ok("project-card", "--endpoint", loaded_server.query_url)
    assert "City of Turku" in out and "(3 rows)" in out   # labels fetched from the endpoint too
    assert ok("work-packages", "--endpoint", loaded_server.query_url, "--format", "tsv") == \
        ok("work-packages", "--format", "tsv")


def test_endpoint_down(fails) -> None:
    fails("organisations", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--timeout", "3",
          message="cannot be reached")


def test_endpoint_erroring(broken_endpoint, fails) -> None:
    url = broken_endpoint(lambda h: h.answer(500, b"out of memory"))
    fails("organisations", "--endpoint", url, message="HTTP 500 Internal Server Error: out of memory; gave up after 3 attempts")


@pytest.mark.parametrize("args, message", [
    (["no-such-query"], "there is no canned query called 'no-such-query'"),
    (["work-pakages"], "did you mean work-packages"),
    (["projects-active-on"], "needs the parameter date (xsd:date)"),
    (["project-card", "-p", "colour=blue"], "has no parameter 'colour'"),
    (["project-card", "-p", "colour=blue"], "parameters of project-card: project=IRI"),
    (["work-packages", "-p", "number=three"], "'three' is not a valid xsd:integer"),
    (["projects-active-on", "-p", "date=2021-13-01"], "is not a valid xsd:date"),
    (["project-card", "-p", "project=not an iri"], "is not an IRI"),
    (["project-card", "-p", "project"], "--param needs KEY=VALUE"),
    (["work-packages", "-p", "number=1", "-p", "number=2"], "given twice"),
    (["project-card", "--format", "ttl"], "--format ttl does not fit a SELECT query"),
    (["project-export", "--format", "csv"], "--format csv does not fit a CONSTRUCT query"),
    ([], "name the query to run"),
    (["project-card", "--file", "x.rq"], "either a query NAME or --file"),
    (["--file", "missing.rq"], "no such query file"),
    (["organisations", "--endpoint", "ftp://example.org/q"], "not an http(s) URL"),
    (["organisations", "--endpoint", "http://127.0.0.1:9/q", "--store", "memory"], "exclude each other"),
    (["organisations", "--store", "sqlite"], "unknown store"),
])
def test_errors_exit_2_with_a_message(args: list[str], message: str, fails) -> None:
    fails(*args, message=message)


def test_bad_choice_is_a_usage_error(run) -> None:
    result = run("organisations", "--format", "yaml")
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.output


def test_broken_query_file_names_the_line(tmp_path: Path, fails) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("#+ summary: broken\nSELECT ?x WHERE {\n  ?x ?p\n}\n", encoding="utf-8")
    out = fails("--file", str(path), message="the query does not parse")
    assert re.search(r"broken\.rq:[45]: the query does not parse", out)


def test_help_lists_every_option(ok) -> None:
    out = ok("--help")
    for option in ("--list", "--param", "--format", "--endpoint", "--file", "--lang", "--store", "--timeout"):
        assert option in out


def test_command_module_imports_no_heavy_library(project_root: Path) -> None:
    code = ("import sys, akke_graph.cli, akke_graph.commands.query; "
            "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'SPARQLWrapper', 'yaml') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=project_root, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr
