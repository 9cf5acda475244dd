"""The vocabulary of the synthetic graph: namespaces, literals, triples and files as plain
Python values (cheap to make by the million), and how terms are written as N-Triples."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Union

from akke_graph.synthetic import model as m
from akke_graph.synthetic.model import GRAPH, ID
from akke_graph.terms import (ADMS, DCAT, DCTERMS, FOAF, FRAPO, M8G, ORG, PROV, RDF, RDFS, ROV, SKOS,
                              VOID, XSD)

__all__ = ["ADMS", "DCAT", "DCTERMS", "FOAF", "FRAPO", "M8G", "ORG", "PROV", "RDF", "RDFS", "ROV",
           "SKOS", "VOID", "XSD", "AKKE", "A", "ROLE", "Lit", "Obj", "Triple", "GeneratedFile", "Triples",
           "fi", "en", "typed", "region_source", "programme_iri", "escape", "nt_term"]

AKKE = m.BASE + "ontology#"
A = RDF + "type"
ROLE = ID + "role/"


@dataclass(frozen=True, slots=True)
class Lit:
    """A literal: language-tagged, typed, or a plain string."""

    value: str
    lang: str | None = None
    datatype: str | None = None


Obj = Union[str, Lit]
Triple = tuple[str, str, Obj]


def fi(text: str) -> Lit:
    return Lit(text, "fi")


def en(text: str) -> Lit:
    return Lit(text, "en")


def typed(value: str, datatype: str) -> Lit:
    return Lit(value, None, datatype)


@dataclass
class GeneratedFile:
    """One source file of the synthetic graph: ``data/<stem>.ttl``, named graph and triples."""

    stem: str
    triples: list[Triple]

    @property
    def graph(self) -> str:
        return GRAPH + self.stem


class Triples(list):
    """A triple list with a compact way to describe one subject."""

    def about(self, subject: str, *pairs: tuple[str, Obj | Iterable[Obj]]) -> "Triples":
        for predicate, objects in pairs:
            if isinstance(objects, (str, Lit)):
                objects = (objects,)
            self.extend((subject, predicate, o) for o in objects)
        return self


def region_source(r: int) -> str:
    return ID + f"source/{m.region_slug(r)}-register"



def programme_iri(i: int) -> str:
    return ID + f"programme/synteettinen-ohjelma-{i + 1}"


def escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r"))


def nt_term(o: Obj) -> str:
    if isinstance(o, str):
        return f"<{o}>"
    if o.lang:
        return f'"{escape(o.value)}"@{o.lang}'
    if o.datatype:
        return f'"{escape(o.value)}"^^<{o.datatype}>'
    return f'"{escape(o.value)}"'
