"""``ontology/index.html``: the ontology documented for people — every own term with its Finnish
and English labels and definitions, its relations and how much the graph uses it — and the
standard terms the graph reuses. Own templates rather than pyLODE: the page has to link into the
release's entity pages, work offline and carry both languages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from akke_graph.publish.model import RDF_TYPE, ReleaseGraph
from akke_graph.publish.pages import rows
from akke_graph.publish.site import Page, Site, render
from akke_graph.terms import DCTERMS, OWL, RDF, RDFS, VANN

KINDS = (("class", (OWL + "Class", RDFS + "Class")),
         ("property", (OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty", RDF + "Property")),
         ("datatype", (RDFS + "Datatype",)))
HIDDEN = {RDF_TYPE, RDFS + "label", RDFS + "comment", RDFS + "isDefinedBy"}


def by_lang(graph: ReleaseGraph, node: ox.NamedNode, prop: str) -> dict[str, str]:
    return {v.language or "": v.value for v in graph.objects(node, prop) if isinstance(v, ox.Literal)}


def usage(graph: ReleaseGraph) -> tuple[Counter, Counter, Counter]:
    """How often the data (not the ontology) uses each class, property and datatype."""
    ontology_graphs = ", ".join(f"<{g}>" for g, f in graph.files.items() if not f.is_data) or "<urn:none>"
    data = f"FILTER(?g NOT IN ({ontology_graphs}))"

    def counts(select: str) -> Counter:
        return Counter({r["t"].value: int(r["n"].value) for r in graph.select(select) if "t" in r})

    classes = counts(f"SELECT ?t (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?t }} {data} }} GROUP BY ?t")
    properties = counts(f"SELECT ?t (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?t ?o }} {data} }} GROUP BY ?t")
    datatypes = counts(f"SELECT ?t (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o FILTER(isLiteral(?o)) "
                       f"BIND(DATATYPE(?o) AS ?t) }} {data} }} GROUP BY ?t")
    return classes, properties, datatypes


def write_ontology_doc(graph: ReleaseGraph, site: Site, folder: Path) -> None:
    page = Page(site, "ontology/index.html")
    ns, ontology = graph.config.ontology_ns, ox.NamedNode(graph.config.ontology_iri)
    classes, properties, datatypes = usage(graph)
    counts = {"class": classes, "property": properties, "datatype": datatypes}
    sections = []
    for kind, types in KINDS:
        terms = sorted({s for t in types for s in graph.instances(t) if s.value.startswith(ns)}, key=lambda n: n.value)
        sections.append({"kind": kind, "terms": [{
            "id": term.value[len(ns):], "iri": term.value,
            "labels": by_lang(graph, term, RDFS + "label"), "comments": by_lang(graph, term, RDFS + "comment"),
            "rows": [r for r in rows(page, term) if r["iri"] not in HIDDEN],
            "used": counts[kind][term.value]} for term in terms]})
    reused = []
    for kind, counter in (("class", classes), ("property", properties)):
        for iri, n in sorted(counter.items()):
            if iri.startswith(ns):
                continue
            statements = [r for r in rows(page, ox.NamedNode(iri)) if r["iri"] not in HIDDEN]
            reused.append({"kind": kind, "iri": iri, "curie": page.curie(iri), "used": n, "rows": statements})
    files = sorted(f.path.name for f in graph.files.values() if not f.is_data)
    render("ontology.html", folder / page.path, page=page, root=page.rel("index.html"),
           iri=ontology.value, ns=ns, titles=by_lang(graph, ontology, DCTERMS + "title") or by_lang(graph, ontology, RDFS + "label"),
           comments=by_lang(graph, ontology, RDFS + "comment"),
           version=graph.value(ontology, OWL + "versionInfo"), licence=graph.value(ontology, DCTERMS + "license"),
           prefix=graph.value(ontology, VANN + "preferredNamespacePrefix"), sections=sections, reused=reused,
           files=files)
