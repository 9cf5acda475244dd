"""The dumps of the whole graph: Turtle, N-Triples, JSON-LD and TriG, written by Oxigraph's
serialisers (rdflib's Turtle writer is far too slow for large graphs) from input in a stable order,
so two releases of the same graph are byte-identical and two releases of different graphs diff
cleanly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

from akke_graph.publish.jsonld import context, write_jsonld
from akke_graph.publish.model import ReleaseGraph, line_key

DUMP_STEM = "akke-graph"
IANA = "https://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@dataclass(frozen=True)
class DumpFormat:
    """One serialisation: file suffix, media type, EU file-type code, human name."""

    key: str
    suffix: str
    media_type: str
    file_type: str
    name: str

    @property
    def path(self) -> str:
        return f"dumps/{DUMP_STEM}.{self.suffix}"

    @property
    def media_type_iri(self) -> str:
        return IANA + self.media_type

    @property
    def file_type_iri(self) -> str:
        return EU_FILE_TYPE + self.file_type


DUMPS = (
    DumpFormat("turtle", "ttl", "text/turtle", "RDF_TURTLE", "Turtle"),
    DumpFormat("nt", "nt", "application/n-triples", "RDF_N_TRIPLES", "N-Triples"),
    DumpFormat("jsonld", "jsonld", "application/ld+json", "JSON_LD", "JSON-LD"),
    DumpFormat("trig", "trig", "application/trig", "RDF_TRIG", "TriG"),
)
CONTEXT_PATH = "dumps/context.jsonld"


def used_prefixes(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes whose namespace occurs in ``triples`` (keeps small files tidy)."""
    text = "\n".join(str(t) for t in triples)
    return {p: ns for p, ns in prefixes.items() if "<" + ns in text}


def tidy(data: bytes, statement_indent: bytes) -> bytes:
    """Sort the ``@prefix`` lines and put a blank line before each subject block (Oxigraph
    escapes line breaks inside literals, so every line is a statement start or its continuation)."""
    lines = data.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix"):
        n += 1
    out = sorted(lines[:n])
    for line in lines[n:]:
        starts_block = (not line.startswith(b"\t") and line not in (b"", b"}")) or (
            statement_indent and line.startswith(statement_indent) and not line.startswith(statement_indent + b"\t"))
        if starts_block and out and out[-1] != b"" and not out[-1].endswith(b"{"):
            out.append(b"")
        out.append(line)
    return b"\n".join(out)


def turtle(triples: Iterable[ox.Triple], prefixes: dict[str, str], header: str = "") -> bytes:
    """Readable Turtle: sorted prefixes, one block per subject, in the order of ``triples``."""
    return header.encode("utf-8") + tidy(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes), b"")


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    """N-Triples, one distinct line per triple, lines sorted."""
    lines = set(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines())
    lines.discard(b"")
    return b"".join(line + b"\n" for line in sorted(lines))


def trig(graph: ReleaseGraph, header: str = "") -> bytes:
    """TriG: each source file's named graph (which names its own sources with
    ``prov:wasDerivedFrom``), graphs and their triples in a stable order."""
    lines = [line for line in graph.store.store.dump(format=ox.RdfFormat.N_QUADS).split(b"\n") if line]

    def key(line: bytes) -> tuple:
        statement, graph_name, _ = line.rsplit(b" ", 2)
        return (graph_name, line_key(statement + b" ."))

    lines.sort(key=key)
    quads = ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_QUADS)
    return header.encode("utf-8") + tidy(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=graph.prefixes), b"\t")


def header_comment(graph: ReleaseGraph, version: str) -> str:
    return (f"# AKKE graph (akke-graph), release {version}: {graph.base}\n"
            "# Licence: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/\n\n")


def write_dumps(graph: ReleaseGraph, folder: Path, version: str) -> list[Path]:
    """Write every dump and the JSON-LD context under ``folder``; returns the dump paths.

    Everything streams from the union graph's N-Triples lines (serialised and parsed by Oxigraph),
    one dump at a time, so a large graph never exists as Python objects all at once."""
    (folder / "dumps").mkdir(parents=True, exist_ok=True)
    header = header_comment(graph, version)
    lines = graph.union_lines
    by_key = {fmt.key: folder / fmt.path for fmt in DUMPS}

    def parsed() -> Iterator[ox.Triple]:
        for quad in ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES):
            yield ox.Triple(quad.subject, quad.predicate, quad.object)

    by_key["turtle"].write_bytes(turtle(parsed(), graph.prefixes, header))  # type: ignore[arg-type]
    with by_key["jsonld"].open("wb") as handle:
        write_jsonld(parsed(), graph.prefixes, handle)
    by_key["nt"].write_bytes(b"".join(line + b"\n" for line in sorted(lines)))
    by_key["trig"].write_bytes(trig(graph, header))
    (folder / CONTEXT_PATH).write_text(json.dumps(context(graph.prefixes), indent=2) + "\n", encoding="utf-8")
    return [by_key[fmt.key] for fmt in DUMPS]
