"""``search/index.json``: the names and business IDs of the release's organisations, projects,
persons, themes, agreements, programmes and city regions, for the search box of every page
(``search.js``, no server needed) and ``serve``'s ``/search`` (format: :mod:`akke_graph.search`)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from akke_graph.publish.model import ReleaseGraph
from akke_graph.search import SEARCHED_KINDS, Record, index_documents
from akke_graph.terms import ADMS, DCTERMS, FOAF, FRAPO, RDFS, ROV, SKOS

NAME_PROPERTIES = (SKOS + "prefLabel", DCTERMS + "title", FOAF + "name", RDFS + "label", SKOS + "altLabel",
                   DCTERMS + "alternative", ROV + "legalName", FRAPO + "hasAcronym")
SCRIPT = "search.js"


def search_records(graph: ReleaseGraph) -> list[Record]:
    """One record per searchable entity, in kind and IRI order."""
    base = graph.config.id_base
    values = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    names: dict[str, set[str]] = defaultdict(set)
    for row in graph.select(f"""SELECT ?e ?n WHERE {{ VALUES ?p {{ {values} }} ?e ?p ?n
                                FILTER(isIRI(?e) && isLiteral(?n) && STRSTARTS(STR(?e), "{base}")) }}"""):
        names[row["e"].value].add(row["n"].value)
    ids: dict[str, set[str]] = defaultdict(set)
    for row in graph.select(f"""SELECT ?e ?id WHERE {{ ?e <{ADMS}identifier> ?i . ?i <{SKOS}notation> ?id
                                FILTER(isIRI(?e) && STRSTARTS(STR(?e), "{base}")) }}"""):
        ids[row["e"].value].add(row["id"].value)
    records = []
    for iri in sorted(set(names) | set(ids)):
        kind, _, slug = iri[len(base):].partition("/")
        if kind not in SEARCHED_KINDS or not slug or "/" in slug or "#" in slug:
            continue
        node = ox.NamedNode(iri)
        fi, en = graph.label(node, "fi").text, graph.label(node, "en").text
        others = sorted(names[iri] - {fi, en})
        records.append([SEARCHED_KINDS.index(kind), slug, fi, en if en != fi else "", others, sorted(ids[iri])])
    return sorted(records, key=lambda r: (r[0], r[1]))


def write_search_index(graph: ReleaseGraph, folder: Path) -> int:
    """Write the index (one file, or a manifest and buckets) and the page script; returns the
    number of records."""
    from importlib.resources import files

    records = search_records(graph)
    for path, data in index_documents(records).items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    script = files("akke_graph").joinpath("templates/search.js").read_bytes()
    (folder / SCRIPT).write_bytes(script)
    return len(records)
