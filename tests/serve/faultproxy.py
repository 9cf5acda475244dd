"""A small HTTP proxy on 127.0.0.1 that sits between ``push`` and a real store and misbehaves on
request: it answers 5xx itself, stalls, cuts the connection after half the body reached the
store, loses the store's answer after forwarding, stops listening (connection refused), or holds
a request until the test lets it through (so a test can look at the store at a known point)."""

from __future__ import annotations

import http.client
import queue
import threading
import time
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
        """A Graph Store upload: a PUT of one graph or a POST of a whole dataset."""
        return self.method in ("PUT", "POST") and self.target.startswith("/store")

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


@dataclass
class Fault:
    """``action`` for requests ``when`` matches, at most ``times`` times (None: always)."""

    action: str                       # an HTTP status ("503") | stall | cut | lose-answer | hold
    when: Callable[[Request], bool] = lambda r: True
    times: int | None = None
    hits: int = 0


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
                if action == "stall":
                    proxy._released.wait(proxy.stall_s)
                    self.close_connection = True
                    return
                held = None
                if action == "hold":   # then forwarded as it is
                    held = Held(request)
                    proxy.held.put(held)
                    while not (held.release.wait(0.5) or proxy._released.is_set()):
                        pass
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

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def refuse(self) -> None:
        """Stop listening: from now on every connection is refused."""
        self.close()

    def close(self) -> None:
        self._released.set()
        self.server.shutdown()
        self.server.server_close()
