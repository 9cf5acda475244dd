"""``catalog.ttl``: the release described for open-data portals (data.europa.eu, avoindata.fi) —
a DCAT-AP 3 catalogue with one dataset, a distribution per file a portal may offer (the dumps, the
ontology, the shapes, the registry mappings: each with its media type, size and SHA-256), the
SPARQL endpoint as a ``dcat:DataService`` when one is configured, and a VoID description of the
graph (counts, a subset per source file, linksets to Wikidata, YSO and the code lists) — checked
against the project's own DCAT-AP shapes (``shapes/dcat-ap.ttl``) before the release is accepted.

Everything in it comes from the graph, the configuration or the files just written; nothing is
made up. The publisher is a deliberate setting: the ``publisher`` key names an organisation of
the graph. Without it the catalogue names no publisher (and no contact organisation) and
``publish`` says so: such a release is a draft that portals will not harvest, because DCAT-AP
makes the catalogue's publisher mandatory. The contact e-mail is the ``contact-email`` key, or
none; the access rights are public and the licence CC BY 4.0 (what every release is); the update
frequency is the ``update-frequency`` key (an EU frequency code), else "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from akke_graph.errors import ConfigError, PublishError
from akke_graph.escape import comment
from akke_graph.publish import authority
from akke_graph.publish.authority import ACCESS_PUBLIC, EU, FINLAND, IANA, LICENCE, SPDX
from akke_graph.publish.dumps import DUMPS, EU_FILE_TYPE, turtle, used_prefixes
from akke_graph.publish.model import RDF_TYPE, ReleaseGraph, Term
from akke_graph.publish.void import VoidStatistics, exact_statistics, graph_sizes, linksets, void_statistics
from akke_graph.terms import (DCAT, DCTERMS, FOAF, ORG, OWL, PROV, SCHEMA, SKOS, VOID, XSD,
                              prefix_map)

VCARD = "http://www.w3.org/2006/vcard/ns#"
# "Regions and cities" and "Economy and finance" of the EU data-theme vocabulary.
EU_THEMES = ("REGI", "ECON")
LANGUAGE_CODES = {"fi": "FIN", "sv": "SWE", "en": "ENG", "se": "SME", "de": "DEU", "fr": "FRA"}
MAX_EXAMPLES = 3
CATALOG_PREFIXES = {"spdx": SPDX, "vcard": VCARD, "dcatap": "http://data.europa.eu/r5r/"}
SPARQL_STANDARDS = ("https://www.w3.org/TR/sparql11-protocol/", "https://www.w3.org/TR/sparql11-query/")

TITLE = {"fi": "AKKE-tietoverkko: alueelliset innovaatioekosysteemit",
         "en": "AKKE graph: regional innovation ecosystems"}
CATALOG_TITLE = {"fi": "AKKE-tietoverkon avoin data", "en": "AKKE graph open data"}
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
SERVICE_TEXT = {
    "title": {"fi": "AKKE-tietoverkon SPARQL-rajapinta", "en": "SPARQL endpoint of the AKKE graph"},
    "description": {"fi": "Koko tietoverkko kyseltävissä SPARQL 1.1 -protokollalla (vain luku).",
                    "en": "The whole graph, queried with the SPARQL 1.1 Protocol (read-only)."},
}
NO_PUBLISHER = ("no publisher is configured ([tool.akke-graph] publisher): the catalogue names no "
                "publisher, so this release is a draft that open-data portals will not harvest "
                "(DCAT-AP requires a publisher). Set publisher = \"<organisation slug>\" to publish it")


@dataclass(frozen=True)
class ReleaseInfo:
    """Facts about this release that are not in the graph."""

    version: str
    issued: str      # xsd:date of the first release
    modified: str    # xsd:dateTime of this release
    without_persons: bool = False


@dataclass(frozen=True)
class FileKind:
    """A kind of release file offered as a distribution besides the dumps."""

    folder: str
    media_type: str
    file_type: str
    conforms_to: str
    title: dict[str, str]
    description: dict[str, str]


FILE_KINDS = (
    FileKind("ontology/", "text/turtle", "RDF_TURTLE", "https://www.w3.org/TR/owl2-overview/",
             {"fi": "AKKE-ontologia, {name}", "en": "AKKE ontology, {name}"},
             {"fi": "Tietoverkon oma OWL-ontologia (Turtle).", "en": "The graph's own OWL ontology (Turtle)."}),
    FileKind("shapes/", "text/turtle", "RDF_TURTLE", "https://www.w3.org/TR/shacl/",
             {"fi": "SHACL-muodot, {name}", "en": "SHACL shapes, {name}"},
             {"fi": "SHACL-muodot, joita tietoverkon data noudattaa (Turtle).",
              "en": "The SHACL shapes the graph's data conforms to (Turtle)."}),
    FileKind("mappings/", "text/tab-separated-values", "TSV", "https://w3id.org/sssom/",
             {"fi": "Linkitykset rekistereihin, {name}", "en": "Links to registries, {name}"},
             {"fi": "Tietoverkon linkitykset Wikidataan, YSO:on ja koodistoihin SSSOM-muodossa.",
              "en": "The graph's links to Wikidata, YSO and the code lists, as SSSOM mappings."}),
)


def file_kind(path: str) -> FileKind | None:
    return next((k for k in FILE_KINDS if path.startswith(k.folder)), None)


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
        self.service = nn(base + "catalog#sparql-service")
        self.vocabulary: set[str] = set()   # controlled-vocabulary IRIs named (for the background)

    def add(self, s: ox.NamedNode | ox.BlankNode, p: str, *objects: str | Term) -> None:
        for o in objects:
            self.triples.append(ox.Triple(s, nn(p), o if not isinstance(o, str) else nn(o)))
            if isinstance(o, str):
                self.vocabulary.add(o)

    def bilingual(self, s: ox.NamedNode, p: str, text: dict[str, str]) -> None:
        self.add(s, p, *(lit(v, lang) for lang, v in text.items()))

    def names(self, node: ox.NamedNode, prop: str) -> None:
        """``node``'s labels from the graph, under ``prop``."""
        self.add(node, prop, *(v for v in self.graph.objects(node, SKOS + "prefLabel") if isinstance(v, ox.Literal)))

    # --- parts -------------------------------------------------------------------------------

    def publisher(self) -> ox.NamedNode | None:
        org = resolve_publisher(self.graph)
        if org is None:
            return None
        self.add(org, RDF_TYPE, FOAF + "Agent", FOAF + "Organization")
        self.names(org, FOAF + "name")
        return org

    def contact_point(self, org: ox.NamedNode | None) -> bool:
        """The publisher with its web pages, and the configured e-mail; False when there is neither."""
        email = self.graph.config.contact_email
        if org is None and not email:
            return False
        self.add(self.contact, RDF_TYPE, VCARD + "Kind", *((VCARD + "Organization",) if org is not None else ()))
        if org is not None:
            self.names(org, VCARD + "fn")
            self.add(self.contact, VCARD + "hasURL", *organisation_pages(self.graph, org))
        if email:
            if "@" not in email or any(c.isspace() for c in email):
                raise ConfigError(f"contact-email {email!r} in [tool.akke-graph] is not an e-mail address",
                                  hint="write it like data@example.fi, or leave the key out")
            self.add(self.contact, VCARD + "hasEmail", "mailto:" + email.removeprefix("mailto:"))
        return True

    def spatial(self) -> list[ox.NamedNode | str]:
        """Finland, the city regions the data covers, and the code-list IRIs they are linked to."""
        regions = covered_regions(self.graph)
        for region in regions:
            self.add(region, RDF_TYPE, DCTERMS + "Location")
            self.names(region, SKOS + "prefLabel")
        return [FINLAND, *regions]

    def temporal(self) -> bool:
        span = temporal_span(self.graph)
        if span is None:
            return False
        self.add(self.period, RDF_TYPE, DCTERMS + "PeriodOfTime")
        self.add(self.period, DCAT + "startDate", lit(span[0], datatype=XSD + "date"))
        self.add(self.period, DCAT + "endDate", lit(span[1], datatype=XSD + "date"))
        return True

    def themes(self) -> list[ox.NamedNode | str]:
        """The EU data themes and the graph's own themes (with their schemes, as concepts)."""
        own = project_themes(self.graph)
        for theme in own:
            self.add(theme, RDF_TYPE, SKOS + "Concept")
            self.names(theme, SKOS + "prefLabel")
            for scheme in theme_schemes(self.graph, [theme]):
                self.add(theme, SKOS + "inScheme", scheme)
        for scheme in theme_schemes(self.graph, own):
            self.add(scheme, RDF_TYPE, SKOS + "ConceptScheme")
            labels = [v for p in (DCTERMS + "title", SKOS + "prefLabel") for v in self.graph.objects(scheme, p)
                      if isinstance(v, ox.Literal)]
            self.add(scheme, DCTERMS + "title", *labels)
        return [*(EU + "data-theme/" + code for code in EU_THEMES), *own]

    def distribution(self, key: str, path: str, size: int, sha256: str, media_type: str, file_type: str,
                     title: dict[str, str], description: dict[str, str]) -> ox.NamedNode:
        dist = nn(f"{self.graph.base}catalog#distribution-{key}")
        url = self.graph.base + path
        self.add(dist, RDF_TYPE, DCAT + "Distribution")
        self.bilingual(dist, DCTERMS + "title", title)
        self.bilingual(dist, DCTERMS + "description", description)
        self.add(dist, DCAT + "accessURL", url)
        self.add(dist, DCAT + "downloadURL", url)
        self.add(dist, DCAT + "mediaType", IANA + media_type)
        self.add(dist, DCTERMS + "format", EU_FILE_TYPE + file_type)
        self.add(dist, DCAT + "byteSize", lit(str(size), datatype=XSD + "nonNegativeInteger"))
        self.add(dist, DCTERMS + "license", LICENCE)
        self.add(dist, DCTERMS + "accessRights", ACCESS_PUBLIC)
        self.add(dist, DCTERMS + "issued", lit(self.info.modified, datatype=XSD + "dateTime"))
        checksum = ox.BlankNode()
        self.add(dist, SPDX + "checksum", checksum)
        self.add(checksum, RDF_TYPE, SPDX + "Checksum")
        self.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        self.add(checksum, SPDX + "checksumValue", lit(sha256, datatype=XSD + "hexBinary"))
        return dist

    def distributions(self, digests: dict[str, tuple[int, str]]) -> list[ox.NamedNode]:
        """The dumps, then every ontology, shapes and mappings file of the release."""
        found = []
        for fmt in DUMPS:
            size, sha = digests[fmt.path]
            found.append(self.distribution(
                fmt.suffix, fmt.path, size, sha, fmt.media_type, fmt.file_type,
                {k: v.format(name=fmt.name) for k, v in DUMP_TEXT["title"].items()},
                {k: v.format(name=fmt.name) for k, v in DUMP_TEXT["description"].items()}))
            self.add(self.dataset, VOID + "dataDump", self.graph.base + fmt.path)
        for path in sorted(digests):
            kind = file_kind(path)
            if kind is None:
                continue
            size, sha = digests[path]
            name = path.rsplit("/", 1)[-1]
            key = path.replace("/", "-").replace(".", "-")
            dist = self.distribution(key, path, size, sha, kind.media_type, kind.file_type,
                                     {k: v.format(name=name) for k, v in kind.title.items()}, kind.description)
            self.add(dist, DCTERMS + "conformsTo", kind.conforms_to)
            found.append(dist)
        return found

    def data_service(self, publisher: ox.NamedNode | None, contact: bool,
                     themes: list[ox.NamedNode | str]) -> ox.NamedNode | None:
        """The configured SPARQL endpoint (``serve`` answers at ``/sparql``); none when not
        configured — an endpoint is never guessed. Its description is the SPARQL 1.1 Service
        Description a SPARQL endpoint returns at its own URL (``serve`` does)."""
        endpoint = self.graph.config.endpoint
        if not endpoint:
            return None
        svc = self.service
        self.add(svc, RDF_TYPE, DCAT + "DataService")
        self.bilingual(svc, DCTERMS + "title", SERVICE_TEXT["title"])
        self.bilingual(svc, DCTERMS + "description", SERVICE_TEXT["description"])
        self.add(svc, DCAT + "endpointURL", endpoint)
        self.add(svc, DCAT + "endpointDescription", endpoint)
        self.add(svc, DCAT + "servesDataset", self.dataset)
        self.add(svc, DCAT + "theme", *themes)
        for fi, en in KEYWORDS:
            self.add(svc, DCAT + "keyword", lit(fi, "fi"), lit(en, "en"))
        self.add(svc, DCTERMS + "conformsTo", *SPARQL_STANDARDS)
        self.add(svc, DCTERMS + "license", LICENCE)
        self.add(svc, DCTERMS + "accessRights", ACCESS_PUBLIC)
        if publisher is not None:
            self.add(svc, DCTERMS + "publisher", publisher)
        if contact:
            self.add(svc, DCAT + "contactPoint", self.contact)
        # The endpoint as a distribution too: portals list a dataset's ways in by distribution.
        dist = nn(f"{self.graph.base}catalog#distribution-sparql")
        self.add(dist, RDF_TYPE, DCAT + "Distribution")
        self.bilingual(dist, DCTERMS + "title", SERVICE_TEXT["title"])
        self.bilingual(dist, DCTERMS + "description", SERVICE_TEXT["description"])
        self.add(dist, DCAT + "accessURL", endpoint)
        self.add(dist, DCAT + "accessService", svc)
        self.add(dist, DCTERMS + "format", EU_FILE_TYPE + "SPARQLQ")
        self.add(dist, DCTERMS + "license", LICENCE)
        self.add(dist, DCTERMS + "accessRights", ACCESS_PUBLIC)
        self.add(self.dataset, DCAT + "distribution", dist)
        return svc

    def void(self, stats: VoidStatistics | None) -> None:
        g, ds = self.graph, self.dataset
        stats = exact_statistics(g, stats or void_statistics(g))
        self.add(ds, VOID + "triples", lit(str(len(g)), datatype=XSD + "integer"))
        self.add(ds, VOID + "entities", lit(str(stats.entities), datatype=XSD + "integer"))
        self.add(ds, VOID + "uriSpace", lit(g.base))
        classes, properties = stats.classes, stats.properties
        for cls, count in sorted(classes.items()):
            part = ox.BlankNode()
            self.add(ds, VOID + "classPartition", part)
            self.add(part, VOID + "class", nn(cls))
            self.add(part, VOID + "entities", lit(str(count), datatype=XSD + "integer"))
        for prop, count in sorted(properties.items()):
            part = ox.BlankNode()
            self.add(ds, VOID + "propertyPartition", part)
            self.add(part, VOID + "property", nn(prop))
            self.add(part, VOID + "triples", lit(str(count), datatype=XSD + "integer"))
        namespaces = prefix_map(g.config)
        used = {ns for ns in namespaces.values() for term in (*classes, *properties) if term.startswith(ns)}
        self.add(ds, VOID + "vocabulary", *(nn(ns) for ns in sorted(used)))
        if g.config.endpoint:
            self.add(ds, VOID + "sparqlEndpoint", nn(g.config.endpoint))
        self.add(ds, VOID + "exampleResource", *projects(g, limit=MAX_EXAMPLES))
        self.subsets()
        self.linksets()

    def subsets(self) -> None:
        """A VoID subset per source file, named by the file's graph IRI."""
        g = self.graph
        for graph_iri, count in sorted(graph_sizes(g).items()):
            node = nn(graph_iri)
            self.add(self.dataset, VOID + "subset", node)
            self.add(node, RDF_TYPE, VOID + "Dataset")
            self.add(node, DCTERMS + "title", lit(g.files[graph_iri].display))
            self.add(node, VOID + "triples", lit(str(count), datatype=XSD + "integer"))
            self.add(node, PROV + "wasDerivedFrom", *(o for o in g.objects(node, PROV + "wasDerivedFrom")
                                                      if isinstance(o, ox.NamedNode)))

    def linksets(self) -> None:
        """A VoID linkset per link target and predicate (Wikidata, YSO, each code list)."""
        for link in linksets(self.graph):
            node = nn(f"{self.graph.base}catalog#linkset-{link.key}")
            target = nn(link.target)
            self.add(self.dataset, VOID + "subset", node)
            self.add(node, RDF_TYPE, VOID + "Linkset")
            self.add(node, VOID + "subjectsTarget", self.dataset)
            self.add(node, VOID + "objectsTarget", target)
            self.add(node, VOID + "target", self.dataset, target)
            self.add(node, VOID + "linkPredicate", nn(link.predicate))
            self.add(node, VOID + "triples", lit(str(link.triples), datatype=XSD + "integer"))
            self.add(target, RDF_TYPE, VOID + "Dataset")
            own = [v for v in self.graph.objects(target, SKOS + "prefLabel") if isinstance(v, ox.Literal)]
            if own:
                self.add(target, DCTERMS + "title", *own)
            else:
                self.bilingual(target, DCTERMS + "title", link.names)

    def build(self, digests: dict[str, tuple[int, str]], stats: VoidStatistics | None = None) -> list[ox.Triple]:
        g, info, cat, ds = self.graph, self.info, self.catalog, self.dataset
        publisher = self.publisher()
        contact = self.contact_point(publisher)
        spatial = self.spatial()
        themes = self.themes()
        description = {k: v + (NO_PERSONS[k] if info.without_persons else "") for k, v in DESCRIPTION.items()}
        issued = lit(info.issued, datatype=XSD + "date")
        modified = lit(info.modified, datatype=XSD + "dateTime")
        languages = [EU + "language/" + code for code in languages_of(g)]
        pages = [g.base, g.base + "index.en.html"]

        self.add(cat, RDF_TYPE, DCAT + "Catalog")
        self.bilingual(cat, DCTERMS + "title", CATALOG_TITLE)
        self.bilingual(cat, DCTERMS + "description", description)
        if publisher is not None:
            self.add(cat, DCTERMS + "publisher", publisher)
        self.add(cat, DCTERMS + "language", *languages)
        self.add(cat, DCTERMS + "license", LICENCE)
        self.add(cat, DCTERMS + "issued", issued)
        self.add(cat, DCTERMS + "modified", modified)
        self.add(cat, DCTERMS + "spatial", *spatial)
        self.add(cat, DCAT + "themeTaxonomy", EU + "data-theme", *theme_schemes(g, project_themes(g)))
        self.add(cat, FOAF + "homepage", g.base)
        self.add(cat, DCAT + "dataset", ds)

        self.add(ds, RDF_TYPE, DCAT + "Dataset", VOID + "Dataset")
        self.bilingual(ds, DCTERMS + "title", TITLE)
        self.bilingual(ds, DCTERMS + "description", description)
        if publisher is not None:
            self.add(ds, DCTERMS + "publisher", publisher)
        if contact:
            self.add(ds, DCAT + "contactPoint", self.contact)
        self.add(ds, DCAT + "landingPage", g.base)
        self.add(ds, FOAF + "page", *pages[1:])
        self.add(ds, DCTERMS + "issued", issued)
        self.add(ds, DCTERMS + "modified", modified)
        self.add(ds, PROV + "generatedAtTime", modified)
        self.add(ds, DCAT + "version", lit(info.version))
        self.add(ds, OWL + "versionInfo", lit(info.version))
        self.add(ds, DCTERMS + "language", *languages)
        self.add(ds, DCTERMS + "accessRights", ACCESS_PUBLIC)
        self.add(ds, DCTERMS + "accrualPeriodicity", authority.frequency(g.config.update_frequency))
        self.add(ds, DCTERMS + "spatial", *spatial)
        if self.temporal():
            self.add(ds, DCTERMS + "temporal", self.period)
        self.add(ds, DCAT + "theme", *themes)
        for fi, en in keywords(g):
            self.add(ds, DCAT + "keyword", lit(fi, "fi"), lit(en, "en"))
        self.add(ds, DCTERMS + "conformsTo", g.config.ontology_iri)
        self.add(nn(g.config.ontology_iri), RDF_TYPE, DCTERMS + "Standard")
        self.add(ds, PROV + "wasDerivedFrom", *data_sources(g))
        self.add(ds, DCAT + "distribution", *self.distributions(digests))
        service = self.data_service(publisher, contact, themes)
        if service is not None:
            self.add(cat, DCAT + "service", service)
        self.void(stats)
        for page in pages:
            self.add(nn(page), RDF_TYPE, FOAF + "Document")
        self.triples += authority.background(self.vocabulary)
        return self.triples


# --- what the catalogue reads from the graph ----------------------------------------------------

def resolve_publisher(graph: ReleaseGraph) -> ox.NamedNode | None:
    """The configured publisher (an organisation IRI or slug), or None when none is configured."""
    configured = graph.config.publisher
    if not configured:
        return None
    iri = configured if configured.startswith(("http://", "https://")) else \
        graph.config.id_base + "organisation/" + configured.removeprefix("organisation/")
    node = nn(graph.rebaser.text(iri))
    kinds = set(graph.types(node))
    if not kinds & {ORG + "FormalOrganization", ORG + "Organization", FOAF + "Organization"}:
        raise ConfigError(f"publisher {configured!r} in [tool.akke-graph] is not an organisation of the graph",
                          hint="give the IRI or slug of an organisation in data/, e.g. publisher = \"turun-kaupunki\"")
    return node


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
    return [p for r in rows for p in [r["p"]] if isinstance(p, ox.NamedNode)]


def project_objects(graph: ReleaseGraph, predicate: str) -> list[ox.NamedNode]:
    """The distinct IRIs the projects point at with ``predicate``, in IRI order (one query, however
    many projects there are)."""
    rows = graph.select(f"""SELECT DISTINCT ?o WHERE {{
        ?p a <{ORG}OrganizationalCollaboration> ; <{predicate}> ?o FILTER(isIRI(?p) && isIRI(?o)) }} ORDER BY ?o""")
    return [o for r in rows for o in [r["o"]] if isinstance(o, ox.NamedNode)]


def data_sources(graph: ReleaseGraph) -> list[ox.NamedNode]:
    """The documents the data files name as their sources (``<> prov:wasDerivedFrom``)."""
    data_graphs = {f.graph for f in graph.files.values() if f.is_data}
    rows = graph.select(f"SELECT DISTINCT ?g ?d WHERE {{ ?g <{PROV}wasDerivedFrom> ?d FILTER(isIRI(?d)) }}")
    return [nn(d) for d in sorted({r["d"].value for r in rows if r["g"].value in data_graphs})]


def covered_regions(graph: ReleaseGraph) -> list[ox.NamedNode]:
    """The regions of the projects and of the ecosystem agreements (the city regions), and the
    code-list or registry IRIs they are linked to."""
    agreement = graph.config.ontology_ns + "EcosystemAgreement"
    rows = graph.select(f"""SELECT DISTINCT ?o WHERE {{
        VALUES ?kind {{ <{ORG}OrganizationalCollaboration> <{agreement}> }}
        ?s a ?kind ; <{DCTERMS}spatial> ?o FILTER(isIRI(?o)) }}""")
    regions = {r["o"] for r in rows}
    linked = {o for r in regions for p in (SKOS + "exactMatch", OWL + "sameAs", DCTERMS + "hasPart")
              for o in graph.objects(r, p) if isinstance(o, ox.NamedNode) and not graph.is_own(o)}
    return sorted(regions | linked, key=lambda n: n.value)  # type: ignore[arg-type]


def temporal_span(graph: ReleaseGraph) -> tuple[str, str] | None:
    """Earliest start and latest end date of any period in the graph."""
    first = graph.select(f"SELECT (MIN(?d) AS ?v) WHERE {{ ?x <{DCAT}startDate> ?d }}")
    last = graph.select(f"SELECT (MAX(?d) AS ?v) WHERE {{ ?x <{DCAT}endDate> ?d }}")
    if not first or not last or "v" not in first[0] or "v" not in last[0]:
        return None
    return first[0]["v"].value, last[0]["v"].value


def project_themes(graph: ReleaseGraph) -> list[ox.NamedNode]:
    return project_objects(graph, DCAT + "theme")


def theme_schemes(graph: ReleaseGraph, themes: list[ox.NamedNode]) -> list[ox.NamedNode]:
    return sorted({s for t in themes for s in graph.objects(t, SKOS + "inScheme") if isinstance(s, ox.NamedNode)},
                  key=lambda n: n.value)


def languages_of(graph: ReleaseGraph) -> list[str]:
    """The EU language codes of the languages the graph's texts are written in."""
    rows = graph.select("SELECT DISTINCT (LANG(?o) AS ?l) WHERE { ?s ?p ?o FILTER(isLiteral(?o) && LANG(?o) != \"\") }")
    tags = {r["l"].value.split("-", 1)[0].lower() for r in rows if "l" in r}
    return sorted({LANGUAGE_CODES[t] for t in tags if t in LANGUAGE_CODES})


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


def check_catalog(graph: ReleaseGraph, triples: list[ox.Triple]) -> list[str]:
    """Validate the catalogue with the project's DCAT-AP shapes; a violation stops the release.
    Returns the gaps accepted because the configuration leaves them open (no publisher)."""
    from akke_graph.load import LoadedGraph
    from akke_graph.shacl.shapes import load_shapes_graph
    from akke_graph.store import open_store
    from akke_graph.shacl.validate import validate_graph

    shapes_file = graph.config.shapes_dir / "dcat-ap.ttl"
    if not shapes_file.is_file():
        raise PublishError(f"the DCAT-AP shapes {graph.config.display_path(shapes_file)} are missing",
                           hint="restore shapes/dcat-ap.ttl from the project repository")
    store = open_store("oxigraph")
    catalog_graph = nn(graph.base + "catalog")
    store.add(ox.Quad(t.subject, t.predicate, t.object, catalog_graph) for t in triples)
    shapes = load_shapes_graph([shapes_file], {shapes_file: graph.config.display_path(shapes_file)},
                               base_iri=graph.base)
    report = validate_graph(LoadedGraph(config=graph.config, store=store), shapes=shapes)
    open_paths = set() if graph.config.publisher else {nn(DCTERMS + "publisher"), nn(DCAT + "contactPoint")}
    accepted = [r for r in report.results if r.path in open_paths]
    if any(r.severity_name == "Violation" for r in report.results if r not in accepted):
        raise PublishError("catalog.ttl does not conform to the DCAT-AP shapes (shapes/dcat-ap.ttl):\n"
                           + report.to_text("en"))
    return [NO_PUBLISHER] if accepted else []


def catalog_triples(graph: ReleaseGraph, info: ReleaseInfo, digests: dict[str, tuple[int, str]],
                    stats: VoidStatistics | None = None) -> list[ox.Triple]:
    """The catalogue's triples, blank nodes labelled canonically, in the order of its Turtle."""
    from akke_graph.publish.canon import canonical_triples
    from akke_graph.publish.model import statement_key

    return sorted(set(canonical_triples(CatalogBuilder(graph, info).build(digests, stats))), key=statement_key)


def write_catalog(graph: ReleaseGraph, info: ReleaseInfo, folder: Path,
                  digests: dict[str, tuple[int, str]], stats: VoidStatistics | None = None
                  ) -> tuple[list[ox.Triple], list[str]]:
    """Build, check and write ``catalog.ttl``; ``digests`` maps release paths to (size, sha256)
    (the dumps, and the ontology, shapes and mappings files offered as distributions), ``stats``
    are the VoID counts if already made. Returns the triples and the gaps the configuration left
    open."""
    triples = catalog_triples(graph, info, digests, stats)
    gaps = check_catalog(graph, triples)
    header = comment(f"DCAT-AP 3 description and VoID of the AKKE graph, release {info.version}") + "\n"
    (folder / "catalog.ttl").write_bytes(turtle(triples, catalog_prefixes(graph, triples), header))
    return triples, gaps
