"""Every ontology and shape file parses, and each one carries what people need to read it:
bilingual labels, comments, names, descriptions and messages."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.load import rdf_files
from akke_graph.shacl.shapes import ShapesGraph
from akke_graph.terms import OWL, RDF, RDFS, SH

ROOT = Path(__file__).resolve().parents[1]
AKKE = "https://w3id.org/akke/ontology#"


def parse(path: Path) -> ShapesGraph:
    return ShapesGraph(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def langs(graph: ShapesGraph, node: object, predicate: str) -> set[str]:
    return {o.language for o in graph.objects(node, predicate) if isinstance(o, ox.Literal) and o.language}


@pytest.mark.parametrize("path", rdf_files(ROOT / "ontology") + rdf_files(ROOT / "shapes"), ids=lambda p: p.name)
def test_file_parses(path: Path) -> None:
    assert parse(path).triples


@pytest.mark.parametrize("path", rdf_files(ROOT / "shapes"), ids=lambda p: p.name)
def test_every_constraint_is_documented_in_finnish_and_english(path: Path) -> None:
    graph = parse(path)
    constrained = set(graph.subjects(SH + "path"))
    constrained |= set(graph.subjects(SH + "select")) - set(graph.subjects(RDF + "type", ox.NamedNode(SH + "SPARQLTarget")))
    # Node shapes with node-level constraints (no property path) explain themselves too.
    for param in ("nodeKind", "pattern", "class"):
        constrained |= {s for s in graph.subjects(SH + param) if not graph.objects(s, SH + "path")}
    # Nested shapes inside qualified value shapes or sh:or lists are parts of a documented constraint.
    nested = {t.object for t in graph.triples if t.predicate.value == SH + "qualifiedValueShape"}
    nested |= {t.object for t in graph.triples if t.predicate.value == RDF + "first"}
    missing = []
    for node in constrained - nested:
        for predicate in ("name", "description", "message"):
            if langs(graph, node, SH + predicate) < {"fi", "en"}:
                missing.append(f"{node} sh:{predicate}")
    assert not missing, missing


@pytest.mark.parametrize("path", rdf_files(ROOT / "shapes"), ids=lambda p: p.name)
def test_node_shapes_have_labels(path: Path) -> None:
    graph = parse(path)
    for node in graph.subjects(RDF + "type", ox.NamedNode(SH + "NodeShape")):
        assert langs(graph, node, RDFS + "label") >= {"fi", "en"}, node


def test_ontology_terms_are_documented() -> None:
    graph = parse(ROOT / "ontology" / "akke.ttl")
    ontology = ox.NamedNode("https://w3id.org/akke/ontology")
    assert graph.value(ontology, OWL + "versionInfo") is not None
    terms = {t.subject for t in graph.triples if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(AKKE)}
    assert terms
    for term in terms:
        assert langs(graph, term, RDFS + "label") >= {"fi", "en"}, term
        assert langs(graph, term, RDFS + "comment") >= {"fi", "en"}, term
        assert graph.value(term, RDFS + "isDefinedBy") == ontology, term


def test_every_own_term_used_in_data_is_defined(loaded) -> None:
    defined = {r["t"].value for r in loaded.store.select(
        "SELECT ?t WHERE { ?t <http://www.w3.org/2000/01/rdf-schema#isDefinedBy> <https://w3id.org/akke/ontology> }")}
    used = set()
    for quad in loaded.store.quads():
        for term in (quad.predicate, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(AKKE):
                used.add(term.value)
            if isinstance(term, ox.Literal) and term.datatype.value.startswith(AKKE):
                used.add(term.datatype.value)
    assert used and used <= defined, used - defined
