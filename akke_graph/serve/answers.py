"""Only complete answers are passed on whole. Oxigraph reports an error met while it streams an
answer (a ``SERVICE`` that fails, a cancelled evaluation) by appending the error's text to a
``200`` answer; so every answer is read by a parser of its format (pyoxigraph's, in Rust) as it
goes through, and one that does not parse to its end is an error, never a ``200`` that a client
or the cache could take for the answer.

CSV cannot be parsed back (it loses term types), so a CSV answer is asked of Oxigraph as TSV,
checked, and written as CSV here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, cast

import pyoxigraph as ox

from akke_graph.serve.conneg import with_charset

CSV = "text/csv"
TSV = "text/tab-separated-values"


class Incomplete(Exception):
    """The answer does not parse to its end: the engine failed while producing it."""


@dataclass(frozen=True)
class AnswerFormat:
    """The format of an answer, by its Content-Type: query results or RDF."""

    media_type: str
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None


def answer_format(content_type: str | None) -> AnswerFormat | None:
    """The parseable format of a query answer, or None for a type no parser here reads."""
    media = (content_type or "").split(";")[0].strip().lower()
    if not media:
        return None
    results = ox.QueryResultsFormat.from_media_type(media)
    if results is not None and media != CSV and results != ox.QueryResultsFormat.CSV:
        return AnswerFormat(media, results=results)
    rdf = ox.RdfFormat.from_media_type(media)
    if rdf is not None:
        return AnswerFormat(media, rdf=rdf)
    return None


def engine_picks_csv(accept: str | None) -> bool:
    """Whether Oxigraph 0.5 answers a SELECT or ASK with this Accept header in CSV: its own
    negotiation (cli/src/main.rs ``content_negotiation``), the first of the highest q winning."""
    chosen, best = None, 0.0
    for possible in (accept or "").split(","):
        score = 1.0
        head, _, last = possible.rpartition(";")
        name, _, value = last.partition("=")
        if head and name.strip().lower() == "q":
            try:
                score = float(value.strip())
            except ValueError:
                return False        # Oxigraph answers 400
            possible = head
        if score <= best:
            continue
        base, _, sub = possible.split(";")[0].partition("/")
        base, sub = base.strip(), sub.strip()
        if base == "*" and sub == "*":
            found: ox.QueryResultsFormat | None = ox.QueryResultsFormat.JSON
        elif sub == "*":
            found = ox.QueryResultsFormat.JSON if base in ("application", "text") else None
        else:
            found = ox.QueryResultsFormat.from_media_type(possible.strip())
        if found is not None:
            chosen, best = found, score
    return chosen == ox.QueryResultsFormat.CSV


class _Reader:
    """A binary reader over an answer arriving in chunks (``first``, then ``more()`` until it
    returns ``b""``), handing each chunk to ``seen`` as it is read."""

    def __init__(self, first: bytes, more: Callable[[], bytes] | None,
                 seen: Callable[[bytes], None]) -> None:
        self._buffer, self._more, self._seen = first, more, seen
        if first:
            seen(first)

    def read(self, size: int = -1) -> bytes:
        while not self._buffer and self._more is not None:
            chunk = self._more()
            if not chunk:
                self._more = None
                break
            self._seen(chunk)
            self._buffer = chunk
        if size is None or size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def pass_checked(fmt: AnswerFormat, first: bytes, more: Callable[[], bytes] | None,
                 write: Callable[[bytes], None], to_csv: bool = False) -> None:
    """Parse the answer to its end as it goes through: each chunk goes to ``write`` as it is
    read (or, ``to_csv``, the answer is written as CSV). Raises :class:`Incomplete` if the
    answer does not parse whole; errors of ``more`` and ``write`` pass through."""
    reader = _Reader(first, more, (lambda _chunk: None) if to_csv else write)
    try:
        if fmt.results is not None:
            parsed = ox.parse_query_results(cast(IO[bytes], reader), fmt.results)
            if to_csv:
                parsed.serialize(cast(IO[bytes], _Writer(write)), ox.QueryResultsFormat.CSV)
            elif isinstance(parsed, ox.QuerySolutions):
                for _ in parsed:
                    pass
        elif fmt.rdf is not None:
            for _ in ox.parse(cast(IO[bytes], reader), fmt.rdf):
                pass
    except SyntaxError as exc:
        raise Incomplete(str(exc)) from None
    except ValueError as exc:      # pyoxigraph's report of a malformed answer in some formats
        raise Incomplete(str(exc)) from None
    rest = reader.read()
    while rest:
        if rest.strip():
            raise Incomplete("text after the end of the answer")
        rest = reader.read()


class _Writer:
    """The binary writer pyoxigraph's serializers write to."""

    def __init__(self, write: Callable[[bytes], None]) -> None:
        self._write = write

    def write(self, data: bytes) -> int:
        self._write(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def checked_whole(fmt: AnswerFormat, body: bytes, to_csv: bool = False) -> bytes:
    """The whole answer after checking it (in CSV if ``to_csv``), or :class:`Incomplete`."""
    out: list[bytes] = []
    pass_checked(fmt, body, None, out.append if to_csv else (lambda _chunk: None), to_csv)
    return b"".join(out) if to_csv else body


def failure_message(body: bytes, problem: str) -> str:
    """A SPARQL-style message for an answer that ended in an error: what the engine wrote last
    (its error, appended to the partial answer) and what the parser saw."""
    tail = body[-300:].decode("utf-8", "replace")
    tail = "".join(c if c.isprintable() else " " for c in tail).strip()
    return ("the query failed while its answer was being produced; nothing of it is kept. "
            f"The answer ended with: …{tail} ({problem}). "
            "Try again later, or change the query.")


def answer_content_type(fmt: AnswerFormat | None, content_type: str, to_csv: bool) -> str:
    """The Content-Type to send: CSV when converted, always with its charset."""
    return with_charset(CSV if to_csv else content_type)
