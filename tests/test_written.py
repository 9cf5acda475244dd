"""The store keeps what was written beside what it stores: Oxigraph rewrites XSD literals
("7"^^xsd:int as "7"^^xsd:integer, 4.0 as 4), and akke_graph.written records the written forms of
every file the byte check cannot clear. Each sample says whether the check may clear it; whatever
it says, the store must give back exactly the parsed quads as written."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.store import OxigraphStore
from akke_graph.written import _KEPT, _round_trip, may_hold_rewritten

PREFIXES = b"@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
XSD = b"http://www.w3.org/2001/XMLSchema#"
FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
           "json-ld": ox.RdfFormat.JSON_LD}

# (sample, format, whether it may hold a literal the store rewrites)
SAMPLES = [
    (b'ex:a ex:p "7"^^xsd:integer, "2024-01-31"^^xsd:date, "x"^^xsd:string .', "turtle", False),
    (b'ex:a ex:p "7"^^xsd:int .', "turtle", True),
    (b'ex:a ex:p "300"^^xsd:byte .', "turtle", True),
    (b'ex:a ex:p "5"^^xsd:nonNegativeInteger .', "turtle", True),
    (b'ex:a ex:p "04"^^xsd:integer .', "turtle", True),
    (b'ex:a ex:p "1"^^xsd:boolean .', "turtle", True),
    (b'ex:a ex:p "2024-01-31+00:00"^^xsd:date .', "turtle", True),
    (b'ex:a ex:p "PT60S"^^xsd:duration .', "turtle", True),
    (b'ex:a ex:p "c"^^xsd:byte .', "turtle", False),   # ill-formed: the store keeps it as written
    (b'ex:a ex:p "x"^^ex:int .', "turtle", False),
    (b'ex:a ex:p "1"^^ex:int .', "turtle", True),       # judged by its local name, whatever the prefix
    (b'ex:a ex:p "7"^^<int> .', "turtle", True),       # a relative datatype IRI
    (b'ex:a ex:p """7"""^^xsd:int .', "turtle", True),
    (b"ex:a ex:p '7'^^xsd:int .", "turtle", True),
    (b'ex:a ex:p "7" ^^ xsd:int .', "turtle", True),
    (b'ex:a ex:p "a\\"b"^^xsd:int .', "turtle", True),
    (b'ex:a ex:p "\\u0037"^^xsd:string .', "turtle", True),
    (b'ex:a ex:p 7, -3, 0, true .', "turtle", False),
    (b'ex:a ex:p 4.5 .', "turtle", False),
    (b'ex:a ex:p 4.0 .', "turtle", True),
    (b'ex:a ex:p 4.0.', "turtle", True),
    (b'ex:a ex:p .5 .', "turtle", True),
    (b'ex:a ex:p 1e3 .', "turtle", True),
    (b'ex:a ex:p 007 .', "turtle", True),
    (b'ex:a ex:p +5 .', "turtle", True),
    (b'ex:a ex:p -0 .', "turtle", True),
    (b'ex:a ex:p 5,4.0 .', "turtle", True),
    (b'ex:a ex:p ( 1 2 04 ) .', "turtle", True),
    (b'ex:a <http://example.org/p>4.0 .', "turtle", True),
    (b'ex:a ex:p "version 4, no. 7" ; ex:q <http://example.org/v1.0/x> , ex:v2.0 .', "turtle", False),
    (b'ex:a ex:p "version 4.0" .', "turtle", True),   # the check reads no strings: it cannot clear this
    (b'ex:a ex:p "a" .\nex:b ex:p\t4.0 .', "turtle", True),
    (b'<http://example.org/a> <http://example.org/p> "7"^^<' + XSD + b'integer> .', "nt", False),
    (b'<http://example.org/a> <http://example.org/p> "7"^^<' + XSD + b'short> .', "nt", True),
    (b'<http://example.org/a> <http://example.org/p> "4.0"^^<' + XSD + b'decimal> <http://example.org/g> .', "nquads", True),
    (b'{"@id": "http://example.org/a", "http://example.org/p": 7}', "json-ld", True),
]


@pytest.mark.parametrize("sample, fmt, expected", SAMPLES, ids=[s[0].decode()[:40] for s in SAMPLES])
def test_written_literals_survive_the_store(sample: bytes, fmt: str, expected: bool) -> None:
    data = PREFIXES + sample if fmt == "turtle" else sample
    assert may_hold_rewritten(data, fmt) is expected
    store = OxigraphStore()
    store.load(data, fmt, graph="http://example.org/g", base_iri="http://example.org/")
    parsed = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode("http://example.org/g"))
                        for q in ox.parse(data, format=FORMATS[fmt], base_iri="http://example.org/"))
    written = ox.Dataset(store.written_quads())
    for dataset in (parsed, written):   # blank nodes get new labels on each parse
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    assert sorted(map(str, written)) == sorted(map(str, parsed))


def test_the_forms_taken_as_kept_are_kept_by_the_store() -> None:
    """The written forms :func:`stored_form` answers without asking the store, asked anyway."""
    samples = {
        "integer": [str(n) for n in (*range(-300, 300), 10**18, -(10**30))] + ["+5", "05", "-0", "00"],
        "decimal": ["0", "4", "-4", "4.5", "-0.25", "10.01", "4.0", "4.50", ".5", "+1.5", "007.5", "-0"],
        "boolean": ["true", "false", "1", "0"],
        "date": [f"{y}-{m:02d}-{d:02d}{z}" for y in (1000, 1999, 2024, 9999) for m in range(1, 13)
                 for d in (1, 9, 10, 28) for z in ("", "Z")] + ["2024-01-01+00:00", "0999-01-01"],
        "dateTime": [f"2024-{m:02d}-15T{h:02d}:{mi:02d}:{se:02d}{z}" for m in (1, 12) for h in (0, 9, 23)
                     for mi in (0, 59) for se in (0, 30, 59) for z in ("", "Z")] + ["2024-01-01T24:00:00"],
    }
    for name, values in samples.items():
        datatype = ox.NamedNode(XSD.decode() + name)
        for value in values:
            literal = ox.Literal(value, datatype=datatype)
            if _KEPT[datatype.value].fullmatch(value):
                assert _round_trip(literal) == literal, literal


def test_the_record_follows_the_graphs() -> None:
    store = OxigraphStore()
    g = "http://example.org/g"
    store.load(PREFIXES + b'ex:a ex:p "7"^^xsd:int, "07"^^xsd:int .', "turtle", graph=g, base_iri=g)
    assert len(list(store.quads())) == 1 and len(list(store.written_quads())) == 2
    triples = store.written_triples()
    assert [sorted(f.value for f in forms) for forms in triples.values()] == [["07", "7"]]
    store.add([ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
                       ox.Literal("7", datatype=ox.NamedNode(XSD.decode() + "integer")),
                       ox.NamedNode("http://example.org/h"))])
    assert {f.datatype.value.rsplit("#")[1] for f in next(iter(store.written_triples().values()))} == {"int", "integer"}
    store.remove_graph(g)
    assert not store.written and not store.written_triples()


def test_a_memory_store_validates_literals_as_written(tmp_path: Path) -> None:
    from akke_graph.config import Config
    from akke_graph.load import load
    from akke_graph.shacl.shapes import ShapesGraph
    from akke_graph.shacl.validate import validate_graph

    (tmp_path / "data.ttl").write_bytes(PREFIXES + b'ex:a ex:p "7"^^xsd:int, "300"^^xsd:byte .')
    shapes = ShapesGraph(ox.parse(PREFIXES + b"@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                                  b"ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:datatype xsd:int ] .",
                                  format=ox.RdfFormat.TURTLE))
    config = Config(root=tmp_path, ontology_dir=tmp_path / "-", data_dir=tmp_path, shapes_dir=tmp_path)
    for store in ("memory", "oxigraph"):
        report = validate_graph(load(config, [tmp_path / "data.ttl"], store=store, include_ontology=False), shapes=shapes)
        assert [str(r.value) for r in report.results] == [f'"300"^^<{XSD.decode()}byte>'], store


@pytest.mark.parametrize("kind", ["oxigraph", "memory"])
def test_a_release_copy_to_validate_again_keeps_the_record(kind: str) -> None:
    from akke_graph.publish.model import _copy_store
    from akke_graph.rebase import Rebaser
    from akke_graph.store import open_store

    store = open_store(kind)
    g = "http://example.org/g"
    store.load(PREFIXES + b'ex:a ex:p "7"^^xsd:int .', "turtle", graph=g, base_iri=g)
    copy = _copy_store(store, Rebaser("http://example.org/", "http://example.org/"))
    assert [str(q.object) for q in copy.written_quads()] == [f'"7"^^<{XSD.decode()}int>']


@pytest.mark.parametrize("fmt", ["nt", "nquads", "turtle", "trig"])
def test_dumps_keep_the_literals_as_written(tmp_path: Path, fmt: str) -> None:
    """What publish writes (a graph or the whole dataset, to bytes or to a file) holds the data as
    written, not the store's forms; a graph without such literals is dumped by Oxigraph itself."""
    from akke_graph.store import OxigraphStore

    store = OxigraphStore()
    g = "http://example.org/g"
    store.load(PREFIXES + b'ex:a ex:p "7"^^xsd:int, "4.0"^^xsd:decimal .', "turtle", graph=g, base_iri=g)
    for graph in (g, None):
        data = store.dump(fmt, graph)
        store.dump_to(tmp_path / "out", fmt, graph)
        for written in (data, (tmp_path / "out").read_bytes()):
            forms = sorted(str(q.object) for q in ox.parse(written, format=ox.RdfFormat.N_QUADS if fmt == "nquads"
                                                            else ox.RdfFormat.TRIG if fmt == "trig"
                                                            else ox.RdfFormat.TURTLE))
            assert forms == [f'"4.0"^^<{XSD.decode()}decimal>', f'"7"^^<{XSD.decode()}int>'], (graph, written)
