"""The catalogue for people and search engines, read from the catalogue's own triples (one source
for every form): ``catalog.jsonld`` beside ``catalog.ttl``, ``catalog.html`` (what a portal would
show: publisher, licence, coverage, each distribution with its size and checksum, the SPARQL
service, the VoID counts), and the schema.org ``Dataset`` that the landing pages embed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from akke_graph.publish.authority import CC_BY, FREQUENCIES, LICENCE
from akke_graph.publish.catalog import CATALOG_TITLE, TITLE, catalog_prefixes
from akke_graph.publish.humanize import period_text
from akke_graph.publish.jsonld import Compactor, to_jsonld
from akke_graph.publish.model import RDF_TYPE, ReleaseGraph
from akke_graph.publish.site import Page, Site, render
from akke_graph.terms import DCAT, DCTERMS, FOAF, SKOS, VOID

SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
MAX_SUBSETS = 200   # a national graph has thousands of source files: catalog.ttl lists them all


class CatalogView:
    """Lookups over the catalogue's triples."""

    def __init__(self, graph: ReleaseGraph, triples: list[ox.Triple]) -> None:
        self.graph = graph
        self.store = ox.Store()
        self.store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)  # type: ignore[misc]
        self.catalog = ox.NamedNode(graph.base + "catalog")
        self.dataset = ox.NamedNode(graph.base + "catalog#dataset")

    def objects(self, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        found = [q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, None)
                 if not isinstance(q.object, ox.Triple)]
        return sorted(found, key=str)

    def value(self, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def text(self, subject: ox.NamedNode | ox.BlankNode, predicate: str, lang: str) -> str:
        """A literal in ``lang``, else English, else any."""
        found = [o for o in self.objects(subject, predicate) if isinstance(o, ox.Literal)]
        for want in (lang, "en", None):
            for o in found:
                if want is None or o.language == want:
                    return o.value
        return ""

    def name(self, node: object, lang: str) -> str:
        """A value's name: its label in the catalogue, else in the graph, else its IRI."""
        if isinstance(node, ox.Literal):
            return node.value
        for prop in (SKOS + "prefLabel", DCTERMS + "title", FOAF + "name", VCARD + "fn"):
            text = self.text(node, prop, lang)  # type: ignore[arg-type]
            if text:
                return text
        label = self.graph.label(node, lang)  # type: ignore[arg-type]
        return label.text

    # --- parts ---------------------------------------------------------------------------------

    def distributions(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for dist in self.objects(self.dataset, DCAT + "distribution"):
            url = self.value(dist, DCAT + "downloadURL") or self.value(dist, DCAT + "accessURL")  # type: ignore[arg-type]
            checksum = self.value(dist, SPDX + "checksum")  # type: ignore[arg-type]
            sha = self.value(checksum, SPDX + "checksumValue") if checksum is not None else None  # type: ignore[arg-type]
            size = self.value(dist, DCAT + "byteSize")  # type: ignore[arg-type]
            media = self.value(dist, DCAT + "mediaType")  # type: ignore[arg-type]
            fmt = self.value(dist, DCTERMS + "format")  # type: ignore[arg-type]
            rows.append({"id": dist.value.rsplit("#", 1)[-1], "title": {lang: self.text(dist, DCTERMS + "title", lang) for lang in ("fi", "en")},  # type: ignore[arg-type]
                         "url": url.value if url is not None else None,
                         "path": url.value[len(self.graph.base):] if url is not None and url.value.startswith(self.graph.base) else None,
                         "media": media.value.rsplit("media-types/", 1)[-1] if media is not None else "",
                         "format": fmt.value.rsplit("/", 1)[-1] if fmt is not None else "",
                         "size": int(size.value) if size is not None else None, "sha256": sha.value if sha is not None else None})
        return sorted(rows, key=lambda r: (r["path"] is None, str(r["path"])))

    def service(self, lang: str) -> dict[str, str] | None:
        svc = self.value(self.catalog, DCAT + "service")
        if svc is None:
            return None
        endpoint = self.value(svc, DCAT + "endpointURL")  # type: ignore[arg-type]
        return {"title": self.text(svc, DCTERMS + "title", lang), "endpoint": endpoint.value if endpoint is not None else ""}  # type: ignore[arg-type]

    def period(self, lang: str) -> str:
        period = self.value(self.dataset, DCTERMS + "temporal")
        if period is None:
            return ""
        start, end = self.value(period, DCAT + "startDate"), self.value(period, DCAT + "endDate")  # type: ignore[arg-type]
        return period_text(start.value if start else None, end.value if end else None, lang)

    def subsets(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        files: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for node in self.objects(self.dataset, VOID + "subset"):
            if isinstance(node, ox.Literal):
                continue
            triples = self.value(node, VOID + "triples")  # type: ignore[arg-type]
            count = int(triples.value) if triples is not None else 0
            if ox.NamedNode(VOID + "Linkset") in self.objects(node, RDF_TYPE):  # type: ignore[arg-type]
                target = self.value(node, VOID + "objectsTarget")  # type: ignore[arg-type]
                predicate = self.value(node, VOID + "linkPredicate")  # type: ignore[arg-type]
                links.append({"target": target, "predicate": predicate, "triples": count})
            else:
                files.append({"file": self.text(node, DCTERMS + "title", "en"), "graph": node.value, "triples": count})
        return sorted(files, key=lambda f: str(f["file"])), links

    def number(self, subject: ox.NamedNode, predicate: str) -> int | None:
        found = self.value(subject, predicate)
        return int(found.value) if isinstance(found, ox.Literal) else None


def write_catalog_jsonld(graph: ReleaseGraph, triples: list[ox.Triple], folder: Path) -> None:
    """``catalog.jsonld``: the same triples as ``catalog.ttl``, as compact JSON-LD."""
    (folder / "catalog.jsonld").write_bytes(to_jsonld(triples, Compactor(catalog_prefixes(graph, triples))))


def write_catalog_page(graph: ReleaseGraph, site: Site, folder: Path, triples: list[ox.Triple]) -> None:
    """``catalog.html``: the catalogue as a portal would show it (Finnish, with English beside)."""
    view = CatalogView(graph, triples)
    page = Page(site, "catalog.html")
    ds = view.dataset
    files, links = view.subsets()
    publisher = view.value(view.catalog, DCTERMS + "publisher")
    contact = view.value(ds, DCAT + "contactPoint")
    frequency = view.value(ds, DCTERMS + "accrualPeriodicity")
    fields: dict[str, Any] = {
        "publisher": page.value(publisher) if publisher is not None else None,
        "emails": [e.value.removeprefix("mailto:") for e in view.objects(contact, VCARD + "hasEmail")] if contact else [],  # type: ignore[arg-type]
        "contact_urls": [page.value(u) for u in view.objects(contact, VCARD + "hasURL")] if contact else [],  # type: ignore[arg-type]
        "frequency": FREQUENCIES.get(frequency.value.rsplit("/", 1)[-1], "") if frequency is not None else "",
        "spatial": [{"name": view.name(s, "fi"), "href": page.href(s), "iri": s.value} for s in view.objects(ds, DCTERMS + "spatial")],
        "themes": [{"name": view.name(t, "fi"), "href": page.href(t), "iri": t.value} for t in view.objects(ds, DCAT + "theme")],
        "keywords": [k.value for k in view.objects(ds, DCAT + "keyword") if isinstance(k, ox.Literal) and k.language == "fi"],
        "languages": [view.name(lang, "en") for lang in view.objects(ds, DCTERMS + "language")],
    }
    render("catalog.html", folder / page.path, page=page, root=page.rel("index.html"),
           title=CATALOG_TITLE, dataset_title=TITLE, description={lang: view.text(ds, DCTERMS + "description", lang) for lang in ("fi", "en")},
           period={"fi": view.period("fi"), "en": view.period("en")},
           version=view.text(ds, DCAT + "version", "en"), modified=view.text(ds, DCTERMS + "modified", "en"),
           issued=view.text(ds, DCTERMS + "issued", "en"), licence=LICENCE, cc_by=CC_BY,
           distributions=view.distributions(), service=view.service("fi"),
           triples=view.number(ds, VOID + "triples"), entities=view.number(ds, VOID + "entities"),
           files=files[:MAX_SUBSETS], more_files=max(0, len(files) - MAX_SUBSETS),
           links=[{"target": page.value(link["target"]), "target_name": view.name(link["target"], "fi"),
                   "predicate": page.curie(link["predicate"].value), "triples": link["triples"]}  # type: ignore[union-attr]
                  for link in links],
           **fields)


def schema_org(graph: ReleaseGraph, triples: list[ox.Triple], lang: str) -> Markup:
    """The schema.org ``Dataset`` of the release as a JSON-LD ``<script>`` (search engines read
    it; the publisher only when one is configured)."""
    view = CatalogView(graph, triples)
    ds = view.dataset
    start, end = None, None
    period = view.value(ds, DCTERMS + "temporal")
    if period is not None:
        start, end = view.value(period, DCAT + "startDate"), view.value(period, DCAT + "endDate")  # type: ignore[arg-type]
    doc: dict[str, object] = {
        "@context": "https://schema.org/", "@type": "Dataset",
        "@id": ds.value, "name": view.text(ds, DCTERMS + "title", lang),
        "description": view.text(ds, DCTERMS + "description", lang),
        "url": graph.base, "license": CC_BY, "isAccessibleForFree": True,
        "version": view.text(ds, DCAT + "version", lang),
        "datePublished": view.text(ds, DCTERMS + "issued", lang),
        "dateModified": view.text(ds, DCTERMS + "modified", lang),
        "inLanguage": sorted({o.language for t in triples for o in (t.object,)
                              if isinstance(o, ox.Literal) and o.language and t.subject == ds}),
        "keywords": [k.value for k in view.objects(ds, DCAT + "keyword") if isinstance(k, ox.Literal) and k.language == lang],
        "spatialCoverage": [{"@type": "Place", "name": view.name(s, lang)} for s in view.objects(ds, DCTERMS + "spatial")
                            if isinstance(s, ox.NamedNode) and view.objects(s, SKOS + "prefLabel")],
        "includedInDataCatalog": {"@type": "DataCatalog", "name": CATALOG_TITLE[lang], "url": graph.base + "catalog.html"},
        "distribution": [{"@type": "DataDownload", "name": d["title"][lang],  # type: ignore[index]
                          "contentUrl": d["url"], "encodingFormat": d["media"]}
                         for d in view.distributions() if d["media"]],
    }
    if start is not None or end is not None:
        doc["temporalCoverage"] = f"{start.value if start else '..'}/{end.value if end else '..'}"
    publisher = view.value(view.catalog, DCTERMS + "publisher")
    if publisher is not None:
        org = {"@type": "Organization", "@id": publisher.value, "name": view.name(publisher, lang)}
        doc["publisher"] = doc["creator"] = org
    text = json.dumps(doc, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')
