"""The VoID part of the catalogue: counts of the whole graph (entities, classes, properties), a
subset per source file (one named graph each), and linksets — the links from the graph's own
entities to Wikidata, YSO and the national code lists, one per target and link predicate."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from akke_graph.publish.model import ReleaseGraph

# Link targets the catalogue knows: key, namespace of the target's IRIs, and how to name the
# target dataset (None: the target is the code list, the IRI up to "/code/").
LINK_TARGETS: tuple[tuple[str, str, str | None, dict[str, str]], ...] = (
    ("wikidata", "http://www.wikidata.org/entity/", "https://www.wikidata.org/",
     {"fi": "Wikidata", "en": "Wikidata"}),
    ("yso", "http://www.yso.fi/onto/yso/", "http://www.yso.fi/onto/yso/",
     {"fi": "YSO – Yleinen suomalainen ontologia", "en": "YSO – General Finnish Ontology"}),
    ("codes", "http://uri.suomi.fi/codelist/", None,
     {"fi": "Koodisto (Yhteentoimivuusalusta)", "en": "Code list (Interoperability platform)"}),
)


@dataclass
class VoidStatistics:
    """The VoID counts: distinct own subjects, instances per class, triples per property."""

    entities: int
    classes: dict[str, int]
    properties: dict[str, int]
    distinct: bool = False   # properties counted over distinct triples


@dataclass(frozen=True)
class Linkset:
    """Links from the graph's own entities to one target with one predicate."""

    key: str            # e.g. "yso-exactMatch"
    target: str         # IRI of the target dataset
    names: dict[str, str]
    predicate: str
    triples: int


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


def graph_sizes(graph: ReleaseGraph) -> dict[str, int]:
    """Triples per named graph (per source file) that the release knows the file of."""
    rows = graph.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"].value: int(r["n"].value) for r in rows if r["g"].value in graph.files}


def linksets(graph: ReleaseGraph) -> list[Linkset]:
    """The links from own entities (``{base}id/…``) to the known targets, counted per target and
    predicate."""
    tests = " || ".join(f'STRSTARTS(STR(?o), "{ns}")' for _, ns, _, _ in LINK_TARGETS)
    rows = graph.select(f"""SELECT ?p ?o (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{graph.config.id_base}") && isIRI(?o) && ({tests})) }}
        GROUP BY ?p ?o""")
    counts: Counter[tuple[str, str, str]] = Counter()
    for row in rows:
        obj, predicate = row["o"].value, row["p"].value
        for key, ns, target, _ in LINK_TARGETS:
            if obj.startswith(ns):
                found = target or obj.split("/code/", 1)[0]
                counts[(key, found, predicate)] += int(row["n"].value)
                break
    names = {key: text for key, _, _, text in LINK_TARGETS}
    result = []
    for (key, target, predicate), n in sorted(counts.items()):
        local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        code_list = target.rstrip("/").rsplit("/", 1)[-1] if key == "codes" else ""
        text = {lang: f"{name} {code_list}".strip() for lang, name in names[key].items()}
        result.append(Linkset(f"{key}{'-' + code_list if code_list else ''}-{local}", target, text, predicate, n))
    return result
