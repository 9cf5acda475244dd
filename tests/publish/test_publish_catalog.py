"""SHA256SUMS works with the real ``sha256sum -c``; catalog.ttl is a DCAT-AP 3 description that
conforms to the project's DCAT-AP shapes and says what the release really holds."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.config import DEFAULT_BASE_IRI
from akke_graph.load import LoadedGraph
from akke_graph.publish.checksums import SUMS, release_files
from akke_graph.publish.dumps import DUMPS
from akke_graph.shacl.shapes import load_shapes_graph
from akke_graph.store import OxigraphStore
from akke_graph.terms import DCAT, DCTERMS, FOAF, RDF, VOID
from akke_graph.shacl.validate import validate_graph

SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
EU = "http://publications.europa.eu/resource/authority/"


def catalog_store(path: Path) -> OxigraphStore:
    store = OxigraphStore()
    store.load(path.read_bytes(), "turtle", graph="urn:catalog", base_iri="urn:catalog")
    return store


def check(config, store: OxigraphStore, engine: str = "native"):
    shapes = config.shapes_dir / "dcat-ap.ttl"
    graph = load_shapes_graph([shapes], rebase=(DEFAULT_BASE_IRI, config.base_iri))
    return validate_graph(LoadedGraph(config=config, store=store), engine=engine, shapes=graph)


def values(store: OxigraphStore, s: str, p: str) -> list:
    return [q.object for q in store.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None)]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum is not installed")
def test_sha256sum_checks_every_file(release: Path) -> None:
    result = subprocess.run(["sha256sum", "-c", "--strict", SUMS], cwd=release, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    listed = {line.split("  ", 1)[1] for line in (release / SUMS).read_text().splitlines()}
    assert listed == set(release_files(release)) - {SUMS}


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_catalog_conforms_to_the_dcat_ap_shapes(release: Path, config, engine: str) -> None:
    report = check(config, catalog_store(release / "catalog.ttl"), engine)
    assert report.conforms, report.to_text("en")
    assert not report.results, report.to_text("en")   # no warnings either: recommended properties too


def test_the_shapes_catch_a_catalogue_without_title_or_access_url(release: Path, config) -> None:
    store = catalog_store(release / "catalog.ttl")
    dataset = f"{config.base_iri}catalog#dataset"
    for q in list(store.store.quads_for_pattern(ox.NamedNode(dataset), ox.NamedNode(DCTERMS + "title"), None, None)):
        store.store.remove(q)
    for q in list(store.store.quads_for_pattern(None, ox.NamedNode(DCAT + "accessURL"), None, None)):
        store.store.remove(q)
    report = check(config, store)
    assert not report.conforms
    violations = [r for r in report.results if r.severity_name == "Violation"]
    assert any(r.focus == ox.NamedNode(dataset) and "title" in (r.path_text or "") for r in violations)
    assert sum(1 for r in violations if "accessURL" in (r.path_text or "")) == len(DUMPS)


def test_catalog_describes_each_dump_truthfully(release: Path, config) -> None:
    store = catalog_store(release / "catalog.ttl")
    base = config.base_iri
    dataset = base + "catalog#dataset"
    distributions = values(store, dataset, DCAT + "distribution")
    assert len(distributions) == len(DUMPS)
    for fmt in DUMPS:
        dist = f"{base}catalog#distribution-{fmt.suffix}"
        assert ox.NamedNode(dist) in distributions
        data = (release / fmt.path).read_bytes()
        assert values(store, dist, DCAT + "downloadURL") == [ox.NamedNode(base + fmt.path)]
        assert values(store, dist, DCAT + "accessURL")
        assert values(store, dist, DCAT + "mediaType") == [ox.NamedNode(fmt.media_type_iri)]
        assert values(store, dist, DCTERMS + "format") == [ox.NamedNode(EU + "file-type/" + fmt.file_type)]
        assert [v.value for v in values(store, dist, DCAT + "byteSize")] == [str(len(data))]
        assert values(store, dist, DCTERMS + "license") == [ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")]
        (checksum,) = values(store, dist, SPDX + "checksum")
        sums = [q.object.value for q in store.store.quads_for_pattern(checksum, ox.NamedNode(SPDX + "checksumValue"), None, None)]
        assert sums == [hashlib.sha256(data).hexdigest()]


def test_catalog_facts(release: Path, config) -> None:
    store = catalog_store(release / "catalog.ttl")
    base = config.base_iri
    dataset, catalog = base + "catalog#dataset", base + "catalog"
    themes = {t.value for t in values(store, dataset, DCAT + "theme")}
    assert EU + "data-theme/REGI" in themes and EU + "data-theme/ECON" in themes
    spatial = {t.value for t in values(store, dataset, DCTERMS + "spatial")}
    assert base + "id/city-region/turku" in spatial
    (publisher,) = values(store, catalog, DCTERMS + "publisher")
    types = {t.value for t in values(store, publisher.value, RDF + "type")}
    assert FOAF + "Organization" in types and FOAF + "Person" not in types
    (contact,) = values(store, dataset, DCAT + "contactPoint")
    assert VCARD + "Organization" in {t.value for t in values(store, contact.value, RDF + "type")}
    assert values(store, contact.value, VCARD + "hasURL")
    assert not values(store, contact.value, VCARD + "hasEmail")   # none configured: none invented
    keywords = {(k.value, k.language) for k in values(store, dataset, DCAT + "keyword")}
    assert {"fi", "en"} <= {lang for _, lang in keywords}
    (start,) = [q.object.value for q in store.store.quads_for_pattern(None, ox.NamedNode(DCAT + "startDate"), None, None)]
    assert start == "2017-10-01"        # the earliest project of the data (BalticSatApps)
    assert [v.value for v in values(store, dataset, DCAT + "version")] == ["1.0.0"]
    assert [v.value for v in values(store, dataset, "http://www.w3.org/2002/07/owl#versionInfo")] == ["1.0.0"]
    assert values(store, dataset, DCTERMS + "issued") and values(store, dataset, DCTERMS + "modified")
    triples = sum(1 for _ in ox.parse(path=str(release / "dumps/akke-graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    assert [v.value for v in values(store, dataset, VOID + "triples")] == [str(triples)]
    assert values(store, dataset, VOID + "classPartition") and values(store, dataset, VOID + "propertyPartition")
    assert [v.value for v in values(store, dataset, VOID + "uriSpace")] == [base]
    assert ox.NamedNode("http://www.w3.org/ns/org#") in values(store, dataset, VOID + "vocabulary")


def test_the_dcat_ap_shapes_do_not_fire_on_the_graph(loaded) -> None:
    report = validate_graph(loaded)
    assert not [r for r in report.results if "Dcat" in str(r.source_shape)]


def test_configured_publisher_endpoint_and_contact_email(project_copy: Path, publish_into, tmp_path: Path) -> None:
    pyproject = project_copy / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace("[tool.akke-graph]\n", "[tool.akke-graph]\npublisher = \"turku-science-park\"\n"
                                      "contact-email = \"data@example.org\"\nendpoint = \"http://127.0.0.1:7878/query\"\n"),
                         encoding="utf-8")
    out = tmp_path / "dist"
    publish_into(project_copy, out)
    store = catalog_store(out / "catalog.ttl")
    base = "https://w3id.org/akke/"
    assert values(store, base + "catalog", DCTERMS + "publisher") == [ox.NamedNode(base + "id/organisation/turku-science-park")]
    assert values(store, base + "catalog#contact-point", VCARD + "hasEmail") == [ox.NamedNode("mailto:data@example.org")]
    assert values(store, base + "catalog#dataset", VOID + "sparqlEndpoint") == [ox.NamedNode("http://127.0.0.1:7878/query")]
