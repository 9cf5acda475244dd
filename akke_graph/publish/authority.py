"""The controlled vocabularies the catalogue uses — the EU Publications Office authority tables,
IANA media types, ADMS licence types, SPDX checksum algorithms — and the background knowledge a
portal's validator needs to check the catalogue on its own: each vocabulary value the catalogue
names is stated to be what DCAT-AP's class ranges expect (``skos:Concept`` in its scheme, and
``dcterms:LicenseDocument``, ``dcterms:Frequency`` … where DCAT-AP asks for those).

These are facts of the vocabularies (the EU ``data-theme`` REGI is a concept of the data-theme
table), not of the graph, so the catalogue may state them for any release."""

from __future__ import annotations

import pyoxigraph as ox

from akke_graph.errors import ConfigError
from akke_graph.terms import DCTERMS, FOAF, SKOS

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
SPDX = "http://spdx.org/rdf/terms#"
ADMS_LICENCE_TYPE = "http://purl.org/adms/licencetype/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# The release's licence: Creative Commons Attribution 4.0. Portals read the EU authority IRI
# (data.europa.eu counts a licence as "known" when it is from the EU licence table); the
# Creative Commons deed is the licence's own page, linked from the authority IRI.
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
LICENCE = EU + "licence/CC_BY_4_0"
LICENCE_TYPE = ADMS_LICENCE_TYPE + "Attribution"
# Anyone may download a release without conditions: that is what publishing under CC BY means.
ACCESS_PUBLIC = EU + "access-right/PUBLIC"
# Every release is about Finland's regional innovation ecosystems (the title says so).
FINLAND = EU + "country/FIN"
FINLAND_NAMES = {"fi": "Suomi", "sv": "Finland", "en": "Finland"}

# The codes of the EU frequency table (dcterms:accrualPeriodicity) with their English labels;
# UNKNOWN is the honest value when the configuration says nothing.
FREQUENCIES = {
    "1MIN": "every minute", "5MIN": "every five minutes", "10MIN": "every ten minutes",
    "15MIN": "every fifteen minutes", "30MIN": "every thirty minutes", "HOURLY": "hourly",
    "BIHOURLY": "bihourly", "TRIHOURLY": "trihourly", "12HRS": "every twelve hours",
    "CONT": "continuous", "UPDATE_CONT": "continuously updated", "DAILY": "daily",
    "DAILY_2": "twice a day", "WEEKLY": "weekly", "WEEKLY_2": "semiweekly",
    "WEEKLY_3": "three times a week", "WEEKLY_5": "five times a week", "BIWEEKLY": "biweekly",
    "MONTHLY": "monthly", "MONTHLY_2": "semimonthly", "MONTHLY_3": "three times a month",
    "BIMONTHLY": "bimonthly", "QUARTERLY": "quarterly", "ANNUAL": "annual", "ANNUAL_2": "semiannual",
    "ANNUAL_3": "three times a year", "BIENNIAL": "biennial", "TRIENNIAL": "triennial",
    "QUADRENNIAL": "quadrennial", "QUINQUENNIAL": "quinquennial", "SEXENNIAL": "sexennial",
    "DECENNIAL": "decennial", "BIDECENNIAL": "bidecennial", "TRIDECENNIAL": "tridecennial",
    "IRREG": "irregular", "AS_NEEDED": "as needed", "NOT_PLANNED": "not planned", "NEVER": "never",
    "OP_DATPRO": "provisional data", "OTHER": "other", "UNKNOWN": "unknown",
}
# Labels of the other vocabulary values the catalogue may name (DCAT-AP asks every concept for a
# skos:prefLabel and every scheme for a dcterms:title).
CONCEPT_LABELS = {
    EU + "data-theme/REGI": "Regions and cities", EU + "data-theme/ECON": "Economy and finance",
    EU + "language/FIN": "Finnish", EU + "language/SWE": "Swedish", EU + "language/ENG": "English",
    EU + "language/SME": "Northern Sami", EU + "language/DEU": "German", EU + "language/FRA": "French",
    EU + "file-type/RDF_TURTLE": "RDF Turtle", EU + "file-type/RDF_N_TRIPLES": "RDF N-Triples",
    EU + "file-type/JSON_LD": "JSON-LD", EU + "file-type/RDF_TRIG": "RDF TriG",
    EU + "file-type/TSV": "TSV", EU + "file-type/SPARQLQ": "SPARQL query",
    EU + "access-right/PUBLIC": "public", EU + "country/FIN": "Finland",
    EU + "licence/CC_BY_4_0": "Creative Commons Attribution 4.0 International",
    ADMS_LICENCE_TYPE + "Attribution": "Attribution",
    **{EU + "frequency/" + code: label for code, label in FREQUENCIES.items()},
}
SCHEME_TITLES = {
    EU + "data-theme": "Data theme", EU + "language": "Language", EU + "file-type": "File type",
    EU + "access-right": "Access right", EU + "frequency": "Frequency", EU + "licence": "Licence",
    EU + "country": "Country", ADMS_LICENCE_TYPE + "1.0": "ADMS licence type",
}
DEFAULT_FREQUENCY = "UNKNOWN"

# EU table (IRI below EU) -> the DCAT-AP class its values also have.
TABLE_CLASSES = {
    "licence": DCTERMS + "LicenseDocument",
    "access-right": DCTERMS + "RightsStatement",
    "frequency": DCTERMS + "Frequency",
    "country": DCTERMS + "Location",
    "language": DCTERMS + "LinguisticSystem",
    "file-type": DCTERMS + "MediaTypeOrExtent",
}
STANDARDS = {
    "https://www.w3.org/TR/sparql11-protocol/": "SPARQL 1.1 Protocol",
    "https://www.w3.org/TR/sparql11-query/": "SPARQL 1.1 Query Language",
    "https://www.w3.org/TR/shacl/": "Shapes Constraint Language (SHACL)",
    "https://www.w3.org/TR/owl2-overview/": "OWL 2 Web Ontology Language",
    "https://w3id.org/sssom/": "Simple Standard for Sharing Ontological Mappings (SSSOM)",
}


def frequency(code: str | None) -> str:
    """The EU frequency IRI for the configured ``update-frequency`` (UNKNOWN when unset)."""
    value = (code or DEFAULT_FREQUENCY).strip().upper()
    if value not in FREQUENCIES:
        raise ConfigError(f"update-frequency {code!r} in [tool.akke-graph] is not a code of the EU "
                          "frequency table",
                          hint="use one of " + ", ".join(FREQUENCIES) + " (e.g. IRREG, ANNUAL), or leave it out")
    return EU + "frequency/" + value


def table_of(iri: str) -> str | None:
    """``http://…/authority/file-type`` for ``http://…/authority/file-type/RDF_TURTLE``."""
    if not iri.startswith(EU):
        return None
    table, _, code = iri[len(EU):].partition("/")
    return EU + table if code else None


def background(iris: set[str]) -> list[ox.Triple]:
    """What a validator needs to know about the vocabulary values in ``iris`` (see the module
    docstring); IRIs from no known vocabulary are left alone."""
    out: list[ox.Triple] = []
    iris = iris | ({LICENCE_TYPE} if LICENCE in iris else set())

    def add(s: str, p: str, o: str | ox.Literal) -> None:
        out.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o if isinstance(o, ox.Literal) else ox.NamedNode(o)))

    for iri in sorted(iris):
        table = table_of(iri)
        if table is not None:
            add(iri, RDF_TYPE, SKOS + "Concept")
            add(iri, SKOS + "inScheme", table)
            add(table, RDF_TYPE, SKOS + "ConceptScheme")
            kind = TABLE_CLASSES.get(table[len(EU):])
            if kind:
                add(iri, RDF_TYPE, kind)
        elif iri.startswith(IANA):
            add(iri, RDF_TYPE, DCTERMS + "MediaType")
        elif iri.startswith(SPDX + "checksumAlgorithm_"):
            add(iri, RDF_TYPE, SPDX + "ChecksumAlgorithm")
        elif iri.startswith(ADMS_LICENCE_TYPE):
            add(iri, RDF_TYPE, SKOS + "Concept")
            add(iri, SKOS + "inScheme", ADMS_LICENCE_TYPE + "1.0")
            add(ADMS_LICENCE_TYPE + "1.0", RDF_TYPE, SKOS + "ConceptScheme")
        elif iri in STANDARDS:
            add(iri, RDF_TYPE, DCTERMS + "Standard")
            add(iri, DCTERMS + "title", ox.Literal(STANDARDS[iri], language="en"))
        if iri in CONCEPT_LABELS:
            add(iri, SKOS + "prefLabel", ox.Literal(CONCEPT_LABELS[iri], language="en"))
        if iri == LICENCE:
            add(iri, DCTERMS + "type", LICENCE_TYPE)
            add(iri, SKOS + "exactMatch", CC_BY)
            add(iri, FOAF + "page", CC_BY)
        if iri == FINLAND:
            for lang, name in FINLAND_NAMES.items():
                if lang != "en":
                    add(iri, SKOS + "prefLabel", ox.Literal(name, language=lang))
    schemes = {t.object.value for t in out
               if t.predicate.value == SKOS + "inScheme" and isinstance(t.object, ox.NamedNode)}
    for scheme in sorted(schemes):
        if scheme in SCHEME_TITLES:
            add(scheme, DCTERMS + "title", ox.Literal(SCHEME_TITLES[scheme], language="en"))
    return out
