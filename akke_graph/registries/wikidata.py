"""Wikidata through its SPARQL endpoint: candidate items by label and country, and what they carry.

Any SPARQL 1.1 endpoint holding Wikidata-shaped data works (``wd:``/``wdt:`` IRIs, ``rdfs:label``
and ``skos:altLabel`` with language tags, ``owl:sameAs`` for redirects); the default is the
Wikidata Query Service (the command's ``--endpoint`` or ``AKKE_WIKIDATA_ENDPOINT`` names another).
Requests go through the one SPARQL client (:mod:`akke_graph.sparql_http`, SPARQLWrapper) with
the same policy and rate limit as the other registry clients.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

from akke_graph.errors import RegistryError
from akke_graph.registries.http import MIN_INTERVAL, REGISTRY_POLICY
from akke_graph.sparql_http.failures import Failing, safe_url
from akke_graph.sparql_http.policy import SYSTEM_CLOCK, Clock, HttpPolicy, RateLimiter

WDQS = "https://query.wikidata.org/sparql"
REGISTRY = "Wikidata (SPARQL endpoint)"
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
OWL_SAMEAS = "http://www.w3.org/2002/07/owl#sameAs"
FINLAND = "Q33"
LANGS = ("fi", "sv", "en")
PREFIXES = f"""PREFIX wd: <{WD}>
PREFIX wdt: <{WDT}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def wikidata_endpoint(override: str | None = None) -> str:
    """The endpoint URL: the one given, else the Query Service."""
    return override or WDQS


def qid(iri: str) -> str:
    """``Q38511`` from ``http://www.wikidata.org/entity/Q38511`` (or the Q-id itself)."""
    return iri[len(WD):] if iri.startswith(WD) else iri


def item_iri(q: str) -> str:
    return q if q.startswith(WD) else WD + q


def sparql_string(text: str, lang: str | None = None) -> str:
    """A SPARQL literal for ``text``, escaped."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


@dataclass(frozen=True)
class Item:
    """A Wikidata item: labels and aliases (fi/sv/en), P31 types, P17 countries, identifiers."""

    iri: str
    labels: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()
    types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    redirect: str | None = None

    @property
    def qid(self) -> str:
        return qid(self.iri)

    def label(self, lang: str = "fi") -> str:
        found = dict(self.labels)
        return found.get(lang) or found.get("en") or next(iter(found.values()), self.qid)

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(text for _, text in self.labels + self.aliases))

    def identifier(self, prop: str) -> list[str]:
        """Values of a property such as ``P1566`` (plain-string claims)."""
        return [v for p, v in self.identifiers if p == prop]


class WikidataClient:
    """Reads Wikidata over SPARQL; no request is made until a method is called."""

    def __init__(self, endpoint: str | None = None, policy: HttpPolicy | None = None, *,
                 min_interval: float = MIN_INTERVAL, clock: Clock = SYSTEM_CLOCK) -> None:
        self.endpoint = wikidata_endpoint(endpoint)
        self.policy = policy or REGISTRY_POLICY
        self.clock = clock
        self.limiter = RateLimiter(min_interval, clock)

    def select(self, query: str) -> list[dict[str, dict[str, str]]]:
        """The JSON bindings of a SELECT query, with retries; a RegistryError when it fails."""
        from akke_graph.sparql_http.query import post_query

        where = safe_url(self.endpoint)
        answer = post_query(self.endpoint, PREFIXES + query, Failing(REGISTRY, where, RegistryError),
                            policy=self.policy, limiter=self.limiter, clock=self.clock)
        try:
            return list(json.loads(answer.body.decode("utf-8"))["results"]["bindings"])
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
            raise RegistryError(f"{REGISTRY} at {where} answered with a body that is not SPARQL "
                                "JSON results") from None

    def candidates(self, names: Iterable[str], *, langs: Iterable[str] = LANGS,
                   country: str | None = FINLAND, limit: int = 20) -> list[Item]:
        """Items whose label or alias equals one of ``names`` in one of ``langs``, in ``country``."""
        values = " ".join(sparql_string(n, lang) for n in dict.fromkeys(names) if n for lang in langs)
        if not values:
            return []
        where = f"wd:{qid(country)}" if country else "?country"
        rows = self.select(f"""SELECT DISTINCT ?item WHERE {{
  VALUES ?name {{ {values} }}
  ?item rdfs:label|skos:altLabel ?name .
  ?item wdt:P17 {where} .
}} LIMIT {int(limit)}""")
        iris = [r["item"]["value"] for r in rows if r.get("item", {}).get("type") == "uri"]
        found = self.items(iris)
        return [found[i] for i in iris if i in found]

    def items(self, iris: Iterable[str]) -> dict[str, Item]:
        """What Wikidata says about these items; an item missing from the answer does not exist."""
        wanted = list(dict.fromkeys(item_iri(i) for i in iris))
        if not wanted:
            return {}
        langs = ", ".join(sparql_string(lang) for lang in LANGS)
        rows = self.select(f"""SELECT ?item ?p ?o WHERE {{
  VALUES ?item {{ {' '.join(f'<{i}>' for i in wanted)} }}
  {{ ?item ?p ?o . FILTER(?p IN (rdfs:label, skos:altLabel) && LANG(?o) IN ({langs})) }}
  UNION {{ ?item ?p ?o . FILTER(?p IN (wdt:P31, wdt:P17, owl:sameAs)) }}
  UNION {{ ?item ?p ?o . FILTER(STRSTARTS(STR(?p), STR(wdt:P)) && isLiteral(?o) && DATATYPE(?o) = xsd:string) }}
}}""")
        parts: dict[str, dict[str, list[Any]]] = {}
        for row in rows:
            try:
                item, p, o = row["item"]["value"], row["p"]["value"], row["o"]
            except KeyError:
                continue
            slot = parts.setdefault(item, {"labels": [], "aliases": [], "types": [], "countries": [],
                                           "identifiers": [], "redirect": []})
            lang = o.get("xml:lang", "")
            if p == RDFS_LABEL:
                slot["labels"].append((lang, o["value"]))
            elif p == SKOS_ALT:
                slot["aliases"].append((lang, o["value"]))
            elif p == WDT + "P31":
                slot["types"].append(o["value"])
            elif p == WDT + "P17":
                slot["countries"].append(o["value"])
            elif p == OWL_SAMEAS:
                slot["redirect"].append(o["value"])
            elif p.startswith(WDT) and o.get("type") in ("literal", "typed-literal"):
                slot["identifiers"].append((p[len(WDT):], o["value"]))
        return {iri: Item(iri=iri, labels=tuple(sorted(s["labels"])), aliases=tuple(sorted(s["aliases"])),
                          types=tuple(sorted(set(s["types"]))), countries=tuple(sorted(set(s["countries"]))),
                          identifiers=tuple(sorted(set(s["identifiers"]))),
                          redirect=(s["redirect"] or [None])[0])
                for iri, s in parts.items()}
