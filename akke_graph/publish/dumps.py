"""The dumps of the whole graph: Turtle, N-Triples, JSON-LD and TriG, written by Oxigraph's
serialisers (rdflib's Turtle writer is far too slow for large graphs) from input in a stable order,
so two releases of the same graph are byte-identical and two releases of different graphs diff
cleanly."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from akke_graph.escape import comment
from akke_graph.publish.jobs import Jobs, cores, prefix_block
from akke_graph.publish.jsonld import context
from akke_graph.publish.model import ReleaseGraph
from akke_graph.publish.ntlines import CHUNK, chunks, from_sortable, sort_distinct, tidy

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
BACKGROUND_FROM = 200_000   # triples from which other processes write the Turtle, TriG and JSON-LD


def used_prefixes(triples: Iterable[ox.Triple], prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes whose namespace occurs in ``triples`` (keeps small files tidy)."""
    return prefixes_in(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), prefixes)


def prefixes_in(ntriples: bytes, prefixes: dict[str, str]) -> dict[str, str]:
    """Only the prefixes whose namespace occurs in the N-Triples."""
    return {p: ns for p, ns in prefixes.items() if b"<" + ns.encode("utf-8") in ntriples}


def turtle(triples: Iterable[ox.Triple], prefixes: dict[str, str], header: str = "") -> bytes:
    """Readable Turtle: sorted prefixes, one block per subject, in the order of ``triples``."""
    return header.encode("utf-8") + tidy(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    """N-Triples, one distinct line per triple, lines sorted."""
    lines = set(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines())
    lines.discard(b"")
    return b"".join(line + b"\n" for line in sorted(lines))


def write_sorted_ntriples(texts: list[bytes], path: Path) -> None:
    """N-Triples sorted byte for byte, from N-Triples buffers in the dumps' order (nearly sorted
    already: a quick sort); ``texts`` is emptied, so the graph is never held twice."""
    lines: list[bytes] = []
    for text in texts:
        lines += text.split(b"\n")[:-1]
    texts.clear()
    lines.sort()
    with path.open("wb") as handle:
        for i in range(0, len(lines), CHUNK):
            handle.write(b"\n".join(lines[i:i + CHUNK]) + b"\n")


def header_comment(graph: ReleaseGraph, version: str) -> str:
    return comment(f"AKKE graph (akke-graph), release {version}: {graph.base}",
                   "Licence: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/") + "\n"



def write_dumps(graph: ReleaseGraph, folder: Path, version: str) -> list[Path]:
    """Write every dump and the JSON-LD context under ``folder``; returns the dump paths.

    The store serialises each named graph to N-Triples once; the lines are sorted as bytes (see
    :mod:`~akke_graph.publish.ntlines`). Their union, sorted once, is the input of Oxigraph's
    Turtle writer and of the JSON-LD workers (one per core, each on a run of whole subjects),
    which start first: JSON-LD takes longest. The graphs' own lines, written graph by graph,
    are then the input of Oxigraph's TriG writer, and this process writes the N-Triples while
    the others work. No Python object per triple, and the lines held once (the graph lists and
    the union share them)."""
    (folder / "dumps").mkdir(parents=True, exist_ok=True)
    header = header_comment(graph, version).encode("utf-8")
    by_key = {fmt.key: folder / fmt.path for fmt in DUMPS}
    work = Path(tempfile.mkdtemp(prefix=".dumps-", dir=folder))
    try:
        graphs = [(name, graph.graph_lines(name)) for name in graph.graph_names()]
        union = sort_distinct([line for _, lines in graphs for line in lines])
        graph.size = len(union)
        prefixes = prefix_block(graph.prefixes)
        with Jobs(background=len(union) >= BACKGROUND_FROM) as jobs:
            texts: list[bytes] = []
            ranges = []   # byte ranges of in.ttl holding each JSON-LD part's lines
            with (work / "in.ttl").open("wb") as handle:
                handle.write(prefixes)
                offset = len(prefixes)
                for part in subject_runs(union, cores() if jobs.background else 1):
                    start = offset
                    for text in chunks(part):
                        handle.write(text)
                        texts.append(text)
                        offset += len(text)
                    ranges.append((start, offset))
            del union
            converters = {"ttl": jobs.convert(work / "in.ttl", work / "out.ttl", "ttl", graph.prefixes)}
            parts = [work / f"part-{k}.jsonld" for k in range(len(ranges))]
            for k, ((start, end), part) in enumerate(zip(ranges, parts)):
                jobs.python(f"JSON-LD writer {k + 1}", "akke_graph.publish.jsonld", str(work / "in.ttl"), str(part),
                            "--bytes", f"{start}:{end}", *(["--no-head"] if k else []),
                            *(["--no-tail"] if k < len(parts) - 1 else []))
            with (work / "in.trig").open("wb") as handle:
                handle.write(prefixes)
                for name, lines in graphs:
                    if isinstance(name, ox.NamedNode):
                        handle.write(b"<" + name.value.encode("utf-8") + b"> {\n" + from_sortable(lines) + b"}\n")
                    else:
                        handle.write(from_sortable(lines))
            del graphs
            converters["trig"] = jobs.convert(work / "in.trig", work / "out.trig", "trig", graph.prefixes)
            write_sorted_ntriples(texts, by_key["nt"])
            for key, fmt in (("turtle", "ttl"), ("trig", "trig")):   # while the JSON-LD is written
                jobs.wait(converters[fmt])
                by_key[key].write_bytes(header + tidy((work / f"out.{fmt}").read_bytes()))
        concatenate(parts, by_key["jsonld"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (folder / CONTEXT_PATH).write_text(json.dumps(context(graph.prefixes), indent=2) + "\n", encoding="utf-8")
    return [by_key[fmt.key] for fmt in DUMPS]


def subject_runs(lines: list[bytes], parts: int) -> list[list[bytes]]:
    """``lines`` (grouped by subject) cut into up to ``parts`` runs of about equal length, never
    inside a subject's group — each run is whole node objects of the JSON-LD."""
    cuts = [0]
    for k in range(1, parts):
        cut = max(cuts[-1] + 1, len(lines) * k // parts)
        while 0 < cut < len(lines) and subject(lines[cut]) == subject(lines[cut - 1]):
            cut += 1
        if cut < len(lines):
            cuts.append(cut)
    cuts.append(len(lines))
    return [lines[a:b] for a, b in zip(cuts, cuts[1:])]


def subject(line: bytes) -> bytes:
    return line[:line.index(b" ")]


def concatenate(parts: list[Path], target: Path) -> None:
    """The parts, in order, as one file (copied by the kernel where it can)."""
    with target.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                shutil.copyfileobj(handle, out, 1 << 20)
