"""Reading graphs back from a store by SPARQL queries, and comparing them up to blank nodes."""

from __future__ import annotations

import pyoxigraph as ox
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from akke_graph.load import LoadedGraph
from akke_graph.query.params import bind, substitute_text
from akke_graph.query import CannedQuery, run_query
from akke_graph.store import Store
from tests.loopback import HTTP

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def select(query_url: str, query: str) -> list[dict[str, str]]:
    response = HTTP.post(query_url, data={"query": query}, timeout=30,
                          headers={"Accept": "application/sparql-results+json"})
    response.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def counts(query_url: str, graphs: list[str] | None = None) -> dict[str, int]:
    """Triples per named graph (only ``graphs`` if given), by one query: one snapshot."""
    values = f"VALUES ?g {{ {' '.join(f'<{g}>' for g in graphs)} }}" if graphs else ""
    rows = select(query_url, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {values} GRAPH ?g {{ ?s ?p ?o }} }} "
                             "GROUP BY ?g")
    return {r["g"]: int(r["n"]) for r in rows}


def graph_triples(query_url: str, graph: str) -> list[ox.Triple]:
    """One named graph as the store holds it, by a CONSTRUCT query."""
    response = HTTP.post(query_url, timeout=30, headers={"Accept": "text/turtle"}, data={
        "query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"})
    response.raise_for_status()
    return [ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE)]


def canonical(triples) -> set[str]:
    """The triples with canonical blank-node labels: equal sets mean isomorphic graphs."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


def store_graph(store: Store, graph: str) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads(graph)]


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + t for t in ("integer", "decimal", "double", "float")}


def numbers_as_values(triples) -> list[ox.Triple]:
    """Virtuoso keeps numbers in its SQL types and gives them back in other datatypes of the same
    value (an integral ``xsd:decimal`` as ``xsd:integer``, an ``xsd:double`` as a long
    ``xsd:decimal``): compare such stores with every number written as its value."""
    def term(t):
        if isinstance(t, ox.Literal) and t.datatype.value in NUMBERS:
            number = float(t.value)
            return ox.Literal(str(int(number)) if number.is_integer() else repr(number),
                              datatype=ox.NamedNode(XSD + "number-value"))
        return t
    return [ox.Triple(t.subject, t.predicate, term(t.object)) for t in triples]


def _json_term(value: dict[str, str], blank: dict[str, ox.BlankNode]):
    if value["type"] == "uri":
        return ox.NamedNode(value["value"])
    if value["type"] == "bnode":   # Virtuoso's labels (nodeID://b1) are no Turtle labels
        return blank.setdefault(value["value"], ox.BlankNode())
    if "xml:lang" in value:
        return ox.Literal(value["value"], language=value["xml:lang"])
    datatype = value.get("datatype")
    return ox.Literal(value["value"], datatype=ox.NamedNode(datatype) if datatype else None)


def graphs_triples(query_url: str, graphs: list[str]) -> dict[str, list[ox.Triple]]:
    """Named graphs as the store holds them, by one SELECT query: one snapshot, one request."""
    values = " ".join(f"<{g}>" for g in graphs)
    rows = HTTP.post(query_url, timeout=60, headers={"Accept": "application/sparql-results+json"},
                     data={"query": f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} "
                                    "GRAPH ?g { ?s ?p ?o } }"})
    rows.raise_for_status()
    blank: dict[str, ox.BlankNode] = {}
    found: dict[str, list[ox.Triple]] = {g: [] for g in graphs}
    for row in rows.json()["results"]["bindings"]:
        found[row["g"]["value"]].append(ox.Triple(*(_json_term(row[v], blank) for v in "spo")))
    return found


def holds(query_url: str, store: Store, *, numbers_by_value: bool = False) -> bool:
    """Whether the endpoint holds every named graph of ``store`` exactly (isomorphic); with
    ``numbers_by_value``, numbers of any datatype are equal when their values are."""
    same = numbers_as_values if numbers_by_value else list
    remote = graphs_triples(query_url, store.graphs())
    return all(canonical(same(remote[g])) == canonical(same(store_graph(store, g)))
               for g in store.graphs())


# Values for required parameters that have no default (a new one fails here, by name).
EXAMPLES = {"date": "2021-06-01"}


def example_params(query: CannedQuery) -> dict[str, str]:
    params = {}
    for p in query.params:
        if p.required and p.default is None:
            assert p.name in EXAMPLES, f"add an example value for {query.name}'s parameter {p.name}"
            params[p.name] = EXAMPLES[p.name]
    return params


def _term_key(term) -> tuple:
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    datatype = "" if term.language or term.datatype.value == XSD_STRING else term.datatype.value
    return ("literal", term.value, term.language or "", datatype)


def _json_key(value: dict) -> tuple:
    if value["type"] == "uri":
        return ("uri", value["value"])
    if value["type"] == "bnode":
        return ("bnode",)
    datatype = value.get("datatype", "")
    return ("literal", value["value"], value.get("xml:lang", ""),
            "" if datatype == XSD_STRING else datatype)


def _rows(rows: list[tuple], ordered: bool) -> list[tuple]:
    return rows if ordered else sorted(rows, key=repr)


def canned_local(loaded: LoadedGraph, query: CannedQuery):
    """A canned query's answer on the embedded store, in a form comparable across stores."""
    result = run_query(loaded, query, example_params(query))
    if query.kind == "ask":
        return result.boolean
    if query.kind in ("construct", "describe"):
        return canonical(result.triples)
    return _rows([tuple(_term_key(r[v]) if v in r else None for v in query.variables)
                  for r in result.rows], query.ordered)


def canned_remote(url: str, query: CannedQuery, method: str = "GET", graphs: list[str] | None = None):
    """The same query through a SPARQL endpoint with SPARQLWrapper; naming ``graphs`` as its
    dataset, as a form POST (a GET or SPARQLWrapper's POST naming many graphs is too long for
    Virtuoso)."""
    sparql = substitute_text(query.text, bind(query, example_params(query)))
    if graphs:
        graph_query = query.kind in ("construct", "describe")
        response = HTTP.post(url, timeout=60, data={
            "query": sparql, "default-graph-uri": graphs, "named-graph-uri": graphs},
            headers={"Accept": "text/turtle" if graph_query else "application/sparql-results+json"})
        response.raise_for_status()
        if graph_query:
            return canonical(ox.Triple(q.subject, q.predicate, q.object)
                             for q in ox.parse(response.content, format=ox.RdfFormat.TURTLE))
        return _answer(response.json(), query)
    client = SPARQLWrapper(url)
    client.setMethod(method)
    client.setQuery(sparql)
    if query.kind in ("construct", "describe"):
        client.setReturnFormat(TURTLE)
        return canonical(ox.Triple(q.subject, q.predicate, q.object)
                         for q in ox.parse(client.query().convert(), format=ox.RdfFormat.TURTLE))
    client.setReturnFormat(JSON)
    return _answer(client.query().convert(), query)


def _answer(answer: dict, query: CannedQuery):
    if query.kind == "ask":
        return answer["boolean"]
    return _rows([tuple(_json_key(row[v]) if v in row else None for v in query.variables)
                  for row in answer["results"]["bindings"]], query.ordered)
