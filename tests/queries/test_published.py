"""The published form: the query folder as SPARQL examples in the SIB sparql-examples style."""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox

from akke_graph.config import Config
from akke_graph.query import CannedQuery, queries_as_rdf

SH = "http://www.w3.org/ns/shacl#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SCHEMA = "https://schema.org/"


def _graph(triples: list[ox.Triple]) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return store


def test_every_query_is_an_executable_example(config: Config, queries: list[CannedQuery]) -> None:
    triples = queries_as_rdf(config, "https://w3id.org/akke/")
    store = _graph(triples)
    rows = list(store.query(f"""
        PREFIX sh: <{SH}> PREFIX rdfs: <{RDFS}> PREFIX schema: <{SCHEMA}>
        SELECT ?ex ?type ?text ?fi ?en WHERE {{
          ?ex a sh:SPARQLExecutable, ?type ; sh:select|sh:construct|sh:ask ?text .
          FILTER(?type != sh:SPARQLExecutable)
          ?ex rdfs:comment ?fi , ?en . FILTER(LANG(?fi) = "fi" && LANG(?en) = "en")
        }}"""))
    assert len(rows) == len(queries)
    by_name = {q.name: q for q in queries}
    for row in rows:
        name = row["ex"].value.rsplit("/", 1)[1]
        assert row["ex"].value == f"https://w3id.org/akke/queries/{name}"
        query = by_name[name]
        kind = {"select": "SPARQLSelectExecutable", "construct": "SPARQLConstructExecutable",
                "ask": "SPARQLAskExecutable"}[query.kind]
        assert row["type"].value == SH + kind
        assert "#+" not in row["text"].value
        ox.Store().query(row["text"].value.replace("?_", "?x_").replace("$_", "?x_"))   # parses
        assert row["fi"].value == query.description["fi"]
    keywords = {t.object.value for t in triples if t.predicate.value == SCHEMA + "keywords"}
    assert {"projects", "data quality", "statistics"} <= keywords
    assert not any(t.predicate.value == SCHEMA + "target" for t in triples)   # no endpoint configured


def test_target_and_rebasing(config: Config, queries: list[CannedQuery]) -> None:
    with_endpoint = replace(config, endpoint="https://data.example.fi/sparql")
    triples = queries_as_rdf(with_endpoint, "https://data.example.fi/akke")
    targets = {t.object for t in triples if t.predicate.value == SCHEMA + "target"}
    assert targets == {ox.NamedNode("https://data.example.fi/sparql")}
    texts = [t.object.value for t in triples if t.predicate.value in (SH + "select", SH + "construct")]
    assert texts and all("https://w3id.org/akke/" not in text for text in texts)
    assert any("<https://data.example.fi/akke/id/role/>" in text for text in texts)
    subjects = {t.subject.value for t in triples}
    assert all(s.startswith("https://data.example.fi/akke/queries/") for s in subjects)


def test_given_queries_and_their_own_endpoint(queries: list[CannedQuery]) -> None:
    one = replace(queries[0], endpoint="http://127.0.0.1:7878/query")
    triples = queries_as_rdf([one], "https://w3id.org/akke/")
    assert ox.Triple(ox.NamedNode(f"https://w3id.org/akke/queries/{one.name}"),
                     ox.NamedNode(SCHEMA + "target"), ox.NamedNode("http://127.0.0.1:7878/query")) in triples
