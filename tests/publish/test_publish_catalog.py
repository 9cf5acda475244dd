"""SHA256SUMS works with the real ``sha256sum -c``; catalog.ttl is a DCAT-AP 3 description that
conforms to the project's DCAT-AP shapes and to the official DCAT-AP 3.0.1 shapes (vendored in
tests/fixtures/dcat-ap-3.0.1), carries what data.europa.eu and avoindata.fi read, and says what
the release really holds — with nothing a configuration did not give (no publisher, e-mail or
endpoint is made up)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.load import LoadedGraph
from akke_graph.publish.checksums import SUMS, release_files
from akke_graph.publish.dumps import DUMPS
from akke_graph.shacl.shapes import load_shapes_graph
from akke_graph.store import OxigraphStore
from akke_graph.terms import DCAT, DCTERMS, OWL, PROV, RDF, SKOS, VOID, XSD
from akke_graph.shacl.validate import validate_graph
from tests.conftest import copy_seed_project
from tests.publish.conftest import PORTAL_SETTINGS, configure

SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = EU + "licence/CC_BY_4_0"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
OFFICIAL = Path(__file__).resolve().parents[1] / "fixtures" / "dcat-ap-3.0.1"


def catalog_store(path: Path) -> OxigraphStore:
    store = OxigraphStore()
    store.load(path.read_bytes(), "turtle", graph="urn:catalog", base_iri="urn:catalog")
    return store


def check(config, store: OxigraphStore, engine: str = "native"):
    shapes = config.shapes_dir / "dcat-ap.ttl"
    graph = load_shapes_graph([shapes], base_iri=config.base_iri)
    return validate_graph(LoadedGraph(config=config, store=store), engine=engine, shapes=graph)


def values(store: OxigraphStore, s: str, p: str) -> list:
    return [q.object for q in store.quads_matching(ox.NamedNode(s), ox.NamedNode(p))]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum is not installed")
def test_sha256sum_checks_every_file(release: Path) -> None:
    result = subprocess.run(["sha256sum", "-c", "--strict", SUMS], cwd=release, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    listed = {line.split("  ", 1)[1] for line in (release / SUMS).read_text().splitlines()}
    assert listed == set(release_files(release)) - {SUMS}


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_catalog_conforms_to_the_dcat_ap_shapes(portal_release: Path, config, engine: str) -> None:
    report = check(config, catalog_store(portal_release / "catalog.ttl"), engine)
    assert report.conforms, report.to_text("en")
    assert not report.results, report.to_text("en")   # no warnings either: recommended properties too


def test_without_a_publisher_the_catalogue_names_none_and_says_why(release: Path, config) -> None:
    """The shipped configuration names no publisher: the catalogue states none (nor a contact
    organisation), the landing pages cite no one, and that is the only gap."""
    store = catalog_store(release / "catalog.ttl")
    base = config.base_iri
    assert not values(store, base + "catalog", DCTERMS + "publisher")
    assert not values(store, base + "catalog#dataset", DCTERMS + "publisher")
    assert not values(store, base + "catalog#dataset", DCAT + "contactPoint")
    report = check(config, store)
    assert {r.path for r in report.results} == {ox.NamedNode(DCTERMS + "publisher"), ox.NamedNode(DCAT + "contactPoint")}
    for page in ("index.html", "index.en.html"):
        html = (release / page).read_text(encoding="utf-8")
        licence, cite = html.split('id="licence"', 1)[1].split('id="cite"', 1)
        assert "Turun kaupunki" not in licence + cite and "City of Turku" not in licence + cite
        assert "Publisher:City" not in html and "Julkaisija:Turun" not in html
    assert json.loads((release / "release.json").read_text(encoding="utf-8"))["publisher"] is None


def test_the_publisher_is_named_with_a_space(portal_release: Path) -> None:
    html = (portal_release / "index.en.html").read_text(encoding="utf-8")
    assert "Publisher: <a" in html and "Turku Science Park" in html.split('id="cite"', 1)[1]


def test_the_shapes_catch_a_catalogue_without_title_or_access_url(portal_release: Path, config) -> None:
    store = catalog_store(portal_release / "catalog.ttl")
    dataset = f"{config.base_iri}catalog#dataset"
    store.remove(store.quads_matching(ox.NamedNode(dataset), ox.NamedNode(DCTERMS + "title")))
    store.remove(store.quads_matching(predicate=ox.NamedNode(DCAT + "accessURL")))
    report = check(config, store)
    assert not report.conforms
    violations = [r for r in report.results if r.severity_name == "Violation"]
    assert any(r.focus == ox.NamedNode(dataset) and "title" in (r.path_text or "") for r in violations)
    distributions = values(store, dataset, DCAT + "distribution")
    assert sum(1 for r in violations if "accessURL" in (r.path_text or "")) == len(distributions)


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
@pytest.mark.parametrize("size, datatype, ok", [("12", "nonNegativeInteger", True), ("12", "integer", False),
                                                ("-1", "nonNegativeInteger", False), ("12", "int", False)])
def test_the_byte_size_is_checked_as_written(portal_release: Path, config, engine: str, size: str, datatype: str,
                                             ok: bool) -> None:
    """The store holds all of these as xsd:integer; the shapes see them as written."""
    store = catalog_store(portal_release / "catalog.ttl")
    dist = ox.NamedNode(f"{config.base_iri}catalog#distribution-{DUMPS[0].suffix}")
    assert values(store, dist.value, DCAT + "byteSize")
    store.remove(store.quads_matching(dist, ox.NamedNode(DCAT + "byteSize")))
    store.add([ox.Quad(dist, ox.NamedNode(DCAT + "byteSize"), ox.Literal(size, datatype=ox.NamedNode(XSD + datatype)),
                       ox.NamedNode("urn:catalog"))])
    report = check(config, store, engine)
    assert [(r.focus, r.value) for r in report.results] == ([] if ok else [(dist, ox.Literal(size, datatype=ox.NamedNode(XSD + datatype)))])


def test_catalog_describes_each_dump_truthfully(release: Path, config) -> None:
    store = catalog_store(release / "catalog.ttl")
    base = config.base_iri
    dataset = base + "catalog#dataset"
    distributions = values(store, dataset, DCAT + "distribution")
    for fmt in DUMPS:
        dist = f"{base}catalog#distribution-{fmt.suffix}"
        assert ox.NamedNode(dist) in distributions
        data = (release / fmt.path).read_bytes()
        assert values(store, dist, DCAT + "downloadURL") == [ox.NamedNode(base + fmt.path)]
        assert values(store, dist, DCAT + "accessURL")
        assert values(store, dist, DCAT + "mediaType") == [ox.NamedNode(fmt.media_type_iri)]
        assert values(store, dist, DCTERMS + "format") == [ox.NamedNode(EU + "file-type/" + fmt.file_type)]
        assert [v.value for v in values(store, dist, DCAT + "byteSize")] == [str(len(data))]
        assert values(store, dist, DCTERMS + "license") == [ox.NamedNode(LICENCE)]
        (checksum,) = values(store, dist, SPDX + "checksum")
        sums = [q.object.value for q in store.quads_matching(checksum, ox.NamedNode(SPDX + "checksumValue"))]
        assert sums == [hashlib.sha256(data).hexdigest()]


def test_the_ontology_shapes_and_mappings_are_distributions_with_checksums(release: Path, config) -> None:
    store = catalog_store(release / "catalog.ttl")
    base = config.base_iri
    offered = {}
    for dist in values(store, base + "catalog#dataset", DCAT + "distribution"):
        for url in values(store, dist.value, DCAT + "downloadURL"):
            offered[url.value[len(base):]] = dist
    files = sorted(p.relative_to(release).as_posix() for folder in ("ontology", "shapes", "mappings")
                   for p in (release / folder).rglob("*") if p.is_file() and p.suffix in (".ttl", ".tsv"))
    assert any(f.startswith("shapes/") for f in files) and any(f.startswith("mappings/") for f in files)
    for path in files:
        dist = offered[path].value
        data = (release / path).read_bytes()
        media = values(store, dist, DCAT + "mediaType")[0].value
        assert media.endswith("text/tab-separated-values" if path.endswith(".tsv") else "text/turtle"), path
        assert [v.value for v in values(store, dist, DCAT + "byteSize")] == [str(len(data))]
        (checksum,) = values(store, dist, SPDX + "checksum")
        assert [q.object.value for q in store.quads_matching(
            checksum, ox.NamedNode(SPDX + "checksumValue"))] == [hashlib.sha256(data).hexdigest()]


def test_catalog_facts(release: Path, config, loaded) -> None:
    store = catalog_store(release / "catalog.ttl")
    base = config.base_iri
    dataset, catalog = base + "catalog#dataset", base + "catalog"
    themes = {t.value for t in values(store, dataset, DCAT + "theme")}
    assert EU + "data-theme/REGI" in themes and EU + "data-theme/ECON" in themes
    spatial = {t.value for t in values(store, dataset, DCTERMS + "spatial")}
    city_regions = {q.subject.value for q in loaded.store.quads()
                    if q.predicate.value == RDF + "type" and q.object.value == config.ontology_ns + "CityRegion"}
    assert len(city_regions) == 16 and city_regions <= spatial
    assert EU + "country/FIN" in spatial
    assert values(store, dataset, DCTERMS + "accessRights") == [ox.NamedNode(EU + "access-right/PUBLIC")]
    assert values(store, dataset, DCTERMS + "accrualPeriodicity") == [ox.NamedNode(EU + "frequency/UNKNOWN")]
    assert values(store, catalog, DCTERMS + "license") == [ox.NamedNode(LICENCE)]
    assert ox.NamedNode(CC_BY) in values(store, LICENCE, SKOS + "exactMatch")
    assert {v.value for v in values(store, dataset, DCTERMS + "language")} >= {EU + "language/FIN", EU + "language/ENG"}
    keywords = {(k.value, k.language) for k in values(store, dataset, DCAT + "keyword")}
    assert {"fi", "en"} <= {lang for _, lang in keywords}
    (start,) = [q.object.value for q in store.quads_matching(predicate=ox.NamedNode(DCAT + "startDate"))]
    assert start == "2017-10-01"        # the earliest project of the data (BalticSatApps)
    assert [v.value for v in values(store, dataset, DCAT + "version")] == ["1.0.0"]
    assert [v.value for v in values(store, dataset, OWL + "versionInfo")] == ["1.0.0"]
    assert values(store, dataset, DCTERMS + "issued") and values(store, dataset, DCTERMS + "modified")
    triples = sum(1 for _ in ox.parse(path=str(release / "dumps/akke-graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert [v.value for v in values(store, dataset, VOID + "triples")] == [str(triples)]
    assert values(store, dataset, VOID + "classPartition") and values(store, dataset, VOID + "propertyPartition")
    assert [v.value for v in values(store, dataset, VOID + "uriSpace")] == [base]
    assert ox.NamedNode("http://www.w3.org/ns/org#") in values(store, dataset, VOID + "vocabulary")
    assert not values(store, catalog, DCAT + "service")                 # no endpoint configured: none


def test_void_subsets_count_each_source_file(release: Path, config, loaded) -> None:
    store = catalog_store(release / "catalog.ttl")
    subsets = {s.value for s in values(store, config.base_iri + "catalog#dataset", VOID + "subset")}
    for path in sorted(config.data_dir.rglob("*.ttl")):
        graph = config.graph_iri(path)
        assert graph in subsets, path
        count = sum(1 for _ in loaded.store.quads(graph))
        assert [v.value for v in values(store, graph, VOID + "triples")] == [str(count)], path
        assert values(store, graph, PROV + "wasDerivedFrom"), path


def test_linksets_to_wikidata_yso_and_code_lists(release: Path, config, loaded) -> None:
    store = catalog_store(release / "catalog.ttl")
    found = {}
    for node in values(store, config.base_iri + "catalog#dataset", VOID + "subset"):
        if ox.NamedNode(VOID + "Linkset") in values(store, node.value, RDF + "type"):
            (target,) = values(store, node.value, VOID + "objectsTarget")
            (predicate,) = values(store, node.value, VOID + "linkPredicate")
            (triples,) = values(store, node.value, VOID + "triples")
            assert values(store, target.value, DCTERMS + "title")
            found[(target.value, predicate.value)] = int(triples.value)
    own = config.id_base

    def links(namespace: str, predicate: str) -> int:
        return len({(q.subject, q.object) for q in loaded.store.quads() if q.predicate.value == predicate
                    and q.object.value.startswith(namespace) and q.subject.value.startswith(own)})

    assert found[("http://www.yso.fi/onto/yso/", SKOS + "exactMatch")] == links("http://www.yso.fi/onto/yso/", SKOS + "exactMatch")
    assert found[("https://www.wikidata.org/", DCTERMS + "spatial")] == links("http://www.wikidata.org/entity/", DCTERMS + "spatial")
    kunta = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101"
    assert found[(kunta, DCTERMS + "spatial")] == links(kunta + "/code/", DCTERMS + "spatial")


def test_the_dcat_ap_shapes_do_not_fire_on_the_graph(loaded) -> None:
    report = validate_graph(loaded)
    assert not [r for r in report.results if "Dcat" in str(r.source_shape)]


def test_configured_publisher_endpoint_and_contact_email(portal_release: Path) -> None:
    store = catalog_store(portal_release / "catalog.ttl")
    base = "https://w3id.org/akke/"
    endpoint = ox.NamedNode(PORTAL_SETTINGS["endpoint"])
    assert values(store, base + "catalog", DCTERMS + "publisher") == [ox.NamedNode(base + "id/organisation/turku-science-park")]
    assert values(store, base + "catalog#contact-point", VCARD + "hasEmail") == [ox.NamedNode("mailto:data@example.org")]
    assert values(store, base + "catalog#dataset", VOID + "sparqlEndpoint") == [endpoint]
    assert values(store, base + "catalog#dataset", DCTERMS + "accrualPeriodicity") == [ox.NamedNode(EU + "frequency/IRREG")]
    (service,) = values(store, base + "catalog", DCAT + "service")
    assert values(store, service.value, DCAT + "endpointURL") == [endpoint]
    assert values(store, service.value, DCAT + "servesDataset") == [ox.NamedNode(base + "catalog#dataset")]
    assert ox.NamedNode(base + "catalog#distribution-sparql") in values(store, base + "catalog#dataset", DCAT + "distribution")


def test_a_bad_update_frequency_is_a_configuration_error(tmp_path: Path, run_cli) -> None:
    project_copy = configure(copy_seed_project(tmp_path / "project"), **{"update-frequency": "every now and then"})
    result = run_cli("publish", "--out", str(project_copy / "dist"), cwd=project_copy)
    assert result.exit_code == 2, result.stderr
    assert "update-frequency" in result.stderr and "IRREG" in result.stderr and "Traceback" not in result.stderr
    assert "loading the graph" not in result.stderr and not (project_copy / "dist").exists()   # said first


# --- the official DCAT-AP 3.0.1 shapes ----------------------------------------------------------

def official(release: Path, shapes: str) -> list[tuple[str, str, str, str]]:
    """(severity, path, component, focus) of each top-level result of one official shapes file,
    run by pyshacl on catalog.ttl alone (the catalogue carries its own background knowledge)."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    data = rdflib.Graph().parse(release / "catalog.ttl", format="turtle")
    graph = rdflib.Graph().parse(OFFICIAL / shapes, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=graph, inference="none", allow_warnings=True)
    return sorted((str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1], str(report.value(r, SH.resultPath)),
                   str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1], str(report.value(r, SH.focusNode)))
                  for r in report.objects(None, SH.result))


@pytest.mark.parametrize("shapes", ["shapes.ttl", "range.ttl"])
def test_the_official_mandatory_and_range_shapes_pass(portal_release: Path, shapes: str) -> None:
    assert official(portal_release, shapes) == []


def test_the_official_recommended_shapes_warn_only_of_what_no_source_gives(portal_release: Path) -> None:
    """Left open on purpose: no geometry (bbox, centroid) is known for the regions, a release
    cannot promise how long its host keeps it (availability), and the publisher's type in the
    ADMS publisher-type table is not in the graph."""
    allowed = {DCAT + "bbox", DCAT + "centroid", "http://data.europa.eu/r5r/availability", DCTERMS + "type"}
    results = official(portal_release, "shapes_recommended.ttl")
    assert results and all(severity == "Warning" for severity, *_ in results)
    assert {path for _, path, _, _ in results} <= allowed, results


def test_the_official_vocabulary_shapes(portal_release: Path) -> None:
    """Warnings only for what is not from an EU table on purpose (the graph's own regions and
    themes beside Finland and the EU themes; a publisher that is no EU body), and violations only
    from the file's https pattern for SPDX algorithms, which DCAT-AP's own namespace
    (http://spdx.org/rdf/terms#) cannot match."""
    results = official(portal_release, "mdr-vocabularies.shape.ttl")
    violations = {path for severity, path, _, _ in results if severity == "Violation"}
    warnings = {path for severity, path, _, _ in results if severity == "Warning"}
    assert violations <= {"http://spdx.org/rdf/terms#algorithm"}, results
    assert warnings <= {DCTERMS + "spatial", DCAT + "theme", DCTERMS + "publisher"}, results


def schema_dataset(release: Path, page: str) -> dict:
    html = (release / page).read_text(encoding="utf-8")
    return json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])


def test_the_landing_pages_carry_a_schema_org_dataset(release: Path, portal_release: Path) -> None:
    for page, lang in (("index.html", "fi"), ("index.en.html", "en")):
        doc = schema_dataset(release, page)
        assert doc["@type"] == "Dataset" and doc["license"] == CC_BY and doc["url"] == "https://w3id.org/akke/"
        assert doc["temporalCoverage"] == "2017-10-01/2025-07-31"   # the projects of the data, first to last and doc["version"] == "1.0.0"
        assert {"fi", "en"} <= set(doc["inLanguage"]) and doc["keywords"]
        assert any(d["contentUrl"].endswith("dumps/akke-graph.ttl") and d["encodingFormat"] == "text/turtle"
                   for d in doc["distribution"])
        assert "Finland" in {p["name"] for p in doc["spatialCoverage"]} or "Suomi" in {p["name"] for p in doc["spatialCoverage"]}
        assert "publisher" not in doc and "creator" not in doc          # none configured
    assert schema_dataset(portal_release, "index.en.html")["publisher"]["name"] == "Turku Science Park Ltd."
    assert schema_dataset(portal_release, "index.html")["publisher"]["name"] == "Turku Science Park Oy"


def test_the_catalogue_as_json_ld_and_html(release: Path, config) -> None:
    turtle = {str(q) for q in ox.parse(path=str(release / "catalog.ttl"), format=ox.RdfFormat.TURTLE)}
    jsonld = {str(q) for q in ox.parse(path=str(release / "catalog.jsonld"), format=ox.RdfFormat.JSON_LD)}
    assert len(turtle) == len(jsonld) and {t for t in turtle if "_:" not in t} == {t for t in jsonld if "_:" not in t}
    html = (release / "catalog.html").read_text(encoding="utf-8")
    for dump in DUMPS:
        assert f'href="{dump.path}"' in html
    assert hashlib.sha256((release / "dumps/akke-graph.ttl").read_bytes()).hexdigest() in html
    assert "data/organisations.ttl" in html and "YSO" in html and "luonnos" in html   # a draft: no publisher
