"""Namespaces the package uses, the project's one prefix map, the one IRI shortener, and
conversion between pyoxigraph and rdflib terms."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Mapping

import pyoxigraph as ox

if TYPE_CHECKING:
    from akke_graph.config import Config

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
FRAPO = "http://purl.org/cerif/frapo/"
ADMS = "http://www.w3.org/ns/adms#"
VOID = "http://rdfs.org/ns/void#"
ROV = "http://www.w3.org/ns/regorg#"
M8G = "http://data.europa.eu/m8g/"
EURIO = "http://data.europa.eu/s66#"
SCHEMA = "https://schema.org/"
VANN = "http://purl.org/vocab/vann/"

# The common vocabularies' prefixes (the project's own come from its base IRI: prefix_map).
PREFIXES: dict[str, str] = {
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "sh": SH, "skos": SKOS,
    "dcterms": DCTERMS, "dcat": DCAT, "foaf": FOAF, "org": ORG, "prov": PROV,
    "frapo": FRAPO, "adms": ADMS, "void": VOID, "rov": ROV, "m8g": M8G, "eurio": EURIO,
    "schema": SCHEMA, "vann": VANN,
}

RDF_TYPE = ox.NamedNode(RDF + "type")
RDF_LANGSTRING = ox.NamedNode(RDF + "langString")


def own_prefixes(base_iri: str) -> dict[str, str]:
    """Prefixes of the project's own namespaces under ``base_iri``."""
    ids = base_iri + "id/"
    return {
        "akke": base_iri + "ontology#",
        "ash": base_iri + "shapes#",
        **{kind: f"{ids}{kind}/" for kind in (
            "project", "programme", "agreement", "city-region", "work-package", "organisation",
            "person", "role", "theme", "scheme")},
    }


def prefix_map(project: "Config | str | None") -> dict[str, str]:
    """The project's prefix map, from its configuration (or base IRI): the common vocabularies
    and the project's own namespaces. CURIEs are read, IRIs shown and serialisations written with
    it; outside a project (None) only the common vocabularies are known."""
    if project is None:
        return dict(PREFIXES)
    base = project if isinstance(project, str) else project.base_iri
    return {**PREFIXES, **own_prefixes(base)}


def compact(iri: str, prefixes: Mapping[str, str]) -> str:
    """``prefix:local`` for the longest namespace that fits when the local part is a plain name
    (so the CURIE reads back in Turtle, SPARQL and ``--param``), else the IRI as it is."""
    best = max((p for p, ns in prefixes.items() if iri.startswith(ns) and len(iri) > len(ns)),
               key=lambda p: len(prefixes[p]), default=None)
    if best is not None:
        local = iri[len(prefixes[best]):]
        if all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
            return f"{best}:{local}"
    return iri


def show_iri(iri: str, prefixes: Mapping[str, str]) -> str:
    """An IRI as a report or message shows it: a CURIE (:func:`compact`), else ``<iri>``."""
    short = compact(iri, prefixes)
    return short if short != iri else f"<{iri}>"


def show(term: Any, prefixes: Mapping[str, str]) -> str:
    """A term as a person reads it in a report: CURIE or ``<iri>``, or a quoted literal with its
    tag or datatype."""
    if isinstance(term, ox.NamedNode):
        return show_iri(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        text = term.value if len(term.value) <= 80 else term.value[:77] + "…"
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype.value != XSD + "string":
            return f'"{text}"^^{show_iri(term.datatype.value, prefixes)}'
        return f'"{text}"'
    return str(term)


def to_rdflib(term: Any) -> Any:
    """pyoxigraph term → rdflib term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD + "string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.DefaultGraph) or term is None:
        return None
    raise TypeError(f"unsupported term {term!r}")


def from_rdflib(term: Any) -> Any:
    """rdflib term → pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if term is None:
        return ox.DefaultGraph()
    raise TypeError(f"unsupported term {term!r}")


IRI_FORBIDDEN = frozenset(' <>"{}|^`\\')


def iri_problem(value: str) -> str | None:
    """Why ``value`` is not an absolute IRI that can be written into RDF, or None if it is."""
    bad = next((c for c in value if c in IRI_FORBIDDEN or ord(c) <= 0x20 or ord(c) == 0x7f), None)
    if bad is not None:
        return f"it contains {bad!r}"
    if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value):
        return "it is not absolute (no scheme such as https:)"
    try:
        ox.NamedNode(value)
    except ValueError as exc:
        return str(exc)
    return None
