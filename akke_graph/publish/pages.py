"""Linked-data pages: one HTML page and small Turtle, JSON-LD and N-Triples files for every own
entity ``{base}id/<kind>/<slug>`` (its hash sub-resources described inside), a listing page per
kind, and the web-server snippets (Apache ``.htaccess``, nginx) that answer an entity IRI with
HTML or RDF by content negotiation."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from markupsafe import Markup, escape

from akke_graph.publish.dumps import ntriples, prefixes_in, turtle
from akke_graph.publish.jobs import cores, in_workers
from akke_graph.publish.jsonld import Compactor, to_jsonld
from akke_graph.publish.model import RDF_TYPE, ReleaseGraph, statement_key

from akke_graph.publish.annotations import is_axiom, named_owner, statement_annotations
from akke_graph.publish.humanize import date_text, period_text
from akke_graph.publish.model import Label
from akke_graph.publish.site import RDF_FORMATS, VALUE_CACHE, Page, Site, render, value_html, write_file
from akke_graph.terms import DCAT, DCTERMS, FOAF, RDFS, SKOS

FIRST = (SKOS + "prefLabel", DCTERMS + "title", FOAF + "name", RDFS + "label", SKOS + "altLabel",
         DCTERMS + "alternative", SKOS + "notation", DCTERMS + "description", SKOS + "definition")
MAX_INCOMING = 500
# Kinds whose entities are numbered within their parent (skos:notation): shown with the number.
NUMBERED = {"work-package": ("Työpaketti", "Work package")}
MAX_DEPTH = 3


@dataclass
class Entity:
    """An own entity and the hash sub-resources described on its page."""

    iri: ox.NamedNode
    file: str                                   # id/<kind>/<slug>
    parts: list[ox.NamedNode] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.file.split("/")[1]

    @property
    def nodes(self) -> list[ox.NamedNode]:
        return [self.iri, *self.parts]


def entities(graph: ReleaseGraph, site: Site) -> list[Entity]:
    """Every own entity that the graph mentions, sorted by file."""
    base = graph.config.id_base
    subjects = {r["e"].value for r in graph.select(
        f'SELECT DISTINCT ?e WHERE {{ ?e ?p ?o FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{base}")) }}')}
    objects = {r["e"].value for r in graph.select(
        f'SELECT DISTINCT ?e WHERE {{ ?s ?p ?e FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{base}")) }}')}
    found: dict[str, Entity] = {}
    for iri in subjects | objects:
        file = site.entity_file(iri)
        if file is None:
            continue
        main = iri.split("#", 1)[0]
        entity = found.setdefault(file, Entity(ox.NamedNode(main), file))
        if "#" in iri and iri in subjects:
            entity.parts.append(ox.NamedNode(iri))
    for entity in found.values():
        entity.parts.sort(key=lambda n: n.value)
    return [found[k] for k in sorted(found)]


def description(graph: ReleaseGraph, entity: Entity) -> list[ox.Triple]:
    """The entity's own triples, its sub-resources' and the blank nodes hanging off them."""
    out: list[ox.Triple] = []
    todo: list[ox.NamedNode | ox.BlankNode] = list(entity.nodes)
    seen = set(todo)
    while todo:
        node = todo.pop()
        for prop, values in graph.out(node).items():
            for value in values:
                out.append(ox.Triple(node, ox.NamedNode(prop), value))
                if isinstance(value, ox.BlankNode) and value not in seen:
                    seen.add(value)
                    todo.append(value)
    return sorted(out, key=statement_key)


def period_of(graph: ReleaseGraph, node: object, lang: str) -> str | None:
    """A period's dates as people write them ("1.5.2021–31.12.2021"), or None if ``node`` has none."""
    if isinstance(node, ox.Literal):
        return None
    start, end = graph.value(node, DCAT + "startDate"), graph.value(node, DCAT + "endDate")  # type: ignore[arg-type]
    if start is None and end is None:
        return None
    return period_text(start.value if start else None, end.value if end else None, lang)


def shown(page: Page, obj: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, object]:
    """A value as a row shows it: a period by its dates (linking to where it is described)."""
    value = page.value(obj)
    period = period_of(page.site.graph, obj, page.lang)
    if period:
        value = {**value, "text": period, "lang": None}
        value["html"] = value_html(value)
    return value


def annotation_note(page: Page, pairs: list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]]) -> Markup:
    """A statement's annotations in one short line (a mapping's justification, date and source
    version; the labels it repeats are left out)."""
    parts = []
    for prop, value in pairs:
        name = prop.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if name.endswith("_label") or name == "object_source":
            continue
        if isinstance(value, ox.Literal):
            text = date_text(value.value, page.lang)
        else:
            text = value.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        parts.append(f'<span title="{escape(prop)}">{escape(name.replace("_", " "))}</span>: {escape(text)}')
    return Markup(" · ".join(parts))


def rows(page: Page, node: ox.NamedNode | ox.BlankNode, depth: int = 0) -> list[dict[str, Any]]:
    """Property rows of ``node`` for the template: blank nodes nested inside their row, periods
    by their dates, each annotated statement with its annotation beside the value."""
    graph = page.site.graph
    props = graph.out(node)
    notes = statement_annotations(graph, node)
    order = sorted((p for p in props if p != RDF_TYPE),
                   key=lambda p: (FIRST.index(p) if p in FIRST else len(FIRST), page.curie(p)))
    result: list[dict[str, Any]] = []
    for prop in order:
        values: list[dict[str, Any]] = []
        for obj in sorted(props[prop], key=lambda o: (str(getattr(o, "language", "") or ""), str(o))):
            value = shown(page, obj)
            if isinstance(obj, ox.BlankNode) and depth < MAX_DEPTH and not value["text"]:
                value = {**value, "nested": rows(page, obj, depth + 1),
                         "types": [page.value(ox.NamedNode(t)) for t in graph.types(obj)]}
            if (prop, obj) in notes:
                value = {**value, "note": annotation_note(page, notes[(prop, obj)])}
            values.append(value)
        result.append({"prop": page.curie(prop), "href": page.href(ox.NamedNode(prop)), "iri": prop,
                       "values": values})
    return result


def owner_value(page: Page, owner: ox.NamedNode) -> dict[str, object]:
    """An entity as the subject of an incoming link: a work package with its number (made once
    per folder and language: the same entities link to many pages)."""
    key = (page.path.rsplit("/", 1)[0], page.lang, owner)
    found = page.site.owners.get(key)
    if found is None:
        if len(page.site.owners) > VALUE_CACHE:
            page.site.owners.clear()
        found = page.site.owners[key] = _owner_value(page, owner)
    return found


def _owner_value(page: Page, owner: ox.NamedNode) -> dict[str, object]:
    value = page.value(owner)
    kind = page.site.entity_file(owner.value)
    word = NUMBERED.get(kind.split("/")[1]) if kind else None
    if word is None:
        return value
    notation = page.site.graph.value(owner, SKOS + "notation")
    if isinstance(notation, ox.Literal):
        value = {**value, "text": f"{word[0 if page.lang == 'fi' else 1]} {notation.value}: {value['text']}"}
        value["html"] = value_html(value)
    return value


def incoming_links(page: Page, entity: Entity) -> list[dict[str, Any]]:
    """Who links to the entity, and through what: a link from a part of another entity (a work
    package's responsibility, a membership) names the part and shows the entity; a blank node
    shows the named entity it hangs from; a mapping's annotation is left out here (it is shown
    beside the mapping, on this page)."""
    graph = page.site.graph
    mine = set(entity.nodes)
    seen: set[tuple[ox.NamedNode, str, str | None]] = set()
    links: list[dict[str, Any]] = []
    for node in entity.nodes:
        for subject, prop in graph.incoming(node):
            if subject in mine or is_axiom(graph, subject):
                continue
            via: str | None = None
            if isinstance(subject, ox.BlankNode):
                found = named_owner(graph, subject)
                if found is None:
                    continue
                owner, _ = found
                via = ", ".join(page.value(ox.NamedNode(t))["text"] for t in graph.types(subject)) or None  # type: ignore[misc]
            else:
                owner = ox.NamedNode(subject.value.split("#", 1)[0])
                if owner != subject:
                    via = page.label(subject).text
            if owner.value == entity.iri.value or (owner, prop, via) in seen:
                continue
            seen.add((owner, prop, via))
            subject_value = owner_value(page, owner)
            if owner != subject and isinstance(subject, ox.NamedNode) and page.href(subject):
                subject_value = {**subject_value, "href": page.href(subject)}
                subject_value["html"] = value_html(subject_value)
            links.append({"subject": subject_value, "prop": page.curie(prop), "prop_href": page.href(ox.NamedNode(prop)),
                          "via": via, "key": (str(subject_value["text"]).casefold(), prop, via or "")})
    return sorted(links, key=lambda link: link["key"])


def entity_context(page: Page, entity: Entity) -> dict[str, object]:
    graph = page.site.graph
    incoming = incoming_links(page, entity)
    sources: dict[str, tuple[object, set[str]]] = {}
    for node in entity.nodes:
        for file, docs in graph.sources_of(node):
            sources.setdefault(file.display, (file, set()))[1].update(d.value for d in docs)
    slug = entity.file.rsplit("/", 1)[1]
    return {
        "entity": entity,
        "iri": entity.iri.value,
        "title": page.label(entity.iri),
        "title_en": graph.label(entity.iri, "en"),
        "types": [page.value(ox.NamedNode(t)) for t in graph.types(entity.iri)],
        "rows": rows(page, entity.iri),
        "parts": [{"id": part.value.split("#", 1)[1], "iri": part.value,
                   "label": Label(period_of(graph, part, page.lang) or "", None) if period_of(graph, part, page.lang)
                   else page.label(part),
                   "types": [page.value(ox.NamedNode(t)) for t in graph.types(part)], "rows": rows(page, part)}
                  for part in entity.parts],
        "incoming": incoming[:MAX_INCOMING],
        "incoming_more": max(0, len(incoming) - MAX_INCOMING),
        "sources": [{"file": display, "docs": [page.value(ox.NamedNode(d)) for d in sorted(docs)]}
                    for display, (_, docs) in sorted(sources.items())],
        "formats": [{"href": f"{slug}.{ext}", "name": name, "media": media} for ext, name, media in RDF_FORMATS],
        "kind_href": "index.html",
    }


def write_entity(graph: ReleaseGraph, folder: Path, site: Site, compactor: Compactor, entity: Entity) -> None:
    """The HTML page and the Turtle, N-Triples and JSON-LD files of one entity."""
    page = Page(site, entity.file + ".html")
    render("entity.html", folder / page.path, folder_exists=True, page=page, root=page.rel("index.html"),
           **entity_context(page, entity))
    triples = description(graph, entity)
    nt = ntriples(triples)
    write_file(folder / f"{entity.file}.ttl", turtle(triples, prefixes_in(nt, graph.prefixes)))
    write_file(folder / f"{entity.file}.nt", nt)
    write_file(folder / f"{entity.file}.jsonld", to_jsonld(triples, compactor, full_context=False))


def write_entity_pages(graph: ReleaseGraph, folder: Path, site: Site | None = None) -> list[Entity]:
    """Write ``id/<kind>/<slug>.{html,ttl,jsonld,nt}`` for every entity and a listing per kind.

    The entities are shared among as many processes as there are cores when the store is in
    memory (a store on disk is not for forked processes to read)."""
    site = site or Site(graph)
    found = entities(graph, site)
    for kind in {entity.kind for entity in found}:
        (folder / "id" / kind).mkdir(parents=True, exist_ok=True)

    def share(part: list[Entity]) -> None:
        compactor = Compactor(graph.prefixes)
        for entity in part:
            write_entity(graph, folder, site, compactor, entity)

    in_workers(found, share, cores() if graph.store.in_memory else 1)
    by_kind: dict[str, list[Entity]] = defaultdict(list)
    for entity in found:
        by_kind[entity.kind].append(entity)
    for kind, members in sorted(by_kind.items()):
        page = Page(site, f"id/{kind}/index.html")
        items = [{"href": e.file.rsplit("/", 1)[1] + ".html", "fi": graph.label(e.iri, "fi"),
                  "en": graph.label(e.iri, "en"), "iri": e.iri.value} for e in members]
        render("kind.html", folder / page.path, page=page, root=page.rel("index.html"), kind=kind, items=items)
    return found


def kinds(found: list[Entity]) -> list[tuple[str, int]]:
    """(kind, number of entities) for the landing page."""
    counts: dict[str, int] = defaultdict(int)
    for entity in found:
        counts[entity.kind] += 1
    return sorted(counts.items())


def write_server_config(graph: ReleaseGraph, folder: Path) -> None:
    """``.htaccess`` (Apache) and ``nginx.conf``: 303 from an entity IRI to its HTML or RDF file."""
    base_path = urlsplit(graph.base).path or "/"
    ontology_files = sorted(p.name for p in graph.config.ontology_dir.glob("*.ttl"))
    ontology_file = ontology_files[0] if ontology_files else "akke.ttl"
    for template, name in (("htaccess", ".htaccess"), ("nginx.conf", "nginx.conf")):
        render(template, folder / name, base=graph.base, base_path=base_path, formats=RDF_FORMATS,
               ontology_file=ontology_file)
