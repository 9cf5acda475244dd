"""The query check in front of the engine (akke_graph/serve/query/check.py), case by case, and
against the engine itself: every way of writing a ``SERVICE`` call that makes a real Oxigraph
contact an endpoint is refused, and what does not call out is let through."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from akke_graph.config import Config
from akke_graph.oxigraph_server import OxigraphServer
from akke_graph.query.check import (
    MAX_NESTING,
    MAX_QUERY_BYTES,
    QueryRefused,
    check_query,
    parse_allowed_service,
    service_allowed,
)

from tests.loopback import HTTP
from .stub import RecordingEndpoint

# {S} is the stub endpoint's URL, {B} its base (ending in /), {P} its port. Each is a SERVICE
# call that Oxigraph 0.5 makes (checked below), written to slip past a naive reading.
CALLS = {
    "plain": "SELECT * WHERE { SERVICE <{S}> { } }",
    "lower case": "select * where { service <{S}> { } }",
    "silent": "SELECT * WHERE { SERVICE SILENT <{S}> { } }",
    "keyword glued to the IRI": "SELECT * WHERE {SERVICE<{S}>{}}",
    "keyword glued to SILENT": "SELECT * WHERE { SERVICESILENT<{S}> {} }",
    "prefixed name": "PREFIX e: <{B}> SELECT * WHERE { SERVICE e:sparql { } }",
    "keyword glued to a prefixed name": "PREFIX e: <{B}> SELECT * WHERE { SERVICEe:sparql{} }",
    "empty prefix": "PREFIX : <{B}> SELECT * WHERE { SERVICE :sparql { } }",
    "relative to BASE": "BASE <{B}> SELECT * WHERE { SERVICE <sparql> { } }",
    "prefix relative to BASE": "BASE <{B}> PREFIX e: <./> SELECT * { SERVICE e:sparql {} }",
    "escaped IRI": "SELECT * WHERE { SERVICE <http\\u003A//127.0.0.1:{P}/sparql> { } }",
    "in a subquery": "SELECT * { { SELECT * WHERE { SERVICE <{S}> { } } } }",
    "in FILTER EXISTS": "SELECT * { BIND(1 AS ?x) FILTER EXISTS { SERVICE <{S}> { } } }",
    "in OPTIONAL": "SELECT * { BIND(1 AS ?x) OPTIONAL { SERVICE <{S}> { } } }",
    "in MINUS": "SELECT * { BIND(1 AS ?x) MINUS { SERVICE <{S}> { ?x ?p ?o } } }",
    "in UNION": "SELECT * { { } UNION { SERVICE <{S}> { } } }",
    "ASK": "ASK { SERVICE <{S}> { } }",
    "CONSTRUCT": "CONSTRUCT { <urn:a> <urn:b> <urn:c> } WHERE { SERVICE <{S}> { } }",
    "DESCRIBE": "DESCRIBE <urn:a> WHERE { SERVICE <{S}> { } }",
    "after a comment with a quote": "SELECT * WHERE { # it's\n SERVICE <{S}> { } }",
    "after a string with a brace": "SELECT * WHERE { BIND('}' AS ?x) SERVICE <{S}> { } }",
    "after an escaped quote": "SELECT * WHERE { BIND('a\\'b' AS ?x) SERVICE <{S}> { } }",
    "after a long string": "SELECT * WHERE { BIND('''a'b''c''' AS ?x) SERVICE <{S}> { } }",
    "after a quote escaped in a name":
        "PREFIX e: <urn:e:> SELECT * { OPTIONAL { ?s e:a\\'b ?o } SERVICE <{S}> { } "
        "OPTIONAL { ?s ?p \"'\" } }",
    "after less-than and a quote":
        "SELECT * WHERE { BIND(1 AS ?a) FILTER(?a<'>'||true) SERVICE <{S}> { } }",
    "after less-than and a comment":
        "SELECT * WHERE { BIND(1 AS ?a) FILTER(?a<2#>'''\n) SERVICE <{S}> { } #'''\n}",
    "no spaces anywhere": "PREFIX e:<{B}>SELECT*{SERVICE e:sparql{}}",
}

# Not calls: the word in strings, comments, variables and names is let through.
HARMLESS = {
    "in a string": "SELECT * WHERE { BIND('SERVICE <{S}> { }' AS ?x) }",
    "in a long string": "SELECT * WHERE { BIND('''x\nSERVICE <{S}> { }''' AS ?x) }",
    "in a comment": "SELECT * WHERE { } # SERVICE <{S}> { }",
    "a variable": "SELECT ?service WHERE { BIND(1 AS ?service) }",
    "in an IRI": "SELECT * WHERE { BIND(<urn:SERVICE> AS ?x) }",
    "a local name": "PREFIX e: <urn:e:> SELECT * WHERE { ?s e:service ?o }",
    "less-than with spaces": "SELECT * WHERE { BIND(1 AS ?a) FILTER(?a < 2) }",
}


@pytest.fixture(scope="module")
def stub() -> Iterator[RecordingEndpoint]:
    with RecordingEndpoint() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def bare_oxigraph() -> Iterator[OxigraphServer]:
    """Oxigraph with no check in front of it, to see what a query makes it do."""
    with OxigraphServer.temporary() as server:
        yield server


def _fill(template: str, stub: RecordingEndpoint) -> str:
    return (template.replace("{S}", stub.url).replace("{B}", stub.url.rsplit("/", 1)[0] + "/")
            .replace("{P}", str(stub.port)))


def _contacts(server: OxigraphServer, stub: RecordingEndpoint, query: str) -> bool:
    stub.requests.clear()
    HTTP.post(server.query_url, data={"query": query}, timeout=30,
               headers={"Accept": "application/sparql-results+json"})
    return bool(stub.requests)


@pytest.mark.parametrize("name", list(CALLS))
def test_every_service_call_is_refused(name: str, stub: RecordingEndpoint,
                                       bare_oxigraph: OxigraphServer) -> None:
    query = _fill(CALLS[name], stub)
    assert _contacts(bare_oxigraph, stub, query), "not a call Oxigraph makes: fix the case"
    with pytest.raises(QueryRefused, match="SERVICE|'<'"):
        check_query(query)


@pytest.mark.parametrize("name", list(HARMLESS))
def test_what_calls_nothing_goes_through(name: str, stub: RecordingEndpoint,
                                         bare_oxigraph: OxigraphServer) -> None:
    query = _fill(HARMLESS[name], stub)
    assert not _contacts(bare_oxigraph, stub, query)
    assert check_query(query).services == []


def test_allowed_endpoints(stub: RecordingEndpoint) -> None:
    for name in ("plain", "prefixed name", "relative to BASE", "escaped IRI", "silent"):
        facts = check_query(_fill(CALLS[name], stub), [stub.url])
        assert [s.iri for s in facts.services] == [stub.url], name
    # an endpoint named by a variable, an undeclared prefix or a relative IRI cannot be checked
    for query in ("SELECT * WHERE { BIND(<{S}> AS ?e) SERVICE ?e { } }",
                  "SELECT * WHERE { SERVICE e:sparql { } }", "SELECT * WHERE { SERVICE </query> { } }"):
        with pytest.raises(QueryRefused, match="is not allowed"):
            check_query(_fill(query, stub), [stub.url])


@pytest.mark.parametrize("endpoint,allowed", [
    ("https://query.wikidata.org/sparql", True),
    ("https://query.wikidata.org/sparql?format=json", True),
    ("HTTPS://Query.Wikidata.org/sparql", True),
    ("https://query.wikidata.org/sparql-admin", False),
    ("https://query.wikidata.org/sparql/../admin", False),
    ("https://query.wikidata.org/sparql/%2e%2e/admin", False),
    ("https://query.wikidata.org/sparql/sub", True),
    ("https://query.wikidata.org.evil.example/sparql", False),
    ("https://query.wikidata.org@evil.example/sparql", False),
    ("http://query.wikidata.org/sparql", False),
    ("https://query.wikidata.org:8443/sparql", False),
    ("ftp://query.wikidata.org/sparql", False),
])
def test_service_prefixes(endpoint: str, allowed: bool) -> None:
    assert service_allowed(endpoint, ["https://query.wikidata.org/sparql"]) is allowed


@pytest.mark.parametrize("value", ["wikidata.org", "file:///etc/passwd", "https://user@x.org/",
                                   "https:///sparql", "https://x.org/sparql#frag"])
def test_bad_allow_service_values(value: str) -> None:
    with pytest.raises(ValueError, match="not the http"):
        parse_allowed_service(value)


@pytest.mark.parametrize("query,dataset", [
    ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * from<urn:g> { }", True),
    ("CONSTRUCT { ?s ?p ?o } FROM <urn:g> WHERE { ?s ?p ?o }", True),
    ("SELECT * WHERE { ?s ?p ?o } # FROM <urn:g>", False),
    ("SELECT * WHERE { ?s ?p 'FROM <urn:g>' }", False),
    ("PREFIX from: <urn:f:> SELECT * WHERE { ?s from:p ?o }", False),
    ("SELECT ?from WHERE { ?from ?p ?o }", False),
])
def test_dataset_clauses(query: str, dataset: bool) -> None:
    assert check_query(query).has_dataset is dataset


# Queries nested or chained past the limit, in every shape that crashes Oxigraph when deep
# enough (measured: these kill it at a few thousand levels with its default stacks).
def _shapes(n: int) -> dict[str, str]:
    return {
        "brackets": "ASK { FILTER(" + "(" * n + "true" + ")" * n + ") }",
        "unclosed brackets": "ASK { FILTER(" + "(" * n,
        "groups": "ASK " + "{" * n + "}" * n,
        "blank nodes": "ASK { ?s <urn:p> " + "[ <urn:p> " * n + "1" + " ]" * n + " }",
        "collections": "ASK { ?s <urn:p> " + "( " * n + "1" + " )" * n + " }",
        "UNION": "ASK { " + " UNION ".join(["{}"] * n) + " }",
        "OPTIONAL": "ASK { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * n + "}",
        "||": "ASK { FILTER(" + "||".join(["true"] * n) + ") }",
        "+": "ASK { FILTER(" + "+".join(["1"] * n) + " > 0) }",
        "path": "ASK { ?s " + "/".join(["<urn:p>"] * n) + " ?o }",
        "FILTER EXISTS": "ASK { " + "FILTER EXISTS { " * n + "}" * n + " }",
        "subqueries": "ASK { " + "{ SELECT * WHERE " * n + "{}" + " }" * n + " }",
        "triple patterns": "ASK { " + " . ".join(f"?s{i} <urn:p> ?o" for i in range(n)) + " }",
        "quoted triples": "ASK { " + "<< " * n + "<urn:s> <urn:p> <urn:o>" + " >> <urn:p> <urn:o>" * n + " }",
    }


@pytest.mark.parametrize("shape", list(_shapes(1)))
def test_nesting_past_the_limit_is_refused(shape: str) -> None:
    with pytest.raises(QueryRefused, match="nests too deep"):
        check_query(_shapes(MAX_NESTING + 1)[shape])


def test_size_limit() -> None:
    padding = "#" + "x" * MAX_QUERY_BYTES + "\n"
    with pytest.raises(QueryRefused, match="KiB"):
        check_query(padding + "ASK {}")
    assert check_query("ASK {}" + " " * (MAX_QUERY_BYTES - 10)).form == "ASK"


def test_a_large_values_block_is_not_nesting() -> None:
    values = " ".join(f"<https://w3id.org/akke/id/organisation/o{i}#x>" for i in range(5000))
    facts = check_query(f"SELECT * WHERE {{ VALUES ?o {{ {values} }} ?o ?p ?v }}")
    assert facts.nesting < 10 and not facts.ambiguous


def test_the_canned_queries_are_far_below_the_limits(config: Config) -> None:
    for path in sorted(config.queries_dir.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        facts = check_query(text)
        assert facts.nesting < MAX_NESTING // 10 and len(text) < MAX_QUERY_BYTES // 10, path.name
        assert facts.form and not facts.services and not facts.ambiguous, path.name
