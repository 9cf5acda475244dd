"""The front HTTP server: ``/sparql`` (read-only SPARQL 1.1 Protocol, proxied to Oxigraph),
``/health``, and the release folder as a linked-data site. One access-log line per request.

Every query is checked before Oxigraph sees it (:mod:`akke_graph.query.check`: size, nesting, SERVICE) and
sent to it in one shape, a form POST that names the dataset: the union of the graphs unless the
query or the request names its own. Every answer is parsed as it goes through
(:mod:`.answers`); only complete ones are cached, and one that fails half-way is an error, or a
cut connection once its head has gone out.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import traceback
import urllib.parse
from collections import OrderedDict
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, TextIO

import pyoxigraph as ox

from akke_graph import __version__
from akke_graph.serve.answers import (
    TSV,
    AnswerFormat,
    Incomplete,
    answer_content_type,
    answer_format,
    checked_whole,
    engine_picks_csv,
    failure_message,
    pass_checked,
)
from akke_graph.serve.conneg import negotiate, with_charset
from akke_graph.serve.cors import Cors
from akke_graph.serve.linked_data import (
    Answer,
    FromEngine,
    ReleaseSite,
    graph_query,
    text_answer,
)
from akke_graph.query.check import QueryRefused, check_query
from akke_graph.serve.search import search_answer
from akke_graph.serve.upstream import Overrun, Unavailable, Upstream

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

# A query is at most 512 KiB (akke_graph.query.check); its form encoding at most three times that.
MAX_BODY = 4 << 20
# Answers up to this size are read whole before the first byte goes out, so that a timeout or a
# failure can still become a clean error; longer ones stream and are cut.
BUFFER_LIMIT = 4 << 20
SPARQL_PATHS = ("/sparql", "/query")
QUERY_PAGE_ASSETS = ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
FORWARDED_REQUEST_HEADERS = ("Accept", "Content-Type")
FORWARDED_RESPONSE_HEADERS = ("Content-Type", "Content-Disposition")
FORM = "application/x-www-form-urlencoded"
CHUNK_LINE_LIMIT = 1024

READ_ONLY = ("this SPARQL endpoint is read-only: SPARQL Update is refused. The graph served is "
             "the validated project graph; change the files in data/ and restart the server, or "
             "load a writable store with akke-graph push.")
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class AnswerCache:
    """Complete 200 answers by request, least recently used out first. The served graph never
    changes while the server runs (it is rebuilt at start), so an answer never goes stale."""

    def __init__(self, max_bytes: int = 64 << 20, max_answer: int = 1 << 20) -> None:
        self.max_bytes, self.max_answer = max_bytes, max_answer
        self._answers: OrderedDict[tuple, Answer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: Answer) -> None:
        size = len(answer.body) + sum(len(str(k)) for k in key)
        if size > self.max_answer:
            return
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = answer
            self._bytes += size
            while self._bytes > self.max_bytes:
                old_key, old = self._answers.popitem(last=False)
                self._bytes -= len(old.body) + sum(len(str(k)) for k in old_key)

    def __len__(self) -> int:
        return len(self._answers)


class FrontServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its upstream, its release site and its log."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], upstream: Upstream, site: ReleaseSite,
                 timeout_s: float, log: TextIO, stats: Mapping[str, int], *,
                 cors: Cors | None = None, allowed_services: Sequence[str] = ()) -> None:
        self.upstream = upstream
        self.site = site
        self.timeout_s = timeout_s
        self.buffer_limit = BUFFER_LIMIT
        self.log = log
        self.stats = dict(stats)
        self.cors = cors or Cors()
        self.allowed_services = tuple(allowed_services)
        self.log_lock = threading.Lock()
        self.cache = AnswerCache()
        super().__init__(address, Handler)
        site.graph_triples = self.graph_triples

    def write_log(self, line: str) -> None:
        with self.log_lock:
            try:
                self.log.write(line + "\n")
                self.log.flush()
            except (OSError, ValueError):  # a closed or broken log must not break serving
                pass

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """One line for a client that went away; the traceback of anything else, in the log."""
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, CLIENT_GONE + (TimeoutError,)):
            self.write_log(f"{client_address[0]} - - the client went away ({type(exc).__name__})")
        else:
            self.write_log(f"{client_address[0]} - - error while answering: "
                           + "".join(traceback.format_exception(exc)).rstrip())

    def graph_triples(self, graph: str, limit: int) -> list[ox.Triple]:
        """Up to ``limit`` triples of a named graph, asked of the engine."""
        body = urllib.parse.urlencode([("query", graph_query(graph, limit))]).encode()
        try:
            status, data = self.upstream.forward_whole(
                "POST", "/query", {"Accept": "application/n-triples", "Content-Type": FORM},
                body, time.monotonic() + self.timeout_s)
        except Overrun:
            raise Unavailable("the graph's triples took longer than the timeout") from None
        if status != 200:
            raise Unavailable(f"the engine answered {status}")
        try:
            return [ox.Triple(q.subject, q.predicate, q.object)
                    for q in ox.parse(data, ox.RdfFormat.N_TRIPLES)]
        except SyntaxError as exc:
            raise Unavailable(f"the engine's answer was cut: {exc}") from None


class Handler(BaseHTTPRequestHandler):
    server: FrontServer
    protocol_version = "HTTP/1.1"
    server_version = f"akke-graph/{__version__}"
    timeout = 60  # an idle keep-alive connection is closed after this many seconds

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # --- logging ---------------------------------------------------------------------------

    def handle_one_request(self) -> None:
        self._started = time.perf_counter()
        self._status: int | None = None
        self._sent = 0
        self._vary: tuple[str, ...] = ()
        self._note = ""
        try:
            super().handle_one_request()
        except CLIENT_GONE as exc:
            self.close_connection = True
            self._note = f"the client went away ({type(exc).__name__})"
            self._status = self._status or 0
        if self._status is not None:
            took = (time.perf_counter() - self._started) * 1000
            headers = getattr(self, "headers", None)
            agent = headers.get("User-Agent", "-") if headers else "-"
            line = self.requestline if len(self.requestline) <= 2000 else \
                self.requestline[:2000] + "…"
            self.server.write_log(
                f'{self.client_address[0]} - - [{self.log_date_time_string()}] '
                f'"{line}" {self._status or "-"} {self._sent or "-"} "{agent}" {took:.1f}ms'
                + (f" {self._note}" if self._note else ""))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self._status = int(code) if str(code).isdigit() else None

    def log_message(self, format: str, *args: object) -> None:
        self.server.write_log(f"{self.client_address[0]} - - [{self.log_date_time_string()}] "
                              f"{format % args}")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own refusals (a request line over 64 KiB, too many headers,
        an unknown method, a malformed request), as plain text like every other error."""
        texts = {
            414: "the request line is longer than 64 KiB: send a long query in the body of a POST",
            431: "the request's header lines are too long or too many",
            501: f"the method {self.command or '?'} is not supported here: use GET, HEAD, POST "
                 "or OPTIONS",
        }
        text = texts.get(code) or f"{HTTPStatus(code).phrase}: {message or explain or 'bad request'}"
        self.close_connection = True
        if self.request_version == "HTTP/0.9":   # a malformed request line: answer in HTTP/1.1
            self.request_version = "HTTP/1.1"
        self._send(text_answer(code, text, Connection="close"), head=self.command == "HEAD")

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if self.request_version == "HTTP/0.9":
            self.send_error(400, "HTTP/0.9 is not supported: send an HTTP/1.x request")
            return False
        return True

    # --- methods ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._route("GET")

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_POST(self) -> None:
        self._route("POST")

    def do_PUT(self) -> None:
        self._refuse_write()

    def do_DELETE(self) -> None:
        self._refuse_write()

    def do_PATCH(self) -> None:
        self._refuse_write()

    def do_OPTIONS(self) -> None:
        """``Allow``, and the answer to a CORS preflight: reads only, no credentials."""
        self._discard_body()
        path = urllib.parse.urlsplit(self.path).path
        methods = "GET, HEAD, POST, OPTIONS" if path in SPARQL_PATHS else "GET, HEAD, OPTIONS"
        headers = {"Allow": methods}
        if self.headers.get("Access-Control-Request-Method"):
            headers.update(self.server.cors.preflight(self.headers.get("Origin"), methods))
        self._send(Answer(204, headers))

    def _route(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path in SPARQL_PATHS:
            self._vary = ("Accept",)
            self._sparql(method, url.query)
        elif path in ("/update", "/store") or path.startswith("/store/"):
            self._refuse_write()
        elif path == "/health":
            self._health(method)
        elif path == "/search" and method in ("GET", "HEAD"):
            self._send(search_answer(self.server.site.root, url.query), head=method == "HEAD")
        elif path in QUERY_PAGE_ASSETS and method in ("GET", "HEAD"):
            self._proxy("GET", path, None, {}, head=method == "HEAD")
        elif method in ("GET", "HEAD"):
            try:
                answer = self.server.site.answer(path, self.headers.get("Accept"),
                                                 self.headers.get("Accept-Language"))
            except Unavailable as exc:
                answer = text_answer(502, f"the SPARQL server is not available ({exc}); "
                                          "try again in a moment")
            if isinstance(answer, FromEngine):
                self._engine([("query", answer.query)], answer.accept, method == "HEAD")
            else:
                self._send(answer, head=method == "HEAD")
        else:
            self._discard_body()
            self._send(text_answer(405, f"{method} is not allowed on {path}",
                                   Allow="GET, HEAD, OPTIONS"))

    # --- SPARQL ----------------------------------------------------------------------------

    def _sparql(self, method: str, query_string: str) -> None:
        try:
            params = _fields(query_string)
        except UnicodeDecodeError:
            return self._send(text_answer(400, "the request's parameters are not UTF-8"))
        if method == "GET" or method == "HEAD":
            if _has(params, "update"):
                return self._send(text_answer(403, READ_ONLY))
            if not _has(params, "query"):
                return self._query_page_or_description(head=method == "HEAD")
            return self._query(params, head=method == "HEAD")
        body = self._read_body()
        if body is None:
            return None
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            return self._send(text_answer(403, READ_ONLY))
        try:
            if content_type == FORM:
                form = _fields(body.decode("utf-8"))
                if _has(form, "update") or _has(params, "update"):
                    return self._send(text_answer(403, READ_ONLY))
                if _has(form, "query") and _has(params, "query"):
                    return self._send(text_answer(
                        400, "the query is given both in the URL and in the body: give it once"))
                return self._query(params + form)
            if content_type == "application/sparql-query":
                if _has(params, "query"):
                    return self._send(text_answer(
                        400, "the query is given both in the URL and in the body: give it once"))
                return self._query(params + [("query", body.decode("utf-8"))])
        except UnicodeDecodeError:
            return self._send(text_answer(400, "the query is not UTF-8 text"))
        return self._send(text_answer(
            415, f"unsupported Content-Type {content_type or '(none)'}: POST a query as "
                 "application/sparql-query or as the form field query "
                 "(application/x-www-form-urlencoded)"))

    def _query(self, params: list[tuple[str, str]], head: bool = False) -> None:
        """Check the query, name its dataset, and ask the engine."""
        queries = [v for k, v in params if k == "query"]
        if len(queries) != 1:
            return self._send(text_answer(400, f"give one query, not {len(queries)}"), head=head)
        try:
            facts = check_query(queries[0], self.server.allowed_services)
        except QueryRefused as exc:
            return self._send(text_answer(400, f"the query is refused: {exc}"), head=head)
        dataset = [(k, v) for k, v in params if k in ("default-graph-uri", "named-graph-uri")]
        fields = [("query", queries[0]), *dataset]
        if not dataset and not facts.has_dataset:
            fields.append(("union-default-graph", "true"))
        accept = self.headers.get("Accept", "")
        to_csv = facts.form in ("SELECT", "ASK") and engine_picks_csv(accept)
        # what a remote endpoint answers may change: only answers of this graph alone are kept
        return self._engine(fields, TSV if to_csv else accept, head, to_csv,
                            cache=not facts.services)

    def _engine(self, fields: list[tuple[str, str]], accept: str, head: bool,
                to_csv: bool = False, cache: bool = True) -> None:
        headers = {"Content-Type": FORM, **({"Accept": accept} if accept else {})}
        body = urllib.parse.urlencode(fields).encode("utf-8")
        self._proxy("POST", "/query", body, headers, head=head, check=True, to_csv=to_csv,
                    cache=cache)

    def _query_page_or_description(self, head: bool) -> None:
        """People get Oxigraph's query page (pointed at /sparql); programs the service
        description."""
        wants = negotiate(self.headers.get("Accept"), ["text/html", "text/turtle",
                                                       "application/rdf+xml", "application/n-triples"])
        if wants == "text/html":
            return self._proxy("GET", "/", None, {}, head=head, rewrite_page=True)
        return self._proxy("GET", "/query", None, self._forward_headers(), head=head)

    def _forward_headers(self) -> dict[str, str]:
        return {h: self.headers[h] for h in FORWARDED_REQUEST_HEADERS if self.headers.get(h)}

    def _proxy(self, method: str, target: str, body: bytes | None, headers: dict[str, str],
               head: bool = False, rewrite_page: bool = False, check: bool = False,
               to_csv: bool = False, cache: bool = True) -> None:
        key = (method, target, body, headers.get("Accept", ""), rewrite_page, to_csv)
        cached = self.server.cache.get(key) if cache else None
        if cached is not None:
            return self._send(cached, head=head)
        deadline = time.monotonic() + self.server.timeout_s
        try:
            reply = self.server.upstream.forward(method, target, headers, body, deadline,
                                                buffer_limit=self.server.buffer_limit)
        except Overrun:
            return self._send(text_answer(
                503, f"the query ran past the timeout of {self.server.timeout_s:g} s and was "
                     "stopped; simplify it or add a LIMIT", **{"Retry-After": "1"}), head=head)
        except Unavailable as exc:
            return self._send(text_answer(502, f"the SPARQL server is not available ({exc}); "
                                               "try again in a moment"), head=head)
        out = {h.title(): reply.headers[h] for h in reply.headers
               if h.title() in FORWARDED_RESPONSE_HEADERS}
        if "Content-Type" in out:
            out["Content-Type"] = with_charset(out["Content-Type"])
        fmt = answer_format(out.get("Content-Type")) if check and reply.status == 200 else None
        if fmt is not None:
            out["Content-Type"] = answer_content_type(fmt, out.get("Content-Type", ""), to_csv)
        payload = reply.body
        if rewrite_page:
            # The page derives its endpoint from its own URL (+ "/sparql"): point it at ours.
            payload = payload.replace(
                b"const url = window.location.href.endsWith('/') ? window.location.href.slice(0, -1)"
                b" : window.location.href;", b"const url = window.location.origin;")
        if reply.rest is None:
            if fmt is not None:
                try:
                    payload = checked_whole(fmt, payload, to_csv)
                except Incomplete as exc:
                    self._note = "the engine failed while answering"
                    return self._send(text_answer(502, failure_message(reply.body, str(exc))),
                                      head=head)
            answer = Answer(reply.status, out, payload)
            if cache and reply.status == 200 and (fmt is not None or not check):
                self.server.cache.put(key, answer)
            return self._send(answer, head=head)
        self._stream(reply.status, out, payload, reply.rest, reply.close, head, fmt, to_csv)
        return None

    def _stream(self, status: int, headers: dict[str, str], first: bytes,
                rest: Callable[[], bytes], close: Callable[[], None], head: bool,
                fmt: AnswerFormat | None, to_csv: bool) -> None:
        """A long answer goes out chunked and is parsed as it goes; if it ends in an error or
        past the deadline, the connection is cut, so the client sees an incomplete answer
        rather than a silently short one."""
        self.send_response(status)
        for name, value in self._headers(headers).items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if head:
            close()
            return
        out = _ChunkedWriter(self)
        try:
            if fmt is not None:
                pass_checked(fmt, first, rest, out.write, to_csv)
            else:
                chunk = first
                while chunk:
                    out.write(chunk)
                    chunk = rest()
            out.finish()
        except Incomplete as exc:
            self.close_connection = True
            self._note = f"answer cut: the engine failed while producing it ({str(exc)[:200]})"
        except Overrun:
            self.close_connection = True
            self._note = "answer cut at the timeout"
        except OSError:
            self.close_connection = True
            self._note = "the client went away"
        finally:
            close()

    # --- health, refusals, plumbing --------------------------------------------------------

    def _health(self, method: str) -> None:
        upstream = self.server.upstream
        try:
            reply = upstream.forward("GET", "/query?query=ASK%7B%7D",
                                     {"Accept": "application/sparql-results+json"}, None,
                                     time.monotonic() + 5.0)
            ok = reply.status == 200
        except (Overrun, Unavailable):
            ok = False
        doc = {"status": "ok" if ok else "unavailable", "sparql": "/sparql",
               "release": str(self.server.site.root) if self.server.site.root else None,
               "timeout_s": self.server.timeout_s, **self.server.stats}
        body = json.dumps(doc, indent=1).encode() + b"\n"
        self._send(Answer(200 if ok else 503, {"Content-Type": "application/json",
                                               "Cache-Control": "no-store"}, body),
                   head=method == "HEAD")

    def _refuse_write(self) -> None:
        self._discard_body()
        self._send(text_answer(403, READ_ONLY))

    def _read_body(self) -> bytes | None:
        """The request body (length-delimited or chunked), or None once an error is sent."""
        coding = self.headers.get("Transfer-Encoding")
        if coding is not None:
            if self.headers.get("Content-Length") is not None:
                return self._refuse_body(400, "a request cannot have both Content-Length and "
                                              "Transfer-Encoding")
            if [c.strip().lower() for c in coding.split(",")] != ["chunked"]:
                return self._refuse_body(501, f"the transfer coding {coding!r} is not "
                                              "supported: send the body chunked or with a "
                                              "Content-Length")
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            return self._refuse_body(400, "the Content-Length is not a number")
        if length < 0 or length > MAX_BODY:
            return self._refuse_body(413, f"request bodies are limited to {MAX_BODY >> 20} MiB")
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise ConnectionResetError("the body ended early")
        return body

    def _read_chunked(self) -> bytes | None:
        parts: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(CHUNK_LINE_LIMIT + 1)
            if not line.endswith(b"\n") or len(line) > CHUNK_LINE_LIMIT:
                if not line:
                    raise ConnectionResetError("the body ended early")
                return self._refuse_body(400, "malformed chunked body (a chunk size line)")
            try:
                length = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                return self._refuse_body(400, "malformed chunked body (a chunk size)")
            if length < 0:
                return self._refuse_body(400, "malformed chunked body (a chunk size)")
            if length == 0:
                for _ in range(100):       # trailer fields, up to the empty line
                    trailer = self.rfile.readline(CHUNK_LINE_LIMIT + 1)
                    if trailer in (b"\r\n", b"\n", b""):
                        return b"".join(parts)
                return self._refuse_body(400, "malformed chunked body (too many trailers)")
            size += length
            if size > MAX_BODY:
                return self._refuse_body(413, f"request bodies are limited to {MAX_BODY >> 20} MiB")
            data = self.rfile.read(length)
            if len(data) < length:
                raise ConnectionResetError("the body ended early")
            parts.append(data)
            if self.rfile.readline(3) not in (b"\r\n", b"\n"):
                return self._refuse_body(400, "malformed chunked body (no line end after a chunk)")

    def _refuse_body(self, status: int, message: str) -> bytes | None:
        """Refuse a request for its body: the answer is sent, and no body comes back."""
        self.close_connection = True
        self._send(text_answer(status, message, Connection="close"))
        return None

    def _discard_body(self) -> None:
        if self.headers.get("Transfer-Encoding") is not None:
            self.close_connection = True
            return
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = 0
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)
        elif length:
            self.close_connection = True

    def _headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """An answer's headers with ``Vary`` and the CORS headers of this request added."""
        out = dict(headers)
        request = getattr(self, "headers", None)
        cors = self.server.cors.headers(request.get("Origin") if request else None)
        vary = [v.strip() for v in out.get("Vary", "").split(",") if v.strip()]
        for name in (*self._vary, *cors.pop("Vary", "").split(",")):
            if name and name not in vary:
                vary.append(name)
        out.update(cors)
        if vary:
            out["Vary"] = ", ".join(vary)
        return out

    def _send(self, answer: Answer, head: bool = False) -> None:
        size = answer.file.stat().st_size if answer.file is not None else len(answer.body)
        self.send_response(answer.status)
        for name, value in self._headers(answer.headers).items():
            self.send_header(name, value)
        if answer.status not in (204, 304):
            self.send_header("Content-Length", str(size))
        self.end_headers()
        if head or answer.status in (204, 304):
            return
        if answer.file is not None:
            with answer.file.open("rb") as fh:
                shutil.copyfileobj(fh, self.wfile, 1 << 16)
        else:
            self.wfile.write(answer.body)
        self._sent = size


class _ChunkedWriter:
    """Writes an answer in HTTP/1.1 chunks: a chunk as it comes, small writes (a CSV row each)
    gathered into chunks of 64 KiB."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.buffer = bytearray()

    def write(self, data: bytes) -> None:
        self.buffer += data
        if len(self.buffer) >= 1 << 16 or len(data) >= 4096:
            self._flush()

    def _flush(self) -> None:
        if self.buffer:
            self.handler.wfile.write(b"%x\r\n%s\r\n" % (len(self.buffer), bytes(self.buffer)))
            self.handler._sent += len(self.buffer)
            self.buffer.clear()

    def finish(self) -> None:
        self._flush()
        self.handler.wfile.write(b"0\r\n\r\n")


def _fields(encoded: str) -> list[tuple[str, str]]:
    """Form or URL fields in order, strictly UTF-8."""
    return urllib.parse.parse_qsl(encoded, keep_blank_values=True, errors="strict")


def _has(fields: list[tuple[str, str]], name: str) -> bool:
    return any(k == name for k, _ in fields)
