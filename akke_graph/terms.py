"""Namespaces the package uses, and conversion between pyoxigraph and rdflib terms."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

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

# Prefixes for compact display and for readable serialisations.
PREFIXES: dict[str, str] = {
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "sh": SH, "skos": SKOS,
    "dcterms": DCTERMS, "dcat": DCAT, "foaf": FOAF, "org": ORG, "prov": PROV,
    "frapo": FRAPO, "adms": ADMS, "void": VOID, "rov": ROV, "m8g": M8G, "eurio": EURIO,
    "schema": SCHEMA, "vann": VANN,
}

RDF_TYPE = ox.NamedNode(RDF + "type")
XSD_STRING = ox.NamedNode(XSD + "string")
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


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """``prefix:local`` where a prefix fits and the local part is simple, else ``<iri>``."""
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            best = prefix
    if best:
        local = iri[len(prefixes[best]):]
        if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
            return f"{best}:{local}"
    return f"<{iri}>"


def show(term: Any, prefixes: dict[str, str]) -> str:
    """A term as a person reads it in a report: CURIE, or a quoted literal with its tag."""
    if isinstance(term, ox.NamedNode):
        return compact(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        text = term.value if len(term.value) <= 80 else term.value[:77] + "…"
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype.value != XSD + "string":
            return f'"{text}"^^{compact(term.datatype.value, prefixes)}'
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
        # normalize=False: rdflib would otherwise rewrite the lexical form ("04" → "4").
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        if term.datatype.value == XSD + "string":
            return Literal(term.value, normalize=False)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
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
