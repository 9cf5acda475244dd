"""A timeout that bounds one whole request — connecting, sending and the whole answer — rather
than each wait for bytes: a server that trickles a byte a second never lets a per-read timeout
fire, and would hold the request for ever.

:func:`deadline` sets, for the calling thread, the moment the request must be over; every socket
operation of the two clients is then given at most the time left, and one that would start after
the moment fails at once as a timeout. The clients reach their sockets in two places, adapted
here: httpx through httpcore's network backend (:func:`bound_httpx`), SPARQLWrapper through
urllib's connections (:data:`OPENER`). The deadline is per thread, so requests sent at once from
several threads of one client (sharing its pool) each keep their own. Name resolution is not
bounded (the resolver blocks in C): give stores by address where that matters.
"""

from __future__ import annotations

import http.client
import io
import socket
import threading
import time
import urllib.request
from contextlib import contextmanager
from typing import Any, Iterable, Iterator

import httpcore
import httpx

_CHUNK = 64 * 1024   # a write is cut into pieces, each given the time left
_local = threading.local()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within the block, this thread's requests end ``seconds`` from now at the latest."""
    previous = getattr(_local, "at", None)
    _local.at = time.monotonic() + seconds
    try:
        yield
    finally:
        _local.at = previous


def time_left(timeout: float | None, expired: type[Exception]) -> float | None:
    """``timeout`` cut to the time this thread's request has left; ``expired`` raised when none
    is left (never 0, which would make a socket non-blocking instead of timing out)."""
    at = getattr(_local, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise expired("the whole request took longer than its timeout")
    return left if timeout is None else min(timeout, left)


# --- httpx: httpcore's network backend --------------------------------------------------------

class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, time_left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        view = memoryview(buffer)
        for start in range(0, len(view), _CHUNK):
            self.inner.write(bytes(view[start:start + _CHUNK]),
                             time_left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _Stream(self.inner.start_tls(ssl_context, server_hostname,
                                            time_left(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self.inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _Stream(self.inner.connect_tcp(host, port, time_left(timeout, httpcore.ConnectTimeout),
                                              local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        return _Stream(self.inner.connect_unix_socket(
            path, time_left(timeout, httpcore.ConnectTimeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


def bound_httpx(client: httpx.Client) -> httpx.Client:
    """``client`` with every connection of its pools (its own and any proxy's) under
    :func:`deadline`. httpx has no public hook for this: the pools' backends are swapped before
    the first connection, and a version of httpx that moved them is refused here, loudly."""
    transports = [client._transport, *client._mounts.values()]
    pools = [getattr(t, "_pool", None) for t in transports if t is not None]
    bound = 0
    for pool in pools:
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.NetworkBackend):
            if not isinstance(backend, _Backend):
                pool._network_backend = _Backend(backend)   # type: ignore[union-attr]
            bound += 1
    if not bound:
        raise RuntimeError("akke_graph.sparql_http.deadline cannot reach httpx's connection pool "
                           f"(httpx {httpx.__version__}): whole-request timeouts need updating")
    return client


# --- SPARQLWrapper: urllib's connections ------------------------------------------------------

class _Socket:
    """A connected socket whose every wait is cut to the time the request has left (what
    http.client calls on it: ``sendall``, ``makefile("rb")`` and, through that, ``recv_into``;
    the rest passes through)."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self._sock.settimeout(time_left(self._sock.gettimeout(), socket.timeout))
        return self._sock.recv_into(buffer, nbytes, flags)

    def sendall(self, data: Any, flags: int = 0) -> None:
        view = memoryview(data).cast("B")
        while view:
            self._sock.settimeout(time_left(self._sock.gettimeout(), socket.timeout))
            sent = self._sock.send(view[:_CHUNK], flags)
            view = view[sent:]

    def makefile(self, mode: str = "rb", buffering: int | None = None, **_: Any) -> io.BufferedReader:
        if mode != "rb":
            raise ValueError(f"only binary reading is bounded, not {mode!r}")
        self._sock._io_refs += 1   # type: ignore[attr-defined]  # as socket.makefile counts them
        raw = socket.SocketIO(self, "rb")   # type: ignore[arg-type]
        return io.BufferedReader(raw, buffering if buffering and buffering > 0 else io.DEFAULT_BUFFER_SIZE)


def _connect_timeout(timeout: object) -> float | None:
    """A connection's timeout (urllib's "no timeout given" is an object) cut to the time left."""
    return time_left(timeout if isinstance(timeout, (int, float)) else None, socket.timeout)


def _opened(sock: socket.socket) -> _Socket:
    sockets = getattr(_local, "sockets", None)
    if sockets is not None:
        sockets.append(sock)
    return _Socket(sock)


@contextmanager
def urllib_deadline(seconds: float) -> Iterator[None]:
    """:func:`deadline` for urllib, whose connections serve one request each: at the end of the
    block every connection opened in it is shut, whatever holds on to its response (an error's
    traceback would otherwise keep a timed-out connection open until garbage collection)."""
    previous = getattr(_local, "sockets", None)
    sockets: list[socket.socket] = []
    _local.sockets = sockets
    try:
        with deadline(seconds):
            yield
    finally:
        _local.sockets = previous
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:   # already closed, or never connected
                pass
            sock.close()


class _HTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.timeout = _connect_timeout(self.timeout)
        super().connect()
        self.sock = _opened(self.sock)


class _HTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        self.timeout = _connect_timeout(self.timeout)
        super().connect()
        self.sock = _opened(self.sock)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._context)   # type: ignore[attr-defined]


# urllib's default handlers (the environment's proxies included), connections bounded.
OPENER = urllib.request.build_opener(_HTTPHandler(), _HTTPSHandler())
