"""Literals as they were written, beside the form Oxigraph stores them in.

Oxigraph keeps XSD numbers, booleans, dates, times and durations by value and gives them back in
a form of its own: ``"7"^^xsd:int`` comes back as ``"7"^^xsd:integer``, ``"300"^^xsd:byte`` as
``"300"^^xsd:integer``, ``"4.0"`` as ``"4"`` and ``"1"^^xsd:boolean`` as ``"true"`` (no option
keeps them: oxigraph issue 526). SHACL judges the data as written, so the store keeps a record of
every quad it holds in another form than written (:class:`WrittenLiterals`).

Most files hold no such literal, and :func:`may_hold_rewritten` tells so from the bytes at a small
part of parsing's cost; only the files it cannot clear are parsed in Python and recorded.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from akke_graph.terms import XSD

# The XSD datatypes whose literals Oxigraph may store in another form.
REWRITABLE = frozenset(XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte", "decimal", "float", "double", "boolean", "date", "dateTime", "dateTimeStamp",
    "time", "duration", "dayTimeDuration", "yearMonthDuration", "gYear", "gYearMonth", "gMonthDay",
    "gDay", "gMonth"))

# Written forms the store keeps as they are (checked against the store in tests/test_written.py):
# most literals are in one of these, and asking the store costs tens of microseconds each.
_KEPT = {XSD + t: re.compile(p) for t, p in (
    ("integer", r"0|-?[1-9][0-9]*"),
    ("decimal", r"-?(0|[1-9][0-9]*)\.[0-9]*[1-9]|-?[1-9][0-9]*|0"),
    ("boolean", r"true|false"),
    ("date", r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])Z?"),
    ("dateTime", r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z?"),
)}
_SCRATCH = ox.Store()
_SCRATCH_LOCK = threading.Lock()
_S, _P = ox.NamedNode("urn:x-akke:s"), ox.NamedNode("urn:x-akke:p")


def stored_form(literal: ox.Literal) -> ox.Literal:
    """The literal as Oxigraph stores it (the same literal when it is not rewritten)."""
    kept = _KEPT.get(literal.datatype.value)
    if literal.datatype.value not in REWRITABLE or (kept is not None and kept.fullmatch(literal.value)):
        return literal
    return _round_trip(literal)


@lru_cache(maxsize=1 << 16)
def _round_trip(literal: ox.Literal) -> ox.Literal:
    quad = ox.Quad(_S, _P, literal)
    with _SCRATCH_LOCK:
        _SCRATCH.add(quad)
        stored = next(iter(_SCRATCH)).object
        _SCRATCH.remove(ox.Quad(_S, _P, stored))
    assert isinstance(stored, ox.Literal)
    return stored


def rewritten(term: object) -> bool:
    """Whether the store would hold ``term`` in another form than this one."""
    return isinstance(term, ox.Literal) and stored_form(term) != term


# --- telling from the bytes that a file holds no rewritten literal -----------------------------
# Plain byte searches, and regular expressions that start with a fixed byte, run at memory speed:
# the bytes are read a few times instead of parsed once (parsing in Python costs ten times more).

# Each ^^ and the datatype after it (an empty group: no datatype name is there).
_CARET = re.compile(rb"\^\^")
_DATATYPES = re.compile(rb"\^\^(<[^>\s]*>|[^\s<\"';,()\[\]]*:[A-Za-z]*|)")
_LOCAL_NAMES = frozenset(t[len(XSD):] for t in REWRITABLE)
_TYPED_VERDICTS: dict[tuple[bytes, bytes], bool] = {}   # (lexical form, datatype as written): rewritten?
# A copy for finding bare numbers: separators become spaces, digits but 0 become 1 and exponent
# marks become dots, so that ".1" or ".0" finds every decimal and double, and " 0" or " -0" every
# number that starts with a zero (leading zeros, -0).
_FOLD = bytes.maketrans(b"\t\n\r,(>123456789eE", b"      111111111..")
_BARE_SIGNS = ((b".0", 0), (b".1", 0), (b" 0", 1), (b" -0", 1))
_NUMERAL = re.compile(rb"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
                      rb"|[0-9]*\.[0-9]+|[0-9]+)")
_NUMERAL_CHARS = frozenset(b"+-.0123456789eE")
_SEPARATORS = frozenset(b" \t\n\r,(>")


def may_hold_rewritten(data: bytes, fmt: str) -> bool:
    """False when ``data`` (an RDF file in format ``fmt``) surely holds no literal the store
    would rewrite; True when it may. Turtle-family files are read for typed literals (a prefixed
    datatype is judged by its local name, whatever its prefix) and, in Turtle and TriG, for bare
    numbers; other formats, and escapes that could spell anything, always may."""
    if fmt not in ("turtle", "trig", "nt", "nquads") or (b"\\" in data and (b"\\u" in data or b"\\U" in data)):
        return True
    return _typed_rewritten(data) or (fmt in ("turtle", "trig") and _bare_rewritten(data))


def _typed_rewritten(data: bytes) -> bool:
    if b"^" not in data:
        return False
    for caret, datatype in zip(_CARET.finditer(data), _DATATYPES.findall(data)):
        at = caret.start()
        end = data.rfind(b'"', 0, at)
        start = data.rfind(b'"', 0, end)
        if end != at - 1 or start < 0 or data[start - 1:start] in (b'"', b"\\") or not datatype:
            return True   # not a plain "…" right before ^^ (a long string, spacing, an escape), or no datatype after it
        key = (data[start + 1:end], datatype)
        verdict = _TYPED_VERDICTS.get(key)
        if verdict is None:
            if len(_TYPED_VERDICTS) > 1 << 17:
                _TYPED_VERDICTS.clear()
            verdict = _TYPED_VERDICTS[key] = _typed_literal_rewritten(*key)
        if verdict:
            return True
    return False


def _typed_literal_rewritten(lexical: bytes, datatype: bytes) -> bool:
    if b"\\" in lexical or b"\n" in lexical:
        return True
    if datatype.startswith(b"<"):
        iri = datatype[1:-1].decode("utf-8", "replace")
        if ":" not in iri:
            return True   # a relative datatype IRI: its base could be the XSD namespace
    else:
        local = datatype.rsplit(b":", 1)[1].decode()
        if local not in _LOCAL_NAMES:
            return False
        iri = XSD + local
    return iri in REWRITABLE and rewritten(ox.Literal(lexical.decode("utf-8", "replace"), datatype=ox.NamedNode(iri)))


def _bare_rewritten(data: bytes) -> bool:
    folded = data.translate(_FOLD)
    hits = [at for sign, offset in _BARE_SIGNS for at in _positions(folded, sign, offset)] + _positions(data, b"+", 0)
    for at in hits:
        start = at
        while start > 0 and data[start - 1] in _NUMERAL_CHARS:
            start -= 1
        if start == 0 or data[start - 1] in _SEPARATORS:
            numeral = _NUMERAL.match(data, start)
            if numeral is not None and _bare_number_rewritten(numeral.group(0).decode()):
                return True
    return False


def _positions(data: bytes, text: bytes, offset: int) -> list[int]:
    out, at = [], data.find(text)
    while at != -1:
        out.append(at + offset)
        at = data.find(text, at + 1)
    return out


def _bare_number_rewritten(text: str) -> bool:
    kind = "double" if "e" in text.lower() else "decimal" if "." in text else "integer"
    return rewritten(ox.Literal(text, datatype=ox.NamedNode(XSD + kind)))


# --- the record -------------------------------------------------------------------------------

class WrittenLiterals:
    """For each quad the store holds with a rewritten literal, the literals written there (more
    than one when forms the store merges were written in one graph: ``"7"^^xsd:int`` and
    ``"07"^^xsd:int`` are one stored quad)."""

    def __init__(self) -> None:
        self.quads: dict[ox.Quad, list[ox.Literal]] = {}

    def __bool__(self) -> bool:
        return bool(self.quads)

    def recording(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """Pass ``quads`` through (to the store), noting the ones it will hold in another form."""
        seen: dict[ox.Quad, list[ox.Literal]] = {}
        try:
            for quad in quads:
                literal = quad.object
                if isinstance(literal, ox.Literal) and literal.datatype.value in REWRITABLE:
                    key = ox.Quad(quad.subject, quad.predicate, stored_form(literal), quad.graph_name)
                    forms = seen.setdefault(key, [])
                    if literal not in forms:
                        forms.append(literal)
                yield quad
        finally:
            for key, forms in seen.items():
                if key in self.quads or any(f != key.object for f in forms):
                    known = self.quads.setdefault(key, [])
                    known += [f for f in forms if f not in known]

    def discard(self, quad: ox.Quad) -> None:
        """Forget a quad the store no longer holds (given in its stored or a written form)."""
        literal = quad.object
        if isinstance(literal, ox.Literal):
            self.quads.pop(ox.Quad(quad.subject, quad.predicate, stored_form(literal), quad.graph_name), None)

    def forget(self, graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> None:
        self.quads = {q: forms for q, forms in self.quads.items() if q.graph_name != graph}

    def written(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
        """``quads`` as written: each rewritten one as the quad(s) of its written literal(s)."""
        for quad in quads:
            forms = self.quads.get(quad)
            if forms is None:
                yield quad
            else:
                yield from (ox.Quad(quad.subject, quad.predicate, f, quad.graph_name) for f in forms)

    def triples(self, graphs_of: Callable[[ox.Triple], list[object]]) -> dict[ox.Triple, tuple[ox.Literal, ...]]:
        """The union graph's view (what validation sees): for each stored triple with a rewritten
        literal, its written forms, the stored one included where some graph holds it as written.
        ``graphs_of`` gives the graphs that hold a triple in the store now."""
        by_triple: dict[ox.Triple, dict[object, list[ox.Literal]]] = {}
        for quad, forms in self.quads.items():
            by_triple.setdefault(ox.Triple(quad.subject, quad.predicate, quad.object), {})[quad.graph_name] = forms
        out = {}
        for triple, recorded in by_triple.items():
            assert isinstance(triple.object, ox.Literal)
            written = [f for graph in graphs_of(triple) for f in recorded.get(graph, [triple.object])]
            if written:
                out[triple] = tuple(sorted(set(written), key=str))
        return out
