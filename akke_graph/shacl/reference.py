"""pyshacl, the reference SHACL engine, with its report read back into :class:`ValidationResult`.

Used for ``validate --engine pyshacl``, for shapes the native engine delegates, and by the
differential tests that require both engines to agree result for result.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

import pyoxigraph as ox

from akke_graph.shacl.outcome import ShaclOutcome, ValidationResult
from akke_graph.shacl.shapes import ShapeReader, ShapesGraph, Term
from akke_graph.store import Store
from akke_graph.terms import RDF, SH, from_rdflib, quiet_literal_warnings, to_rdflib

if TYPE_CHECKING:
    from rdflib import Graph


def to_rdflib_graph(triples: Iterable[ox.Triple] | Iterable[ox.Quad]) -> Graph:
    """pyoxigraph triples or quads → one rdflib Graph (named graphs merged)."""
    graph = _prepared_graph_class()()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


@lru_cache(maxsize=None)
def _prepared_graph_class() -> type[Graph]:
    """An rdflib Graph that parses each SPARQL text once. pyshacl sends a SHACL-SPARQL constraint's
    text once per focus node, and rdflib's parser, not the evaluation, was most of the time;
    a prepared query is what rdflib itself offers for running one text with other bindings."""
    from rdflib import Graph

    class PreparedQueryGraph(Graph):
        def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
                  initNs: Any = None, initBindings: Any = None, use_store_provided: bool = True,
                  **kwargs: Any) -> Any:
            if isinstance(query_object, str) and processor == "sparql":
                namespaces = tuple(sorted((initNs or dict(self.namespaces())).items()))
                query_object, initNs = _prepare(_canonical(query_object), namespaces), None
            return super().query(query_object, processor, result, initNs, initBindings,
                                 use_store_provided, **kwargs)

    return PreparedQueryGraph


# One PREFIX declaration of a prologue, its IRI absolute (a scheme, no character IRIs forbid).
_PREFIX = re.compile(r"\s*PREFIX\s+([^\s:]*):\s*<([A-Za-z][\w+.-]*:[^<>\"{}|^`\\\s]*)>", re.IGNORECASE)


def _canonical(text: str) -> str:
    """``text`` with the PREFIX declarations it starts with in one order. pyshacl writes them in
    the order of a set, which changes with every shapes graph, so without this each validation
    parsed every text again, and parsing was most of pyshacl's time on a small graph."""
    declared: dict[str, str] = {}
    end = 0
    while (match := _PREFIX.match(text, end)) is not None:
        declared[match[1]] = match[2]   # a prefix declared again: the later IRI, as in SPARQL
        end = match.end()
    if not declared:
        return text
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(declared.items())) + text[end:].lstrip()


@lru_cache(maxsize=512)
def _prepare(text: str, namespaces: tuple[tuple[str, Any], ...]) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text, initNs=dict(namespaces))


def validate_pyshacl(store: Store, shapes: ShapesGraph, only: set[str] | None = None) -> ShaclOutcome:
    """Validate with pyshacl (SHACL-SPARQL and SPARQL targets on); ``only`` limits the shapes run."""
    import pyshacl

    from akke_graph.shacl.pyshacl_xsd import install

    install()
    quiet_literal_warnings()
    data = to_rdflib_graph(store.written_quads())
    triples = shapes.triples
    if only is not None:
        starts = {SH + k for k in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")}
        triples = [t for t in triples if t.predicate.value not in starts or str(t.subject) in only]
    # inplace: the data graph is this call's own copy, so pyshacl need not copy it again (and the
    # copy would not keep its prepared queries)
    _, report, _ = pyshacl.validate(data, shacl_graph=to_rdflib_graph(triples), advanced=True,
                                    inference="none", allow_warnings=True, inplace=True)
    return ShaclOutcome(results=read_report(report, shapes), engine="pyshacl")


def read_report(report: Graph, shapes: ShapesGraph) -> list[ValidationResult]:
    """The results of an rdflib ``sh:ValidationReport`` graph: those its report node lists (the
    nested ones under ``sh:detail`` are not results of their own), each as often as listed. A
    complex path is given as the source shape's own path node of ``shapes``, as the native engine
    gives it."""
    graph = ShapesGraph(ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))
                        for s, p, o in report)
    reader, shape_reader = ShapeReader(graph), ShapeReader(shapes)
    results = []

    def one(node: Term, prop: str) -> Term:
        found = graph.value(node, SH + prop)
        if found is None:
            raise ValueError(f"pyshacl reported a result without sh:{prop}")
        return found

    for node in (r for report_node in graph.subjects(RDF + "type", ox.NamedNode(SH + "ValidationReport"))
                 for r in graph.objects(report_node, SH + "result")):
        path = graph.value(node, SH + "resultPath")
        shape = one(node, "sourceShape")
        path_text = reader.path_to_sparql(path) if path is not None else None
        if isinstance(path, ox.BlankNode):
            own = shapes.value(shape, SH + "path")
            path = own if own is not None and shape_reader.path_to_sparql(own) == path_text else path
        results.append(ValidationResult(
            focus=one(node, "focusNode"),
            component=one(node, "sourceConstraintComponent").value,
            severity=one(node, "resultSeverity").value,
            source_shape=shape,
            path=path,
            path_text=path_text,
            value=graph.value(node, SH + "value"),
            source_constraint=graph.value(node, SH + "sourceConstraint"),
            messages=tuple(m for m in graph.objects(node, SH + "resultMessage") if isinstance(m, ox.Literal))))
    return sorted(results, key=ValidationResult.key)
