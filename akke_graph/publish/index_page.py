"""The landing pages: ``index.html`` in Finnish and ``index.en.html`` in English — the project card,
the work packages, the organisations, the pictures, the downloads with their sizes and checksums,
the licence and how to cite the release."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from markupsafe import Markup

from akke_graph.publish.authority import CC_BY
from akke_graph.publish.catalog import TITLE, ReleaseInfo, resolve_publisher
from akke_graph.publish.dumps import DUMPS
from akke_graph.publish.model import ReleaseGraph, Term
from akke_graph.publish.site import Page, Site, kind_name, render
from akke_graph.terms import ADMS, DCAT, DCTERMS, FOAF, FRAPO, ORG, PROV, SKOS

INDEX = {"fi": "index.html", "en": "index.en.html"}
# A national graph has thousands of projects and organisations: the landing page shows the first
# few and links to the full listings (id/<kind>/index.html).
MAX_PROJECTS = 3
MAX_ORGANISATIONS = 60


@dataclass(frozen=True)
class Download:
    """A file of the release offered on the landing page."""

    path: str
    name: dict[str, str]
    size: int | None = None
    sha256: str | None = None


def text_in(graph: ReleaseGraph, node: Term, prop: str, lang: str) -> dict[str, object] | None:
    """A literal of ``node`` in ``lang`` (else the other language) with its language."""
    values = [v for v in graph.objects(node, prop) if isinstance(v, ox.Literal)]
    for want in (lang, "en" if lang == "fi" else "fi", None):
        for v in values:
            if want is None or v.language == want:
                return {"text": v.value, "lang": v.language}
    return None


def project_card(page: Page, project: ox.NamedNode) -> dict[str, object]:
    graph, lang = page.site.graph, page.lang
    period = graph.value(project, DCTERMS + "temporal")
    partners: list[dict[str, Any]] = []
    for membership, prop in graph.incoming(project):
        if prop == ORG + "organization":
            for member in graph.objects(membership, ORG + "member"):
                roles = sorted(graph.objects(membership, ORG + "role"), key=str)
                partners.append({"org": page.value(member), "roles": [page.value(r) for r in roles]})
    funding = []
    for grant in graph.objects(project, FRAPO + "isFundedBy"):
        agents = [{"agent": page.value(a), "role": page.value(r)}
                  for att in graph.objects(grant, PROV + "qualifiedAttribution")
                  for a in graph.objects(att, PROV + "agent") for r in graph.objects(att, PROV + "hadRole")]
        programmes = [{"programme": page.value(p), "funders": [page.value(f) for f in graph.objects(p, FRAPO + "isFundedBy")]}
                      for p in graph.objects(grant, DCTERMS + "isPartOf")]
        funding.append({"grant": page.value(grant), "agents": agents, "programmes": programmes})
    wp_class = graph.config.ontology_ns + "WorkPackage"
    packages = []
    for wp, prop in graph.incoming(project):
        if prop != DCTERMS + "isPartOf" or wp_class not in graph.types(wp):
            continue
        responsible: list[dict[str, object]] = []
        contacts: list[dict[str, object]] = []
        for assoc in graph.objects(wp, PROV + "qualifiedAssociation"):
            for agent in graph.objects(assoc, PROV + "agent"):
                (contacts if FOAF + "Person" in graph.types(agent) else responsible).append(page.value(agent))
        notation = graph.value(wp, SKOS + "notation")
        packages.append({"number": notation.value if notation is not None else "", "wp": page.value(wp),
                         "responsible": responsible, "contacts": contacts,
                         "themes": [page.value(t) for t in graph.objects(wp, DCAT + "theme")]})
    packages.sort(key=lambda p: (len(str(p["number"])), str(p["number"])))
    return {
        "iri": project.value, "href": page.href(project), "title": page.label(project),
        "other_title": graph.label(project, "en" if lang == "fi" else "fi"),
        "acronym": graph.value(project, FRAPO + "hasAcronym"),
        "description": text_in(graph, project, DCTERMS + "description", lang),
        "start": graph.value(period, DCAT + "startDate") if period is not None else None,
        "end": graph.value(period, DCAT + "endDate") if period is not None else None,
        "regions": [page.value(r) for r in graph.objects(project, DCTERMS + "spatial")],
        "themes": [page.value(t) for t in sorted(graph.objects(project, DCAT + "theme"), key=str)],
        "pages": [page.value(p) for p in graph.objects(project, FOAF + "page")],
        "partners": sorted(partners, key=lambda p: str(p["org"]["text"])),
        "funding": funding,
        "packages": packages,
    }


def organisations(page: Page, orgs: list[ox.NamedNode]) -> list[dict[str, object]]:
    graph = page.site.graph
    rows: list[dict[str, Any]] = []
    for org in orgs:
        ids = [graph.value(i, SKOS + "notation") for i in graph.objects(org, ADMS + "identifier")]
        rows.append({"org": page.value(org), "ids": sorted(i.value for i in ids if i is not None),
                     "other": graph.label(org, "en" if page.lang == "fi" else "fi")})
    return sorted(rows, key=lambda r: str(r["org"]["text"]).casefold())


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    amount: float = size
    for unit in ("B", "KiB", "MiB", "GiB"):
        if amount < 1024 or unit == "GiB":
            return f"{amount} {unit}" if unit == "B" else f"{amount:.1f} {unit}"
        amount /= 1024
    return ""


def write_index_pages(graph: ReleaseGraph, site: Site, folder: Path, info: ReleaseInfo,
                      downloads: list[Download], kinds: list[tuple[str, int]],
                      pictures: dict[str, dict[str, str]], catalog: list[ox.Triple] | None = None) -> None:
    """Write ``index.html`` (fi) and ``index.en.html`` (en), each with the schema.org ``Dataset``
    made from the catalogue's triples."""
    from akke_graph.publish.catalog_page import schema_org

    publisher = resolve_publisher(graph)
    projects = graph.instances(ORG + "OrganizationalCollaboration")
    orgs = graph.instances(ORG + "FormalOrganization")
    if len(orgs) > MAX_ORGANISATIONS:   # the project's own partners first, then the others
        partners = {m for p in projects[:MAX_PROJECTS] for s, prop in graph.incoming(p) if prop == ORG + "organization"
                    for m in graph.objects(s, ORG + "member")}
        orgs = sorted(orgs, key=lambda o: (o not in partners, o.value))[:MAX_ORGANISATIONS]
    for lang, path in INDEX.items():
        page = Page(site, path, lang)
        other = "en" if lang == "fi" else "fi"
        render("index.html", folder / path, page=page, root=path, lang=lang,
               other={"lang": other, "href": INDEX[other], "text": "In English" if other == "en" else "Suomeksi"},
               title=TITLE[lang], info=info, base=graph.base, triples=len(graph),
               projects=[project_card(page, p) for p in projects[:MAX_PROJECTS]],
               more_projects=max(0, len(projects) - MAX_PROJECTS),
               organisations=organisations(page, orgs),
               more_organisations=max(0, len(graph.instances(ORG + "FormalOrganization")) - len(orgs)),
               downloads=[{"href": d.path, "name": d.name[lang], "size": human_size(d.size), "sha256": d.sha256,
                           "dump": d.path in {f.path for f in DUMPS}} for d in downloads],
               kinds=[{"href": f"id/{k}/index.html", "name": kind_name(k, lang), "count": n} for k, n in kinds],
               ecosystem=Markup(pictures["ecosystem"][lang]), timeline=Markup(pictures["timeline"][lang]),
               timeline_src="img/timeline.svg" if lang == "fi" else "img/timeline.en.svg",
               ecosystem_src="img/ecosystem.svg" if lang == "fi" else "img/ecosystem.en.svg",
               publisher=graph.label(publisher, lang) if publisher is not None else None,
               publisher_href=page.href(publisher) if publisher is not None else None,
               licence=CC_BY, without_persons=info.without_persons,
               structured=schema_org(graph, catalog, lang) if catalog else "")
