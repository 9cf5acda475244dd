"""An answer is passed on only if it parses to its end in its format (akke_graph/serve/answers.py):
Oxigraph appends the text of an error met while streaming to a 200 answer, and that text may
end just like a complete answer (the remote endpoint's own answer, quoted)."""

from __future__ import annotations

import pytest

from akke_graph.serve.answers import (
    Incomplete,
    answer_format,
    checked_whole,
    engine_picks_csv,
    pass_checked,
)

JSON_HEAD = b'{"head":{"vars":["s"]},"results":{"bindings":['
ROW = b'{"s":{"type":"uri","value":"urn:a"}}'
QUOTED_ERROR = (b'Error 500 Internal Server Error returned by http://127.0.0.1:1/sparql with '
                b'payload:\n{"head":{"vars":[]},"results":{"bindings":[{}]}}')

COMPLETE = [
    ("application/sparql-results+json", JSON_HEAD + ROW + b"]}}"),
    ("application/sparql-results+json", b'{"head":{},"boolean":true}'),
    ("application/sparql-results+xml",
     (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
     b'<head><variable name="s"/></head><results><result><binding name="s"><uri>urn:a</uri>'
     b'</binding></result></results></sparql>')),
    ("text/tab-separated-values", b"?s\n<urn:a>\n"),
    ("text/turtle", b"<urn:a> <urn:b> <urn:c> .\n"),
    ("application/n-triples", b"<urn:a> <urn:b> <urn:c> .\n"),
    ("application/n-quads", b"<urn:a> <urn:b> <urn:c> <urn:g> .\n"),
    ("application/ld+json", b'[{"@id":"urn:a","urn:b":[{"@id":"urn:c"}]}]'),
    ("application/rdf+xml", (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf='
     b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="urn:a">'
     b'<rdf:value>x</rdf:value></rdf:Description></rdf:RDF>')),
]
FAILED = [
    ("application/sparql-results+json", JSON_HEAD + b"Connection refused (os error 111)"),
    ("application/sparql-results+json", JSON_HEAD + ROW + b"," + QUOTED_ERROR),
    ("application/sparql-results+xml",
     b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
     b'<head><variable name="s"/></head><results>' + QUOTED_ERROR),
    ("text/tab-separated-values", b"?s\n<urn:a>\n" + QUOTED_ERROR),
    ("text/turtle", b"<urn:a> <urn:b> <urn:c> .\n" + QUOTED_ERROR),
    ("application/n-triples", b"<urn:a> <urn:b> <urn:c> .\nThe operation was cancelled"),
    ("application/ld+json", b'[{"@id":"urn:a","urn:b":[' + QUOTED_ERROR),
    ("application/rdf+xml", b'<?xml version="1.0"?><rdf:RDF xmlns:rdf='
     b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#">' + QUOTED_ERROR),
]


@pytest.mark.parametrize("media,body", COMPLETE)
def test_complete_answers_pass(media: str, body: bytes) -> None:
    fmt = answer_format(media)
    assert fmt is not None
    assert checked_whole(fmt, body) == body
    chunks: list[bytes] = []
    parts = [body[i:i + 7] for i in range(7, len(body), 7)]
    pass_checked(fmt, body[:7], lambda: parts.pop(0) if parts else b"", chunks.append)
    assert b"".join(chunks) == body            # passed on as it came, every byte


@pytest.mark.parametrize("media,body", FAILED)
def test_failed_answers_are_caught(media: str, body: bytes) -> None:
    fmt = answer_format(media)
    assert fmt is not None
    with pytest.raises(Incomplete):
        checked_whole(fmt, body)


def test_csv_is_written_from_tsv() -> None:
    fmt = answer_format("text/tab-separated-values")
    assert fmt is not None
    tsv = b'?s\t?o\n<urn:a>\t"x, \\"y\\""@en\n'
    assert checked_whole(fmt, tsv, to_csv=True) == b's,o\r\nurn:a,"x, ""y"""\r\n'
    with pytest.raises(Incomplete):
        checked_whole(fmt, tsv + QUOTED_ERROR, to_csv=True)


@pytest.mark.parametrize("accept,csv", [
    ("text/csv", True), ("text/plain", True), ("text/csv;charset=utf-8", True),
    ("application/sparql-results+json, text/csv;q=0.5", False),
    ("text/csv;q=0.5, text/tab-separated-values", False),
    ("text/csv, text/tab-separated-values", True),          # the first of the highest wins
    ("text/*", False), ("*/*", False), ("", False), (None, False),
    ("text/csv;q=abc", False),                              # the engine answers 400
])
def test_when_the_engine_would_answer_csv(accept: str | None, csv: bool) -> None:
    assert engine_picks_csv(accept) is csv
