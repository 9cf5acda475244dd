"""N-Triples lines in the release's stable order, sorted as plain bytes.

The dumps list each subject's triples together, ``rdf:type`` first, then by predicate and object,
with IRIs compared as strings — so an entity comes before its hash parts (``<…/akke-turku>``
before ``<…/akke-turku#grant>``) and ``wp-1`` before ``wp-10``. Comparing N-Triples lines byte for
byte gives almost that order: only the ``>`` that closes each IRI (which sorts after ``#``, ``-``,
``/`` and the digits) and the ``rdf:type`` predicate are in the way. So the lines are rewritten
into a *sortable* form — ``"> "`` becomes ``"\\x00 "`` and the ``rdf:type`` predicate ``\\x01``
(N-Triples escapes every control character, so neither occurs otherwise) — with whole-buffer
``bytes.replace``, and a million lines then sort with the C sort and no key function, many times
faster than a Python key per line. The rewriting is undone the same way.
"""

from __future__ import annotations

from itertools import chain
from typing import Iterable, Iterator

import pyoxigraph as ox

TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SORTABLE_TYPE = b"\x01"
IRI_END = b"\x00 "
CHUNK = 100_000   # lines per buffer when a sorted list is turned back into N-Triples


def to_sortable(data: bytes) -> list[bytes]:
    """N-Triples (one statement per line) as a list of lines in sortable form, unsorted.

    ``rdf:type`` in predicate position is followed by the object, which starts with ``<``, ``_``
    or ``"``; as an object it is followed by `` .`` — so the predicate is found on the whole
    buffer. (A literal that spells ``"> "`` or the predicate is rewritten too, and restored.)"""
    for start in (b"<", b"_", b'"'):
        data = data.replace(b" " + TYPE + b" " + start, b" " + SORTABLE_TYPE + b" " + start)
    lines = data.replace(b"> ", IRI_END).split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


def from_sortable(lines: list[bytes]) -> bytes:
    """Sortable lines back to N-Triples text (each line ended by a newline)."""
    if not lines:
        return b""
    data = b"\n".join(lines) + b"\n"
    return data.replace(b" " + SORTABLE_TYPE + b" ", b" " + TYPE + b" ").replace(IRI_END, b"> ")


def chunks(lines: list[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """:func:`from_sortable` a slice at a time (no second copy of a large graph as one buffer)."""
    for i in range(0, len(lines), size):
        yield from_sortable(lines[i:i + size])


def sort_distinct(lines: list[bytes]) -> list[bytes]:
    """Sorted, without repeats (a triple stated in two files is one triple of the union)."""
    lines.sort()
    return list(dict.fromkeys(lines))


def sorted_ntriples(data: bytes) -> bytes:
    """N-Triples text in the stable statement order, each triple once."""
    return from_sortable(sort_distinct(to_sortable(data)))


def parse_chunks(chunks: Iterable[bytes]) -> Iterator[ox.Quad]:
    """Quads of consecutive N-Triples/N-Quads buffers, parsed by Oxigraph and chained in C (no
    Python code per quad). Lenient: the buffers come from Oxigraph's own writer, so the IRIs are
    already checked — checking them again would take most of the time."""
    return chain.from_iterable(ox.parse(c, format=ox.RdfFormat.N_QUADS, lenient=True) for c in chunks if c)


def in_graph(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines as N-Quads of ``graph`` (every line ends with `` .``; literals escape
    line breaks, so `` .\\n`` occurs only there)."""
    return ntriples.replace(b" .\n", b" <" + graph.encode("utf-8") + b"> .\n")


def tidy(data: bytes) -> bytes:
    """Oxigraph's Turtle or TriG made easier to read: sorted ``@prefix`` lines, a blank line
    after them, before each subject block and between named graphs.

    Oxigraph ends a subject's block with `` .`` at the end of a line, starts every block on a new
    line and escapes line breaks inside literals, so whole-buffer replacements find the places."""
    end = 0
    while data.startswith(b"@prefix", end):
        end = data.index(b"\n", end) + 1
    head, body = data[:end], data[end:]
    body = body.replace(b" .\n", b" .\n\n").replace(b" .\n\n}", b" .\n}").replace(b"}\n", b"}\n\n")
    if body.endswith(b"\n\n"):
        body = body[:-1]
    head = b"".join(sorted(line + b"\n" for line in head.split(b"\n") if line))
    return head + (b"\n" if head and body else b"") + body
