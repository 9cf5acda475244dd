"""The native SHACL engine and pyshacl (the reference) give identical results — focus node, path,
constraint component, value, severity — on the synthetic national graph with a violation of every
constraint kind injected, and on its clean twin, and on dates at the edges of XSD 1.1. Slow (pyshacl
on 7k triples); the same kinds of constraint are compared on small graphs, every case in
tests/cases/, and on the whole shipped graph by test_cases.py, and SHACL Core case by case by
test_shacl_core.py."""

from __future__ import annotations

import pytest

from akke_graph.config import Config, load_config
from akke_graph.load import LoadedGraph, load
from akke_graph.shacl.validate import validate_graph
from akke_graph.synthetic.generate import DEFAULT_SEED, generate, injected_violations

SIZE = 7_000  # the smallest synthetic graph that carries every injection
CLEAN_SIZE = 3_000  # the clean twin: every kind of entity, at the size the scale tests give pyshacl

pytestmark = pytest.mark.slow


def synthetic(config: Config, violations: bool) -> LoadedGraph:
    loaded = load(config, paths=[])  # the ontology only
    loaded.store.add(generate(SIZE if violations else CLEAN_SIZE, DEFAULT_SEED, violations=violations))
    return loaded


@pytest.mark.parametrize("violations", [False, True], ids=["clean", "injected"])
def test_native_equals_pyshacl(config: Config, violations: bool) -> None:
    loaded = synthetic(config, violations)
    native = validate_graph(loaded, engine="native")
    reference = validate_graph(loaded, engine="pyshacl")
    assert not native.outcome.delegated
    assert [r.key() for r in native.results] == [r.key() for r in reference.results]
    assert native.conforms is (not violations)


def test_every_injected_violation_is_found(config: Config) -> None:
    native = validate_graph(synthetic(config, True), engine="native")
    found = {(str(r.focus.value), r.path_text, r.component, r.severity) for r in native.results}
    expected = injected_violations(SIZE, DEFAULT_SEED)
    assert len({e.component for e in expected}) >= 13  # every component the shapes can produce
    missing = [e for e in expected if (e.focus, e.path, e.component, e.severity) not in found]
    assert not missing, missing


PERIOD = "https://w3id.org/akke/id/project/testihanke#period"
DATE_ORDER, DATATYPE = "LessThanOrEqualsConstraintComponent", "DatatypeConstraintComponent"


@pytest.fixture(scope="module")
def seed_results(seed_loaded: LoadedGraph) -> list[tuple[str, str, str, str, str]]:
    """The seed graph's own results (none): what a date case must leave as they are."""
    return [r.key() for r in validate_graph(seed_loaded, engine="native").results]


@pytest.mark.parametrize("start, end, expected", [
    ("2021-13-01", "2021-12-31", {("startDate", DATATYPE), ("startDate", DATE_ORDER)}),
    ("x", "2021-12-31", {("startDate", DATATYPE), ("startDate", DATE_ORDER)}),
    ("2021-02-30", "2021-12-31", {("startDate", DATATYPE), ("startDate", DATE_ORDER)}),
    ("2021-05-01", "2021-02-29", {("endDate", DATATYPE), ("startDate", DATE_ORDER)}),
    ("20211-01-01", "2021-12-31", {("startDate", DATE_ORDER)}),          # year 20211: valid, after
    ("2021-05-01+15:00", "2021-12-31", {("startDate", DATATYPE), ("startDate", DATE_ORDER)}),
    ("2021-05-01+14:00", "2021-12-31", set()),
    ("0000-01-01", "2021-12-31", set()),                                   # XSD 1.1: year 0 is 1 BCE
    ("-0001-01-01", "0000-01-01", set()),
    ("2021-05-01", "-0001-01-01", {("startDate", DATE_ORDER)}),
    ("2021-05-01Z", "2021-05-01", {("startDate", DATE_ORDER)}),            # unordered within 14 hours
    ("2021-05-01", "2021-05-01-14:00", {("startDate", DATE_ORDER)}),
    ("2020-02-29", "2020-02-29", set()),
], ids=lambda v: v if isinstance(v, str) else None)
def test_the_engines_agree_on_dates(seed_project, tmp_path, seed_results: list, start: str, end: str,
                                    expected: set) -> None:
    """Dates as the project's shapes check them (sh:datatype xsd:date, sh:lessThanOrEquals):
    malformed and edge dates, judged by XSD 1.1, added to the seed data (which has the project the
    period belongs to and the source it names) give one report from both engines — the whole
    report; the period's results are the expected ones and the rest of the report is the seed
    graph's own. (The engines agree on the whole shipped graph, its warnings included, in
    test_cases.py.)"""
    case = tmp_path / "period.ttl"
    case.write_text(f"""@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<> <http://www.w3.org/ns/prov#wasDerivedFrom> <https://businessturku.fi/hankkeet/akke-alueellisten-ekosysteemien-kehittaminen-turun-seudulla/> .
<{PERIOD}> a <http://purl.org/dc/terms/PeriodOfTime> ;
    <http://www.w3.org/ns/dcat#startDate> "{start}"^^xsd:date ; <http://www.w3.org/ns/dcat#endDate> "{end}"^^xsd:date .
""", encoding="utf-8")
    config = load_config(seed_project)
    loaded = load(config, [config.data_dir, case])
    native = validate_graph(loaded, engine="native")
    reference = validate_graph(loaded, engine="pyshacl")
    assert [r.key() for r in native.results] == [r.key() for r in reference.results]
    on_period = [r for r in native.results if str(r.focus.value) == PERIOD]
    assert [r.key() for r in native.results if r not in on_period] == seed_results
    assert {((r.path_text or "").rsplit("#", 1)[-1].rstrip(">"), r.component.rsplit("#", 1)[-1])
            for r in on_period} == expected


def test_pyshacl_parses_each_sparql_text_once(seed_loaded: LoadedGraph) -> None:
    """pyshacl writes a query's PREFIX lines in the order of a set, which changes with each shapes
    graph; the reference engine still parses each SPARQL text once per process, not once per
    validation."""
    from akke_graph.shacl.reference import _prepare

    validate_graph(seed_loaded, engine="pyshacl")
    before = _prepare.cache_info()
    validate_graph(seed_loaded, engine="pyshacl")   # a shapes graph of its own
    after = _prepare.cache_info()
    assert after.misses == before.misses and after.hits > before.hits


def test_the_prefix_order_does_not_change_a_query() -> None:
    """The one text a prologue's orders are parsed as means what each of them means in rdflib, a
    prefix declared twice included (the later IRI holds)."""
    from rdflib import Graph, Literal, URIRef

    from akke_graph.shacl.reference import _canonical, to_rdflib_graph

    body = "SELECT ?o WHERE { a:x b:p ?o }"
    one = f"PREFIX b: <http://b/>\nPREFIX a: <http://a/>\n{body}"
    other = f"  prefix a:<http://a/> PREFIX b: <http://b/>\n{body}"
    again = f"PREFIX a: <http://old/> PREFIX b: <http://b/> PREFIX a: <http://a/> {body}"
    assert _canonical(one) == _canonical(other) == _canonical(again)
    assert _canonical(body) == body
    plain, prepared = Graph(), to_rdflib_graph([])
    for graph in (plain, prepared):
        graph.add((URIRef("http://a/x"), URIRef("http://b/p"), Literal(1)))
        graph.add((URIRef("http://old/x"), URIRef("http://b/p"), Literal(2)))
    for text in (one, other, again):
        assert [r[0].value for r in prepared.query(text)] == [r[0].value for r in plain.query(text)] == [1]
