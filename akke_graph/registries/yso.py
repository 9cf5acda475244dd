"""The General Finnish Ontology YSO: concept IRIs, and the graph's theme → YSO mappings.

Concept IRIs are ``http://www.yso.fi/onto/yso/pNNNN``. The mappings themselves are data
(``data/links/yso.ttl``), each saying with ``sssom:object_source_version`` which YSO release it was
checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from akke_graph.store import Store

YSO = "http://www.yso.fi/onto/yso/"
YSO_IRI = re.compile(r"^http://www\.yso\.fi/onto/yso/p[0-9]+$")
CHECKED_RELEASE = "2019.3 Cicero"
MAPPING_PREDICATES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")


def yso_iri(concept: str) -> str:
    """The IRI of ``p28601`` (or of the IRI itself, checked)."""
    iri = concept if concept.startswith(YSO) else YSO + concept
    if not YSO_IRI.match(iri):
        raise ValueError(f"{concept!r} is not a YSO concept (pNNNN)")
    return iri


@dataclass(frozen=True)
class ThemeMapping:
    theme: str
    predicate: str
    concept: str
    release: str | None


def theme_mappings(store: Store) -> list[ThemeMapping]:
    """Every SKOS mapping from a theme concept to YSO, with the YSO release it was checked against."""
    values = " ".join(f"skos:{p}" for p in MAPPING_PREDICATES)
    rows = store.select(f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX sssom: <https://w3id.org/sssom/>
        SELECT ?theme ?p ?concept (SAMPLE(?v) AS ?release) WHERE {{
            VALUES ?p {{ {values} }}
            ?theme a skos:Concept ; ?p ?concept .
            FILTER(STRSTARTS(STR(?concept), "{YSO}"))
            OPTIONAL {{ ?axiom owl:annotatedSource ?theme ; owl:annotatedProperty ?p ;
                               owl:annotatedTarget ?concept ; sssom:object_source_version ?v . }}
        }} GROUP BY ?theme ?p ?concept ORDER BY ?theme ?concept""")
    return [ThemeMapping(r["theme"].value, r["p"].value, r["concept"].value,
                         r["release"].value if "release" in r else None) for r in rows]
