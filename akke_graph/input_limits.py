"""Bounds on what an RDF file may hold, checked before a parser sees it (a query's are in
:mod:`akke_graph.query.check`).

The parsers recurse on nesting and hold a literal whole in memory: a JSON-LD file nested 4,000
deep crashed Oxigraph (stack overflow, exit 139) and a 50 MB literal ended in ``MemoryError``. No
fact of this graph needs either, so both are refused with the file, the line and what to do.

The full scan (strings, IRIs and comments skipped, brackets counted) costs a pass of a regular
expression over the file; it only runs where a cheap test says it may find something: a file
with no bracket cannot nest, and in a file whose lines are all shorter than the limit with no
long-string quotes, no literal can be longer than the limit.
"""

from __future__ import annotations

import re

from akke_graph.errors import InputError

MAX_DEPTH = 64               # brackets open at once: real data nests two or three deep
MAX_LITERAL = 1 << 20        # bytes in one string: the longest description is a few kilobytes


_OPEN = frozenset(b"[({")
_CLOSE = frozenset(b"])}")

# One token: a long string, a string, an IRI, a comment, or a bracket. Strings and IRIs are
# consumed whole so that the brackets and quotes inside them do not count.
_TOKENS = re.compile(rb'''
      """[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*(?:"""|$)
    | \'\'\'[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*(?:\'\'\'|$)
    | "[^"\\\n]*(?:\\.[^"\\\n]*)*"?
    | '[^'\\\n]*(?:\\.[^'\\\n]*)*'?
    | <[^<>"{}|^`\\\s]*>
    | \#[^\n]*
    | [\[\](){}]
''', re.VERBOSE | re.DOTALL)

_JSON_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


def check_rdf(data: bytes, fmt: str, display: str) -> None:
    """Raise :class:`InputError` if ``data`` nests deeper or holds a longer literal than allowed."""
    if fmt == "nt":
        if len(data) > MAX_LITERAL and _longest_line(data) > MAX_LITERAL:
            _scan(data, display, _TOKENS, nesting=False)
        return
    tokens = _JSON_TOKENS if fmt == "json-ld" else _TOKENS
    may_nest = any(data.count(bytes([c])) for c in _OPEN)
    may_be_long = len(data) > MAX_LITERAL and (
        _longest_line(data) > MAX_LITERAL or b'"""' in data or b"'''" in data)
    if may_nest or may_be_long:
        _scan(data, display, tokens, nesting=may_nest)


def _longest_line(data: bytes) -> int:
    return max(map(len, data.split(b"\n")), default=0)


def _scan(data: bytes, display: str, tokens: re.Pattern[bytes], *, nesting: bool) -> None:
    depth = 0
    for match in tokens.finditer(data):
        token = match.group()
        if len(token) == 1 and token[0] in _OPEN:
            if nesting:
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(display, f"the file nests brackets more than {MAX_DEPTH} deep",
                                     line=_line(data, match.start()),
                                     hint="flatten it: name the nested nodes instead of nesting them")
        elif len(token) == 1 and token[0] in _CLOSE:
            depth = max(0, depth - 1)
        elif len(token) > MAX_LITERAL and token[:1] in (b'"', b"'"):
            raise InputError(display, f"a text in the file is longer than {MAX_LITERAL >> 20} MiB",
                             line=_line(data, match.start()),
                             hint="no fact of the graph needs a text this long: link to a document instead")


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
