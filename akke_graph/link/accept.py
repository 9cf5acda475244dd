"""Reviewed rows of an SSSOM file become links in ``data/links/`` with their provenance.

A row is taken when it is reviewed (its ``reviewer_label``, or ``--reviewer``), reaches the minimum
confidence and is not negated (``predicate_modifier: Not``). Each accepted link is written as plain
triples (a business ID as ``adms:identifier [ skos:notation "…"^^akke:businessId ]``, a Wikidata item
as ``skos:exactMatch``) plus an SSSOM annotation saying which registry, when, by which method and who
reviewed it. A link that would replace or contradict one already in the graph is refused, never
overwritten: the message names the file that holds the old one.

The candidates ``akke-graph import`` writes link a name of a record (the IRI it would get) to an
entity of the graph: a reviewed row becomes ``owl:sameAs`` in ``data/links/matches.ttl``, a reviewed
negated row ``owl:differentFrom``, and the next import follows the decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from akke_graph.errors import InputError
from akke_graph.escape import comment
from akke_graph.files import write_text
from akke_graph.link import graph as g
from akke_graph.link.sssom_tsv import (
    SSSOM,
    TOOL,
    WIKIDATA_SITE,
    YTJ,
    Mapping,
    read_sssom,
    today_iso,
)
from akke_graph.load import LoadedGraph
from akke_graph.registries import ytunnus
from akke_graph.registries.prh import PRH_API
from akke_graph.registries.wikidata import WD
from akke_graph.store import serialize
from akke_graph.terms import (
    ADMS,
    DCTERMS,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    own_prefixes,
)

SCHEMA_AGENCY = "Patentti- ja rekisterihallitus ja Verohallinto (YTJ)"
WIKIDATA_PREDICATES = tuple(SKOS + p for p in ("exactMatch", "closeMatch", "broadMatch",
                                               "narrowMatch", "relatedMatch")) + (OWL + "sameAs",)
REGISTRY_FILES = {
    "ytj": ("ytj.ttl", PRH_API,
            "Business IDs of the graph's organisations, accepted after review from the trade "
            "register (PRH open-data API v3)."),
    "wikidata": ("wikidata.ttl", WIKIDATA_SITE, "Links of the graph to Wikidata."),
}
FILE_PREFIXES = {"rdfs": RDFS, "xsd": XSD, "owl": OWL, "skos": SKOS, "dcterms": DCTERMS,
                 "prov": PROV, "adms": ADMS, "sssom": SSSOM,
                 "semapv": "https://w3id.org/semapv/vocab/", "wd": WD}


@dataclass
class AcceptResult:
    """What ``accept`` did: links written per file, rows already in the graph, rows left out."""

    written: dict[str, int] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def to_text(self) -> str:
        lines = [f"wrote {n} link(s) to {path}" for path, n in self.written.items()]
        lines += [f"already in the graph: {u}" for u in self.unchanged]
        lines += [f"left out: {s}" for s in self.skipped]
        return "\n".join(lines) or "nothing to accept"


MATCHES = ("matches.ttl", "Reviewed matches of names in imported records to entities of the graph: "
           "owl:sameAs where a name means the entity, owl:differentFrom where it does not.")


def registry_of(mapping: Mapping, own: str | None = None) -> str | None:
    if mapping.object_id.startswith(YTJ):
        return "ytj"
    if mapping.object_id.startswith(WD):
        return "wikidata"
    if own and mapping.object_id.startswith(own) and mapping.subject_id.startswith(own):
        return "graph"
    return None


def _reviewed(rows: list[Mapping], display: str, min_confidence: float, reviewer: str | None,
              result: AcceptResult, own: str | None = None) -> list[tuple[Mapping, str]]:
    taken: list[tuple[Mapping, str]] = []
    for row in rows:
        where = f"line {row.line}"
        registry = registry_of(row, own)
        if registry is None:
            raise InputError(display, f"object {row.object_id} is neither a business ID (ytj:), a "
                                      "Wikidata item (wd:) nor an entity of the graph", line=row.line,
                             hint="link accept takes the files link suggest and import write")
        if registry == "graph":
            if not (row.reviewer_label or reviewer):
                result.skipped.append(f"{where}: not reviewed (fill reviewer_label or pass --reviewer)")
            elif row.predicate_id != SKOS + "exactMatch":
                raise InputError(display, f"predicate {row.predicate_id} cannot say that a name means an "
                                          "entity", line=row.line, hint="use skos:exactMatch")
            else:
                taken.append((row, registry))
            continue
        if row.predicate_modifier.strip().lower() == "not":
            result.skipped.append(f"{where}: negated (predicate_modifier Not)")
        elif (row.confidence if row.confidence is not None else 0.0) < min_confidence:
            result.skipped.append(f"{where}: confidence {row.confidence} below {min_confidence}")
        elif not (row.reviewer_label or reviewer):
            result.skipped.append(f"{where}: not reviewed (fill reviewer_label or pass --reviewer)")
        else:
            allowed = (SKOS + "exactMatch",) if registry == "ytj" else WIKIDATA_PREDICATES
            if row.predicate_id not in allowed:
                raise InputError(display, f"predicate {row.predicate_id} cannot link to "
                                          f"{registry}", line=row.line,
                                 hint="use skos:exactMatch")
            if registry == "ytj":
                try:
                    row.object_id = YTJ + ytunnus.normalise(row.object_id[len(YTJ):])
                except ytunnus.BusinessIdError as exc:
                    raise InputError(display, str(exc), line=row.line) from None
            taken.append((row, registry))
    return taken


def _conflicts(loaded: LoadedGraph, taken: list[tuple[Mapping, str]], display: str,
               result: AcceptResult) -> list[tuple[Mapping, str]]:
    """Rows that add something new; raises when a row contradicts the file or the graph."""
    problems: list[str] = []
    held: dict[tuple[str, str], tuple[str, str]] = {}  # (subject, registry) → (object, file)
    owner: dict[str, tuple[str, str]] = {}  # object → (subject, file)
    for link in g.business_ids(loaded):
        if link.subject and link.notation:
            held[(link.subject, "ytj")] = (YTJ + link.notation, g.file_of(loaded, link.graph))
            owner[YTJ + link.notation] = (link.subject, g.file_of(loaded, link.graph))
    for link in g.links(loaded):
        if link.object.startswith(WD) and link.predicate in WIKIDATA_PREDICATES:
            held[(link.subject, "wikidata")] = (link.object, g.file_of(loaded, link.graph))
            owner[link.object] = (link.subject, g.file_of(loaded, link.graph))
    known = {r["s"].value for r in loaded.store.select(
        f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {g.values([m.subject_id for m, _ in taken])} }} ?s a ?t }}")
    } if taken else set()
    in_file: dict[tuple[str, str], Mapping] = {}
    by_object: dict[str, Mapping] = {}
    fresh = []
    decided = _decided(loaded)
    same: dict[str, Mapping] = {}
    for row, registry in taken:
        line = f"line {row.line}"
        if registry == "graph":
            negated = row.predicate_modifier.strip().lower() == "not"
            if not negated and row.subject_id in same and same[row.subject_id].object_id != row.object_id:
                problems.append(f"{line}: {row.subject_id} is also accepted on line {same[row.subject_id].line} "
                                "as another entity; keep one of the two rows (or negate one)")
                continue
            if not negated:
                same[row.subject_id] = row
            if not loaded.store.ask(f"ASK {{ <{row.object_id}> a ?t }}"):
                problems.append(f"{line}: {row.object_id} is not an entity of the graph")
            elif (row.subject_id, row.object_id) in decided:
                was = decided[(row.subject_id, row.object_id)]
                if was == negated:
                    result.unchanged.append(f"{line}: {row.subject_id} → {row.object_id}")
                else:
                    problems.append(f"{line}: the graph already says the opposite of this row for "
                                    f"{row.subject_id} and {row.object_id}; remove that first")
            elif not negated and any(s == row.subject_id and not n for (s, _), n in decided.items()):
                problems.append(f"{line}: {row.subject_id} is already the same as another entity")
            else:
                fresh.append((row, registry))
            continue
        if row.subject_id not in known:
            problems.append(f"{line}: {row.subject_id} is not an entity of the graph")
            continue
        earlier = in_file.get((row.subject_id, registry))
        if earlier and earlier.object_id != row.object_id:
            problems.append(f"{line}: {row.subject_id} is also accepted on line {earlier.line} with "
                            f"another {registry} link; keep one of the two rows")
            continue
        other = by_object.get(row.object_id)
        if other and other.subject_id != row.subject_id:
            problems.append(f"{line}: {row.object_id} is also accepted on line {other.line} for "
                            f"{other.subject_id}; one registry entry links to one entity")
            continue
        in_file[(row.subject_id, registry)] = row
        by_object[row.object_id] = row
        existing = held.get((row.subject_id, registry))
        if existing and existing[0] == row.object_id:
            result.unchanged.append(f"{line}: {row.subject_id} → {row.object_id} ({existing[1]})")
            continue
        if existing:
            problems.append(f"{line}: {row.subject_id} already links to {existing[0]} in "
                            f"{existing[1]}; remove that link first if {row.object_id} is right")
            continue
        taker = owner.get(row.object_id)
        if taker and taker[0] != row.subject_id:
            problems.append(f"{line}: {row.object_id} already belongs to {taker[0]} in {taker[1]}")
            continue
        fresh.append((row, registry))
    if problems:
        raise InputError(display, f"{len(problems)} row(s) conflict with links already made:\n  "
                         + "\n  ".join(problems),
                         hint="nothing was written; fix the rows (or the old links) and run again")
    return fresh


def _decided(loaded: LoadedGraph) -> dict[tuple[str, str], bool]:
    """(name IRI, entity) → True when the graph says they differ, False when they are the same."""
    rows = loaded.store.select(f"""SELECT ?a ?p ?b WHERE {{ VALUES ?p {{ <{OWL}sameAs> <{OWL}differentFrom> }}
        ?a ?p ?b FILTER(STRSTARTS(STR(?a), "{loaded.config.id_base}") && STRSTARTS(STR(?b), "{loaded.config.id_base}")) }}""")
    return {(r["a"].value, r["b"].value): r["p"].value == OWL + "differentFrom" for r in rows}


def _triples(row: Mapping, registry: str, reviewer: str, today: str, loaded: LoadedGraph) -> list[ox.Triple]:
    subject = ox.NamedNode(row.subject_id)
    if registry == "graph":
        negated = row.predicate_modifier.strip().lower() == "not"
        predicate = OWL + ("differentFrom" if negated else "sameAs")
        target = ox.NamedNode(row.object_id)
        triples = [ox.Triple(subject, ox.NamedNode(predicate), target)]
        source = loaded.config.base_iri
    elif registry == "ytj":
        notation = row.object_id[len(YTJ):]
        target = ox.NamedNode(row.subject_id + "#business-id")
        triples = [
            ox.Triple(subject, ox.NamedNode(ADMS + "identifier"), target),
            ox.Triple(target, ox.NamedNode(RDF + "type"), ox.NamedNode(ADMS + "Identifier")),
            ox.Triple(target, ox.NamedNode(SKOS + "notation"),
                      ox.Literal(notation, datatype=ox.NamedNode(g.business_id_datatype(loaded)))),
            ox.Triple(target, ox.NamedNode(ADMS + "schemaAgency"), ox.Literal(SCHEMA_AGENCY)),
        ]
        predicate, source = ADMS + "identifier", PRH_API
    else:
        target = ox.NamedNode(row.object_id)
        triples = [ox.Triple(subject, ox.NamedNode(row.predicate_id), target)]
        predicate, source = row.predicate_id, WIKIDATA_SITE
    axiom = ox.BlankNode()
    notes: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF + "type", ox.NamedNode(OWL + "Axiom")),
        (OWL + "annotatedSource", subject), (OWL + "annotatedProperty", ox.NamedNode(predicate)),
        (OWL + "annotatedTarget", target),
        (SSSOM + "mapping_justification", ox.NamedNode(row.mapping_justification)),
        (SSSOM + "object_source", ox.NamedNode(source)),
        (SSSOM + "reviewer_label", ox.Literal(row.reviewer_label or reviewer)),
        (SSSOM + "mapping_tool", ox.Literal(TOOL)),
        (DCTERMS + "created", ox.Literal(today, datatype=ox.NamedNode(XSD + "date"))),
    ]
    if row.subject_source:
        notes.append((SSSOM + "subject_source", ox.NamedNode(row.subject_source)))
    if row.confidence is not None:
        notes.append((SSSOM + "confidence", ox.Literal(repr(float(row.confidence)),
                                                       datatype=ox.NamedNode(XSD + "double"))))
    for key in ("subject_label", "object_label"):
        if getattr(row, key):
            notes.append((SSSOM + key, ox.Literal(getattr(row, key))))
    if row.comment:
        notes.append((RDFS + "comment", ox.Literal(row.comment)))
    return triples + [ox.Triple(axiom, ox.NamedNode(p), o) for p, o in notes]


def _block(triples: list[ox.Triple], existing: str, prefixes: dict[str, str]) -> str:
    text = serialize(triples, ox.RdfFormat.TURTLE, prefixes).decode("utf-8")
    declared = set(re.findall(r"@prefix\s+([\w-]*):\s*<([^>]*)>", existing))
    return "\n".join(line for line in text.splitlines()
                     if not (m := re.match(r"@prefix\s+([\w-]*):\s*<([^>]*)>", line))
                     or (m.group(1), m.group(2)) not in declared) + "\n"


def write_turtle(path: Path, text: str, graph: str, display: str) -> None:
    """Check that ``text`` parses as Turtle, then write it whole (see :func:`write_text`)."""
    try:
        ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=graph)
    except SyntaxError as exc:  # a bug here must never leave a broken data file behind
        raise InputError(display, f"refusing to write Turtle that does not parse: {exc}") from None
    write_text(path, text)


def accept(loaded: LoadedGraph, path: Path, *, min_confidence: float = 0.0,
           reviewer: str | None = None, today: str | None = None) -> AcceptResult:
    """Turn the reviewed rows of an SSSOM file into ``data/links/ytj.ttl`` / ``wikidata.ttl``."""
    config = loaded.config
    display = config.display_path(path)
    result = AcceptResult()
    mapping_set = read_sssom(path, display)
    taken = _reviewed(mapping_set.mappings, display, min_confidence, reviewer, result, config.id_base)
    fresh = _conflicts(loaded, taken, display, result)
    day = today or today_iso()
    own = {k: v for k, v in own_prefixes(config.base_iri).items() if k != "ash"}
    files = dict(REGISTRY_FILES)
    files["graph"] = (MATCHES[0], "", MATCHES[1])
    for registry, (name, source, description) in files.items():
        rows = [row for row, reg in fresh if reg == registry]
        if not rows:
            continue
        target = config.data_dir / "links" / name
        graph = config.graph_iri(target)
        shown = config.display_path(target)
        text = target.read_text(encoding="utf-8") if target.exists() else ""
        if not text:
            text = f"# {description}\n# Written by `akke-graph link accept`; each link carries its review.\n\n"
        for page in ([source] if source else sorted({r.subject_source for r in rows if r.subject_source})):
            if not re.search(rf"<>\s+(prov:|<{re.escape(PROV)})wasDerivedFrom>?[^.]*<{re.escape(page)}>", text):
                text += f"\n<> <{PROV}wasDerivedFrom> <{page}> .\n"
        prefixes = {**FILE_PREFIXES, **own}
        for row in rows:
            who = " ".join((row.reviewer_label or reviewer or "").split())
            triples = _triples(row, registry, who, day, loaded)
            text += ("\n" + comment(f"accepted {day}, reviewed by {who}, from {display} line {row.line}")
                     + _block(triples, text, prefixes))
        write_turtle(target, text, graph, shown)
        result.written[shown] = len(rows)
    return result
