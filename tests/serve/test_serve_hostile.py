"""Bad requests against ``serve``, one table: each gets its status and a message that says what
is wrong, and the service goes on answering, with the same Oxigraph process and no traceback in
its log. Requests are written byte by byte on a socket, as an attacker would."""

from __future__ import annotations

import socket
import urllib.parse

import pytest

from tests.loopback import HTTP

from .logs import wait_for_log

MiB = 1 << 20


def _get(target: str, *headers: str) -> bytes:
    return "\r\n".join([f"GET {target} HTTP/1.1", "Host: x", "Connection: close", *headers,
                        "", ""]).encode()


def _post(target: str, body: bytes, *headers: str, length: bool = True) -> bytes:
    lines = [f"POST {target} HTTP/1.1", "Host: x", "Connection: close", *headers]
    if length:
        lines.append(f"Content-Length: {len(body)}")
    return "\r\n".join([*lines, "", ""]).encode() + body


def _q(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


FORM = "Content-Type: application/x-www-form-urlencoded"
SPARQL = "Content-Type: application/sparql-query"
DEEP = "ASK " + "{" * 20_000 + "}" * 20_000

# name -> (request, expected status, a phrase of the message)
CASES: dict[str, tuple[bytes, int, str]] = {
    "a request line of 100 KB": (_get("/" + "a" * 100_000), 414, "longer than 64 KiB"),
    "a query string of 100 KB": (_get(_q("ASK {}" + " " * 100_000)), 414, "POST"),
    "101 header lines": (_get("/", *[f"X-{i}: y" for i in range(101)]), 431, "header"),
    "a header line of 70 KB": (_get("/", "X-Big: " + "y" * 70_000), 431, "header"),
    "a garbage request line": (b"\x16\x03\x01\x02\x00 hello\r\n\r\n", 400, "Bad Request"),
    "HTTP/2.0": (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "HTTP Version"),
    "HTTP/0.9": (b"GET /\r\n\r\n", 400, "HTTP/0.9 is not supported"),
    "an unknown method": (b"BREW /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 501,
                          "not supported"),
    "PUT on /sparql": (_post("/sparql", b"x", FORM).replace(b"POST", b"PUT", 1), 403, "read-only"),
    "DELETE of an entity": (_get("/id/project/akke-turku").replace(b"GET", b"DELETE", 1), 403,
                            "read-only"),
    "POST to a release file": (_post("/index.html", b"x", FORM), 405, "not allowed"),
    "a query POSTed as text/plain": (_post("/sparql", b"ASK {}", "Content-Type: text/plain"),
                                     415, "unsupported Content-Type"),
    "Content-Length and chunked": (_post("/sparql", b"6\r\nASK {}\r\n0\r\n\r\n", SPARQL,
                                         "Transfer-Encoding: chunked"), 400, "both"),
    "a gzip transfer coding": (_post("/sparql", b"x", SPARQL, "Transfer-Encoding: gzip, chunked",
                                     length=False), 501, "transfer coding"),
    "a bad chunk size": (_post("/sparql", b"zz\r\nASK {}\r\n0\r\n\r\n", SPARQL,
                               "Transfer-Encoding: chunked", length=False), 400, "chunk size"),
    "no line end after a chunk": (_post("/sparql", b"2\r\nASK {}\r\n0\r\n\r\n", SPARQL,
                                        "Transfer-Encoding: chunked", length=False), 400,
                                  "line end"),
    "a negative Content-Length": (_post("/sparql", b"", SPARQL, "Content-Length: -1",
                                        length=False), 413, "limited"),
    "a Content-Length that is no number": (_post("/sparql", b"", SPARQL, "Content-Length: ten",
                                                 length=False), 400, "not a number"),
    "a body of 5 MiB announced": (_post("/sparql", b"", SPARQL, f"Content-Length: {5 * MiB}",
                                        length=False), 413, "limited to 4 MiB"),
    "a chunked body of 5 MiB": (_post("/sparql", (b"100000\r\n" + b" " * MiB + b"\r\n") * 5,
                                      SPARQL, "Transfer-Encoding: chunked", length=False), 413,
                                "limited"),
    "the query twice": (_get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D"), 400, "one query, not 2"),
    "the query in the URL and the body": (_post(_q("ASK {}"), b"query=ASK+%7B%7D", FORM), 400,
                                          "both in the URL and in the body"),
    "a form without a query": (_post("/sparql", b"foo=bar", FORM), 400, "one query, not 0"),
    "a query that is not UTF-8": (_get("/sparql?query=ASK%7B%FF%7D"), 400, "not UTF-8"),
    "a body that is not UTF-8": (_post("/sparql", b"ASK {\xff}", SPARQL), 400, "not UTF-8"),
    "a query of 600 KiB": (_post("/sparql", b"ASK {}" + b" " * (600 << 10), SPARQL), 400, "KiB"),
    "20,000 nested braces": (_post("/sparql", DEEP.encode(), SPARQL), 400, "nests too deep"),
    "20,000 unclosed brackets": (_post("/sparql", ("ASK { FILTER(" + "(" * 20_000).encode(),
                                       SPARQL), 400, "nests too deep"),
    "a SERVICE call": (_get(_q("SELECT * { SERVICE <http://169.254.169.254/latest> { } }")),
                       400, "not allowed"),
    "SPARQL Update as a query": (_get(_q("INSERT DATA { <urn:a> <urn:b> <urn:c> }")), 400,
                                 "expected"),
    "the update parameter": (_get("/sparql?update=CLEAR+ALL"), 403, "read-only"),
    "an update in a form": (_post("/sparql", b"update=CLEAR+ALL", FORM), 403, "read-only"),
    "an update body": (_post("/sparql", b"CLEAR ALL", "Content-Type: application/sparql-update"),
                       403, "read-only"),
    "a path out of the release": (_get("/%2e%2e/%2e%2e/etc/passwd"), 400, "bad path"),
    "a NUL in the path": (_get("/id/%00x"), 400, "bad path"),
    "an Accept with a bad q": (_get(_q("ASK {}"), "Accept: text/csv;q=x"), 400, "Accept"),
    "an Accept nothing fits": (_get(_q("ASK {}"), "Accept: image/png"), 406, "accept"),
    "a default graph that is no IRI": (_get("/sparql?query=ASK%7B%7D&default-graph-uri=%3Ca%20b"),
                                       400, "IRI"),
}


def _exchange(port: int, request: bytes) -> tuple[int, bytes]:
    """Send ``request`` and read the answer to the end: its status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass           # refused before the whole body was read: the answer is waiting
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


@pytest.mark.parametrize("name", list(CASES))
def test_bad_requests(service, name: str) -> None:
    request, status, phrase = CASES[name]
    pid = service.upstream.current.pid
    got, body = _exchange(service.port, request)
    assert got == status, (name, body[:300])
    assert phrase.lower() in body.decode("utf-8", "replace").lower(), (name, body[:300])
    assert service.upstream.current.pid == pid
    ok = HTTP.get(service.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_clients_that_hang_up_leave_one_line(service) -> None:
    """A client that goes away mid-request or mid-answer is one line in the log, no traceback."""
    before = service.log_buffer.getvalue()
    with socket.create_connection(("127.0.0.1", service.port)) as sock:    # half a body
        sock.sendall(_post("/sparql", b"ASK {}", SPARQL).replace(b"Length: 6", b"Length: 600"))
    big = _get(_q("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 40000"),
               "Accept: text/tab-separated-values")
    for _ in range(3):                                               # gone before the answer
        with socket.create_connection(("127.0.0.1", service.port)) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.sendall(big)
            sock.recv(1)
    with socket.create_connection(("127.0.0.1", service.port)) as sock:    # a file, then gone
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.sendall(_get("/dumps/akke-graph.trig"))
        sock.recv(1)
    ok = HTTP.get(service.url + "/health")
    assert ok.status_code == 200
    log = wait_for_log(service, "went away", since=len(before))
    assert "Traceback" not in log
