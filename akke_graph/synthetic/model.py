"""The synthetic national graph as a model: which regions, organisations, persons and projects
exist at a given size and seed, and what each of them looks like.

Everything is a pure function of ``(size, seed)`` and an entity's indices, so that a single
project or organisation can be rebuilt without generating the whole graph (the list of injected
violations needs that). The national context (the 16 ecosystem-agreement city regions and their
cities, the ministry, the role and theme schemes) repeats the shipped data's IRIs and labels;
everything else is synthetic and says so in its sources. Business IDs lie in 9000000–9999999,
beyond the sequence the trade register has issued, so none can be a real company's (nor the
shipped graph's 0204819-8 and 2322323-1).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache

from akke_graph.config import DEFAULT_BASE_IRI
from akke_graph.names import slugify
from akke_graph.registries.ytunnus import check_digit

BASE = DEFAULT_BASE_IRI   # the shipped ontology and shapes are written under it
ID = BASE + "id/"
GRAPH = BASE + "graph/data/"

# (slug, Finnish label, English label, name stem of its organisations, [(city slug, fi, en)], weight)
REGIONS: tuple[tuple[str, str, str, str, tuple[tuple[str, str, str], ...], int], ...] = (
    ("paakaupunkiseutu", "Pääkaupunkiseutu", "Capital region", "Helsinki", (
        ("helsingin-kaupunki", "Helsingin kaupunki", "City of Helsinki"),
        ("espoon-kaupunki", "Espoon kaupunki", "City of Espoo"),
        ("vantaan-kaupunki", "Vantaan kaupunki", "City of Vantaa")), 4),
    ("tampere", "Tampereen kaupunkiseutu", "Tampere city region", "Tampere", (
        ("tampereen-kaupunki", "Tampereen kaupunki", "City of Tampere"),), 2),
    ("turku", "Turun kaupunkiseutu", "Turku city region", "Turku", (
        ("turun-kaupunki", "Turun kaupunki", "City of Turku"),), 2),
    ("oulu", "Oulun kaupunkiseutu", "Oulu city region", "Oulu", (
        ("oulun-kaupunki", "Oulun kaupunki", "City of Oulu"),), 2),
    ("jyvaskyla", "Jyväskylän kaupunkiseutu", "Jyväskylä city region", "Jyväskylä", (
        ("jyvaskylan-kaupunki", "Jyväskylän kaupunki", "City of Jyväskylä"),), 1),
    ("vaasa", "Vaasan kaupunkiseutu", "Vaasa city region", "Vaasa", (
        ("vaasan-kaupunki", "Vaasan kaupunki", "City of Vaasa"),), 1),
    ("lappeenranta-imatra", "Lappeenrannan ja Imatran kaupunkiseutu",
     "Lappeenranta and Imatra city region", "Lappeenranta", (
        ("lappeenrannan-kaupunki", "Lappeenrannan kaupunki", "City of Lappeenranta"),
        ("imatran-kaupunki", "Imatran kaupunki", "City of Imatra")), 1),
    ("lahti", "Lahden kaupunkiseutu", "Lahti city region", "Lahti", (
        ("lahden-kaupunki", "Lahden kaupunki", "City of Lahti"),), 1),
    ("joensuu", "Joensuun kaupunkiseutu", "Joensuu city region", "Joensuu", (
        ("joensuun-kaupunki", "Joensuun kaupunki", "City of Joensuu"),), 1),
    ("kuopio", "Kuopion kaupunkiseutu", "Kuopio city region", "Kuopio", (
        ("kuopion-kaupunki", "Kuopion kaupunki", "City of Kuopio"),), 1),
    ("pori", "Porin kaupunkiseutu", "Pori city region", "Pori", (
        ("porin-kaupunki", "Porin kaupunki", "City of Pori"),), 1),
    ("kajaani-sotkamo", "Kajaanin ja Sotkamon kaupunkiseutu", "Kajaani and Sotkamo city region",
     "Kajaani", (
        ("kajaanin-kaupunki", "Kajaanin kaupunki", "City of Kajaani"),
        ("sotkamon-kunta", "Sotkamon kunta", "Municipality of Sotkamo")), 1),
    ("kokkola", "Kokkolan kaupunkiseutu", "Kokkola city region", "Kokkola", (
        ("kokkolan-kaupunki", "Kokkolan kaupunki", "City of Kokkola"),), 1),
    ("seinajoki", "Seinäjoen kaupunkiseutu", "Seinäjoki city region", "Seinäjoki", (
        ("seinajoen-kaupunki", "Seinäjoen kaupunki", "City of Seinäjoki"),), 1),
    ("rovaniemi", "Rovaniemen kaupunkiseutu", "Rovaniemi city region", "Rovaniemi", (
        ("rovaniemen-kaupunki", "Rovaniemen kaupunki", "City of Rovaniemi"),), 1),
    ("mikkeli", "Mikkelin kaupunkiseutu", "Mikkeli city region", "Mikkeli", (
        ("mikkelin-kaupunki", "Mikkelin kaupunki", "City of Mikkeli"),), 1),
)

# Registry links as in data/links/: municipality codes of the cities (2023 code list) and the
# YSO concepts of the themes.
KUNTA = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/"
MUNICIPALITY_CODES = {
    "helsingin-kaupunki": "091", "espoon-kaupunki": "049", "vantaan-kaupunki": "092",
    "tampereen-kaupunki": "837", "turun-kaupunki": "853", "oulun-kaupunki": "564",
    "jyvaskylan-kaupunki": "179", "vaasan-kaupunki": "905", "lappeenrannan-kaupunki": "405",
    "imatran-kaupunki": "153", "lahden-kaupunki": "398", "joensuun-kaupunki": "167",
    "kuopion-kaupunki": "297", "porin-kaupunki": "609", "kajaanin-kaupunki": "205",
    "sotkamon-kunta": "765", "kokkolan-kaupunki": "272", "seinajoen-kaupunki": "743",
    "rovaniemen-kaupunki": "698", "mikkelin-kaupunki": "491",
}
YSO = "http://www.yso.fi/onto/yso/"
YSO_MAPPINGS = (
    ("circular-economy", "exactMatch", "p28601"), ("bioeconomy", "exactMatch", "p25274"),
    ("ict", "closeMatch", "p20743"), ("maritime-industry", "exactMatch", "p4619"),
    ("innovation-environments", "exactMatch", "p24047"), ("drug-development", "closeMatch", "p11187"),
    ("digital-services", "closeMatch", "p23542"), ("ecosystem-coordination", "broadMatch", "p2275"),
)

MINISTRY = ID + "organisation/tyo-ja-elinkeinoministerio"
AGREEMENT_PROGRAMME = ID + "programme/ekosysteemisopimukset"

# (slug, Finnish label, English label) of the shipped theme and role schemes
THEMES = (
    ("ecosystem-coordination", "ekosysteemien koordinaatio", "ecosystem coordination"),
    ("circular-economy", "kiertotalous", "circular economy"),
    ("bioeconomy", "biotalous", "bioeconomy"),
    ("maritime-industry", "meriteollisuus", "maritime industry"),
    ("digital-services", "digitaaliset palvelut", "digital services"),
    ("ict", "tieto- ja viestintätekniikka", "information and communication technology"),
    ("drug-development", "lääkekehitys", "drug development"),
    ("innovation-environments", "innovaatioympäristöt", "innovation environments"),
    ("competence-clusters", "osaamiskeskittymät", "competence clusters"),
)
ROLES = (
    ("partner", "hankepartneri", "project partner"),
    ("main-implementer", "päätoteuttaja", "main contractor"),
    ("funder", "rahoittaja", "funder"),
    ("funding-authority", "rahoittajaviranomainen", "funding authority"),
    ("responsible-organisation", "vastuutaho", "responsible organisation"),
    ("contact-person", "yhteyshenkilö", "contact person"),
    ("applicant", "hakija", "applicant"),
    ("coordinator", "koordinaattori", "coordinator"),
    ("decision-body", "päättävä toimielin", "decision body"),
)

FUNDING_STATUSES = (("granted", "myönnetty", "granted"), ("proposed", "esitetty", "proposed"))

SECTORS = (
    ("Kiertotalous", "Circular Economy"), ("Meriteknologia", "Maritime Technology"),
    ("Biotuotteet", "Bioproducts"), ("Digipalvelut", "Digital Services"),
    ("Ohjelmistot", "Software"), ("Lääkekehitys", "Drug Development"),
    ("Energia", "Energy"), ("Rakentaminen", "Construction"), ("Elintarvike", "Food"),
    ("Materiaalit", "Materials"), ("Terveysteknologia", "Health Technology"),
    ("Logistiikka", "Logistics"),
)
FORMS = (("Oy", "Ltd"), ("Oy", "Ltd"), ("Oy Ab", "Ltd"), ("ry", "association"),
         ("säätiö", "foundation"), ("Oy", "Ltd"))
GIVEN = ("Aino", "Eino", "Helmi", "Väinö", "Linnea", "Onni", "Sofia", "Leo", "Ella", "Elias",
         "Aada", "Oliver", "Venla", "Veeti", "Lilja", "Niilo", "Iida", "Eetu", "Saara", "Jyrki")
FAMILY = ("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
          "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen",
          "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Sillanpää")
ACTIVITIES = (
    ("Koordinaatio", "Coordination"), ("Verkostojen rakentaminen", "Building networks"),
    ("Pilotointi", "Piloting"), ("Viestintä ja näkyvyys", "Communication and visibility"),
    ("Osaamisen kehittäminen", "Developing competences"),
    ("Kansainvälistyminen", "Internationalisation"),
    ("Tutkimusyhteistyö", "Research cooperation"), ("Arviointi", "Evaluation"),
)
# National funders of the synthetic funding programmes: the ministry (a real IRI) and two
# synthetic ones.
FUNDERS = (MINISTRY, ID + "organisation/synteettinen-rahoittaja-1",
           ID + "organisation/synteettinen-rahoittaja-2")
PROGRAMMES = 6

# Average triples per project including its share of organisations, persons and links; used
# only to plan how many projects make the requested size.
TRIPLES_PER_PROJECT = 154
CONTEXT_TRIPLES = 1500


@dataclass(frozen=True)
class Plan:
    """How many projects and organisations each region gets for a size."""

    size: int
    seed: int
    projects: tuple[int, ...]
    orgs: tuple[int, ...]
    org_offsets: tuple[int, ...]

    def persons(self, r: int) -> int:
        return self.orgs[r] + self.orgs[r] // 2


@lru_cache(maxsize=16)
def plan(size: int, seed: int) -> Plan:
    """Projects shared among the regions by weight (largest remainder), organisations in step.

    Small sizes leave some regions without projects (the national context is always whole).
    """
    total = max(1, round((size - CONTEXT_TRIPLES) / TRIPLES_PER_PROJECT))
    weight = sum(r[5] for r in REGIONS)
    shares = [total * r[5] / weight for r in REGIONS]
    projects = [int(s) for s in shares]
    for r in sorted(range(len(REGIONS)), key=lambda r: projects[r] - shares[r])[:total - sum(projects)]:
        projects[r] += 1
    orgs = tuple(round(n * 1.2) + 4 if n else 0 for n in projects)
    offsets = tuple(sum(orgs[:r]) for r in range(len(orgs)))
    return Plan(size=size, seed=seed, projects=tuple(projects), orgs=orgs, org_offsets=offsets)


def region_slug(r: int) -> str:
    return REGIONS[r][0]


def city_iris(r: int) -> list[str]:
    return [ID + "organisation/" + c[0] for c in REGIONS[r][4]]


def funding_authority(r: int) -> str:
    return ID + f"organisation/{region_slug(r)}-rahoittajaviranomainen"


@dataclass(frozen=True)
class Organisation:
    iri: str
    name_fi: str
    name_en: str
    company: bool
    business_id: str


def organisation(p: Plan, r: int, k: int) -> Organisation:
    """Synthetic organisation ``k`` of region ``r``."""
    stem = REGIONS[r][3]
    sector_fi, sector_en = SECTORS[(k + r) % len(SECTORS)]
    form_fi, form_en = FORMS[(k * 7 + p.seed) % len(FORMS)]
    name_fi = f"{stem} {sector_fi} {k + 1} {form_fi}"
    name_en = f"{stem} {sector_en} {k + 1} {form_en}"
    return Organisation(iri=ID + "organisation/" + slugify(name_fi), name_fi=name_fi,
                        name_en=name_en, company=form_fi.startswith("Oy"),
                        business_id=business_id(p, p.org_offsets[r] + k))


SPARE_IDS = 9_990_000  # numbers from here up are kept for the injected violations


def valid_business_id(number: int) -> str:
    """The business ID of ``number`` or of the next number that has a check digit."""
    while (check := check_digit(str(number))) is None:
        number += 1
    return f"{number}-{check}"


def business_id(p: Plan, g: int) -> str:
    """A valid business ID for the ``g``-th synthetic organisation: unique, one per slot of 16."""
    start = 9_000_000 + 16 * g + random.Random(f"{p.seed}/bid/{g}").randrange(15)
    if start >= SPARE_IDS:
        raise ValueError("too many organisations for the synthetic business-ID range")
    return valid_business_id(start)  # at most start + 1: still inside this slot


@dataclass(frozen=True)
class Person:
    iri: str
    given: str
    family: str
    member_of: str


def person(p: Plan, r: int, k: int) -> Person:
    """Person ``k`` of region ``r``: persons 0..n-1 work at organisation k, the rest at k - n."""
    h = (k * 7919 + r * 104729 + p.seed * 31) % (len(GIVEN) * len(FAMILY))
    given, family = GIVEN[h % len(GIVEN)], FAMILY[h // len(GIVEN)]
    return Person(iri=ID + f"person/{slugify(given)}-{slugify(family)}-{region_slug(r)}-{k + 1}",
                  given=given, family=family,
                  member_of=organisation(p, r, k % p.orgs[r]).iri)


@dataclass
class WorkPackage:
    iri: str
    number: int
    title_fi: str
    title_en: str
    responsible: list[str]
    contact: str | None
    themes: list[str]


@dataclass(frozen=True)
class Funding:
    """A project's funding record as the importer writes one: granted or only proposed, the
    amount and the total cost in euros, and (for most) the date of the decision."""

    status: str              # granted | proposed
    amount: str              # xsd:decimal lexical form
    total_cost: str
    decided: str | None


FOCUS_AREAS_PER_REGION = 2
FOCUS_AREAS = (("Uudistuva teollisuus", "Industry renewal"), ("Terveysteknologia", "Health technology"),
               ("Kiertotalous ja puhtaat ratkaisut", "Circular economy and clean solutions"),
               ("Digitaaliset palvelut", "Digital services"))


def focus_area(r: int, k: int) -> tuple[str, str, str]:
    """(IRI, Finnish name, English name) of focus area ``k`` of region ``r``'s agreement."""
    fi_name, en_name = FOCUS_AREAS[(r + k) % len(FOCUS_AREAS)]
    return ID + f"focus-area/{region_slug(r)}-{k + 1}", fi_name, en_name


def funding(p: Plan, r: int, n: int, start: str) -> Funding:
    """The funding of project ``n`` of region ``r``, from a random stream of its own (so that the
    rest of the project is what it was before funding was modelled)."""
    rng = random.Random(f"{p.seed}/funding/{r}/{n}")
    status = "granted" if rng.random() < 0.7 else "proposed"
    amount = rng.randrange(5_000, 600_000)
    rate = rng.choice((0.5, 0.6, 0.7, 0.75, 0.8))
    decided = None
    if rng.random() < 0.8:
        year, month = int(start[:4]), int(start[5:7])
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        decided = f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"
    return Funding(status, str(amount), str(round(amount / rate)), decided)


@dataclass
class Project:
    r: int
    n: int
    iri: str
    slug: str
    title_fi: str
    title_en: str
    acronym: str
    start: str
    end: str
    themes: list[str]
    partners: list[str]      # the first one is the main contractor
    programme: int
    funder: str
    source: str
    wps: list[WorkPackage] = field(default_factory=list)
    funding: Funding | None = None
    focus_area: str | None = None    # a focus area of its region's agreement, for some projects

    @property
    def period(self) -> str:
        return self.iri + "#period"

    @property
    def grant(self) -> str:
        return self.iri + "#grant"

    def membership(self, org: str) -> str:
        return f"{self.iri}#membership-{org.rsplit('/', 1)[1]}"


def project(p: Plan, r: int, n: int) -> Project:
    """Project ``n`` of region ``r``, rebuilt from its own random stream."""
    rng = random.Random(f"{p.seed}/project/{r}/{n}")
    slug = f"{region_slug(r)}-project-{n + 1}"
    iri = ID + "project/" + slug
    themes = rng.sample(range(len(THEMES)), rng.randint(1, 3))
    theme_fi, theme_en = THEMES[themes[0]][1], THEMES[themes[0]][2]
    year, month = rng.randint(2019, 2027), rng.randint(1, 12)
    months = rng.randint(6, 36)
    end_year, end_month = year + (month + months - 1) // 12, (month + months - 1) % 12 + 1
    end_day = (31, 29 if end_year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[end_month - 1]
    cities = city_iris(r)
    partners: list[str] = []
    staff: dict[str, str] = {}   # synthetic partner -> its first person, the contact
    if rng.random() < 0.4:
        partners.append(cities[rng.randrange(len(cities))])
    count = min(rng.randint(2, 6), len(partners) + p.orgs[r])
    while len(partners) < count:
        rr = r if rng.random() < 0.9 else rng.randrange(len(REGIONS))
        rr = rr if p.orgs[rr] else r
        k = rng.randrange(p.orgs[rr])
        org = organisation(p, rr, k).iri
        if org not in partners:
            partners.append(org)
            staff[org] = person(p, rr, k).iri
    programme = rng.randrange(PROGRAMMES)
    proj = Project(
        r=r, n=n, iri=iri, slug=slug,
        title_fi=f"{theme_fi[0].upper()}{theme_fi[1:]} – kehittämishanke {n + 1}, {REGIONS[r][1]}",
        title_en=f"{theme_en[0].upper()}{theme_en[1:]} – development project {n + 1}, {REGIONS[r][2]}",
        acronym=f"{slugify(REGIONS[r][3])[:3].upper()}-{n + 1}",
        start=f"{year:04d}-{month:02d}-01", end=f"{end_year:04d}-{end_month:02d}-{end_day:02d}",
        themes=[ID + "theme/" + THEMES[t][0] for t in themes], partners=partners,
        programme=programme, funder=FUNDERS[programme % len(FUNDERS)],
        source=ID + "source/" + slug)
    proj.funding = funding(p, r, n, proj.start)
    if n % 3 == 0:
        proj.focus_area = focus_area(r, (n // 3) % FOCUS_AREAS_PER_REGION)[0]
    for number in range(1, rng.randint(3, 8) + 1):
        act_fi, act_en = ACTIVITIES[(number - 1 + rng.randrange(2)) % len(ACTIVITIES)]
        responsible = rng.sample(partners, min(len(partners), rng.choice((1, 1, 1, 2))))
        contact = None
        lead = responsible[0]
        if lead in staff and rng.random() < 0.7:
            contact = staff[lead]
        wp_themes = rng.sample(proj.themes, min(len(proj.themes), rng.randint(1, 2)))
        proj.wps.append(WorkPackage(
            iri=f"{ID}work-package/{slug}-wp-{number}", number=number,
            title_fi=f"{act_fi}: {THEMES[themes[0]][1]} ({number})",
            title_en=f"{act_en}: {THEMES[themes[0]][2]} ({number})",
            responsible=responsible, contact=contact, themes=wp_themes))
    return proj
