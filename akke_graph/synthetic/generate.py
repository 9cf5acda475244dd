"""Deterministic synthetic national graph in the project's own model, conforming to its shapes.

One "file" (named graph ``{base}graph/data/<stem>``) per entity family and region, and one per
project, as in ``data/``: each names a synthetic source with ``<> prov:wasDerivedFrom``. The
output is streamed file by file, so memory stays flat whatever the size:

- :func:`generate` yields ``pyoxigraph.Quad`` (what tests and the differential test need);
- :func:`write_nquads` writes the dataset as N-Quads;
- :func:`write_project` writes a whole project folder (``pyproject.toml``, ``ontology/``,
  ``shapes/``, ``queries/``, ``data/**.ttl``) that ``akke-graph validate`` and ``publish`` run on.

With ``violations=True`` the graph carries the injections of :mod:`akke_graph.synthetic.violations`, and
:func:`injected_violations` lists the validation results they must produce.

    python -m akke_graph.synthetic.generate 100k --project build/synthetic-100k
    python -m akke_graph.synthetic.generate 10k --violations --nquads bad.nq --expected bad.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import IO, Iterable, Iterator

import pyoxigraph as ox

from akke_graph.config import Config, load_config
from akke_graph.synthetic import model as m
from akke_graph.terms import prefix_map
from akke_graph.synthetic.model import GRAPH, ID, Plan
from akke_graph.synthetic.violations import (
    ExpectedViolation,
    Injector,
    expected_results,
)
from akke_graph.synthetic.vocab import (
    ADMS,
    AKKE,
    DCAT,
    DCTERMS,
    FOAF,
    FRAPO,
    M8G,
    ORG,
    PROV,
    RDFS,
    ROLE,
    ROV,
    SKOS,
    VOID,
    XSD,
    A,
    GeneratedFile,
    Lit,
    Obj,
    Triples,
    en,
    escape,
    fi,
    nt_term,
    programme_iri,
    region_source,
    typed,
)

DEFAULT_SEED = 20211231
AGENCY = "Patentti- ja rekisterihallitus ja Verohallinto (YTJ)"


def source_file(stem: str, source: str) -> tuple[str, Triples]:
    graph = GRAPH + stem
    return graph, Triples().about(graph, (PROV + "wasDerivedFrom", source), (A, VOID + "Dataset"))


def describe_source(t: Triples, source: str, fi_text: str, en_text: str) -> None:
    t.about(source, (A, (FOAF + "Document", PROV + "Entity")),
            (RDFS + "label", (fi(f"Synteettinen testiaineisto: {fi_text}"),
                              en(f"Synthetic test data: {en_text}"))))


# --- National context ------------------------------------------------------------------------

NATIONAL_SOURCE = ID + "source/national-register"


def national_files(p: Plan) -> Iterator[GeneratedFile]:
    """Sources, the ecosystem agreements with their regions and cities, roles, themes, programmes."""
    _, t = source_file("sources", NATIONAL_SOURCE)
    describe_source(t, NATIONAL_SOURCE, "kansallinen rekisteri", "national register")
    for r in range(len(m.REGIONS)):
        describe_source(t, region_source(r), f"{m.REGIONS[r][1]}, alueen rekisteri",
                        f"{m.REGIONS[r][2]}, regional register")
    yield GeneratedFile("sources", t)

    _, t = source_file("ecosystem-agreements", NATIONAL_SOURCE)
    themes = [ID + "theme/innovation-environments", ID + "theme/competence-clusters"]
    t.about(m.AGREEMENT_PROGRAMME, (A, AKKE + "EcosystemAgreementProgramme"),
            (DCTERMS + "title", (fi("Kaupunkiseutujen ja valtion väliset ekosysteemisopimukset"),
                                 en("Ecosystem agreements between the city regions and the state"))),
            (AKKE + "contractingParty", m.MINISTRY), (DCAT + "theme", themes))
    public = (ORG + "FormalOrganization", M8G + "PublicOrganisation")
    t.about(m.MINISTRY, (A, public), (SKOS + "prefLabel", (
        fi("Työ- ja elinkeinoministeriö"), en("Ministry of Economic Affairs and Employment of Finland"))))
    for r, (slug, label_fi, label_en, _, cities, _) in enumerate(m.REGIONS):
        region, agreement = ID + "city-region/" + slug, ID + "agreement/" + slug
        city_iris = m.city_iris(r)
        t.about(region, (A, AKKE + "CityRegion"), (SKOS + "prefLabel", (fi(label_fi), en(label_en))),
                (AKKE + "includesCity", city_iris))
        t.about(agreement, (A, AKKE + "EcosystemAgreement"),
                (DCTERMS + "title", (fi(f"{label_fi} – ekosysteemisopimus"),
                                     en(f"Ecosystem agreement of the {label_en}"))),
                (DCTERMS + "isPartOf", m.AGREEMENT_PROGRAMME), (DCTERMS + "spatial", region),
                (AKKE + "contractingParty", [*city_iris, m.MINISTRY]), (DCAT + "theme", themes))
        for iri, (_, city_fi, city_en) in zip(city_iris, cities):
            t.about(iri, (A, public), (SKOS + "prefLabel", (fi(city_fi), en(city_en))))
    scheme = ID + "scheme/focus-areas"
    t.about(scheme, (A, SKOS + "ConceptScheme"), (SKOS + "prefLabel", (
        fi("Ekosysteemisopimusten painopisteet"), en("Focus areas of the ecosystem agreements"))))
    for r in range(len(m.REGIONS)):
        for k in range(m.FOCUS_AREAS_PER_REGION):
            iri, name_fi, name_en = m.focus_area(r, k)
            t.about(iri, (A, SKOS + "Concept"), (SKOS + "inScheme", scheme),
                    (SKOS + "prefLabel", (fi(name_fi), en(name_en))))
            t.about(ID + "agreement/" + m.region_slug(r), (DCTERMS + "subject", iri))
    yield GeneratedFile("ecosystem-agreements", t)

    for stem, kind, items, label in (
            ("roles", "role", m.ROLES, ("Roolit hankkeissa ja rahoituksessa", "Roles in projects and funding")),
            ("funding-statuses", "funding-status", m.FUNDING_STATUSES, ("Rahoituksen tilat", "Statuses of funding")),
            ("themes", "theme", m.THEMES, ("Alueellisten innovaatioekosysteemien teemat",
                                           "Themes of regional innovation ecosystems"))):
        _, t = source_file(stem, NATIONAL_SOURCE)
        scheme = ID + "scheme/" + stem
        concepts = [ID + f"{kind}/{slug}" for slug, _, _ in items]
        t.about(scheme, (A, SKOS + "ConceptScheme"), (SKOS + "prefLabel", (fi(label[0]), en(label[1]))),
                (SKOS + "hasTopConcept", concepts))
        types = (ORG + "Role", SKOS + "Concept") if kind == "role" else SKOS + "Concept"
        for iri, (_, label_fi, label_en) in zip(concepts, items):
            t.about(iri, (A, types), (SKOS + "inScheme", scheme), (SKOS + "topConceptOf", scheme),
                    (SKOS + "prefLabel", (fi(label_fi), en(label_en))))
        yield GeneratedFile(stem, t)

    _, t = source_file("links/municipalities", NATIONAL_SOURCE)
    for r, (region_slug, _, _, _, region_cities, _) in enumerate(m.REGIONS):
        codes = [m.KUNTA + m.MUNICIPALITY_CODES[slug] for slug, _, _ in region_cities]
        for iri, code in zip(m.city_iris(r), codes):
            t.about(iri, (DCTERMS + "spatial", code))
        t.about(ID + "city-region/" + region_slug, (DCTERMS + "hasPart", codes))
    for code in sorted(m.MUNICIPALITY_CODES.values()):
        t.about(m.KUNTA + code, (SKOS + "notation", Lit(code)))
    yield GeneratedFile("links/municipalities", t)

    _, t = source_file("links/yso", NATIONAL_SOURCE)
    for theme, relation, concept in m.YSO_MAPPINGS:
        t.about(ID + "theme/" + theme, (SKOS + relation, m.YSO + concept))
    yield GeneratedFile("links/yso", t)

    _, t = source_file("programmes", NATIONAL_SOURCE)
    for i, funder in enumerate(m.FUNDERS[1:], start=1):
        t.about(funder, (A, ORG + "FormalOrganization"), (SKOS + "prefLabel", (
            fi(f"Synteettinen rahoittaja {i}"), en(f"Synthetic funder {i}"))))
    for i in range(m.PROGRAMMES):
        t.about(programme_iri(i), (A, FRAPO + "FundingProgramme"),
                (DCTERMS + "title", (fi(f"Synteettinen rahoitusohjelma {i + 1}"),
                                     en(f"Synthetic funding programme {i + 1}"))),
                (FRAPO + "hasAcronym", Lit(f"SRO-{i + 1}")), (FRAPO + "isFundedBy", m.FUNDERS[i % len(m.FUNDERS)]),
                (DCTERMS + "description", (fi("Kuviteltu rahoitusohjelma suorituskykytestejä varten."),
                                           en("A made-up funding programme for performance tests."))))
    yield GeneratedFile("programmes", t)


# --- One region: organisations, persons, business IDs, project sources ----------------------

def region_files(p: Plan, r: int) -> Iterator[GeneratedFile]:
    slug, label_fi, label_en = m.REGIONS[r][:3]
    source = region_source(r)

    _, t = source_file(f"{slug}/sources", source)
    for n in range(p.projects[r]):
        psource = ID + f"source/{slug}-project-{n + 1}"
        describe_source(t, psource, f"hankekortti {slug}-project-{n + 1}", f"project card {slug}-project-{n + 1}")
    yield GeneratedFile(f"{slug}/sources", t)

    _, t = source_file(f"{slug}/organisations", source)
    t.about(m.funding_authority(r), (A, (ORG + "FormalOrganization", M8G + "PublicOrganisation")),
            (SKOS + "prefLabel", (fi(f"Synteettinen rahoittajaviranomainen, {label_fi}"),
                                  en(f"Synthetic funding authority, {label_en}"))))
    for k in range(p.orgs[r]):
        o = m.organisation(p, r, k)
        t.about(o.iri, (A, ORG + "FormalOrganization"), (SKOS + "prefLabel", (fi(o.name_fi), en(o.name_en))))
        if o.company:
            t.append((o.iri, ROV + "legalName", Lit(o.name_fi)))
    yield GeneratedFile(f"{slug}/organisations", t)

    _, t = source_file(f"{slug}/persons", source)
    for k in range(p.persons(r)):
        q = m.person(p, r, k)
        t.about(q.iri, (A, FOAF + "Person"), (FOAF + "name", Lit(f"{q.given} {q.family}")),
                (FOAF + "givenName", Lit(q.given)), (FOAF + "familyName", Lit(q.family)),
                (ORG + "memberOf", q.member_of))
    yield GeneratedFile(f"{slug}/persons", t)

    _, t = source_file(f"{slug}/business-ids", source)
    for k in range(p.orgs[r]):
        o = m.organisation(p, r, k)
        ident = o.iri + "#business-id"
        t.about(o.iri, (ADMS + "identifier", ident))
        t.about(ident, (A, ADMS + "Identifier"), (SKOS + "notation", typed(o.business_id, AKKE + "businessId")),
                (ADMS + "schemaAgency", Lit(AGENCY)))
    yield GeneratedFile(f"{slug}/business-ids", t)


# --- One project ----------------------------------------------------------------------------



def project_file(p: Plan, pr: m.Project) -> GeneratedFile:
    """The project, its period, partners, grant and work packages, as in data/project-*.ttl."""
    stem = f"{m.region_slug(pr.r)}/project-{pr.slug}"
    _, t = source_file(stem, pr.source)
    region = m.region_slug(pr.r)
    t.about(pr.iri, (A, (ORG + "OrganizationalCollaboration", FOAF + "Project")),
            (DCTERMS + "title", (fi(pr.title_fi), en(pr.title_en))),
            (FRAPO + "hasAcronym", Lit(pr.acronym)),
            (DCTERMS + "description", (fi(f"Synteettinen hanke {pr.acronym}: {pr.title_fi}."),
                                       en(f"Synthetic project {pr.acronym}: {pr.title_en}."))),
            (DCTERMS + "temporal", pr.period), (DCTERMS + "spatial", ID + "city-region/" + region),
            (DCTERMS + "source", pr.source), (FOAF + "page", pr.source),
            (FRAPO + "isFundedBy", pr.grant), (FRAPO + "enables", ID + "agreement/" + region),
            (DCAT + "theme", pr.themes + ([pr.focus_area] if pr.focus_area else [])))
    t.about(pr.period, (A, DCTERMS + "PeriodOfTime"), (DCAT + "startDate", typed(pr.start, XSD + "date")),
            (DCAT + "endDate", typed(pr.end, XSD + "date")))
    for i, org in enumerate(pr.partners):
        roles = (ROLE + "partner", ROLE + "main-implementer") if i == 0 else ROLE + "partner"
        t.about(pr.membership(org), (A, ORG + "Membership"), (ORG + "organization", pr.iri),
                (ORG + "member", org), (ORG + "role", roles))
    money = pr.funding
    assert money is not None
    kinds = (FRAPO + "Funding", FRAPO + "Grant") if money.status == "granted" else FRAPO + "Funding"
    t.about(pr.grant, (A, kinds),
            (RDFS + "label", (fi(f"{pr.acronym}-rahoitus"), en(f"{pr.acronym} funding"))),
            (FRAPO + "funds", pr.iri), (DCTERMS + "isPartOf", programme_iri(pr.programme)),
            (ADMS + "status", ID + "funding-status/" + money.status),
            (FRAPO + "hasMonetaryValue", typed(money.amount, XSD + "decimal")),
            (AKKE + "totalCost", typed(money.total_cost, XSD + "decimal")),
            (FRAPO + "hasCurrencyCode", Lit("EUR")),
            (PROV + "qualifiedAttribution", (pr.grant + "-funder", pr.grant + "-funding-authority")))
    if money.decided:
        t.about(pr.grant, (FRAPO + "hasDecisionDate", typed(money.decided, XSD + "date")))
    for suffix, agent, role in (("-funder", pr.funder, "funder"),
                                ("-funding-authority", m.funding_authority(pr.r), "funding-authority")):
        t.about(pr.grant + suffix, (A, PROV + "Attribution"), (PROV + "agent", agent),
                (PROV + "hadRole", ROLE + role))
    for wp in pr.wps:
        associations = [(f"{wp.iri}#responsible-{o.rsplit('/', 1)[1]}", o, "responsible-organisation")
                        for o in wp.responsible]
        if wp.contact:
            associations.append((f"{wp.iri}#contact-{wp.contact.rsplit('/', 1)[1]}", wp.contact, "contact-person"))
        t.about(wp.iri, (A, AKKE + "WorkPackage"), (SKOS + "notation", typed(str(wp.number), XSD + "integer")),
                (DCTERMS + "title", (fi(wp.title_fi), en(wp.title_en))), (DCTERMS + "isPartOf", pr.iri),
                (PROV + "qualifiedAssociation", [a[0] for a in associations]), (DCAT + "theme", wp.themes))
        for iri, agent, role in associations:
            t.about(iri, (A, PROV + "Association"), (PROV + "agent", agent), (PROV + "hadRole", ROLE + role))
    return GeneratedFile(stem, t)


# --- The whole graph ------------------------------------------------------------------------

def generate_files(size_triples: int, seed: int = DEFAULT_SEED, violations: bool = False) -> Iterator[GeneratedFile]:
    """The synthetic graph file by file, national context first, then region by region."""

    p = m.plan(size_triples, seed)
    inject = Injector(p) if violations else None

    def files() -> Iterator[GeneratedFile]:
        yield from national_files(p)
        for r in range(len(m.REGIONS)):
            yield from region_files(p, r)
            for n in range(p.projects[r]):
                yield project_file(p, m.project(p, r, n))

    for f in files():
        yield inject(f) if inject else f


def generate(size_triples: int, seed: int = DEFAULT_SEED, violations: bool = False) -> Iterator[ox.Quad]:
    """The synthetic graph as pyoxigraph quads, one named graph per file."""
    named: dict[str, ox.NamedNode] = {}

    def node(iri: str) -> ox.NamedNode:
        term = named.get(iri)
        if term is None:
            if len(named) > 100_000:
                named.clear()
            term = named[iri] = ox.NamedNode(iri)
        return term

    def obj(o: Obj) -> ox.NamedNode | ox.Literal:
        if isinstance(o, str):
            return node(o)
        if o.lang:
            return ox.Literal(o.value, language=o.lang)
        return ox.Literal(o.value, datatype=node(o.datatype)) if o.datatype else ox.Literal(o.value)

    for f in generate_files(size_triples, seed, violations):
        g = node(f.graph)
        for s, pr, o in f.triples:
            yield ox.Quad(node(s), node(pr), obj(o), g)


def injected_violations(size_triples: int, seed: int = DEFAULT_SEED) -> list[ExpectedViolation]:
    """The validation results the ``violations=True`` graph of this size and seed must give."""

    return expected_results(m.plan(size_triples, seed))


# --- Writers ----------------------------------------------------------------------------------

def write_nquads(out: IO[str], files: Iterable[GeneratedFile]) -> int:
    """Write the files as N-Quads; returns the number of quads."""
    count = 0
    for f in files:
        g = f" <{f.graph}> .\n"
        out.write("".join(f"<{s}> <{p}> {nt_term(o)}{g}" for s, p, o in f.triples))
        count += len(f.triples)
    return count


PREFIXES = {**prefix_map(m.BASE), "source": ID + "source/",
            "kunta": m.KUNTA, "yso": m.YSO}
_BY_NS = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def ttl_iri(iri: str, graph: str) -> str:
    if iri == graph:
        return "<>"
    for prefix, ns in _BY_NS:
        if iri.startswith(ns):
            local = iri[len(ns):]
            if local and local.replace("-", "").replace("_", "").isalnum() and local.isascii():
                return f"{prefix}:{local}"
            break
    return f"<{iri}>"


def ttl_term(o: Obj, graph: str) -> str:
    if isinstance(o, str):
        return ttl_iri(o, graph)
    if o.lang:
        return f'"{escape(o.value)}"@{o.lang}'
    if o.datatype:
        return f'"{escape(o.value)}"^^{ttl_iri(o.datatype, graph)}'
    return f'"{escape(o.value)}"'


def turtle(f: GeneratedFile, seed: int, loader_marks: bool = True) -> str:
    """One file as Turtle, subjects grouped as in the hand-written files.

    With ``loader_marks`` the ``<> a void:Dataset`` triple is left out: the loader adds it.
    """
    graph = f.graph
    lines = [f"# Synthetic test data written by benchmarks/generate.py (seed {seed}): not facts.\n"]
    lines += [f"@prefix {k}: <{v}> .\n" for k, v in PREFIXES.items()]
    subject = predicate = None
    for s, p, o in f.triples:
        if loader_marks and s == graph and p == A and o == VOID + "Dataset":
            continue
        if s != subject:
            if subject is not None:
                lines.append(" .\n")
            lines.append(f"\n{ttl_iri(s, graph)} {'a' if p == A else ttl_iri(p, graph)} {ttl_term(o, graph)}")
            subject, predicate = s, p
        elif p != predicate:
            lines.append(f" ;\n    {'a' if p == A else ttl_iri(p, graph)} {ttl_term(o, graph)}")
            predicate = p
        else:
            lines.append(f" , {ttl_term(o, graph)}")
    if subject is not None:
        lines.append(" .\n")
    return "".join(lines)


MARKER = ".akke-synthetic"


def write_project(folder: Path, size_triples: int, seed: int = DEFAULT_SEED, violations: bool = False,
                  source: Config | None = None) -> int:
    """Write a project folder with the synthetic data and the ontology, shapes and queries of
    ``source`` (default: the project of the current folder); returns the number of data triples.

    The folder is built next to its place and renamed into it when complete. An existing folder
    is replaced only when it was written by this function (it holds a ``.akke-synthetic`` marker).
    """
    folder = folder.resolve()
    if folder.exists() and not (folder / MARKER).exists():
        raise SystemExit(f"{folder} exists and was not written by the generator: choose another folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        (tmp / "pyproject.toml").write_text(
            f'# Synthetic akke-graph project: {size_triples} triples, seed {seed}'
            f'{", with injected violations" if violations else ""}.\n'
            f'[tool.akke-graph]\nbase-iri = "{m.BASE}"\n', encoding="utf-8")
        source = source or load_config()
        for name, where in (("ontology", source.ontology_dir), ("shapes", source.shapes_dir),
                            ("queries", source.queries_dir)):
            if where.is_dir():
                shutil.copytree(where, tmp / name)
        count = 0
        for f in generate_files(size_triples, seed, violations):
            path = tmp / "data" / f"{f.stem}.ttl"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(turtle(f, seed), encoding="utf-8")
            count += len(f.triples)
        (tmp / MARKER).write_text(json.dumps({"size": size_triples, "seed": seed, "violations": violations,
                                              "triples": count}) + "\n", encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return count


def parse_size(text: str) -> int:
    """``10k`` -> 10000, ``1m`` -> 1000000, ``2500`` -> 2500."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    try:
        return int(float(text[:-1] if scale > 1 else text) * scale)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (write e.g. 10k, 1m, 250000)") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m akke_graph.synthetic.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=parse_size, help="approximate number of triples: 10k, 100k, 1m, 5m")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--violations", action="store_true", help="inject the known violations")
    parser.add_argument("--nquads", type=Path, help="write the dataset as N-Quads to this file ('-': stdout)")
    parser.add_argument("--project", type=Path, help="write a project folder here")
    parser.add_argument("--expected", type=Path, help="write the expected validation results as JSON")
    args = parser.parse_args(argv)
    if not (args.nquads or args.project or args.expected):
        parser.error("give --nquads FILE, --project DIR or --expected FILE")
    if args.nquads:
        files = generate_files(args.size, args.seed, args.violations)
        if str(args.nquads) == "-":
            n = write_nquads(sys.stdout, files)
        else:
            tmp = args.nquads.with_name(args.nquads.name + ".tmp")
            with open(tmp, "w", encoding="utf-8") as out:
                n = write_nquads(out, files)
            os.replace(tmp, args.nquads)
        print(f"{n} quads -> {args.nquads}", file=sys.stderr)
    if args.project:
        n = write_project(args.project, args.size, args.seed, args.violations)
        print(f"{n} triples -> {args.project}", file=sys.stderr)
    if args.expected:
        rows = [asdict(v) for v in injected_violations(args.size, args.seed)]
        args.expected.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{len(rows)} expected results -> {args.expected}", file=sys.stderr)
    return 0


def __getattr__(name: str) -> object:
    if name == "ExpectedViolation":  # re-exported; defined with the injections
        from akke_graph.synthetic.violations import ExpectedViolation
        return ExpectedViolation
    raise AttributeError(name)


if __name__ == "__main__":
    from akke_graph.synthetic.generate import (
        main as _main,  # run as akke_graph.synthetic.generate, not a second copy
    )

    sys.exit(_main())
