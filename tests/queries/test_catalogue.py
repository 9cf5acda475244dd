"""The query folder itself: every file parses (Oxigraph and rdflib, which grlc uses), has a YAML
header, its texts in Finnish and English, and usable parameters; broken files give messages that
name the file and line. That the real grlc reads the same parameters, and serves every query, is
tested with grlc itself (tests/publish/test_grlc.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from akke_graph.config import Config
from akke_graph.errors import InputError, QueryError
from akke_graph.query import CannedQuery, find_query, parse_query, read_query_file

def test_enough_queries_with_unique_names(queries: list[CannedQuery], config: Config) -> None:
    assert len(queries) >= 14
    assert [q.name for q in queries] == sorted(p.stem for p in config.queries_dir.glob("*.rq"))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", q.name) for q in queries)


def test_kinds_and_parameter_types_are_all_used(queries: list[CannedQuery]) -> None:
    assert {q.kind for q in queries} == {"select", "construct", "ask"}
    types = {p.type for q in queries for p in q.params}
    assert {"iri", "xsd:integer", "xsd:date", "string@fi", "akke:businessId"} <= types
    assert any(not p.required for q in queries for p in q.params)


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_summary_and_description_in_both_languages(queries: list[CannedQuery], lang: str) -> None:
    for q in queries:
        assert len(q.summary.get(lang, "")) >= 5, q.name
        assert len(q.description.get(lang, "")) >= 40, q.name
    # the two languages are really two texts
    assert all(q.summary["fi"] != q.summary["en"] and q.description["fi"] != q.description["en"]
               for q in queries)


def test_every_query_parses_with_rdflib_as_grlc_does(queries: list[CannedQuery]) -> None:
    from rdflib.plugins.sparql import prepareQuery

    for q in queries:
        prepareQuery(q.text)


def test_header_is_yaml_with_texts_and_lists(queries: list[CannedQuery]) -> None:
    """Lines starting with #+, stripped of '#+', are YAML: summary/description are text,
    defaults and enumerate lists."""
    for q in queries:
        header = yaml.safe_load("\n".join(l.lstrip("#+") for l in q.text.split("\n") if l.startswith("#+")))
        assert isinstance(header["summary"], str) and isinstance(header["description"], str), q.name
        assert isinstance(header.get("tags", []), list)
        for key in ("defaults", "enumerate"):
            assert isinstance(header.get(key, []), list), (q.name, key)
        if q.kind == "select":   # the projection keeps $_ so grlc's ?_ rewriting leaves it valid
            projection = q.body.split("WHERE", 1)[0].split("SELECT", 1)[1]
            assert "?_" not in projection, q.name


def test_defaults_and_tags(queries: list[CannedQuery]) -> None:
    for q in queries:
        assert q.tags, q.name
        project = q.param("project")
        if project is not None:
            assert project.default == "https://w3id.org/akke/id/project/akke-turku"


def test_find_query_suggests_close_names(config: Config) -> None:
    with pytest.raises(QueryError) as err:
        find_query(config, "project-crad")
    assert "project-card" in str(err.value)
    with pytest.raises(QueryError):
        find_query(config, "../pyproject")


def _query(header: str, body: str = "SELECT ?x WHERE { ?x ?p ?o }") -> str:
    return header + "\n" + body + "\n"


@pytest.mark.parametrize("text, message", [
    (_query("#+ summary: [unclosed"), "bad.rq:1: the #+ header is not valid YAML"),
    (_query("#+ summary: x\n#+ sumary: typo"), "unknown header key(s): sumary"),
    (_query("#+ defaults:\n#+   - nope: 1"), "names 'nope', which is not a parameter"),
    (_query("#+ summary: x", "SELECT ?x WHERE {\n  ?x ?p \n}"), "bad.rq:4: the query does not parse"),
    (_query("", "SELECT ?x WHERE { ?x ?p ?_project_iri }"), "must be in the SELECT projection"),
    (_query("", "SELECT $_a_b_c_d ?x WHERE { ?x ?p ?_a_b_c_d }"), "more than one type suffix"),
    (_query("", "SELECT $_a_foo_bar WHERE { ?x ?p ?_a_foo_bar }"), "declares no prefix foo:"),
    (_query("", "SELECT $_a_iri $_a WHERE { ?_a ?p ?_a_iri }"), "declared twice"),
    (_query("#+ defaults:\n#+   - n: abc", "SELECT $_n_integer WHERE { ?x ?p ?_n_integer }"),
     "the default of n is not valid"),
    (_query("#+ summary: x", "INSERT DATA { <a:b> <a:c> <a:d> }"), "no SELECT, CONSTRUCT, ASK"),
])
def test_broken_query_files_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_query(text, "bad", display="bad.rq")
    assert message in str(err.value)
    assert str(err.value).startswith("bad.rq")


def test_query_files_must_be_utf8_and_exist(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.rq"
    bad.write_bytes(b"# caf\xe9\nSELECT ?x WHERE { ?x ?p ?o }\n")
    with pytest.raises(InputError, match="not UTF-8"):
        read_query_file(bad)
    with pytest.raises(InputError, match="no such query file"):
        read_query_file(tmp_path / "missing.rq")


def test_ad_hoc_file_without_header(tmp_path: Path) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("SELECT $__limit_integer ?x WHERE { ?x a ?__limit_integer }\n", encoding="utf-8")
    query = read_query_file(path)
    assert query.name == "mine" and query.summary == {} and query.summary_in("fi") == "mine"
    assert [(p.name, p.type, p.required) for p in query.params] == [("limit", "xsd:integer", False)]
