"""Check every stored link: offline (form, check digits, IRI patterns, duplicates and conflicts) as
SPARQL on the store, and optionally online against the registries (gone, ceased, renamed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from akke_graph.link import graph as g
from akke_graph.load import LoadedGraph
from akke_graph.registries import codes, yso, ytunnus
from akke_graph.registries.wikidata import WD
from akke_graph.terms import OWL, SKOS, prefix_map, show_iri
from akke_graph.escape import visible

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
        return visible("\n".join(lines))


class _Namer:
    """Compact names for IRIs in messages."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self.prefixes = {**prefix_map(loaded.config), "wd": WD, "yso": yso.YSO}

    def __call__(self, iri: str) -> str:
        return show_iri(iri, self.prefixes)

    def many(self, iris: str) -> str:
        return ", ".join(self(i) for i in sorted(iris.split()))


def _sparql_regex(pattern: str) -> str:
    return pattern.replace("\\", "\\\\").replace('"', '\\"')


def _link_filter(loaded: LoadedGraph) -> str:
    return f'FILTER(isIRI(?o) && !STRSTARTS(STR(?o), "{loaded.config.id_base}"))'


def _files(loaded: LoadedGraph, pattern: str, keys: str) -> dict[tuple[str, ...], list[str]]:
    """The files stating ``pattern`` for the few keys a check found (``keys`` is a VALUES block)."""
    found: dict[tuple[str, ...], list[str]] = {}
    for r in loaded.store.select(g.PREFIXES + f"SELECT * WHERE {{ {keys} GRAPH ?g {{ {pattern} }} }}"):
        key = tuple(r[v].value for v in sorted(r) if v != "g")
        found.setdefault(key, []).append(g.file_of(loaded, r["g"].value))
    return found


def check_business_ids(loaded: LoadedGraph, report: CheckReport, name: _Namer) -> int:
    """Form and check digit (in Python, the one business-ID function, over the distinct values
    SPARQL finds), identifiers without an organisation, IDs shared or doubled (SPARQL groups)."""
    bid = g.business_id_datatype(loaded)
    typed = f"FILTER(DATATYPE(?n) = <{bid}>)"
    # one row holding every distinct value: cheap to carry out of the store even for 100k IDs
    rows = loaded.store.select(g.PREFIXES + f"""
        SELECT (COUNT(?n) AS ?count) (GROUP_CONCAT(STR(?n); separator="\\u001f") AS ?all)
        WHERE {{ SELECT DISTINCT ?n WHERE {{ ?id skos:notation ?n . {typed} }} }}""")
    values = rows[0]["all"].value.split("\x1f") if rows and int(rows[0]["count"].value) else []
    bad = {v: why for v in values if (why := ytunnus.problem(v))}
    if bad:
        keys = "VALUES ?n { " + " ".join(f'"{v}"^^<{bid}>' for v in bad if '"' not in v and "\\" not in v) + " }"
        for r in loaded.store.select(g.PREFIXES + f"""
                SELECT ?g ?id ?n ?org WHERE {{ {keys} GRAPH ?g {{ ?id skos:notation ?n }}
                                             OPTIONAL {{ ?org adms:identifier ?id }} }} ORDER BY ?n"""):
            holder = r["org"].value if "org" in r else r["id"].value
            report.add("error", "bad_business_id", g.file_of(loaded, r["g"].value),
                       value=r["n"].value, subject=name(holder), why=bad[r["n"].value])
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?g ?id ?n WHERE {{ GRAPH ?g {{ ?id skos:notation ?n }} {typed}
                                    FILTER NOT EXISTS {{ ?org adms:identifier ?id }} }} ORDER BY ?id"""):
        report.add("warning", "orphan_business_id", g.file_of(loaded, r["g"].value),
                   value=r["n"].value, subject=name(r["id"].value))
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?id ?n ?g WHERE {{
                GRAPH ?g {{ ?id skos:notation ?n ; adms:schemaAgency ?agency }}
                FILTER(DATATYPE(?n) != <{bid}> && CONTAINS(LCASE(STR(?agency)), "ytj"))
            }}"""):
        report.add("warning", "untyped_business_id", g.file_of(loaded, r["g"].value),
                   subject=name(r["id"].value), value=r["n"].value)
    held = f"?org adms:identifier/skos:notation ?n . {typed}"
    shared = [r["n"] for r in loaded.store.select(g.PREFIXES + f"""
        SELECT ?n WHERE {{ {held} }} GROUP BY ?n HAVING (COUNT(DISTINCT ?org) > 1)""")]
    if shared:
        orgs: dict[str, list[str]] = {}
        for r in loaded.store.select(g.PREFIXES + f"""SELECT ?n ?org WHERE {{
                VALUES ?n {{ {' '.join(str(n) for n in shared)} }} {held} }}"""):
            orgs.setdefault(r["n"].value, []).append(r["org"].value)
        for n, who in sorted(orgs.items()):
            report.add("error", "shared_business_id", value=n, count=len(set(who)),
                       subjects=name.many(" ".join(set(who))))
    several = [r["org"].value for r in loaded.store.select(g.PREFIXES + f"""
        SELECT ?org WHERE {{ {held} }} GROUP BY ?org HAVING (COUNT(DISTINCT ?n) > 1)""")]
    if several:
        ids: dict[str, set[str]] = {}
        for r in loaded.store.select(g.PREFIXES + f"""SELECT ?org ?n WHERE {{
                VALUES ?org {{ {g.values(several)} }} {held} }}"""):
            ids.setdefault(r["org"].value, set()).add(r["n"].value)
        for org, ns in sorted(ids.items()):
            report.add("error", "several_business_ids", subject=name(org), count=len(ns),
                       values=", ".join(sorted(ns)))
    return len(values)


def check_link_triples(loaded: LoadedGraph, report: CheckReport, name: _Namer) -> int:
    """IRI patterns, one entity the same as two entries, one entry the same as two entities,
    contradictory predicates, links stated twice, links from undescribed entities: each a SPARQL
    query that returns only what is wrong."""
    where = _link_filter(loaded)
    preds = g.values(g.LINK_PREDICATES)
    links = f"VALUES ?p {{ {preds} }} ?s ?p ?o . {where}"
    same = f"VALUES ?p {{ {g.values(SAME)} }} ?s ?p ?o . {where}"
    mapped = f"VALUES ?p {{ {g.values(MAPPING)} }} ?s ?p ?o . {where}"
    count = loaded.store.select(g.PREFIXES + f"SELECT (COUNT(*) AS ?c) WHERE {{ {links} }}")
    hosts = "|".join(f"({host})" for _, host, _ in SCHEMES)
    forms = "|".join(f"({full})" for _, _, full in SCHEMES)
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?s ?o WHERE {{
                {links} BIND(STR(?o) AS ?x)
                FILTER(REGEX(?x, "{_sparql_regex(hosts)}") && !REGEX(?x, "{_sparql_regex(forms)}"))
            }} ORDER BY ?s ?o"""):
        iri = r["o"].value
        scheme, _, pattern = next(s for s in SCHEMES if re.search(s[1], iri))
        files = _files(loaded, f"?s ?p <{iri}>", f"VALUES ?s {{ <{r['s'].value}> }}")
        report.add("error", "bad_iri", ", ".join(sorted({f for fs in files.values() for f in fs})),
                   subject=name(r["s"].value), value=iri, scheme=scheme, pattern=pattern)
    several = [r["s"].value for r in loaded.store.select(g.PREFIXES + f"""
        SELECT ?s WHERE {{ {same} BIND(REPLACE(STR(?o), "[^/#]*$", "") AS ?ns) }}
        GROUP BY ?s ?ns HAVING (COUNT(DISTINCT ?o) > 1)""")]
    shared = [r["o"].value for r in loaded.store.select(g.PREFIXES + f"""
        SELECT ?o WHERE {{ {same} }} GROUP BY ?o HAVING (COUNT(DISTINCT ?s) > 1)""")]
    both = loaded.store.select(g.PREFIXES + f"""
        SELECT ?s ?o WHERE {{ {mapped} }} GROUP BY ?s ?o HAVING (COUNT(DISTINCT ?p) > 1)""")
    twice = loaded.store.select(g.PREFIXES + f"""
        SELECT ?s ?p ?o WHERE {{ {links} }} GROUP BY ?s ?p ?o HAVING (COUNT(*) > 1)""")
    if several:
        targets: dict[tuple[str, str], set[str]] = {}
        for r in loaded.store.select(g.PREFIXES + f"SELECT ?s ?o WHERE {{ VALUES ?s {{ {g.values(several)} }} {same} }}"):
            namespace = re.sub(r"[^/#]*$", "", r["o"].value)
            targets.setdefault((r["s"].value, namespace), set()).add(r["o"].value)
        for (subject, _), objects in sorted(targets.items()):
            if len(objects) > 1:
                report.add("error", "several_targets", subject=name(subject), count=len(objects),
                           values=name.many(" ".join(objects)))
    if shared:
        subjects: dict[str, set[str]] = {}
        for r in loaded.store.select(g.PREFIXES + f"SELECT ?s ?o WHERE {{ VALUES ?o {{ {g.values(shared)} }} {same} }}"):
            subjects.setdefault(r["o"].value, set()).add(r["s"].value)
        for obj, who in sorted(subjects.items()):
            report.add("error", "shared_target", value=name(obj), count=len(who),
                       subjects=name.many(" ".join(who)))
    for r in both:
        predicates = [x["p"].value for x in loaded.store.select(
            g.PREFIXES + f"SELECT DISTINCT ?p WHERE {{ VALUES ?p {{ {g.values(MAPPING)} }} "
                         f"<{r['s'].value}> ?p <{r['o'].value}> }}")]
        report.add("error", "contradictory", subject=name(r["s"].value), value=name(r["o"].value),
                   predicates=name.many(" ".join(predicates)))
    if twice:
        keys = "VALUES (?s ?p ?o) { " + " ".join(f"(<{r['s'].value}> <{r['p'].value}> <{r['o'].value}>)"
                                                  for r in twice) + " }"
        for (o, p, s_), stated_in in sorted(_files(loaded, "?s ?p ?o", keys).items()):
            report.add("warning", "duplicate", subject=name(s_), value=name(o), count=len(stated_in),
                       files=", ".join(sorted(stated_in)))
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?s (SAMPLE(?o) AS ?target) WHERE {{
                {{ SELECT ?s ?o WHERE {{ {links} }} }} MINUS {{ ?s a ?type }}
            }} GROUP BY ?s ORDER BY ?s"""):
        report.add("error", "unknown_subject", subject=name(r["s"].value), value=name(r["target"].value))
    for r in loaded.store.select(g.PREFIXES + f"""
            SELECT ?g ?s ?o WHERE {{
                VALUES ?p {{ {g.values(MAPPING)} }} GRAPH ?g {{ ?s ?p ?o }}
                FILTER(STRSTARTS(STR(?o), "{yso.YSO}"))
                MINUS {{ ?a owl:annotatedSource ?s ; owl:annotatedProperty ?p ;
                               owl:annotatedTarget ?o ; sssom:object_source_version ?v }}
            }} ORDER BY ?s"""):
        report.add("warning", "unversioned_yso", g.file_of(loaded, r["g"].value),
                   subject=name(r["s"].value), value=name(r["o"].value))
    return int(count[0]["c"].value) if count else 0


def check_links(loaded: LoadedGraph, *, online: bool = False, prh: Any = None,
                wikidata: Any = None) -> CheckReport:
    """Check every stored link; with ``online``, also ask the registries (clients may be given)."""
    report = CheckReport(online=online)
    name = _Namer(loaded)
    report.counts = {"business IDs": check_business_ids(loaded, report, name),
                     "link triples": check_link_triples(loaded, report, name)}
    if online:
        from akke_graph.link.online import check_online

        check_online(loaded, report, name, g.business_ids(loaded), prh=prh, wikidata=wikidata)
    return report
