"""``catalog.ttl``: the release described for open-data portals — a DCAT-AP 3 catalogue with one
dataset and one distribution per dump, and a VoID description of the graph — checked against the
project's own DCAT-AP shapes (``shapes/dcat-ap.ttl``) before the release is accepted.

Everything in it comes from the graph, the configuration or the files just written: the
publisher is an organisation of the graph (the ``publisher`` key, else the project's main
implementer), never a person; the contact point is that organisation with its web page (and the
``contact-email`` key only if one is configured — no address is ever made up).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from akke_graph.errors import ConfigError, PublishError
from akke_graph.publish.dumps import DUMPS, DumpFormat, turtle, used_prefixes
from akke_graph.publish.model import RDF_TYPE, ReleaseGraph
from akke_graph.terms import (DCAT, DCTERMS, FOAF, ORG, OWL, PREFIXES, PROV, RDFS, SCHEMA, SKOS,
                              VOID, XSD)

SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
# "Regions and cities" and "Economy and finance" of the EU data-theme vocabulary.
EU_THEMES = ("REGI", "ECON")
LANGUAGES = ("FIN", "ENG")
MAX_EXAMPLES = 3
CATALOG_PREFIXES = {"spdx": SPDX, "vcard": VCARD, "dcatap": "http://data.europa.eu/r5r/"}

TITLE = {"fi": "AKKE-tietoverkko: alueelliset innovaatioekosysteemit",
         "en": "AKKE graph: regional innovation ecosystems"}
DESCRIPTION = {
    "fi": "Linkitettyä avointa dataa Suomen alueellisista innovaatioekosysteemeistä: Turun seudun "
          "AKKE-hanke kumppaneineen, rahoituksineen, työpaketteineen ja teemoineen sekä "
          "16 kaupunkiseudun ja valtion väliset ekosysteemisopimukset. Jokainen tieto on peräisin "
          "lähteestä, jonka tietoverkko nimeää.",
    "en": "Linked open data on Finland's regional innovation ecosystems: the AKKE project of the "
          "Turku region with its partners, funding, work packages and themes, and the ecosystem "
          "agreements between 16 city regions and the state. Every fact comes from a source the "
          "graph names."}
NO_PERSONS = {"fi": " Tästä julkaisusta on poistettu henkilöt ja heidän nimensä.",
              "en": " Persons and their names have been removed from this release."}
KEYWORDS = (("innovaatioekosysteemit", "innovation ecosystems"),
            ("ekosysteemisopimukset", "ecosystem agreements"),
            ("aluekehitys", "regional development"),
            ("linkitetty data", "linked data"))
DUMP_TEXT = {
    "title": {"fi": "AKKE-tietoverkko, {name}", "en": "AKKE graph, {name}"},
    "description": {"fi": "Koko tietoverkko (ontologia ja data) {name}-muodossa.",
                    "en": "The whole graph (ontology and data) in {name}."},
}


@dataclass(frozen=True)
class ReleaseInfo:
    """Facts about this release that are not in the graph."""

    version: str
    issued: str      # xsd:date of the first release
    modified: str    # xsd:dateTime of this release
    without_persons: bool = False


def nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def lit(value: str, lang: str | None = None, datatype: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(value, language=lang)
    return ox.Literal(value, datatype=nn(datatype)) if datatype else ox.Literal(value)


class CatalogBuilder:
    """Collects the catalogue's triples."""

    def __init__(self, graph: ReleaseGraph, info: ReleaseInfo) -> None:
        self.graph, self.info = graph, info
        self.triples: list[ox.Triple] = []
        base = graph.base
        self.catalog = nn(base + "catalog")
        self.dataset = nn(base + "catalog#dataset")
        self.contact = nn(base + "catalog#contact-point")
        self.period = nn(base + "catalog#temporal")

    def add(self, s: ox.NamedNode | ox.BlankNode, p: str, *objects: object) -> None:
        for o in objects:
            self.triples.append(ox.Triple(s, nn(p), o if not isinstance(o, str) else nn(o)))

    def bilingual(self, s: ox.NamedNode, p: str, text: dict[str, str]) -> None:
        self.add(s, p, *(lit(v, lang) for lang, v in text.items()))

    # --- parts -------------------------------------------------------------------------------

    def publisher(self) -> ox.NamedNode:
        org = resolve_publisher(self.graph)
        self.add(org, RDF_TYPE, FOAF + "Agent", FOAF + "Organization")
        names = [v for v in self.graph.objects(org, SKOS + "prefLabel") if isinstance(v, ox.Literal)]
        self.add(org, FOAF + "name", *names)
        return org

    def contact_point(self, org: ox.NamedNode) -> None:
        self.add(self.contact, RDF_TYPE, VCARD + "Kind", VCARD + "Organization")
        names = [v for v in self.graph.objects(org, SKOS + "prefLabel") if isinstance(v, ox.Literal)]
        self.add(self.contact, VCARD + "fn", *names)
        self.add(self.contact, VCARD + "hasURL", *organisation_pages(self.graph, org))
        email = self.graph.config.contact_email
        if email:
            if "@" not in email or any(c.isspace() for c in email):
                raise ConfigError(f"contact-email {email!r} in [tool.akke-graph] is not an e-mail address",
                                  hint="write it like data@example.fi, or leave the key out")
            self.add(self.contact, VCARD + "hasEmail", "mailto:" + email.removeprefix("mailto:"))

    def spatial(self) -> list[ox.NamedNode]:
        regions = covered_regions(self.graph)
        for region in regions:
            self.add(region, RDF_TYPE, DCTERMS + "Location")
            self.add(region, SKOS + "prefLabel",
                     *(v for v in self.graph.objects(region, SKOS + "prefLabel") if isinstance(v, ox.Literal)))
        return regions

    def temporal(self) -> bool:
        span = temporal_span(self.graph)
        if span is None:
            return False
        self.add(self.period, RDF_TYPE, DCTERMS + "PeriodOfTime")
        self.add(self.period, DCAT + "startDate", lit(span[0], datatype=XSD + "date"))
        self.add(self.period, DCAT + "endDate", lit(span[1], datatype=XSD + "date"))
        return True

    def distribution(self, fmt: DumpFormat, size: int, sha256: str) -> ox.NamedNode:
        base = self.graph.base
        dist = nn(f"{base}catalog#distribution-{fmt.suffix}")
        url = base + fmt.path
        self.add(dist, RDF_TYPE, DCAT + "Distribution")
        for key, prop in (("title", DCTERMS + "title"), ("description", DCTERMS + "description")):
            self.bilingual(dist, prop, {lang: text.format(name=fmt.name) for lang, text in DUMP_TEXT[key].items()})
        self.add(dist, DCAT + "accessURL", url)
        self.add(dist, DCAT + "downloadURL", url)
        self.add(dist, DCAT + "mediaType", fmt.media_type_iri)
        self.add(dist, DCTERMS + "format", fmt.file_type_iri)
        self.add(dist, DCAT + "byteSize", lit(str(size), datatype=XSD + "nonNegativeInteger"))
        self.add(dist, DCTERMS + "license", CC_BY)
        self.add(dist, DCTERMS + "issued", lit(self.info.modified, datatype=XSD + "dateTime"))
        checksum = ox.BlankNode()
        self.add(dist, SPDX + "checksum", checksum)
        self.add(checksum, RDF_TYPE, SPDX + "Checksum")
        self.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        self.add(checksum, SPDX + "checksumValue", lit(sha256, datatype=XSD + "hexBinary"))
        self.add(self.dataset, VOID + "dataDump", url)
        return dist

    def void(self, stats: "VoidStatistics | None") -> None:
        g, ds = self.graph, self.dataset
        stats = exact_statistics(g, stats or void_statistics(g))
        self.add(ds, VOID + "triples", lit(str(len(g)), datatype=XSD + "integer"))
        self.add(ds, VOID + "entities", lit(str(stats.entities), datatype=XSD + "integer"))
        self.add(ds, VOID + "uriSpace", lit(g.base))
        classes, properties = stats.classes, stats.properties
        for cls, count in sorted(classes.items()):
            part = ox.BlankNode()
            self.add(ds, VOID + "classPartition", part)
            self.add(part, VOID + "class", cls)
            self.add(part, VOID + "entities", lit(str(count), datatype=XSD + "integer"))
        for prop, count in sorted(properties.items()):
            part = ox.BlankNode()
            self.add(ds, VOID + "propertyPartition", part)
            self.add(part, VOID + "property", prop)
            self.add(part, VOID + "triples", lit(str(count), datatype=XSD + "integer"))
        namespaces = {**PREFIXES, "akke": g.config.ontology_ns}
        used = {ns for ns in namespaces.values() for term in (*classes, *properties) if term.startswith(ns)}
        self.add(ds, VOID + "vocabulary", *sorted(used))
        if g.config.endpoint:
            self.add(ds, VOID + "sparqlEndpoint", g.config.endpoint)
        self.add(ds, VOID + "exampleResource", *projects(g, limit=MAX_EXAMPLES))

    def build(self, digests: dict[str, tuple[int, str]], stats: "VoidStatistics | None" = None) -> list[ox.Triple]:
        g, info, cat, ds = self.graph, self.info, self.catalog, self.dataset
        publisher = self.publisher()
        self.contact_point(publisher)
        regions = self.spatial()
        description = {k: v + (NO_PERSONS[k] if info.without_persons else "") for k, v in DESCRIPTION.items()}
        issued = lit(info.issued, datatype=XSD + "date")
        modified = lit(info.modified, datatype=XSD + "dateTime")

        self.add(cat, RDF_TYPE, DCAT + "Catalog")
        self.bilingual(cat, DCTERMS + "title", {"fi": "AKKE-tietoverkon avoin data", "en": "AKKE graph open data"})
        self.bilingual(cat, DCTERMS + "description", description)
        self.add(cat, DCTERMS + "publisher", publisher)
        self.add(cat, DCTERMS + "language", *(EU_AUTHORITY + "language/" + code for code in LANGUAGES))
        self.add(cat, DCTERMS + "license", CC_BY)
        self.add(cat, DCTERMS + "issued", issued)
        self.add(cat, DCTERMS + "modified", modified)
        self.add(cat, DCTERMS + "spatial", *regions)
        self.add(cat, DCAT + "themeTaxonomy", EU_AUTHORITY + "data-theme",
                 *sorted({s.value for t in project_themes(g) for s in g.objects(t, SKOS + "inScheme")}))
        self.add(cat, FOAF + "homepage", g.base)
        self.add(cat, DCAT + "dataset", ds)

        self.add(ds, RDF_TYPE, DCAT + "Dataset", VOID + "Dataset")
        self.bilingual(ds, DCTERMS + "title", TITLE)
        self.bilingual(ds, DCTERMS + "description", description)
        self.add(ds, DCTERMS + "publisher", publisher)
        self.add(ds, DCAT + "contactPoint", self.contact)
        self.add(ds, DCAT + "landingPage", g.base)
        self.add(ds, DCTERMS + "issued", issued)
        self.add(ds, DCTERMS + "modified", modified)
        self.add(ds, PROV + "generatedAtTime", modified)
        self.add(ds, DCAT + "version", lit(info.version))
        self.add(ds, OWL + "versionInfo", lit(info.version))
        self.add(ds, DCTERMS + "spatial", *regions)
        if self.temporal():
            self.add(ds, DCTERMS + "temporal", self.period)
        self.add(ds, DCAT + "theme", *(EU_AUTHORITY + "data-theme/" + code for code in EU_THEMES), *project_themes(g))
        for fi, en in keywords(g):
            self.add(ds, DCAT + "keyword", lit(fi, "fi"), lit(en, "en"))
        self.add(ds, DCTERMS + "conformsTo", g.config.ontology_iri)
        self.add(ds, PROV + "wasDerivedFrom", *data_sources(g))
        for fmt in DUMPS:
            size, sha = digests[fmt.path]
            self.add(ds, DCAT + "distribution", self.distribution(fmt, size, sha))
        self.void(stats)
        self.add(nn(CC_BY), RDF_TYPE, DCTERMS + "LicenseDocument")
        self.add(nn(CC_BY), RDFS + "label", lit("Creative Commons Attribution 4.0 International (CC BY 4.0)"))
        return self.triples


@dataclass
class VoidStatistics:
    """The VoID counts: distinct own subjects, instances per class, triples per property."""

    entities: int
    classes: dict[str, int]
    properties: dict[str, int]
    distinct: bool = False   # properties counted over distinct triples


def void_statistics(graph: ReleaseGraph) -> VoidStatistics:
    """The counts, by SPARQL on the store. Triples per property are counted without removing
    the triples that two files both state (much faster); :func:`exact_statistics` checks that
    against the number of distinct triples. Publish runs this beside the dumps (Oxigraph answers
    without holding Python's lock)."""
    entities = graph.count(f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{graph.base}")) }}""")
    classes = {r["c"].value: int(r["n"].value) for r in graph.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c")}
    properties = {r["p"].value: int(r["n"].value) for r in graph.select(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")}
    return VoidStatistics(entities, classes, properties)


def exact_statistics(graph: ReleaseGraph, stats: VoidStatistics) -> VoidStatistics:
    """``stats`` if its property counts add up to the graph's distinct triples (no triple stated
    twice), else the same counts over distinct triples."""
    if stats.distinct or sum(stats.properties.values()) == len(graph):
        return stats
    properties = {r["p"].value: int(r["n"].value) for r in graph.select(
        "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p")}
    return VoidStatistics(stats.entities, stats.classes, properties, distinct=True)


# --- what the catalogue reads from the graph ----------------------------------------------------

def resolve_publisher(graph: ReleaseGraph) -> ox.NamedNode:
    """The configured publisher (an organisation IRI or slug), else the project's main implementer."""
    configured = graph.config.publisher
    if configured:
        iri = configured if configured.startswith(("http://", "https://")) else \
            graph.config.id_base + "organisation/" + configured.removeprefix("organisation/")
        node = nn(graph.rebaser.text(iri))
        kinds = set(graph.types(node))
        if not kinds & {ORG + "FormalOrganization", ORG + "Organization", FOAF + "Organization"}:
            raise ConfigError(f"publisher {configured!r} in [tool.akke-graph] is not an organisation of the graph",
                              hint="give the IRI or slug of an organisation in data/, e.g. publisher = \"turun-kaupunki\"")
        return node
    rows = graph.select(f"""
        SELECT ?org WHERE {{
            ?membership <{ORG}role> <{graph.config.id_base}role/main-implementer> ; <{ORG}member> ?org .
            ?org a <{ORG}FormalOrganization> .
        }} ORDER BY ?org LIMIT 1""")
    if not rows:
        rows = graph.select(f"SELECT ?org WHERE {{ ?m <{ORG}member> ?org . ?org a <{ORG}FormalOrganization> }} "
                            "ORDER BY ?org LIMIT 1")
    if not rows:
        raise PublishError("the catalogue needs a publisher organisation and the graph names none",
                           hint="add publisher = \"<organisation slug or IRI>\" to [tool.akke-graph]")
    return rows[0]["org"]  # type: ignore[return-value]


def organisation_pages(graph: ReleaseGraph, org: ox.NamedNode) -> list[ox.NamedNode]:
    """The organisation's own web page if the graph has one, else the pages of its projects."""
    own = [o for p in (FOAF + "homepage", FOAF + "page", SCHEMA + "url")
           for o in graph.objects(org, p) if isinstance(o, ox.NamedNode)]
    if own:
        return sorted(set(own), key=lambda n: n.value)
    pages = {o for s, p in graph.incoming(org) if p == ORG + "member"
             for project in graph.objects(s, ORG + "organization")
             for o in graph.objects(project, FOAF + "page") if isinstance(o, ox.NamedNode)}
    return sorted(pages, key=lambda n: n.value)[:1]


def projects(graph: ReleaseGraph, limit: int | None = None) -> list[ox.NamedNode]:
    """The projects (``org:OrganizationalCollaboration`` IRIs) in IRI order."""
    rows = graph.select(f"SELECT DISTINCT ?p WHERE {{ ?p a <{ORG}OrganizationalCollaboration> FILTER(isIRI(?p)) }} "
                        f"ORDER BY ?p{f' LIMIT {limit}' if limit else ''}")
    return [r["p"] for r in rows]  # type: ignore[misc]


def project_objects(graph: ReleaseGraph, predicate: str) -> list[ox.NamedNode]:
    """The distinct IRIs the projects point at with ``predicate``, in IRI order (one query, however
    many projects there are)."""
    rows = graph.select(f"""SELECT DISTINCT ?o WHERE {{
        ?p a <{ORG}OrganizationalCollaboration> ; <{predicate}> ?o FILTER(isIRI(?p) && isIRI(?o)) }} ORDER BY ?o""")
    return [r["o"] for r in rows]  # type: ignore[misc]


def data_sources(graph: ReleaseGraph) -> list[str]:
    """The documents the data files name as their sources (``<> prov:wasDerivedFrom``)."""
    data_graphs = {f.graph for f in graph.files.values() if f.is_data}
    rows = graph.select(f"SELECT DISTINCT ?g ?d WHERE {{ ?g <{PROV}wasDerivedFrom> ?d FILTER(isIRI(?d)) }}")
    return sorted({r["d"].value for r in rows if r["g"].value in data_graphs})


def covered_regions(graph: ReleaseGraph) -> list[ox.NamedNode]:
    """The projects' regions and the registry or code-list IRIs they are linked to."""
    regions = set(project_objects(graph, DCTERMS + "spatial"))
    linked = {o for r in regions for p in (SKOS + "exactMatch", OWL + "sameAs", DCTERMS + "hasPart")
              for o in graph.objects(r, p) if isinstance(o, ox.NamedNode) and not graph.is_own(o)}
    return sorted(regions | linked, key=lambda n: n.value)


def temporal_span(graph: ReleaseGraph) -> tuple[str, str] | None:
    """Earliest start and latest end date of any period in the graph."""
    first = graph.select(f"SELECT (MIN(?d) AS ?v) WHERE {{ ?x <{DCAT}startDate> ?d }}")
    last = graph.select(f"SELECT (MAX(?d) AS ?v) WHERE {{ ?x <{DCAT}endDate> ?d }}")
    if not first or not last or "v" not in first[0] or "v" not in last[0]:
        return None
    return first[0]["v"].value, last[0]["v"].value


def project_themes(graph: ReleaseGraph) -> list[ox.NamedNode]:
    return project_objects(graph, DCAT + "theme")


def keywords(graph: ReleaseGraph) -> list[tuple[str, str]]:
    words = list(KEYWORDS)
    for theme in project_themes(graph):
        fi, en = graph.label(theme, "fi"), graph.label(theme, "en")
        if fi.lang == "fi" and en.lang == "en":
            words.append((fi.text, en.text))
    return words


# --- writing and checking -----------------------------------------------------------------------

def catalog_prefixes(graph: ReleaseGraph, triples: list[ox.Triple]) -> dict[str, str]:
    return used_prefixes(triples, {**graph.prefixes, **CATALOG_PREFIXES})


def check_catalog(graph: ReleaseGraph, triples: list[ox.Triple]) -> None:
    """Validate the catalogue with the project's DCAT-AP shapes; a violation stops the release."""
    from akke_graph.config import DEFAULT_BASE_IRI
    from akke_graph.load import LoadedGraph
    from akke_graph.shacl.shapes import load_shapes_graph
    from akke_graph.store import OxigraphStore
    from akke_graph.validate import validate_graph

    shapes_file = graph.config.shapes_dir / "dcat-ap.ttl"
    if not shapes_file.is_file():
        raise PublishError(f"the DCAT-AP shapes {graph.config.display_path(shapes_file)} are missing",
                           hint="restore shapes/dcat-ap.ttl from the project repository")
    store = OxigraphStore()
    catalog_graph = nn(graph.base + "catalog")
    store.add(ox.Quad(t.subject, t.predicate, t.object, catalog_graph) for t in triples)
    shapes = load_shapes_graph([shapes_file], {shapes_file: graph.config.display_path(shapes_file)},
                               rebase=(DEFAULT_BASE_IRI, graph.base))
    report = validate_graph(LoadedGraph(config=graph.config, store=store), shapes=shapes)
    if report.has_violations:
        raise PublishError("catalog.ttl does not conform to the DCAT-AP shapes (shapes/dcat-ap.ttl):\n"
                           + report.to_text("en"))


def write_catalog(graph: ReleaseGraph, info: ReleaseInfo, folder: Path,
                  digests: dict[str, tuple[int, str]], stats: VoidStatistics | None = None) -> Path:
    """Build, check and write ``catalog.ttl``; ``digests`` maps dump paths to (size, sha256),
    ``stats`` are the VoID counts if already made (:func:`void_statistics`)."""
    from akke_graph.publish.canon import canonical_triples
    from akke_graph.publish.model import statement_key

    triples = sorted(set(canonical_triples(CatalogBuilder(graph, info).build(digests, stats))), key=statement_key)
    check_catalog(graph, triples)
    path = folder / "catalog.ttl"
    header = f"# DCAT-AP 3 description and VoID of the AKKE graph, release {info.version}\n\n"
    path.write_bytes(turtle(triples, catalog_prefixes(graph, triples), header))
    return path
