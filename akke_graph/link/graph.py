"""What the loaded graph says about links: the link triples, the business IDs, their annotations.

A *link* is a plain triple from an own entity to an IRI outside the graph (``?org skos:exactMatch
?wd``, ``?org dcterms:spatial ?municipality``) or a business ID (``?org adms:identifier [ skos:notation
"…"^^akke:businessId ]``). Its provenance is an OWL axiom annotation in the SSSOM RDF form
(``[] a owl:Axiom ; owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ;
sssom:mapping_justification … ]``) plus the sources of the file that states it. Everything here is
SPARQL on the store, so it stays fast on large graphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from akke_graph.labels import fetch_labels
from akke_graph.load import LoadedGraph
from akke_graph.terms import ADMS, DCTERMS, OWL, PROV, SKOS

SSSOM = "https://w3id.org/sssom/"
LINK_PREDICATES = tuple(SKOS + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                                           "relatedMatch")) + (OWL + "sameAs", DCTERMS + "spatial",
                                                               DCTERMS + "hasPart")
IDENTIFIER = ADMS + "identifier"
AXIOM_KEYS = {
    "mapping_justification", "confidence", "mapping_tool", "subject_label", "object_label",
    "reviewer_label", "author_label", "object_source", "object_source_version",
    "predicate_modifier",
}
PREFIXES = f"""PREFIX skos: <{SKOS}>
PREFIX owl: <{OWL}>
PREFIX adms: <{ADMS}>
PREFIX dcterms: <{DCTERMS}>
PREFIX prov: <{PROV}>
PREFIX sssom: <{SSSOM}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""


def values(iris: tuple[str, ...] | list[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


@dataclass
class Link:
    """One stored link and where it is stated."""

    subject: str
    predicate: str
    object: str
    graph: str
    notation: str | None = None  # for business IDs: the notation; ``object`` is the identifier node
    annotation: dict[str, str] = field(default_factory=dict)


def business_id_datatype(loaded: LoadedGraph) -> str:
    return loaded.config.ontology_ns + "businessId"


def links(loaded: LoadedGraph) -> list[Link]:
    """Every link triple from an own entity to an outside IRI, one per file that states it."""
    base = loaded.config.id_base
    rows = loaded.store.select(PREFIXES + f"""
        SELECT ?g ?s ?p ?o WHERE {{
            VALUES ?p {{ {values(LINK_PREDICATES)} }}
            GRAPH ?g {{ ?s ?p ?o }}
            FILTER(isIRI(?o) && !STRSTARTS(STR(?o), "{base}") && STRSTARTS(STR(?s), "{base}"))
        }} ORDER BY ?s ?p ?o ?g""")
    return [Link(r["s"].value, r["p"].value, r["o"].value, r["g"].value) for r in rows]


def business_ids(loaded: LoadedGraph) -> list[Link]:
    """Every business-ID notation, with the organisation that holds the identifier (if any)."""
    rows = loaded.store.select(PREFIXES + f"""
        SELECT ?g ?org ?id ?n WHERE {{
            GRAPH ?g {{ ?id skos:notation ?n }}
            FILTER(DATATYPE(?n) = <{business_id_datatype(loaded)}>)
            OPTIONAL {{ ?org adms:identifier ?id }}
        }} ORDER BY ?org ?n ?g""")
    return [Link(r["org"].value if "org" in r else "", IDENTIFIER, r["id"].value, r["g"].value,
                 notation=r["n"].value) for r in rows]


def link_annotations(loaded: LoadedGraph) -> dict[tuple[str, str, str], dict[str, str]]:
    """SSSOM annotations of link triples, keyed by (subject, predicate, object)."""
    rows = loaded.store.select(PREFIXES + """
        SELECT ?s ?p ?o ?k ?v WHERE {
            ?a owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ; ?k ?v .
            FILTER(STRSTARTS(STR(?k), STR(sssom:)) || ?k IN (dcterms:created, rdfs:comment))
        }""")
    found: dict[tuple[str, str, str], dict[str, str]] = {}
    for r in rows:
        key = (r["s"].value, r["p"].value, r["o"].value)
        name = r["k"].value
        name = {DCTERMS + "created": "mapping_date",
                "http://www.w3.org/2000/01/rdf-schema#comment": "comment"}.get(name, name[len(SSSOM):])
        slot = found.setdefault(key, {})
        slot[name] = f"{slot[name]}; {r['v'].value}" if name in slot else r["v"].value
    return found


def sources(loaded: LoadedGraph) -> dict[str, list[str]]:
    """The sources each file's graph names (``<> prov:wasDerivedFrom``)."""
    rows = loaded.store.select(PREFIXES + """
        SELECT ?g ?src WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?src } } ORDER BY ?g ?src""")
    found: dict[str, list[str]] = {}
    for r in rows:
        found.setdefault(r["g"].value, []).append(r["src"].value)
    return found


def labels(loaded: LoadedGraph, iris: list[str], lang: str = "fi") -> dict[str, str]:
    """A readable name for each IRI that has one, by the one label rule (:mod:`akke_graph.labels`)."""
    return {iri: label.value for iri, label in fetch_labels(loaded.store.select, iris, lang).items()}


def file_of(loaded: LoadedGraph, graph: str) -> str:
    """The file a named graph came from, as the user sees it."""
    source = loaded.files.get(graph)
    return source.display if source else graph
