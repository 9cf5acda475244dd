"""Known violations injected into the synthetic graph, one kind of constraint at a time.

Each injection changes one file of the clean graph (drops, swaps or adds a few triples of one
entity) and states the exact SHACL results it must cause: focus node, path, constraint component,
severity and, where the component reports one, the value. Injections touch different entities, so
their results never interact; together they cover every constraint kind the shapes in
``shapes/`` use. Targets are the first projects and organisations of the regions, which exist at
every size from about 7k triples up (32 projects, at least one and five organisations per region).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from akke_graph.synthetic import model as m
from akke_graph.synthetic.vocab import (ADMS, AKKE, A, DCAT, DCTERMS, FOAF, FRAPO, ORG, PROV, RDFS,
                                 ROLE, ROV, SKOS, XSD, GeneratedFile, Lit, Obj, Triple, en, fi, nt_term,
                                 programme_iri, region_source, typed)
from akke_graph.synthetic.model import GRAPH, ID, Plan

SH = "http://www.w3.org/ns/shacl#"
PRH_LOOKUP = "https://avoindata.prh.fi/opendata-ytj-api/v3/companies?businessId="
VIOLATION, WARNING = SH + "Violation", SH + "Warning"


@dataclass(frozen=True)
class ExpectedViolation:
    """One validation result an injection must cause.

    ``path`` is a SPARQL property path as the project's validator writes it (``<p>``, ``^(<p>)``,
    ``(<p>/<q>)``), None for a node shape's own result; ``value`` is the N-Triples form of
    ``sh:value`` where the component gives one.
    """

    focus: str
    path: str | None
    component: str
    severity: str
    value: str | None = None
    injection: str = ""


def path(*iris: str) -> str:
    """A predicate or a sequence path, written as akke_graph.shacl writes ``path_text``."""
    text = "/".join(f"<{i}>" for i in iris)
    return text if len(iris) == 1 else f"({text})"


def inverse(iri: str) -> str:
    return f"^(<{iri}>)"


def c(name: str) -> str:
    return f"{SH}{name}ConstraintComponent"


def drop(t: list[Triple], s: str, p: str, o: Obj | None = None) -> list[Triple]:
    return [x for x in t if not (x[0] == s and x[1] == p and (o is None or x[2] == o))]


def swap(t: list[Triple], s: str, p: str, old: Obj, new: Obj) -> list[Triple]:
    return [(s, p, new) if x == (s, p, old) else x for x in t]


def objects(t: list[Triple], s: str, p: str) -> list[Obj]:
    return [x[2] for x in t if x[0] == s and x[1] == p]


Mutation = Callable[[list[Triple]], list[Triple]]
Injected = tuple[Mutation, list[tuple]]   # the change, and (focus, path, component[, severity][, value])


# --- Projects: the i-th injection goes to the i-th project in (number, region) order ----------

def project_injections(p: Plan) -> dict[str, Callable[[m.Project], Injected]]:
    person0 = lambda pr: m.person(p, pr.r, 0).iri  # noqa: E731
    region = lambda pr: ID + "city-region/" + m.region_slug(pr.r)  # noqa: E731

    def lit(o: Obj) -> str:
        return nt_term(o)

    return {
        "missing-main-contractor": lambda pr: (
            lambda t: drop(t, pr.membership(pr.partners[0]), ORG + "role", ROLE + "main-implementer"),
            [(pr.iri, None, c("SPARQL"), WARNING, f"<{pr.iri}>")]),
        "two-main-contractors": lambda pr: (
            lambda t: t + [(pr.membership(pr.partners[1]), ORG + "role", ROLE + "main-implementer")],
            [(pr.iri, inverse(ORG + "organization"), c("QualifiedMaxCount"))]),
        "no-partners": lambda pr: (
            lambda t: [x for x in t if not x[0].startswith(pr.iri + "#membership-")],
            [(pr.iri, inverse(ORG + "organization"), c("MinCount"), WARNING),
             (pr.iri, None, c("SPARQL"), WARNING, f"<{pr.iri}>")]),
        "end-before-start": lambda pr: (
            lambda t: swap(t, pr.period, DCAT + "endDate", typed(pr.end, XSD + "date"),
                           typed(f"{int(pr.start[:4]) - 1}{pr.start[4:]}", XSD + "date")),
            [(pr.period, path(DCAT + "startDate"), c("LessThanOrEquals"), VIOLATION,
              lit(typed(pr.start, XSD + "date")))]),
        "period-without-start": lambda pr: (
            lambda t: drop(t, pr.period, DCAT + "startDate"),
            [(pr.iri, path(DCTERMS + "temporal", DCAT + "startDate"), c("MinCount"), WARNING)]),
        "period-two-end-dates": lambda pr: (
            lambda t: t + [(pr.period, DCAT + "endDate", typed("2099-12-31", XSD + "date"))],
            [(pr.period, path(DCAT + "endDate"), c("MaxCount"))]),
        "acronym-with-language": lambda pr: (
            lambda t: swap(t, pr.iri, FRAPO + "hasAcronym", Lit(pr.acronym), fi(pr.acronym)),
            [(pr.iri, path(FRAPO + "hasAcronym"), c("Datatype"), VIOLATION, lit(fi(pr.acronym)))]),
        "two-acronyms": lambda pr: (
            lambda t: t + [(pr.iri, FRAPO + "hasAcronym", Lit(pr.acronym + "-B"))],
            [(pr.iri, path(FRAPO + "hasAcronym"), c("MaxCount"))]),
        "source-not-iri": lambda pr: (
            lambda t: swap(t, pr.iri, DCTERMS + "source", pr.source, Lit(pr.source)),
            [(pr.iri, path(DCTERMS + "source"), c("NodeKind"), VIOLATION, lit(Lit(pr.source)))]),
        "theme-not-a-concept": lambda pr: (
            lambda t: t + [(pr.iri, DCAT + "theme", m.MINISTRY)],
            [(pr.iri, path(DCAT + "theme"), c("Class"), VIOLATION, f"<{m.MINISTRY}>")]),
        "enables-a-region": lambda pr: (
            lambda t: swap(t, pr.iri, FRAPO + "enables", ID + "agreement/" + m.region_slug(pr.r), region(pr)),
            [(pr.iri, path(FRAPO + "enables"), c("Class"), VIOLATION, f"<{region(pr)}>")]),
        "description-twice-in-english": lambda pr: (
            lambda t: t + [(pr.iri, DCTERMS + "description", en("A second English description."))],
            [(pr.iri, path(DCTERMS + "description"), c("UniqueLang"))]),
        "unknown-own-property": lambda pr: (
            lambda t: t + [(pr.iri, AKKE + "internalNote", fi("Sisäinen huomautus"))],
            [(pr.iri, path(AKKE + "internalNote"), c("SPARQL"), VIOLATION, f"<{AKKE}internalNote>")]),
        "membership-two-members": lambda pr: (
            lambda t: t + [(pr.membership(pr.partners[1]), ORG + "member", pr.partners[0])],
            [(pr.membership(pr.partners[1]), path(ORG + "member"), c("MaxCount"))]),
        "membership-member-is-a-person": lambda pr: (
            lambda t: swap(t, pr.membership(pr.partners[1]), ORG + "member", pr.partners[1], person0(pr)),
            [(pr.membership(pr.partners[1]), path(ORG + "member"), c("Class"), VIOLATION, f"<{person0(pr)}>")]),
        "membership-role-not-a-role": lambda pr: (
            lambda t: swap(t, pr.membership(pr.partners[1]), ORG + "role", ROLE + "partner", ID + "theme/ict"),
            [(pr.membership(pr.partners[1]), path(ORG + "role"), c("Class"), VIOLATION, f"<{ID}theme/ict>")]),
        "membership-without-role": lambda pr: (
            lambda t: drop(t, pr.membership(pr.partners[1]), ORG + "role"),
            [(pr.membership(pr.partners[1]), path(ORG + "role"), c("MinCount"))]),
        "funding-amount-negative": lambda pr: (
            lambda t: swap(t, pr.grant, FRAPO + "hasMonetaryValue", amount(pr), typed("-1", XSD + "decimal")),
            [(pr.grant, path(FRAPO + "hasMonetaryValue"), c("MinInclusive"), VIOLATION,
              lit(typed("-1", XSD + "decimal")))]),
        "funding-larger-than-total-cost": lambda pr: (
            lambda t: swap(t, pr.grant, AKKE + "totalCost", total_cost(pr), typed("1", XSD + "decimal")),
            [(pr.grant, path(FRAPO + "hasMonetaryValue"), c("LessThanOrEquals"), WARNING, lit(amount(pr)))]),
        "grant-programme-wrong-class": lambda pr: (
            lambda t: swap(t, pr.grant, DCTERMS + "isPartOf", programme_iri(pr.programme), m.AGREEMENT_PROGRAMME),
            [(pr.grant, path(DCTERMS + "isPartOf"), c("Class"), VIOLATION, f"<{m.AGREEMENT_PROGRAMME}>")]),
        "grant-two-programmes": lambda pr: (
            lambda t: t + [(pr.grant, DCTERMS + "isPartOf", programme_iri((pr.programme + 1) % m.PROGRAMMES))],
            [(pr.grant, path(DCTERMS + "isPartOf"), c("MaxCount"))]),
        "grant-two-finnish-labels": lambda pr: (
            lambda t: t + [(pr.grant, RDFS + "label", fi("Toinen suomenkielinen nimi"))],
            [(pr.grant, path(RDFS + "label"), c("UniqueLang"))]),
        "attribution-agent-is-a-person": lambda pr: (
            lambda t: swap(t, pr.grant + "-funding-authority", PROV + "agent", m.funding_authority(pr.r), person0(pr)),
            [(pr.grant + "-funding-authority", path(PROV + "agent"), c("Class"), VIOLATION, f"<{person0(pr)}>")]),
        "funding-currency-not-euro": lambda pr: (
            lambda t: swap(t, pr.grant, FRAPO + "hasCurrencyCode", Lit("EUR"), Lit("SEK")),
            [(pr.grant, path(FRAPO + "hasCurrencyCode"), c("In"), VIOLATION, lit(Lit("SEK")))]),
        "funding-without-currency": lambda pr: (
            lambda t: drop(t, pr.grant, FRAPO + "hasCurrencyCode"),
            [(pr.grant, None, c("SPARQL"), VIOLATION, lit(amount(pr))),
             (pr.grant, None, c("SPARQL"), VIOLATION, lit(total_cost(pr)))]),
        "funding-amount-without-status": lambda pr: (
            lambda t: drop(t, pr.grant, ADMS + "status"),
            [(pr.grant, None, c("SPARQL"), VIOLATION, lit(amount(pr)))]),
        "proposal-typed-as-grant": lambda pr: (
            lambda t: drop(drop(t, pr.grant, ADMS + "status"), pr.grant, A, FRAPO + "Grant")
            + [(pr.grant, A, FRAPO + "Grant"), (pr.grant, ADMS + "status", ID + "funding-status/proposed")],
            [(pr.grant, None, c("SPARQL"), VIOLATION, f"<{ID}funding-status/proposed>")]),
        "funding-without-any-funder": lambda pr: (
            lambda t: [x for x in swap(t, pr.grant, DCTERMS + "isPartOf", programme_iri(pr.programme), programme_iri(5))
                       if x[0] != pr.grant + "-funder" and x[2] != pr.grant + "-funder"],
            [(pr.grant, None, c("SPARQL"), WARNING, f"<{pr.grant}>")]),
        "work-package-number-zero": lambda pr: (
            lambda t: swap(t, pr.wps[0].iri, SKOS + "notation", typed("1", XSD + "integer"), typed("0", XSD + "integer")),
            [(pr.wps[0].iri, path(SKOS + "notation"), c("MinInclusive"), VIOLATION, lit(typed("0", XSD + "integer")))]),
        "duplicate-work-package-number": lambda pr: (
            lambda t: swap(t, pr.wps[1].iri, SKOS + "notation", typed("2", XSD + "integer"), typed("1", XSD + "integer")),
            [(pr.wps[1].iri, path(SKOS + "notation"), c("SPARQL"), VIOLATION, lit(typed("1", XSD + "integer"))),
             (pr.wps[0].iri, path(SKOS + "notation"), c("SPARQL"), VIOLATION, lit(typed("1", XSD + "integer")))]),
        "work-package-without-responsible": lambda pr: (
            lambda t: [x for x in t if not (x[0].startswith(pr.wps[0].iri + "#responsible-")
                                           or (isinstance(x[2], str) and x[2].startswith(pr.wps[0].iri + "#responsible-")))],
            [(pr.wps[0].iri, path(PROV + "qualifiedAssociation"), c("QualifiedMinCount"))]),
        "work-package-without-english-title": lambda pr: (
            lambda t: drop(t, pr.wps[0].iri, DCTERMS + "title", en(pr.wps[0].title_en)),
            [(pr.wps[0].iri, path(DCTERMS + "title"), c("QualifiedMinCount"), WARNING)]),
        "work-package-without-theme": lambda pr: (
            lambda t: drop(t, pr.wps[0].iri, DCAT + "theme"),
            [(pr.wps[0].iri, path(DCAT + "theme"), c("MinCount"), WARNING)]),
        "title-without-language": lambda pr: (
            lambda t: t + [(pr.wps[0].iri, DCTERMS + "title", Lit(pr.wps[0].title_fi))],
            [(pr.wps[0].iri, path(DCTERMS + "title"), c("Datatype"), VIOLATION, lit(Lit(pr.wps[0].title_fi)))]),
        "work-package-without-project": lambda pr: (
            lambda t: drop(t, pr.wps[0].iri, DCTERMS + "isPartOf"),
            [(pr.wps[0].iri, path(DCTERMS + "isPartOf"), c("MinCount"))]),
        "association-agent-neither-organisation-nor-person": lambda pr: (
            lambda t: swap(t, responsible(pr), PROV + "agent", pr.wps[0].responsible[0], ID + "theme/ict"),
            [(responsible(pr), path(PROV + "agent"), c("Or"), VIOLATION, f"<{ID}theme/ict>")]),
        "association-two-roles": lambda pr: (
            lambda t: t + [(responsible(pr), PROV + "hadRole", ROLE + "contact-person")],
            [(responsible(pr), path(PROV + "hadRole"), c("MaxCount"))]),
        "unknown-own-class": lambda pr: (
            lambda t: t + [(pr.wps[0].iri, A, AKKE + "Workpackage")],
            [(pr.wps[0].iri, path(A), c("SPARQL"), VIOLATION, f"<{AKKE}Workpackage>")]),
    }


def amount(pr: m.Project) -> Lit:
    assert pr.funding is not None
    return typed(pr.funding.amount, XSD + "decimal")


def total_cost(pr: m.Project) -> Lit:
    assert pr.funding is not None
    return typed(pr.funding.total_cost, XSD + "decimal")


def responsible(pr: m.Project) -> str:
    return f"{pr.wps[0].iri}#responsible-{pr.wps[0].responsible[0].rsplit('/', 1)[1]}"


# --- Regions: injection i goes to region i % 16, organisation/person i // 16 -----------------

def spare_id(i: int) -> str:
    return m.valid_business_id(m.SPARE_IDS + 10 * i)


def region_injections(p: Plan) -> dict[str, tuple[str, Callable[[int, int], Injected]]]:
    """name -> (file kind, function of region and index)."""
    org = lambda r, k: m.organisation(p, r, k)  # noqa: E731
    per = lambda r, k: m.person(p, r, k).iri  # noqa: E731
    bid = lambda o: typed(o.business_id, AKKE + "businessId")  # noqa: E731
    ident = lambda o: o.iri + "#business-id"  # noqa: E731
    project0 = lambda r: ID + f"project/{m.region_slug(r)}-project-1"  # noqa: E731
    graph = lambda r, kind: GRAPH + f"{m.region_slug(r)}/{kind}"  # noqa: E731

    def bad_iri(r: int) -> str:
        return ID + f"organisation/Synthetic_{m.REGIONS[r][3]}_Org"

    return {
        "organisation-without-finnish-label": ("organisations", lambda r, k: (
            lambda t: drop(t, org(r, k).iri, SKOS + "prefLabel", fi(org(r, k).name_fi)),
            [(org(r, k).iri, path(SKOS + "prefLabel"), c("QualifiedMinCount"))])),
        "label-without-language": ("organisations", lambda r, k: (
            lambda t: t + [(org(r, k).iri, SKOS + "prefLabel", Lit(org(r, k).name_fi))],
            [(org(r, k).iri, path(SKOS + "prefLabel"), c("Datatype"), VIOLATION, nt_term(Lit(org(r, k).name_fi)))])),
        "legal-name-with-language": ("organisations", lambda r, k: (
            lambda t: drop(t, org(r, k).iri, ROV + "legalName") + [(org(r, k).iri, ROV + "legalName", fi(org(r, k).name_fi))],
            [(org(r, k).iri, path(ROV + "legalName"), c("Datatype"), VIOLATION, nt_term(fi(org(r, k).name_fi)))])),
        "iri-not-under-base": ("organisations", lambda r, k: (
            lambda t: t + [(bad_iri(r), A, ORG + "FormalOrganization"),
                           (bad_iri(r), SKOS + "prefLabel", fi("Väärin nimetty organisaatio")),
                           (bad_iri(r), SKOS + "prefLabel", en("Badly named organisation"))],
            [(bad_iri(r), None, c("Pattern"), VIOLATION, f"<{bad_iri(r)}>")])),
        "person-without-name": ("persons", lambda r, k: (
            lambda t: drop(t, per(r, k), FOAF + "name"),
            [(per(r, k), path(FOAF + "name"), c("MinCount"))])),
        "person-two-names": ("persons", lambda r, k: (
            lambda t: t + [(per(r, k), FOAF + "name", Lit("Toinen Nimi"))],
            [(per(r, k), path(FOAF + "name"), c("MaxCount"))])),
        "person-name-with-language": ("persons", lambda r, k: (
            lambda t: [(s, pr, fi(o.value) if (s, pr) == (per(r, k), FOAF + "givenName") else o) for s, pr, o in t],
            [(per(r, k), path(FOAF + "givenName"), c("Datatype"), VIOLATION,
              nt_term(fi(m.person(p, r, k).given)))])),
        "person-without-organisation": ("persons", lambda r, k: (
            lambda t: drop(t, per(r, k), ORG + "memberOf"),
            [(per(r, k), path(ORG + "memberOf"), c("MinCount"))])),
        "person-member-of-a-project": ("persons", lambda r, k: (
            lambda t: swap(t, per(r, k), ORG + "memberOf", m.person(p, r, k).member_of, project0(r)),
            [(per(r, k), path(ORG + "memberOf"), c("Class"), VIOLATION, f"<{project0(r)}>")])),
        "business-id-check-digit": ("business-ids", lambda r, k: (
            lambda t: swap(t, ident(org(r, k)), SKOS + "notation", bid(org(r, k)), wrong_check(org(r, k).business_id)),
            [(ident(org(r, k)), path(SKOS + "notation"), c("SPARQL"), VIOLATION,
              nt_term(wrong_check(org(r, k).business_id)))])),
        "business-id-malformed": ("business-ids", lambda r, k: (
            lambda t: swap(t, ident(org(r, k)), SKOS + "notation", bid(org(r, k)),
                           typed(org(r, k).business_id.replace("-", ""), AKKE + "businessId")),
            [(ident(org(r, k)), path(SKOS + "notation"), c("SPARQL"), VIOLATION,
              nt_term(typed(org(r, k).business_id.replace("-", ""), AKKE + "businessId")))])),
        "duplicate-business-id": ("business-ids", lambda r, k: (
            lambda t: swap(t, ident(org(r, k + 1)), SKOS + "notation", bid(org(r, k + 1)), bid(org(r, k))),
            [(org(r, k + 1).iri, path(ADMS + "identifier"), c("SPARQL"), VIOLATION, nt_term(bid(org(r, k)))),
             (org(r, k).iri, path(ADMS + "identifier"), c("SPARQL"), VIOLATION, nt_term(bid(org(r, k))))])),
        "two-business-ids": ("business-ids", lambda r, k: (
            lambda t: t + [(org(r, k).iri, ADMS + "identifier", ident(org(r, k)) + "-2"),
                           (ident(org(r, k)) + "-2", A, ADMS + "Identifier"),
                           (ident(org(r, k)) + "-2", SKOS + "notation", typed(spare_id(r), AKKE + "businessId"))],
            [(org(r, k).iri, path(ADMS + "identifier", SKOS + "notation"), c("QualifiedMaxCount"))])),
        "identifier-two-agencies": ("business-ids", lambda r, k: (
            lambda t: t + [(ident(org(r, k)), ADMS + "schemaAgency", Lit("Verohallinto"))],
            [(ident(org(r, k)), path(ADMS + "schemaAgency"), c("MaxCount"))])),
        "identifier-without-notation": ("business-ids", lambda r, k: (
            lambda t: drop(t, ident(org(r, k)), SKOS + "notation"),
            [(ident(org(r, k)), path(SKOS + "notation"), c("MinCount"))])),
        "identifier-not-an-identifier": ("business-ids", lambda r, k: (
            lambda t: swap(t, org(r, k).iri, ADMS + "identifier", ident(org(r, k)), PRH_LOOKUP + org(r, k).business_id),
            [(org(r, k).iri, path(ADMS + "identifier"), c("Class"), VIOLATION,
              f"<{PRH_LOOKUP}{org(r, k).business_id}>")])),
        "file-without-source": ("persons", lambda r, k: (
            lambda t: drop(t, graph(r, "persons"), PROV + "wasDerivedFrom"),
            [(graph(r, "persons"), path(PROV + "wasDerivedFrom"), c("MinCount"))])),
        "source-not-described": ("organisations", lambda r, k: (
            lambda t: swap(t, graph(r, "organisations"), PROV + "wasDerivedFrom", region_source(r),
                           ID + "source/undescribed"),
            [(graph(r, "organisations"), path(PROV + "wasDerivedFrom"), c("Class"), VIOLATION,
              f"<{ID}source/undescribed>")])),
        "source-without-english-label": ("sources", lambda r, k: (
            lambda t: [x for x in t if not (x[0] == ID + f"source/{m.region_slug(r)}-project-1"
                                           and isinstance(x[2], Lit) and x[2].lang == "en")],
            [(ID + f"source/{m.region_slug(r)}-project-1", path(RDFS + "label"), c("QualifiedMinCount"), WARNING)])),
    }


def wrong_check(business_id: str) -> Lit:
    number, check = business_id.split("-")
    return typed(f"{number}-{(int(check) + 1) % 10}", AKKE + "businessId")


# --- The national context ---------------------------------------------------------------------

def national_injections() -> dict[str, tuple[str, Injected]]:
    """name -> (file stem, injection)."""
    agreement = lambda r: ID + "agreement/" + m.region_slug(r)  # noqa: E731
    region = lambda r: ID + "city-region/" + m.region_slug(r)  # noqa: E731
    theme = ID + "theme/bioeconomy"
    return {
        "agreement-one-party": ("ecosystem-agreements", (
            lambda t: [x for x in t if not (x[0] == agreement(15) and x[1] == AKKE + "contractingParty"
                                            and x[2] != m.MINISTRY)],
            [(agreement(15), path(AKKE + "contractingParty"), c("MinCount"))])),
        "agreement-two-regions": ("ecosystem-agreements", (
            lambda t: t + [(agreement(14), DCTERMS + "spatial", region(13))],
            [(agreement(14), path(DCTERMS + "spatial"), c("MaxCount"))])),
        "city-region-without-city": ("ecosystem-agreements", (
            lambda t: drop(t, region(12), AKKE + "includesCity"),
            [(region(12), path(AKKE + "includesCity"), c("MinCount"))])),
        "alternative-label-without-language": ("themes", (
            lambda t: t + [(theme, SKOS + "altLabel", Lit("biotalous"))],
            [(theme, path(SKOS + "altLabel"), c("Datatype"), VIOLATION, nt_term(Lit("biotalous")))])),
        "concept-without-scheme": ("themes", (
            lambda t: drop(t, ID + "theme/ict", SKOS + "inScheme"),
            [(ID + "theme/ict", path(SKOS + "inScheme"), c("MinCount"))])),
        "programme-without-funder": ("programmes", (
            lambda t: drop(t, programme_iri(5), FRAPO + "isFundedBy"),
            [(programme_iri(5), path(FRAPO + "isFundedBy"), c("MinCount"), WARNING)])),
        "programme-without-finnish-title": ("programmes", (
            lambda t: drop(t, programme_iri(4), DCTERMS + "title", fi("Synteettinen rahoitusohjelma 5")),
            [(programme_iri(4), path(DCTERMS + "title"), c("QualifiedMinCount"), WARNING)])),
    }


# --- Putting it together ----------------------------------------------------------------------

def _plan_injections(p: Plan) -> dict[str, list[tuple[str, Injected]]]:
    """stem -> [(injection name, (mutation, results))]."""
    regions = len(m.REGIONS)
    if sum(p.projects) < 32 or min(p.projects) < 1:
        raise ValueError(f"{p.size} triples are too few for the injected violations, which need 32 "
                         "projects and one in every region: use at least 7k")
    slots = sorted(((n, r) for r in range(regions) for n in range(p.projects[r])))
    out: dict[str, list[tuple[str, Injected]]] = {}
    # More injections than projects at the smallest size: the last ones go to the first projects
    # again, on entities the first ones do not touch (the funding node).
    for i, (name, make) in enumerate(project_injections(p).items()):
        n, r = slots[i % len(slots)]
        pr = m.project(p, r, n)
        out.setdefault(f"{m.region_slug(pr.r)}/project-{pr.slug}", []).append((name, make(pr)))
    for i, (name, (kind, make_in_region)) in enumerate(region_injections(p).items()):
        r, k = i % regions, 2 * (i // regions)   # duplicate-business-id also uses k + 1
        stem = f"{m.region_slug(r)}/{kind}"
        out.setdefault(stem, []).append((name, make_in_region(r, k)))
    for name, (stem, injected) in national_injections().items():
        out.setdefault(stem, []).append((name, injected))
    return out


def _expected(name: str, rows: list[tuple]) -> list[ExpectedViolation]:
    out = []
    for row in rows:
        focus, shacl_path, component = row[:3]
        severity = row[3] if len(row) > 3 else VIOLATION
        value = row[4] if len(row) > 4 else None
        out.append(ExpectedViolation(focus, shacl_path, component, severity, value, name))
    return out


def expected_results(p: Plan) -> list[ExpectedViolation]:
    """Every result the injections cause, in file order."""
    return [v for entries in _plan_injections(p).values()
            for name, (_, rows) in entries for v in _expected(name, rows)]


class Injector:
    """Applies the planned injections to the files that carry them."""

    def __init__(self, p: Plan) -> None:
        self.by_stem = _plan_injections(p)

    def __call__(self, f: GeneratedFile) -> GeneratedFile:
        triples = f.triples
        for name, (mutate, _) in self.by_stem.get(f.stem, ()):
            changed = mutate(triples)
            if changed == triples:
                raise AssertionError(f"injection {name} changed nothing in {f.stem}")
            triples = changed
        return GeneratedFile(f.stem, triples)
