"""Entity resolution that never guesses: which entity of the graph a record means, or none.

Organisations are matched by business ID first, then by name: the same normalised name (case,
punctuation and legal-form words such as Oy, Ab, ry, kuntayhtymä aside) in any language, or a
city's Finnish, Swedish or English form built from its municipality's names in the code list. A
name that is only similar (rapidfuzz) is not merged: it becomes a candidate for review, an SSSOM
row that ``akke-graph link accept`` turns into ``owl:sameAs`` (or, negated, ``owl:differentFrom``)
between the IRI the name would get and the entity; the next import follows that decision.
Projects are matched by title, or by acronym and period; persons by name and organisation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from akke_graph.config import Config
from akke_graph.importer.records import OrgRef
from akke_graph.load import LoadedGraph
from akke_graph.names import city_names, compact, normalise_name, resemblance, slugify
from akke_graph.terms import ADMS, DCAT, DCTERMS, FOAF, FRAPO, ORG, OWL, PROV, ROV, SKOS

PREFIXES = f"""PREFIX skos: <{SKOS}> PREFIX org: <{ORG}> PREFIX dcterms: <{DCTERMS}> PREFIX dcat: <{DCAT}>
PREFIX frapo: <{FRAPO}> PREFIX prov: <{PROV}> PREFIX adms: <{ADMS}> PREFIX rov: <{ROV}>
PREFIX foaf: <{FOAF}> PREFIX owl: <{OWL}>
"""
SURE = 1.0            # a match on an identifier or an equal normalised name
SLUG_LIMIT = 60


@dataclass
class Known:
    """An entity of the graph (or one this import creates) with what it is matched by."""

    iri: str
    labels: dict[str, set[str]] = field(default_factory=dict)   # language ("" plain) → names
    pref: dict[str, str] = field(default_factory=dict)          # language → preferred name
    business_id: str | None = None
    cities: dict[str, set[str]] = field(default_factory=dict)   # language → municipality names
    acronym: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    node: str | None = None            # a project's period node

    def names(self) -> list[str]:
        return sorted({n for ns in self.labels.values() for n in ns})

    def add(self, lang: str, name: str, preferred: bool = False) -> None:
        self.labels.setdefault(lang, set()).add(name)
        if preferred:
            self.pref.setdefault(lang, name)


@dataclass
class Match:
    """What a name in a record is: an entity (``iri``, with ``how``), a new one (``new``),
    undecided between ``candidates``, or not to be made (``reason``)."""

    iri: str | None = None
    how: str = ""
    by: str = ""          # business-id | name | city | reviewed | title | acronym | new
    new: bool = False
    candidates: list[tuple[str, float, str]] = field(default_factory=list)   # (iri, score, name)
    would_be: str | None = None
    reason: str | None = None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


class Resolver:
    """A snapshot of what the graph holds, read once, and the entities this import adds."""

    def __init__(self, loaded: LoadedGraph) -> None:
        self.config: Config = loaded.config
        self.store = loaded.store
        self.iris: set[str] = set()
        self.organisations: dict[str, Known] = {}
        self.projects: dict[str, Known] = {}
        self.programmes: dict[str, Known] = {}
        self.persons: dict[str, Known] = {}
        self.person_orgs: dict[str, set[str]] = {}
        self.same_as: dict[str, str] = {}
        self.different: dict[str, set[str]] = {}
        self.memberships: dict[tuple[str, str], str] = {}
        self.fundings: dict[str, list[tuple[str, str | None, set[str]]]] = {}   # project → (funding, programme, pages)
        self.attributions: dict[tuple[str, str, str], str] = {}   # (funding, role, agent) → node
        self.work_packages: dict[tuple[str, int], Known] = {}
        self.associations: dict[tuple[str, str, str], str] = {}   # (wp, role, agent) → node
        self.city_regions: dict[str, Known] = {}
        self.agreements: dict[str, str] = {}                       # city region → agreement
        self.focus_areas: dict[tuple[str, str], str] = {}          # (agreement, normalised) → concept
        self.graph_pages: dict[str, set[str]] = {}                 # named graph → its source pages
        self.documents: set[str] = set()                           # sources described as foaf:Document
        self._read()

    # --- reading the graph ------------------------------------------------------------------

    def _rows(self, query: str) -> list[dict]:
        return self.store.select(PREFIXES + query)

    def _read(self) -> None:
        base = self.config.id_base
        for r in self._rows(f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{base}")) }}'):
            self.iris.add(r["s"].value)
        bid = self.config.ontology_ns + "businessId"
        for r in self._rows(f"""SELECT ?o ?k ?v WHERE {{ ?o a org:FormalOrganization .
                {{ ?o skos:prefLabel ?v BIND("pref" AS ?k) }} UNION {{ ?o skos:altLabel ?v BIND("alt" AS ?k) }}
                UNION {{ ?o rov:legalName ?v BIND("legal" AS ?k) }}
                UNION {{ ?o adms:identifier/skos:notation ?v FILTER(DATATYPE(?v) = <{bid}>) BIND("bid" AS ?k) }}
                UNION {{ ?o dcterms:spatial/skos:prefLabel ?v BIND("city" AS ?k) }} }}"""):
            known = self.organisations.setdefault(r["o"].value, Known(r["o"].value))
            kind, value = r["k"].value, r["v"]
            if kind == "bid":
                known.business_id = value.value
            elif kind == "city":
                known.cities.setdefault(value.language or "", set()).add(value.value)
            else:
                known.add(value.language or "", value.value, preferred=kind == "pref")
        for r in self._rows("SELECT ?a ?p ?b WHERE { VALUES ?p { owl:sameAs owl:differentFrom } ?a ?p ?b }"):
            a, b = r["a"].value, r["b"].value
            if not (a.startswith(base) and b.startswith(base)):
                continue
            if r["p"].value == OWL + "sameAs":
                self.same_as[a] = b
            else:
                self.different.setdefault(a, set()).add(b)
                self.different.setdefault(b, set()).add(a)
        for r in self._rows("""SELECT ?p ?k ?v WHERE { ?p a org:OrganizationalCollaboration .
                { ?p dcterms:title|dcterms:alternative ?v BIND("title" AS ?k) }
                UNION { ?p frapo:hasAcronym ?v BIND("acronym" AS ?k) }
                UNION { ?p dcterms:temporal/dcat:startDate ?v BIND("start" AS ?k) }
                UNION { ?p dcterms:temporal/dcat:endDate ?v BIND("end" AS ?k) }
                UNION { ?p dcterms:temporal ?v BIND("period" AS ?k) } }"""):
            known = self.projects.setdefault(r["p"].value, Known(r["p"].value))
            kind, value = r["k"].value, r["v"]
            if kind == "title":
                known.add(value.language or "", value.value)
            elif kind == "acronym":
                known.acronym = value.value
            elif kind == "start":
                known.start = _date(value.value)
            elif kind == "period":
                known.node = value.value
            else:
                known.end = _date(value.value)
        for r in self._rows("""SELECT ?p ?k ?v WHERE { ?p a frapo:FundingProgramme .
                { ?p dcterms:title ?v BIND("title" AS ?k) } UNION { ?p frapo:hasAcronym ?v BIND("acronym" AS ?k) } }"""):
            known = self.programmes.setdefault(r["p"].value, Known(r["p"].value))
            if r["k"].value == "title":
                known.add(r["v"].language or "", r["v"].value)
            else:
                known.acronym = r["v"].value
        for r in self._rows("SELECT ?m ?p ?o WHERE { ?m org:organization ?p ; org:member ?o }"):
            self.memberships.setdefault((r["p"].value, r["o"].value), r["m"].value)
        self.documents = {r["d"].value for r in self._rows("SELECT ?d WHERE { ?d a foaf:Document }")}
        for r in self._rows("SELECT ?g ?src WHERE { GRAPH ?g { ?g prov:wasDerivedFrom ?src } }"):
            self.graph_pages.setdefault(r["g"].value, set()).add(r["src"].value)
        fundings: dict[tuple[str, str], tuple[str | None, set[str]]] = {}
        for r in self._rows("""SELECT ?f ?p ?prog ?g WHERE { ?f frapo:funds ?p .
                GRAPH ?g { ?f ?x ?y } OPTIONAL { ?f dcterms:isPartOf ?prog } }"""):
            key = (r["p"].value, r["f"].value)
            programme, pages = fundings.get(key, (None, set()))
            fundings[key] = (r["prog"].value if "prog" in r else programme,
                             pages | self.graph_pages.get(r["g"].value, set()))
        for (project, funding), (programme, pages) in sorted(fundings.items()):
            self.fundings.setdefault(project, []).append((funding, programme, pages))
        for r in self._rows("""SELECT ?f ?a ?agent ?role WHERE { ?f prov:qualifiedAttribution ?a .
                ?a prov:agent ?agent ; prov:hadRole ?role }"""):
            self.attributions.setdefault((r["f"].value, r["role"].value, r["agent"].value), r["a"].value)
        wp_class = self.config.ontology_ns + "WorkPackage"
        for r in self._rows(f"""SELECT ?w ?p ?n ?t WHERE {{ ?w a <{wp_class}> ; dcterms:isPartOf ?p ;
                skos:notation ?n . OPTIONAL {{ ?w dcterms:title|dcterms:alternative ?t }} }}"""):
            try:
                number = int(r["n"].value)
            except ValueError:
                continue
            known = self.work_packages.setdefault((r["p"].value, number), Known(r["w"].value))
            if "t" in r:
                known.add(r["t"].language or "", r["t"].value)
        for r in self._rows("""SELECT ?w ?a ?agent ?role WHERE { ?w prov:qualifiedAssociation ?a .
                ?a prov:agent ?agent ; prov:hadRole ?role }"""):
            self.associations.setdefault((r["w"].value, r["role"].value, r["agent"].value), r["a"].value)
        for r in self._rows("SELECT ?x ?n ?o WHERE { ?x a foaf:Person ; foaf:name ?n OPTIONAL { ?x org:memberOf ?o } }"):
            self.persons.setdefault(r["x"].value, Known(r["x"].value)).add("", r["n"].value)
            if "o" in r:
                self.person_orgs.setdefault(r["x"].value, set()).add(r["o"].value)
        region_class = self.config.ontology_ns + "CityRegion"
        includes = self.config.ontology_ns + "includesCity"
        for r in self._rows(f"""SELECT ?r ?k ?v WHERE {{ ?r a <{region_class}> .
                {{ ?r skos:prefLabel ?v BIND("label" AS ?k) }}
                UNION {{ ?r <{includes}>/dcterms:spatial/skos:prefLabel ?v BIND("city" AS ?k) }}
                UNION {{ ?r <{includes}>/skos:prefLabel ?v BIND("label" AS ?k) }} }}"""):
            known = self.city_regions.setdefault(r["r"].value, Known(r["r"].value))
            if r["k"].value == "city":
                known.cities.setdefault(r["v"].language or "", set()).add(r["v"].value)
            else:
                known.add(r["v"].language or "", r["v"].value)
        agreement_class = self.config.ontology_ns + "EcosystemAgreement"
        for r in self._rows(f"SELECT ?a ?r WHERE {{ ?a a <{agreement_class}> ; dcterms:spatial ?r }}"):
            self.agreements.setdefault(r["r"].value, r["a"].value)
        scheme = self.config.id_base + "scheme/focus-areas"
        for r in self._rows(f"""SELECT ?a ?f ?l WHERE {{ ?a dcterms:subject ?f . ?f skos:inScheme <{scheme}> ;
                skos:prefLabel ?l }}"""):
            self.focus_areas.setdefault((r["a"].value, normalise_name(r["l"].value)), r["f"].value)

    # --- IRIs ---------------------------------------------------------------------------------

    def iri(self, kind: str, slug: str) -> str:
        return f"{self.config.id_base}{kind}/{slug}"

    def fresh(self, kind: str, slug: str) -> str:
        """An IRI of ``kind`` not yet used by anything, from ``slug``."""
        candidate, n = self.iri(kind, slug), 2
        while candidate in self.iris:
            candidate, n = self.iri(kind, f"{slug}-{n}"), n + 1
        self.iris.add(candidate)
        return candidate

    # --- organisations ------------------------------------------------------------------------

    def _by_name(self, name: str, pool: dict[str, Known]) -> set[str]:
        wanted = normalise_name(name)
        return {iri for iri, known in pool.items()
                if any(normalise_name(n) == wanted for n in known.names())}

    def _by_city(self, name: str) -> set[str]:
        wanted = normalise_name(name)
        found = set()
        for iri, known in self.organisations.items():
            for lang, municipalities in known.cities.items():
                if any(normalise_name(form) == wanted for m in municipalities for form in city_names(m, lang)):
                    found.add(iri)
        return found

    def organisation(self, ref: OrgRef) -> Match:
        """The organisation ``ref`` names: by business ID, then by name; never by a guess."""
        main = ref.names.get("fi") or next(iter(ref.names.values()))
        would_be = self.iri("organisation", slugify(normalise_name(main), SLUG_LIMIT) or "organisation")
        if ref.business_id:
            owner = next((i for i, k in self.organisations.items() if k.business_id == ref.business_id), None)
            if owner:
                return Match(iri=owner, how=f"business ID {ref.business_id}", by="business-id")
        if would_be in self.same_as:
            return Match(iri=self.same_as[would_be], how="a reviewed match (owl:sameAs)", by="reviewed")
        for name in ref.all_names():
            by = "name"
            found = self._by_name(name, self.organisations)
            if not found:
                found, by = self._by_city(name), "city"
            if len(found) == 1:
                iri = found.pop()
                other = self.organisations[iri].business_id
                if ref.business_id and other and other != ref.business_id:
                    return Match(reason=f"{name!r} is the name of {self.show(iri)}, which has another "
                                        f"business ID ({other}, not {ref.business_id})")
                return Match(iri=iri, how=f"{'name' if by == 'name' else 'city name'} {name!r}", by=by)
            if len(found) > 1:
                return Match(would_be=would_be, candidates=[(i, SURE, self.label(i)) for i in sorted(found)])
        rejected = self.different.get(would_be, set())
        scored = []
        for iri, known in self.organisations.items():
            if iri in rejected:
                continue
            scores = [resemblance(n, m) for n in ref.all_names() for m in known.names()]
            best = max((s for s in scores if s is not None), default=None)
            if best is not None:
                scored.append((iri, round(best, 3), self.label(iri)))
        if scored:
            return Match(would_be=would_be, candidates=sorted(scored, key=lambda c: (-c[1], c[0]))[:5])
        if "fi" not in ref.names:
            lang = next(iter(ref.names))
            return Match(reason=f"{main!r} is named only in {LANGUAGE_NAMES.get(lang, lang)}, and the "
                                "graph knows no organisation of that name; a new organisation needs its "
                                "Finnish name from a source")
        # The IRI a reviewer said is another organisation than the candidates is this name's own.
        free = would_be not in self.iris or (would_be in self.different and would_be not in self.organisations)
        iri = would_be if free else self.fresh("organisation", would_be.rsplit("/", 1)[1])
        self.iris.add(iri)
        return Match(iri=iri, new=True, how="new", by="new")

    def add_organisation(self, iri: str, ref: OrgRef) -> None:
        known = self.organisations.setdefault(iri, Known(iri))
        for lang, name in ref.names.items():
            known.add(lang, name, preferred=True)
        if ref.business_id and not known.business_id:
            known.business_id = ref.business_id

    def label(self, iri: str) -> str:
        for pool in (self.organisations, self.projects, self.programmes, self.persons, self.city_regions):
            if iri in pool:
                known = pool[iri]
                for lang in ("fi", "", "en", "sv"):
                    if known.pref.get(lang):
                        return known.pref[lang]
                names = known.names()
                if names:
                    return names[0]
        return iri.rsplit("/", 1)[-1]

    def show(self, iri: str) -> str:
        return f"{self.label(iri)} <{iri}>"

    # --- projects, programmes, work packages, persons, places ---------------------------------

    def project(self, titles: dict[str, str], acronym: str | None, start: dt.date | None,
                end: dt.date | None) -> Match:
        """The project of these titles (any language), or of this acronym and period."""
        main = titles.get("fi") or titles.get("en") or next(iter(titles.values()))
        would_be = self.iri("project", slugify(main, SLUG_LIMIT) or "project")
        if would_be in self.same_as:
            return Match(iri=self.same_as[would_be], how="a reviewed match (owl:sameAs)")

        def fits(known: Known) -> bool:
            return not ((start and known.start and start != known.start) or
                        (end and known.end and end != known.end))

        wanted = {compact(t) for t in titles.values()}
        same_title = [k for k in self.projects.values() if wanted & {compact(n) for n in k.names()}]
        fitting = [k for k in same_title if fits(k)]
        if len(fitting) == 1:
            return Match(iri=fitting[0].iri, how=f"title {main!r}")
        if same_title and not fitting:
            known = same_title[0]
            return Match(reason=f"the graph has a project of that name, {self.show(known.iri)}, with "
                                f"another period ({known.start} – {known.end})")
        if acronym and start and end:
            same = [k for k in self.projects.values()
                    if k.acronym == acronym and k.start == start and k.end == end]
            if len(same) == 1:
                return Match(iri=same[0].iri, how=f"acronym {acronym} and period {start} – {end}")
        rejected = self.different.get(would_be, set())
        from rapidfuzz import fuzz

        scored = []
        for iri, known in self.projects.items():
            if iri in rejected:
                continue
            best = max((fuzz.ratio(t.casefold(), n.casefold()) / 100.0 for t in titles.values()
                        for n in known.names()), default=0.0)
            if best >= 0.9:
                scored.append((iri, round(best, 3), self.label(iri)))
        if scored:
            return Match(would_be=would_be, candidates=sorted(scored, key=lambda c: (-c[1], c[0]))[:5])
        slug = slugify(acronym or main, SLUG_LIMIT) if acronym and len(acronym) >= 3 else slugify(main, SLUG_LIMIT)
        iri = self.fresh("project", slug or "project")
        self.projects[iri] = Known(iri, start=start, end=end, acronym=acronym)
        for lang, title in titles.items():
            self.projects[iri].add(lang, title)
        return Match(iri=iri, new=True, how="new")

    def programme(self, title: str, acronym: str | None, language: str) -> Match:
        wanted = compact(title)
        for iri, known in sorted(self.programmes.items()):
            if (acronym and known.acronym == acronym) or wanted in {compact(n) for n in known.names()}:
                return Match(iri=iri, how=f"programme {acronym or title!r}")
        iri = self.fresh("programme", slugify(acronym or title, SLUG_LIMIT) or "programme")
        known = self.programmes[iri] = Known(iri, acronym=acronym)
        known.add(language, title, preferred=True)
        return Match(iri=iri, new=True, how="new")

    def funding(self, project: str, page: str, programme: str | None) -> str:
        """The project's funding record that ``page`` states (the same node on re-import), else a
        new node named after the page."""
        for funding, prog, pages in self.fundings.get(project, []):
            if page in pages and (programme is None or prog in (None, programme)):
                return funding
        import hashlib

        node = f"{project}#funding-{hashlib.sha1(page.encode('utf-8')).hexdigest()[:8]}"
        self.fundings.setdefault(project, []).append((node, programme, {page}))
        return node

    def work_package(self, project: str, number: int) -> str:
        known = self.work_packages.get((project, number))
        if known:
            return known.iri
        iri = self.fresh("work-package", f"{project.rsplit('/', 1)[1]}-wp-{number}")
        self.work_packages[(project, number)] = Known(iri)
        return iri

    def person(self, name: str, organisation: str | None) -> Match:
        wanted = normalise_name(name)
        same = [iri for iri, k in self.persons.items() if any(normalise_name(n) == wanted for n in k.names())]
        at = [iri for iri in same if organisation is None or organisation in self.person_orgs.get(iri, set())]
        if len(at) == 1:
            return Match(iri=at[0], how=f"name {name!r} at {self.label(organisation) if organisation else '?'}")
        if len(at) > 1:
            return Match(reason=f"the graph has {len(at)} persons named {name!r} there")
        slug = slugify(name, SLUG_LIMIT) or "person"
        if same and organisation:
            slug = f"{slug}-{organisation.rsplit('/', 1)[1]}"
        iri = self.fresh("person", slug)
        self.persons[iri] = Known(iri)
        self.persons[iri].add("", name)
        if organisation:
            self.person_orgs.setdefault(iri, set()).add(organisation)
        return Match(iri=iri, new=True, how="new")

    def city_region(self, text: str) -> Match:
        """A city region by its name, or by the name of its (first) city: "Turku", "Lappeenranta
        (ml. Imatra)", "Pääkaupunkiseutu (Helsinki, Espoo, Vantaa)"."""
        head = text.split("(", 1)[0].strip()
        wanted = normalise_name(head)
        for iri, known in sorted(self.city_regions.items()):
            if any(normalise_name(n) == wanted for n in known.names()):
                return Match(iri=iri, how=f"city region {head!r}")
        found = [iri for iri, known in sorted(self.city_regions.items())
                 if any(normalise_name(c) == wanted for cs in known.cities.values() for c in cs)]
        if len(found) == 1:
            return Match(iri=found[0], how=f"the city region of {head}")
        return Match(reason=f"no city region of the graph is called {head!r} or has a city of that name")

    def focus_area(self, agreement: str, region: str, name: str) -> Match:
        key = (agreement, normalise_name(name))
        if key in self.focus_areas:
            return Match(iri=self.focus_areas[key], how="focus area")
        slug = f"{region.rsplit('/', 1)[1]}-{slugify(name, 40)}"
        iri = self.fresh("focus-area", slug)
        self.focus_areas[key] = iri
        return Match(iri=iri, new=True, how="new")


LANGUAGE_NAMES = {"en": "English", "sv": "Swedish", "fi": "Finnish"}
