"""The answer formats: SPARQL 1.1 JSON, XML and TSV read back with Oxigraph's own parser give the
same terms; CSV follows RFC 4180 with CRLF; the table shows labels and wraps long cells."""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import pytest

from akke_graph.errors import QueryError
from akke_graph.query.results import QueryResult, render, table, to_csv

XSD = "http://www.w3.org/2001/XMLSchema#"
TRICKY = [
    ox.NamedNode("https://w3id.org/akke/id/organisation/turun-kaupunki"),
    ox.Literal('quote " comma , newline \n tab \t backslash \\ <tag> & ä 🙂'),
    ox.Literal("Turun kaupunki", language="fi"),
    ox.Literal("2021-05-01", datatype=ox.NamedNode(XSD + "date")),
    ox.Literal("0204819-8", datatype=ox.NamedNode("https://w3id.org/akke/ontology#businessId")),
    ox.BlankNode("b0"),
]


def sample() -> QueryResult:
    rows = [{"x": term, "n": ox.Literal(str(i), datatype=ox.NamedNode(XSD + "integer"))}
            for i, term in enumerate(TRICKY)]
    rows.append({"n": ox.Literal("99", datatype=ox.NamedNode(XSD + "integer"))})   # ?x unbound
    return QueryResult(kind="select", query="sample", variables=["x", "n", "empty"], rows=rows)


@pytest.mark.parametrize("fmt, parser", [("json", ox.QueryResultsFormat.JSON),
                                         ("xml", ox.QueryResultsFormat.XML),
                                         ("tsv", ox.QueryResultsFormat.TSV)])
def test_results_formats_round_trip(fmt: str, parser: ox.QueryResultsFormat) -> None:
    result = sample()
    solutions = ox.parse_query_results(render(result, fmt), format=parser)
    assert [v.value for v in solutions.variables] == ["x", "n", "empty"]
    back = [{v: s[v] for v in ("x", "n", "empty") if s[v] is not None} for s in solutions]
    assert back == result.rows


def test_csv_is_rfc4180() -> None:
    text = to_csv(sample())
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["x", "n", "empty"]
    assert rows[1][0] == "https://w3id.org/akke/id/organisation/turun-kaupunki"
    assert rows[2][0] == TRICKY[1].value and rows[3][0] == "Turun kaupunki" and rows[6][0] == "_:b0"
    assert rows[7] == ["", "99", ""]


def test_boolean_formats() -> None:
    result = QueryResult(kind="ask", boolean=False)
    assert ox.parse_query_results(render(result, "xml"), format=ox.QueryResultsFormat.XML) is not None
    assert render(result, "tsv") == b"false\n" and render(result, "csv") == b"false\r\n"


def test_table_labels_wrapping_and_counts() -> None:
    result = sample()
    labels = {TRICKY[0].value: "City of Turku"}
    text = table(result, labels, "en", width=20)
    assert "City of Turku" in text and "(7 rows)" in text
    assert max(len(line) for line in text.splitlines()) < 80
    assert "(7 riviä)" in table(result, labels, "fi")


def test_table_shows_bound_parameters_above_and_hides_them_as_columns() -> None:
    project = ox.NamedNode("https://w3id.org/akke/id/project/akke-turku")
    result = QueryResult(kind="select", variables=["_project_iri", "__number_integer", "wp"],
                         rows=[{"_project_iri": project, "wp": ox.Literal("x")}],
                         bound={"_project_iri": project})
    text = table(result, {project.value: "AKKE"}, "en")
    assert text.splitlines()[0] == "project: AKKE"
    assert "number" not in text   # an optional parameter no row fills is left out


def test_wrong_format_for_the_kind() -> None:
    with pytest.raises(QueryError, match="is for CONSTRUCT"):
        render(sample(), "ttl")
    with pytest.raises(QueryError, match="builds a graph"):
        render(QueryResult(kind="construct"), "json")
