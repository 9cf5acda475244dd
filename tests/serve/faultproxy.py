"""A small HTTP proxy on 127.0.0.1 that sits between ``push`` and a real store and misbehaves on
request: it answers 5xx itself, stalls, cuts the connection after half the body reached the
store, loses the store's answer after forwarding, stops listening (connection refused), or holds
a request until the test lets it through or throws it away (so a test can look at the store, or
kill the client, at a known point)."""

from __future__ import annotations

import http.client
import queue
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "proxy-authenticate", "content-length", "host"}


@dataclass
class Request:
    method: str
    target: str
    body: bytes

    @property
    def is_put(self) -> bool:
        return self.method == "PUT"

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def is_upload(self) -> bool:
        """A Graph Store upload: a PUT of one graph or a POST of a whole dataset (Oxigraph's
        /store, Virtuoso's /sparql-graph-crud)."""
        return self.method in ("PUT", "POST") and self.target.startswith(("/store", "/sparql-graph-crud"))

    @property
    def query(self) -> str | None:
        """The SPARQL query of a form-encoded query request, else None."""
        if self.method != "POST" or not self.body.startswith(b"query="):
            return None
        return urllib.parse.parse_qs(self.text).get("query", [""])[0]

    @property
    def kind(self) -> str:
        """What the request does in a push: find-leftovers, drop-leftovers, ask, count (before or
        after), read (a delta's read), check (the temporary graphs' counts), exists (which are
        still there), upload (GSP), insert (SPARQL Update into temporary graphs), move, delta,
        or other."""
        temporary = "urn:akke-graph:push:"
        query = self.query
        if query is not None:
            if "STRSTARTS" in query and temporary in query:
                return "find-leftovers"
            if query.lstrip().startswith("ASK"):
                return "ask"
            if "SELECT ?g ?s ?p ?o" in query:
                return "read"
            if "FILTER EXISTS" in query:
                return "exists"
            if "COUNT(*)" in query:
                return "check" if temporary in query else "count"
            return "other"
        if self.is_upload:
            return "upload"
        text = self.text.lstrip()
        if self.method != "POST":
            return "other"
        if text.startswith("MOVE"):
            return "move"
        if text.startswith("DROP SILENT GRAPH <" + temporary) and "INSERT" not in text:
            return "drop-leftovers"
        if text.startswith("INSERT") and temporary in text:
            return "insert"
        if self.is_delta:
            return "delta"
        return "other"

    @property
    def is_move(self) -> bool:
        return self.method == "POST" and self.text.lstrip().startswith("MOVE")

    @property
    def is_insert(self) -> bool:
        return self.method == "POST" and self.text.lstrip().startswith("INSERT")

    @property
    def is_delta(self) -> bool:
        """The one update that sends only the change (no temporary graphs in it)."""
        text = self.text
        return (self.method == "POST" and ("DELETE DATA" in text or "INSERT DATA" in text)
                and "urn:akke-graph:push:" not in text)

    @property
    def is_read(self) -> bool:
        """The query that reads every triple of the target graphs before a delta."""
        return self.method == "POST" and "SELECT+%3Fg+%3Fs+%3Fp+%3Fo" in self.text


@dataclass
class Held:
    """A request the proxy holds: it goes on to the store when ``release`` is set, and
    ``answered`` is set once the store's answer is back (the store has done the work)."""

    request: Request
    release: threading.Event = field(default_factory=threading.Event)
    answered: threading.Event = field(default_factory=threading.Event)
    discarded: bool = False

    def discard(self) -> None:
        """Throw the request away: it never reaches the store, the connection is closed."""
        self.discarded = True
        self.release.set()


@dataclass
class Fault:
    """``action`` for requests ``when`` matches, at most ``times`` times (None: always)."""

    action: str            # an HTTP status ("503") | stall | cut | lose-answer | hold | answer | cut-answer
    when: Callable[[Request], bool] = lambda r: True
    times: int | None = None
    hits: int = 0
    answer: tuple[int, str, bytes] = (200, "text/plain", b"")   # "answer": status, type, body


@dataclass
class FaultProxy:
    upstream_host: str
    upstream_port: int
    stall_s: float = 30.0
    server_name: str | None = None    # None: pass the store's Server header on, unchanged
    faults: list[Fault] = field(default_factory=list)
    seen: list[Request] = field(default_factory=list)
    held: "queue.Queue[Held]" = field(default_factory=queue.Queue)

    def __post_init__(self) -> None:
        self.upstream_server = "FaultProxy"
        self.discarding = False           # set: every held request is thrown away
        self.holding_stopped = False      # set: "hold" faults no longer hold new requests
        self._released = threading.Event()
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def version_string(self) -> str:
                return proxy.server_name or proxy.upstream_server


            def _any(self) -> None:
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self.command, self.path, body)
                proxy.seen.append(request)
                fault = proxy._match(request)
                action = fault.action if fault else "forward"
                if action.isdigit():
                    payload = f"injected fault: HTTP {action}".encode()
                    self.send_response(int(action))
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if action in ("answer", "cut-answer"):   # the proxy answers in the store's place
                    status, content_type, payload = fault.answer if fault else (200, "", b"")
                    self.send_response(status)
                    if content_type:
                        self.send_header("Content-Type", content_type)
                    length = len(payload) * (2 if action == "cut-answer" else 1)
                    self.send_header("Content-Length", str(length))
                    self.end_headers()
                    self.wfile.write(payload)   # "cut-answer": half of what was announced
                    self.close_connection = True
                    return
                if action == "stall":
                    proxy._released.wait(proxy.stall_s)
                    self.close_connection = True
                    return
                held = None
                if action == "hold" and not proxy.holding_stopped:   # then forwarded as it is
                    held = Held(request)
                    proxy.held.put(held)
                    while not (held.release.wait(0.5) or proxy._released.is_set()):
                        pass
                    if held.discarded or proxy.discarding:
                        held.discarded = True
                        held.answered.set()
                        self.close_connection = True
                        return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port,
                                                      timeout=60)
                try:
                    if action == "cut":
                        upstream.putrequest(self.command, self.path, skip_accept_encoding=True)
                        for k, v in headers.items():
                            upstream.putheader(k, v)
                        upstream.putheader("Content-Length", str(len(body)))
                        upstream.endheaders()
                        upstream.send(body[: len(body) // 2])
                        time.sleep(0.2)
                        self.close_connection = True
                        return
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    payload = response.read()
                    proxy.upstream_server = response.getheader("Server") or proxy.upstream_server
                    if action == "lose-answer":
                        self.close_connection = True
                        return
                    self.send_response(response.status, response.reason)
                    for k, v in response.getheaders():
                        if k.lower() not in HOP_BY_HOP and k.lower() not in ("server", "date"):
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                finally:
                    upstream.close()
                    if held is not None:
                        held.answered.set()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _match(self, request: Request) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if (fault.times is None or fault.hits < fault.times) and fault.when(request):
                    fault.hits += 1
                    return fault
        return None

    def stop_holding(self) -> None:
        """From now on, requests are forwarded at once (those already held stay held)."""
        self.holding_stopped = True

    def discard_all(self) -> None:
        """Throw away every request held now or later (a killed client's)."""
        self.discarding = True
        self._released.set()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def refuse(self) -> None:
        """Stop listening: from now on every connection is refused."""
        self.close()

    def close(self) -> None:
        self._released.set()
        self.server.shutdown()
        self.server.server_close()
