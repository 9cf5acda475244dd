"""All links stored in the graph as one SSSOM mapping set, for the release."""

from __future__ import annotations

from akke_graph.config import Config
from akke_graph.link import graph as g
from akke_graph.link.sssom_tsv import (
    LICENSE,
    MANUAL,
    SKOS,
    TOOL,
    YTJ,
    Mapping,
    MappingSet,
    write_sssom,
)
from akke_graph.load import LoadedGraph
from akke_graph.terms import own_prefixes


def stored_mappings(loaded: LoadedGraph) -> list[Mapping]:
    """Each stored link as a :class:`Mapping`, its provenance from its annotation and its file.

    A business ID becomes ``org skos:exactMatch ytj:NNNNNNN-C``; a link without an annotation is
    reported as manually curated, with the file and the sources that file names in the comment.
    """
    notes = g.link_annotations(loaded)
    sources = g.sources(loaded)
    found = g.links(loaded) + [b for b in g.business_ids(loaded) if b.subject]
    names = g.labels(loaded, [link.subject for link in found] +
                     [link.object for link in found if not link.notation])
    out: list[Mapping] = []
    seen: set[tuple[str, str, str]] = set()
    for link in found:
        key = (link.subject, link.predicate, link.object)
        if key in seen:  # the same link stated in two files: once in the table
            continue
        seen.add(key)
        note = notes.get(key, {})
        where = g.file_of(loaded, link.graph)
        origin = f"stated in {where}"
        if sources.get(link.graph):
            origin += "; sources: " + ", ".join(sources[link.graph])
        confidence = note.get("confidence")
        out.append(Mapping(
            subject_id=link.subject,
            predicate_id=SKOS + "exactMatch" if link.notation else link.predicate,
            object_id=YTJ + link.notation if link.notation else link.object,
            mapping_justification=note.get("mapping_justification", MANUAL),
            subject_label=note.get("subject_label") or names.get(link.subject, ""),
            object_label=note.get("object_label") or ("" if link.notation else names.get(link.object, "")),
            confidence=float(confidence) if confidence else None,
            mapping_date=note.get("mapping_date", ""),
            mapping_tool=note.get("mapping_tool", ""),
            comment="; ".join(c for c in (note.get("comment", ""), origin) if c),
            reviewer_label=note.get("reviewer_label", ""),
            author_label=note.get("author_label", ""),
            object_source=note.get("object_source", ""),
            object_source_version=note.get("object_source_version", ""),
        ))
    return out


def mappings_sssom(loaded: LoadedGraph, *, mapping_set_id: str | None = None,
                   version: str | None = None) -> str:
    """SSSOM TSV text of every link stored in the graph, with its provenance."""
    base = loaded.config.base_iri
    metadata = {
        "mapping_set_id": mapping_set_id or base + "mappings",
        **({"mapping_set_version": version} if version else {}),
        "mapping_set_title": "Links of the AKKE graph to national registries",
        "mapping_set_description": "Business IDs, Wikidata items, municipality and region codes "
                                   "and YSO concepts linked to the graph's organisations, city "
                                   "regions and themes, with the provenance of each link.",
        "license": LICENSE,
        "mapping_tool": TOOL,
    }
    return write_sssom(MappingSet(metadata=metadata, mappings=stored_mappings(loaded)),
                       curie_prefixes(loaded.config))


def curie_prefixes(config: Config) -> dict[str, str]:
    """CURIE prefixes of the graph's own entities (``organisation:``, ``theme:``, …)."""
    return {k: v for k, v in own_prefixes(config.base_iri).items() if k not in ("akke", "ash")}
