"""The Oxigraph server behind ``/sparql``, and forwarding requests to it within a deadline.

Oxigraph 0.5 does not reliably stop a query that runs past ``--timeout-s`` (a sort or an
aggregate over a large join keeps a core busy after the client has gone). So when a query
overruns, the process that runs it is replaced: a fresh ``oxigraph serve-read-only`` on the same
store takes new queries at once, and the old one is stopped by its PID once every query it may
still serve has had its own full timeout. Every process is stopped on shutdown: no orphans.

The server runs without ``--union-default-graph``: that flag overrides a query's own ``FROM``, so
the front server asks for the union per query, only when the query names no dataset. Its threads
get 64 MiB stacks (``RUST_MIN_STACK``), 32 times the default, as a margin behind the nesting limit
of :mod:`akke_graph.query.check`; the stacks are reserved, not used, until a query needs them.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from akke_graph.oxigraph_server import OxigraphServer

STACK_BYTES = 64 << 20


class Overrun(Exception):
    """The upstream did not finish within the deadline."""


class Unavailable(Exception):
    """The upstream cannot be reached."""


@dataclass
class Reply:
    """A complete upstream answer, or the head of a long one still streaming from ``rest``."""

    status: int
    headers: dict[str, str]
    body: bytes
    rest: Callable[[], bytes] | None = None
    close: Callable[[], None] = lambda: None


class Upstream:
    """Owns the Oxigraph process(es) serving one store folder."""

    def __init__(self, location: Path, timeout_s: float, *, host: str = "127.0.0.1",
                 grace_s: float | None = None, log: Callable[[str], None] = lambda _m: None) -> None:
        self.location = location
        self.timeout_s = timeout_s
        # how long a replaced process keeps running: by default every query it may still serve
        # gets its own full timeout
        self.grace_s = timeout_s + 1.0 if grace_s is None else grace_s
        self.host = host
        self.log = log
        self._lock = threading.Lock()
        self._current: OxigraphServer | None = None
        self._retiring: dict[int, threading.Timer] = {}
        self._retired: list[OxigraphServer] = []
        self._closed = False

    def _spawn(self) -> OxigraphServer:
        server = OxigraphServer(location=self.location, host=self.host, read_only=True,
                                timeout_s=self.timeout_s, union_default_graph=False,
                                env={"RUST_MIN_STACK": str(STACK_BYTES)}).start()
        threading.Thread(target=self._drain, args=(server,), daemon=True,
                         name=f"oxigraph-{server.pid}-stderr").start()
        return server

    def _drain(self, server: OxigraphServer) -> None:
        """Log what the server writes to its stderr (an error met while streaming an answer),
        one line each; unread, the pipe would fill and stall the server."""
        process = server.process
        stream = process.stderr if process is not None else None
        if stream is None:
            return
        try:
            for line in stream:
                text = line.decode("utf-8", "replace").strip()
                if text:
                    self.log(f"Oxigraph pid {server.pid}: {text[:500]}")
        except (OSError, ValueError):   # closed when the server is stopped
            pass

    def start(self) -> "Upstream":
        self._current = self._spawn()
        return self

    @property
    def current(self) -> OxigraphServer:
        server = self._current
        if server is None:
            raise Unavailable("the SPARQL server is not running")
        return server

    def replace(self, server: OxigraphServer, reason: str) -> None:
        """Swap in a fresh process if ``server`` is still the current one; retire the old one."""
        with self._lock:
            if self._closed or server is not self._current:
                return
            try:
                fresh = self._spawn()
            except Exception as exc:  # keep serving with the old one rather than with none
                self.log(f"could not start a replacement SPARQL server: {exc}")
                return
            self._current = fresh
            self._retired.append(server)
            timer = threading.Timer(self.grace_s, self._retire, args=(server,))
            timer.daemon = True
            self._retiring[id(server)] = timer
            timer.start()
        self.log(f"{reason}: Oxigraph pid {server.pid} replaced by pid {fresh.pid}")

    def ensure_alive(self) -> None:
        """Restart the current process if it has died."""
        server = self._current
        if server is not None and server.process is not None and server.process.poll() is not None:
            self.replace(server, "the SPARQL server exited")

    def _retire(self, server: OxigraphServer) -> None:
        server.stop()
        with self._lock:
            self._retiring.pop(id(server), None)
            if server in self._retired:
                self._retired.remove(server)

    def close(self) -> None:
        """Stop every process this upstream started, and wait for each."""
        with self._lock:
            self._closed = True
            servers = [s for s in (self._current, *self._retired) if s is not None]
            for timer in self._retiring.values():
                timer.cancel()
            self._retiring.clear()
            self._retired.clear()
            self._current = None
        for server in servers:
            server.stop()

    def forward(self, method: str, target: str, headers: Mapping[str, str], body: bytes | None,
                deadline: float, buffer_limit: int = 4 << 20) -> Reply:
        """Send a request and read the answer before ``deadline``. Answers up to
        ``buffer_limit`` bytes are read whole (so a timeout can still become a clean 503);
        longer ones return their head and a ``rest`` reader that raises :class:`Overrun` when
        the deadline passes mid-stream."""
        server = self.current
        remaining = deadline - time.monotonic()
        conn = http.client.HTTPConnection(server.host, server.port, timeout=max(0.01, remaining))
        try:
            conn.request(method, target, body=body, headers=dict(headers))
            response = conn.getresponse()
            parts: list[bytes] = []
            size = 0
            while size <= buffer_limit:
                _set_timeout(conn, deadline)
                chunk = response.read1(65536) if hasattr(response, "read1") else response.read(65536)
                if not chunk:
                    conn.close()
                    return Reply(response.status, dict(response.getheaders()), b"".join(parts))
                parts.append(chunk)
                size += len(chunk)
        except (socket.timeout, TimeoutError):
            conn.close()
            self.replace(server, "a query ran past the timeout")
            raise Overrun() from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            conn.close()
            self.ensure_alive()
            raise Unavailable(str(exc) or type(exc).__name__) from None

        def rest() -> bytes:
            try:
                _set_timeout(conn, deadline)
                return response.read1(65536)
            except (socket.timeout, TimeoutError):
                conn.close()
                self.replace(server, "a query ran past the timeout")
                raise Overrun() from None

        return Reply(response.status, dict(response.getheaders()), b"".join(parts), rest, conn.close)


    def forward_whole(self, method: str, target: str, headers: Mapping[str, str],
                      body: bytes | None, deadline: float) -> tuple[int, bytes]:
        """Status and whole body of an answer the caller needs whole (read to its end)."""
        reply = self.forward(method, target, headers, body, deadline, buffer_limit=64 << 20)
        if reply.rest is None:
            return reply.status, reply.body
        parts = [reply.body]
        try:
            while chunk := reply.rest():
                parts.append(chunk)
        finally:
            reply.close()
        return reply.status, b"".join(parts)

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs the store holds."""
        query = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"})
        status, body = self.forward_whole("GET", "/query?" + query,
                                          {"Accept": "application/sparql-results+json"}, None,
                                          time.monotonic() + max(self.timeout_s, 30.0))
        if status != 200:
            raise Unavailable(f"the SPARQL server answered {status} to a list of its graphs")
        rows = json.loads(body)["results"]["bindings"]
        return [row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"]


def _set_timeout(conn: http.client.HTTPConnection, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError()
    if conn.sock is not None:
        conn.sock.settimeout(remaining)
