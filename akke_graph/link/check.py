"""Check every stored link: offline (form, check digits, IRI patterns, duplicates and conflicts) as
SPARQL on the store, and optionally online against the registries (gone, ceased, renamed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from akke_graph.link import graph as g
from akke_graph.load import LoadedGraph
from akke_graph.registries import codes, ytunnus, yso
from akke_graph.registries.wikidata import WD
from akke_graph.terms import OWL, PREFIXES, SKOS, compact, own_prefixes

SAME = (SKOS + "exactMatch", OWL + "sameAs")
MAPPING = tuple(SKOS + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                                   "relatedMatch")) + (OWL + "sameAs",)
# Which IRIs belong to which registry, and the form a good one has.
SCHEMES = (
    ("Wikidata", r"^https?://(www\.)?wikidata\.org/", r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$"),
    ("the municipality code list", r"^https?://uri\.suomi\.fi/codelist/jhs/kunta", codes.MUNICIPALITY_IRI.pattern),
    ("the region code list", r"^https?://uri\.suomi\.fi/codelist/jhs/maakunta", codes.REGION_IRI.pattern),
    ("YSO", r"^https?://(www\.)?yso\.fi/|^https?://finto\.fi/yso", yso.YSO_IRI.pattern),
)

MESSAGES: dict[str, dict[str, str]] = {
    "bad_business_id": {
        "en": "business ID {value} of {subject} is not valid: {why}",
        "fi": "Y-tunnus {value} ({subject}) ei kelpaa: väärä muoto tai tarkiste"},
    "untyped_business_id": {
        "en": "identifier {subject} looks like a business ID ({value}) but its notation lacks the datatype akke:businessId",
        "fi": "tunniste {subject} näyttää Y-tunnukselta ({value}), mutta arvolta puuttuu tietotyyppi akke:businessId"},
    "orphan_business_id": {
        "en": "business ID {value} ({subject}) belongs to no organisation: no adms:identifier points to it",
        "fi": "Y-tunnus {value} ({subject}) ei kuulu millekään organisaatiolle: mikään adms:identifier ei osoita siihen"},
    "shared_business_id": {
        "en": "business ID {value} is held by {count} organisations: {subjects}",
        "fi": "Y-tunnus {value} on {count} organisaatiolla: {subjects}"},
    "several_business_ids": {
        "en": "{subject} has {count} business IDs: {values}",
        "fi": "organisaatiolla {subject} on {count} Y-tunnusta: {values}"},
    "bad_iri": {
        "en": "{subject} links to {value}, which is not an IRI of {scheme}: it should match {pattern}",
        "fi": "{subject} linkittää kohteeseen {value}, joka ei ole muodoltaan {scheme}-IRI: odotettu muoto {pattern}"},
    "several_targets": {
        "en": "{subject} is the same as {count} different entries of one registry: {values}",
        "fi": "{subject} on sama kuin {count} saman rekisterin eri kohdetta: {values}"},
    "shared_target": {
        "en": "{value} is the same as {count} entities of the graph: {subjects}",
        "fi": "{value} on sama kuin {count} tietoverkon oliota: {subjects}"},
    "contradictory": {
        "en": "{subject} links to {value} with {predicates} at once: keep one",
        "fi": "{subject} linkittää kohteeseen {value} yhtä aikaa ominaisuuksilla {predicates}: säilytä yksi"},
    "duplicate": {
        "en": "{subject} → {value} is stated in {count} files: {files}",
        "fi": "{subject} → {value} on kirjattu {count} tiedostoon: {files}"},
    "unversioned_yso": {
        "en": "the YSO mapping {subject} → {value} does not say which YSO release it was checked against (sssom:object_source_version)",
        "fi": "YSO-vastaavuus {subject} → {value} ei kerro, mitä YSO-julkaisua vasten se on tarkistettu (sssom:object_source_version)"},
    "unknown_subject": {
        "en": "{subject} links to {value}, but the graph does not describe {subject} (it has no rdf:type)",
        "fi": "{subject} linkittää kohteeseen {value}, mutta tietoverkko ei kuvaa oliota {subject} (sillä ei ole rdf:type-tyyppiä)"},
    "not_found": {
        "en": "{value} linked from {subject} is not found in {registry}",
        "fi": "{subject}: kohdetta {value} ei löydy rekisteristä {registry}"},
    "ceased": {
        "en": "{subject}: the trade register says company {value} ceased on {date}",
        "fi": "{subject}: kaupparekisterin mukaan yritys {value} on lakannut {date}"},
    "renamed": {
        "en": "{subject}: the trade register names {value} {theirs!r}, the graph {ours!r}{former}",
        "fi": "{subject}: kaupparekisterin mukaan {value} on nimeltään {theirs!r}, tietoverkossa {ours!r}{former}"},
    "redirected": {
        "en": "Wikidata item {value} linked from {subject} now redirects to {target}",
        "fi": "{subject}: Wikidata-kohde {value} ohjautuu nyt kohteeseen {target}"},
}
COUNT_WORDS = {"fi": {"business IDs": "Y-tunnusta", "link triples": "linkkiä",
                      "checked online": "tarkistettu verkossa"}}
SEVERITY_WORD = {"en": {"error": "error", "warning": "warning"},
                 "fi": {"error": "virhe", "warning": "varoitus"}}


@dataclass
class Finding:
    severity: str
    kind: str
    params: dict[str, Any]
    file: str | None = None

    def message(self, lang: str = "en") -> str:
        text = MESSAGES[self.kind].get(lang) or MESSAGES[self.kind]["en"]
        return text.format(**self.params)


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    online: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, severity: str, kind: str, file: str | None = None, **params: Any) -> None:
        self.findings.append(Finding(severity, kind, params, file))

    def to_text(self, lang: str = "en") -> str:
        words = SEVERITY_WORD.get(lang, SEVERITY_WORD["en"])
        lines = []
        for f in sorted(self.findings, key=lambda f: (f.severity != "error", f.kind, f.file or "")):
            where = f" ({f.file})" if f.file else ""
            lines.append(f"{words[f.severity]}: {f.message(lang)}{where}")
        errors, warnings = len(self.errors), len(self.findings) - len(self.errors)
        names = COUNT_WORDS.get(lang, {})
        checked = ", ".join(f"{n} {names.get(k, k)}" for k, n in self.counts.items())
        mode = " online" if self.online else ""
        if lang == "fi":
            lines.append(f"Linkkien tarkistus{mode}: {checked}; {errors} virhettä, {warnings} varoitusta.")
        else:
            lines.append(f"link check{mode}: {checked}; {errors} error(s), {warnings} warning(s).")
        return "\n".join(lines)


class _Namer:
    """Compact names for IRIs in messages."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self.prefixes = {**PREFIXES, **own_prefixes(loaded.config.base_iri), "wd": WD, "yso": yso.YSO}

    def __call__(self, iri: str) -> str:
        return compact(iri, self.prefixes)

    def many(self, iris: str) -> str:
        return ", ".join(self(i) for i in sorted(iris.split()))


def _sparql_regex(pattern: str) -> str:
    return pattern.replace("\\", "\\\\").replace('"', '\\"')


def _link_filter(loaded: LoadedGraph) -> str:
    base = loaded.config.id_base
    return f'FILTER(isIRI(?o) && !STRSTARTS(STR(?o), "{base}") && STRSTARTS(STR(?s), "{base}"))'


def check_business_ids(loaded: LoadedGraph, report: CheckReport, name: _Namer) -> list[g.Link]:
    found = g.business_ids(loaded)
    for link in found:
        why = ytunnus.problem(link.notation or "")
        shown = name(link.subject) if link.subject else name(link.object)
        if why:
            report.add("error", "bad_business_id", g.file_of(loaded, link.graph),
                       value=link.notation, subject=shown, why=why)
        if not link.subject:
            report.add("warning", "orphan_business_id", g.file_of(loaded, link.graph),
                       value=link.notation, subject=name(link.object))
    bid = g.business_id_datatype(loaded)
    rows = loaded.store.select(g.PREFIXES + f"""
        SELECT ?id ?n ?g WHERE {{
            GRAPH ?g {{ ?id skos:notation ?n ; adms:schemaAgency ?agency }}
            FILTER(DATATYPE(?n) != <{bid}> && CONTAINS(LCASE(STR(?agency)), "ytj"))
        }}""")
    for r in rows:
        report.add("warning", "untyped_business_id", g.file_of(loaded, r["g"].value),
                   subject=name(r["id"].value), value=r["n"].value)
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?n (COUNT(DISTINCT ?org) AS ?c) (GROUP_CONCAT(DISTINCT STR(?org); separator=" ") AS ?orgs)
            WHERE {{ ?org adms:identifier/skos:notation ?n . FILTER(DATATYPE(?n) = <{bid}>) }}
            GROUP BY ?n HAVING (COUNT(DISTINCT ?org) > 1)"""):
        report.add("error", "shared_business_id", value=r["n"].value, count=int(r["c"].value),
                   subjects=name.many(r["orgs"].value))
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?org (COUNT(DISTINCT ?n) AS ?c) (GROUP_CONCAT(DISTINCT STR(?n); separator=" ") AS ?ns)
            WHERE {{ ?org adms:identifier/skos:notation ?n . FILTER(DATATYPE(?n) = <{bid}>) }}
            GROUP BY ?org HAVING (COUNT(DISTINCT ?n) > 1)"""):
        report.add("error", "several_business_ids", subject=name(r["org"].value),
                   count=int(r["c"].value), values=", ".join(sorted(r["ns"].value.split())))
    return found


def check_link_triples(loaded: LoadedGraph, report: CheckReport, name: _Namer) -> int:
    where = _link_filter(loaded)
    preds = g.values(g.LINK_PREDICATES)
    count = loaded.store.select(g.PREFIXES + f"""
        SELECT (COUNT(*) AS ?c) WHERE {{ VALUES ?p {{ {preds} }} ?s ?p ?o . {where} }}""")
    total = int(count[0]["c"].value) if count else 0
    scheme_filters = " || ".join(
        f'(REGEX(?x, "{_sparql_regex(host)}") && !REGEX(?x, "{_sparql_regex(full)}"))'
        for _, host, full in SCHEMES)
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?g ?s ?p ?o WHERE {{
                VALUES ?p {{ {preds} }} GRAPH ?g {{ ?s ?p ?o }} {where}
                BIND(STR(?o) AS ?x) FILTER({scheme_filters})
            }} ORDER BY ?s ?o"""):
        iri = r["o"].value
        scheme, _, pattern = next(s for s in SCHEMES if re.search(s[1], iri))
        report.add("error", "bad_iri", g.file_of(loaded, r["g"].value), subject=name(r["s"].value),
                   value=iri, scheme=scheme, pattern=pattern)
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?s (COUNT(DISTINCT ?o) AS ?c) (GROUP_CONCAT(DISTINCT STR(?o); separator=" ") AS ?os) WHERE {{
                VALUES ?p {{ {g.values(SAME)} }} ?s ?p ?o . {where}
                BIND(REPLACE(STR(?o), "[^/#]*$", "") AS ?ns)
            }} GROUP BY ?s ?ns HAVING (COUNT(DISTINCT ?o) > 1)"""):
        report.add("error", "several_targets", subject=name(r["s"].value), count=int(r["c"].value),
                   values=name.many(r["os"].value))
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?o (COUNT(DISTINCT ?s) AS ?c) (GROUP_CONCAT(DISTINCT STR(?s); separator=" ") AS ?ss) WHERE {{
                VALUES ?p {{ {g.values(SAME)} }} ?s ?p ?o . {where}
            }} GROUP BY ?o HAVING (COUNT(DISTINCT ?s) > 1)"""):
        report.add("error", "shared_target", value=name(r["o"].value), count=int(r["c"].value),
                   subjects=name.many(r["ss"].value))
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?s ?o (GROUP_CONCAT(DISTINCT STR(?p); separator=" ") AS ?ps) WHERE {{
                VALUES ?p {{ {g.values(MAPPING)} }} ?s ?p ?o . {where}
            }} GROUP BY ?s ?o HAVING (COUNT(DISTINCT ?p) > 1)"""):
        report.add("error", "contradictory", subject=name(r["s"].value), value=name(r["o"].value),
                   predicates=name.many(r["ps"].value))
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?s ?o (COUNT(DISTINCT ?g) AS ?c) (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?gs) WHERE {{
                VALUES ?p {{ {preds} }} GRAPH ?g {{ ?s ?p ?o }} {where}
            }} GROUP BY ?s ?p ?o HAVING (COUNT(DISTINCT ?g) > 1)"""):
        files = ", ".join(g.file_of(loaded, x) for x in sorted(r["gs"].value.split()))
        report.add("warning", "duplicate", subject=name(r["s"].value), value=name(r["o"].value),
                   count=int(r["c"].value), files=files)
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT DISTINCT ?g ?s ?o WHERE {{
                VALUES ?p {{ {preds} }} GRAPH ?g {{ ?s ?p ?o }} {where}
                FILTER NOT EXISTS {{ ?s a ?type }}
            }} ORDER BY ?s"""):
        report.add("error", "unknown_subject", g.file_of(loaded, r["g"].value),
                   subject=name(r["s"].value), value=name(r["o"].value))
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?g ?s ?o WHERE {{
                VALUES ?p {{ {g.values(MAPPING)} }} GRAPH ?g {{ ?s ?p ?o }}
                FILTER(STRSTARTS(STR(?o), "{yso.YSO}"))
                FILTER NOT EXISTS {{ ?a owl:annotatedSource ?s ; owl:annotatedProperty ?p ;
                                        owl:annotatedTarget ?o ; sssom:object_source_version ?v }}
            }} ORDER BY ?s"""):
        report.add("warning", "unversioned_yso", g.file_of(loaded, r["g"].value),
                   subject=name(r["s"].value), value=name(r["o"].value))
    return total


def check_links(loaded: LoadedGraph, *, online: bool = False, prh: Any = None,
                wikidata: Any = None) -> CheckReport:
    """Check every stored link; with ``online``, also ask the registries (clients may be given)."""
    report = CheckReport(online=online)
    name = _Namer(loaded)
    ids = check_business_ids(loaded, report, name)
    total = check_link_triples(loaded, report, name)
    report.counts = {"business IDs": len(ids), "link triples": total}
    if online:
        from akke_graph.link.online import check_online

        check_online(loaded, report, name, ids, prh=prh, wikidata=wikidata)
    return report
