"""No parameter value can turn a canned query into another query.

Payloads that try to close quotes and braces, add patterns after a ``}``, comment the rest out,
break lines, smuggle IRIs (``> . ?s ?p ?o <``), overflow or carry non-UTF-8 bytes go through every
parameter type. Each is either refused with a clean ParameterError (exit 2 on the command line)
or bound as a single term whose value is the payload itself, with the same (empty) answer from
substitution in the store, from the text sent to endpoints, and no traceback anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.errors import ParameterError
from akke_graph.load import LoadedGraph
from akke_graph.query.params import bind, sparql_term, substitute_text, tokens
from akke_graph.query import CannedQuery, find_query, parse_query, run_query

PAYLOADS = [
    '"', "'", '" } ; DROP ALL ; #', '"} UNION { ?s ?p ?o } #', "} ?s ?p ?o {",
    'x" . ?s ?p ?o . FILTER("a"="a', "# only a comment", "line one\nline two",
    "a\r\n} ?s ?p ?o {", "> . ?s ?p ?o <",
    "https://w3id.org/akke/id/project/akke-turku> . ?s ?p ?o . <https://example.org/",
    "'''\"\"\"", '\\u0022 } ?s ?p ?o { "', "\\", "\\\\u0022", "\\U00000022",
    'Turun kaupunki"@fi . ?s ?p ?o #', "tab\there", "🙂 ääkköset ‮", "x" * 1500,
]
ALWAYS_REFUSED = ["x" * 100_000, "nul\x00byte", "escape\x1b[31m", "\udcff\udcfe", b"\xff\xfe name"]

AD_HOC = {
    "text": "SELECT $_text ?entity WHERE { ?entity ?p ?_text }",
    "amount": "SELECT $_amount_number ?entity WHERE { ?entity ?p ?_amount_number }",
}
# (query, parameter, whether a literal payload is accepted as a value)
TARGETS = [
    ("project-card", "project", False),
    ("work-packages", "number", False),
    ("projects-active-on", "date", False),
    ("find-by-finnish-name", "name", True),
    ("organisation-activities", "businessId", True),
    ("ad-hoc:text", "text", True),
    ("ad-hoc:amount", "amount", False),
]


def target_query(loaded: LoadedGraph, name: str) -> CannedQuery:
    if name.startswith("ad-hoc:"):
        key = name.split(":", 1)[1]
        return parse_query(AD_HOC[key], key)
    return find_query(loaded.config, name)


def _ids(value: object) -> str:
    text = repr(value)
    return text[:30]


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t[0]}.{t[1]}")
@pytest.mark.parametrize("payload", PAYLOADS, ids=_ids)
def test_payload_is_refused_or_stays_one_value(target: tuple[str, str, bool], payload: str,
                                               loaded: LoadedGraph) -> None:
    name, param, accepts_text = target
    query = target_query(loaded, name)
    if not accepts_text:
        with pytest.raises(ParameterError) as err:
            bind(query, {param: payload})
        assert f"parameter {param}" in str(err.value)
        return
    bound = bind(query, {param: payload})
    variable = query.param(param).variable
    term = bound[variable]
    assert isinstance(term, ox.Literal) and term.value == payload
    # Written into a query, the value is exactly one string token (plus its tag or datatype) ...
    written = sparql_term(term)
    kinds = [m.lastgroup for m in tokens(written)]
    assert kinds[0] == "string" and kinds[1:] in ([], ["other", "word"], ["other", "other", "iri"])
    # ... which both engines read back as the same term ...
    echo = "SELECT ?v WHERE { BIND(%s AS ?v) }" % written
    assert ox.Store().query(echo).__next__()["v"] == term
    from rdflib.plugins.sparql import prepareQuery
    from rdflib import Graph

    rdflib_value = list(Graph().query(prepareQuery(echo)))[0][0]
    assert str(rdflib_value) == payload
    # ... and the answer is the same by substitution and by the written text: nothing matches.
    by_substitution = run_query(loaded, query, {param: payload})
    by_text = loaded.store.select(substitute_text(query.text, bound))
    assert by_substitution.rows == by_text == []
    assert by_substitution.variables == list(query.variables)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: f"{t[0]}.{t[1]}")
@pytest.mark.parametrize("payload", ALWAYS_REFUSED, ids=_ids)
def test_overlong_control_and_non_utf8_values_are_refused(target: tuple[str, str, bool],
                                                          payload: object, loaded: LoadedGraph) -> None:
    query = target_query(loaded, target[0])
    with pytest.raises(ParameterError) as err:
        bind(query, {target[1]: payload})
    message = str(err.value)
    assert len(message) < 400 and "\x00" not in message and "\x1b" not in message


def test_iri_parameter_refuses_what_is_not_an_iri(loaded: LoadedGraph) -> None:
    query = find_query(loaded.config, "sources-of")
    for bad in ["relative/path", "https://a b", "<https://x.org/>", "https://x.org/{a}",
                'https://x.org/"', "https://x.org/a|b", "https://x.org/\\", "unknownprefix",
                "https://x.org/`", "https://x.org/^"]:
        with pytest.raises(ParameterError, match="not an"):
            bind(query, {"entity": bad})
    assert bind(query, {"entity": "organisation:turun-kaupunki"})["_entity_iri"] == \
        ox.NamedNode("https://w3id.org/akke/id/organisation/turun-kaupunki")
    assert run_query(loaded, query, {"entity": "urn:example:nothing#x"}).rows == []


def test_typed_values_are_checked_and_normalised(loaded: LoadedGraph) -> None:
    wp = find_query(loaded.config, "work-packages")
    assert bind(wp, {"number": "+03"})["__number_integer"] == ox.Literal(
        "3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    for bad in ["abc", "3.5", "3 ", "", "1e3"]:
        with pytest.raises(ParameterError, match="not a valid xsd:integer"):
            bind(wp, {"number": bad})
    day = find_query(loaded.config, "projects-active-on")
    for bad in ["2021-02-30", "2021-6-1", "01.06.2021", "2021-06-01T00:00:00"]:
        with pytest.raises(ParameterError, match="xsd:date"):
            bind(day, {"date": bad})


def test_missing_and_unknown_parameters_list_the_query_parameters(loaded: LoadedGraph) -> None:
    day = find_query(loaded.config, "projects-active-on")
    with pytest.raises(ParameterError) as err:
        bind(day, {})
    assert "needs the parameter date" in str(err.value) and "date=YYYY-MM-DD (required)" in str(err.value)
    with pytest.raises(ParameterError) as err:
        bind(day, {"date": "2021-06-01", "project": "x"})
    assert "has no parameter 'project'" in str(err.value) and "parameters of projects-active-on" in str(err.value)


def test_parameter_cannot_be_assigned_in_the_text() -> None:
    query = parse_query("SELECT $_x WHERE { ?s ?p ?o }", "q")
    assert substitute_text(query.text, bind(query, {"x": "a"})) == 'SELECT ("a" AS ?_x) WHERE { ?s ?p ?o }'
    from akke_graph.errors import QueryError

    sneaky = "SELECT $_x ?y WHERE { BIND(?s AS ?_x) ?s ?p ?y }"
    with pytest.raises(QueryError, match="cannot be bound"):
        substitute_text(sneaky, {"_x": ox.Literal("a")})
    # A query file that assigns a parameter is refused when it is read, naming the file and line.
    with pytest.raises(QueryError, match=r"^sneaky\.rq:1: the parameter \?_x cannot be bound"):
        parse_query(sneaky, "sneaky", display="sneaky.rq")
    with pytest.raises(QueryError, match=r"^values\.rq:3: the parameter \?_x cannot be bound"):
        parse_query("#+ summary: s\nSELECT $_x\nWHERE { VALUES ?_x { 1 } }", "values", display="values.rq")


@pytest.mark.parametrize("args", [
    ["project-card", "--param", "project=https://w3id.org/akke/id/project/akke-turku> . ?s ?p ?o <x:y"],
    ["work-packages", "--param", 'number=1 } ?s ?p ?o {'],
    ["projects-active-on", "--param", 'date=2021-06-01"^^<x:y> } #'],
    ["find-by-finnish-name", "--param", "name=" + "x" * 100_000],
    ["find-by-finnish-name", "--param", "name=\udcff"],
])
def test_command_line_refuses_cleanly(args: list[str], project_root: Path, monkeypatch: pytest.MonkeyPatch,
                                      cli) -> None:
    monkeypatch.chdir(project_root)
    result = cli("query", *args)   # the runner fails the test on any exception but SystemExit
    assert result.exit_code == 2
    assert "akke-graph:" in result.output and "Traceback" not in result.output


def test_command_line_runs_a_payload_as_a_value(project_root: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.chdir(project_root)
    result = cli("query", "find-by-finnish-name", "--param", 'name=Turun kaupunki"@fi . ?s ?p ?o #', "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "(no rows)" in result.output


def test_non_utf8_bytes_on_a_real_command_line(project_root: Path, cli) -> None:
    done = cli("query", "find-by-finnish-name", b"--param", b"name=Turun kaupunki\xff\xfe",
               process=True, cwd=project_root)
    assert done.exit_code == 2
    assert b"UTF-8" in done.stderr_bytes and b"Traceback" not in done.stderr_bytes
