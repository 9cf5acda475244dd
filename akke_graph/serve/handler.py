"""The front HTTP server: ``/sparql`` (read-only SPARQL 1.1 Protocol, proxied to Oxigraph),
``/health``, and the release folder as a linked-data site. One access-log line per request."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
import urllib.parse
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, TextIO

from akke_graph import __version__
from akke_graph.serve.conneg import negotiate
from akke_graph.serve.linked_data import Answer, ReleaseSite, text_answer
from akke_graph.serve.search import search_answer
from akke_graph.serve.upstream import Overrun, Unavailable, Upstream

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

MAX_BODY = 16 << 20
# Answers up to this size are read whole before the first byte goes out, so that a timeout can
# still become a clean 503; longer ones stream and are cut at the deadline.
BUFFER_LIMIT = 4 << 20
SPARQL_PATHS = ("/sparql", "/query")
QUERY_PAGE_ASSETS = ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
FORWARDED_REQUEST_HEADERS = ("Accept", "Content-Type")
FORWARDED_RESPONSE_HEADERS = ("Content-Type", "Content-Disposition")

READ_ONLY = ("this SPARQL endpoint is read-only: SPARQL Update is refused. The graph served is "
             "the validated project graph; change the files in data/ and restart the server, or "
             "load a writable store with akke-graph push.")


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


class FrontServer(ThreadingHTTPServer):
    """A threading HTTP server that knows its upstream, its release site and its log."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], upstream: Upstream, site: ReleaseSite,
                 timeout_s: float, log: TextIO, stats: Mapping[str, int]) -> None:
        self.upstream = upstream
        self.site = site
        self.timeout_s = timeout_s
        self.buffer_limit = BUFFER_LIMIT
        self.log = log
        self.stats = dict(stats)
        self.log_lock = threading.Lock()
        self.cache = AnswerCache()
        super().__init__(address, Handler)

    def write_log(self, line: str) -> None:
        with self.log_lock:
            try:
                self.log.write(line + "\n")
                self.log.flush()
            except (OSError, ValueError):  # a closed or broken log must not break serving
                pass


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
        super().handle_one_request()
        if self._status is not None:
            took = (time.perf_counter() - self._started) * 1000
            agent = self.headers.get("User-Agent", "-") if self.headers else "-"
            self.server.write_log(
                f'{self.client_address[0]} - - [{self.log_date_time_string()}] '
                f'"{self.requestline}" {self._status} {self._sent or "-"} "{agent}" {took:.1f}ms')

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self._status = int(code) if str(code).isdigit() else None

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        self.server.write_log(f"{self.client_address[0]} - - [{self.log_date_time_string()}] "
                              f"{format % args}")

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

    def _route(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path in SPARQL_PATHS:
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
            answer = self.server.site.answer(path, self.headers.get("Accept"),
                                             self.headers.get("Accept-Language"))
            self._send(answer, head=method == "HEAD")
        else:
            self._discard_body()
            self._send(text_answer(405, f"{method} is not allowed on {path}", Allow="GET, HEAD"))

    # --- SPARQL ----------------------------------------------------------------------------

    def _sparql(self, method: str, query_string: str) -> None:
        params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        if method == "GET" or method == "HEAD":
            if "update" in params:
                return self._send(text_answer(403, READ_ONLY))
            if "query" not in params:
                return self._query_page_or_description(head=method == "HEAD")
            return self._proxy("GET", "/query?" + query_string, None, self._forward_headers(),
                               head=method == "HEAD")
        body = self._read_body()
        if body is None:
            return None
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-update":
            return self._send(text_answer(403, READ_ONLY))
        if content_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form or "update" in params:
                return self._send(text_answer(403, READ_ONLY))
        elif content_type != "application/sparql-query":
            return self._send(text_answer(
                415, f"unsupported Content-Type {content_type or '(none)'}: POST a query as "
                     "application/sparql-query or as the form field query "
                     "(application/x-www-form-urlencoded)"))
        target = "/query" + ("?" + query_string if query_string else "")
        return self._proxy("POST", target, body, self._forward_headers())

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
               head: bool = False, rewrite_page: bool = False) -> None:
        key = (method, target, body, headers.get("Accept", ""), rewrite_page)
        cached = self.server.cache.get(key)
        if cached is not None:
            return self._send(cached, head=head)
        deadline = time.monotonic() + self.server.timeout_s
        try:
            reply = self.server.upstream.forward(method, target, headers, body, deadline,
                                                buffer_limit=self.server.buffer_limit)
        except Overrun:
            return self._send(text_answer(
                503, f"the query ran past the timeout of {self.server.timeout_s:g} s and was "
                     "stopped; simplify it or add a LIMIT", **{"Retry-After": "1"}))
        except Unavailable as exc:
            return self._send(text_answer(502, f"the SPARQL server is not available ({exc}); "
                                               "try again in a moment"))
        out = {h: reply.headers[h] for h in reply.headers if h.title() in FORWARDED_RESPONSE_HEADERS}
        payload = reply.body
        if rewrite_page:
            # The page derives its endpoint from its own URL (+ "/sparql"): point it at ours.
            payload = payload.replace(
                b"const url = window.location.href.endsWith('/') ? window.location.href.slice(0, -1)"
                b" : window.location.href;", b"const url = window.location.origin;")
        if reply.rest is None:
            answer = Answer(reply.status, out, payload)
            if reply.status == 200:
                self.server.cache.put(key, answer)
            return self._send(answer, head=head)
        self._stream(reply.status, out, payload, reply.rest, reply.close, head)
        return None

    def _stream(self, status: int, headers: dict[str, str], first: bytes,
                rest: Callable[[], bytes], close: Callable[[], None], head: bool) -> None:
        """A long answer goes out chunked; past the deadline the connection is cut, so the
        client sees an incomplete answer rather than a silently truncated one."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            chunk = first
            while chunk:
                if not head:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self._sent += len(chunk)
                chunk = rest()
            self.wfile.write(b"0\r\n\r\n")
        except (Overrun, OSError):
            self.close_connection = True
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
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            self._send(text_answer(411, "send the request with a Content-Length"))
            return None
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self.close_connection = True
            self._send(text_answer(413, f"request bodies are limited to {MAX_BODY >> 20} MiB"))
            return None
        return self.rfile.read(length) if length else b""

    def _discard_body(self) -> None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = 0
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)
        elif length:
            self.close_connection = True

    def _send(self, answer: Answer, head: bool = False) -> None:
        size = answer.file.stat().st_size if answer.file is not None else len(answer.body)
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if head:
            return
        if answer.file is not None:
            with answer.file.open("rb") as fh:
                shutil.copyfileobj(fh, self.wfile, 1 << 16)
        else:
            self.wfile.write(answer.body)
        self._sent = size
