"""pyshacl as the reference validator for the synthetic graphs, with results in the same plain
form as :class:`akke_graph.synthetic.violations.ExpectedViolation`, so tests can compare them directly.

pyshacl parses a SHACL-SPARQL query again for every focus node (rdflib keeps no parsed form), which
on these shapes costs about 0.1 s per work package, organisation and identifier.
:func:`cached_sparql_parsing` keeps each translated query and reuses it with the new bindings,
which is what rdflib's prepared queries are for; the results are the same, only faster. The
benchmarks run pyshacl without it: that is the plain pipeline as users meet it.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import pyoxigraph as ox
import rdflib
from rdflib import RDF, BNode, Graph, URIRef

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


class Result(NamedTuple):
    """One validation result: focus, path (SPARQL syntax or None), component, severity, value."""

    focus: str
    path: str | None
    component: str
    severity: str
    value: str | None


def union_graph(quads: Iterable[ox.Quad], ontology_dir: Path) -> Graph:
    """The data as one rdflib graph (the union of its named graphs) plus the ontology."""
    triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    for path in sorted(ontology_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def shapes_graph(shapes_dir: Path) -> Graph:
    graph = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@contextmanager
def cached_sparql_parsing() -> Iterator[None]:
    """Parse and translate each distinct SPARQL query text once while the block runs."""
    from rdflib.plugins.sparql import processor
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    original = processor.SPARQLProcessor.query
    cache: dict[tuple, object] = {}

    def query(self, q, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(q, str):
            key = (q, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in cache:
                cache[key] = translateQuery(parseQuery(q), base, initNs)
            q = cache[key]
        return original(self, q, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


def path_text(graph: Graph, node: rdflib.term.Node) -> str:
    """A SHACL path node as a SPARQL property path: ``<p>``, ``^(<p>)``, ``(<p>/<q>)``."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return f"^({path_text(graph, inverse)})"
    if graph.value(node, RDF.first) is not None:
        items = rdflib.collection.Collection(graph, node)
        return "(" + "/".join(path_text(graph, item) for item in items) + ")"
    raise ValueError(f"unsupported path form: {node}")


def results_of(report: Graph) -> list[Result]:
    """The results of a SHACL validation report graph."""
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        focus = report.value(result, SH.focusNode)
        out.append(Result(
            focus=f"_:{focus}" if isinstance(focus, BNode) else str(focus),
            path=None if path is None else path_text(report, path),
            component=str(report.value(result, SH.sourceConstraintComponent)),
            severity=str(report.value(result, SH.resultSeverity)),
            value=None if value is None else value.n3()))
    return sorted(out, key=lambda r: tuple(x or "" for x in r))


def pyshacl_results(data: Graph, shapes: Graph, cached: bool = True) -> list[Result]:
    """Validate with pyshacl (SHACL-SPARQL on, no inference) and return the results."""
    import pyshacl

    if cached:
        with cached_sparql_parsing():
            _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    else:
        _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    return results_of(report)
