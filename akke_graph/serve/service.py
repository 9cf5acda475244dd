"""``akke-graph serve``: one URL for the SPARQL endpoint and the linked-data release.

A small stdlib front server (``http.server``, one thread per connection) answers ``/sparql``,
``/health`` and the release's pages; SPARQL is answered by a real ``oxigraph serve-read-only``
subprocess on a loopback port, over a store folder into which the validated graph was
bulk-loaded. The stdlib server is enough here: the heavy work is Oxigraph's, and no extra
dependency or event loop is needed to proxy, negotiate and stream.
"""

from __future__ import annotations

import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Sequence, TextIO

from akke_graph.errors import ServeError, text
from akke_graph.load import LoadedGraph
from akke_graph.serve.cors import Cors
from akke_graph.query.check import parse_allowed_service
from akke_graph.store import Store

if TYPE_CHECKING:
    from akke_graph.serve.handler import FrontServer
    from akke_graph.serve.upstream import Upstream



class SparqlService:
    """The running service: the Oxigraph upstream plus the front HTTP server."""

    def __init__(self, location: Path, *, release: Path | None = None, host: str = "127.0.0.1",
                 port: int = 8080, timeout_s: float = 30.0, grace_s: float | None = None,
                 log: TextIO | None = None, stats: dict[str, int] | None = None,
                 cors_origins: Sequence[str] = ("*",), allowed_services: Sequence[str] = (),
                 base_iri: str | None = None) -> None:
        if release is not None and not release.is_dir():
            raise ServeError(text("no-release", folder=release), hint=text("no-release.hint"))
        if timeout_s <= 0:
            raise ServeError("--timeout must be a positive number of seconds")
        self.location = location
        self.release = release
        self.host, self.port = host, port
        self.timeout_s = timeout_s
        self.grace_s = grace_s
        self.log = log or sys.stderr
        self.stats = stats or {}
        try:
            self.cors = Cors.from_options(list(cors_origins))
            self.allowed_services = tuple(parse_allowed_service(s) for s in allowed_services)
        except ValueError as exc:
            raise ServeError(str(exc)) from None
        self.base_iri = base_iri
        self._owned: tempfile.TemporaryDirectory[str] | None = None
        self.upstream: Upstream | None = None
        self.httpd: FrontServer | None = None
        self._thread: threading.Thread | None = None

    @classmethod
    def from_loaded(cls, loaded: LoadedGraph, *, store_dir: Path | None = None,
                    **options: object) -> "SparqlService":
        """Validate the graph (a non-conformant graph is never served), then bulk-load it."""
        from akke_graph.shacl.validate import require_conformant

        require_conformant(loaded)
        options.setdefault("base_iri", loaded.config.base_iri)
        return cls.from_store(loaded.store, store_dir=store_dir, **options)

    @classmethod
    def from_store(cls, store: Store, *, store_dir: Path | None = None,
                   **options: object) -> "SparqlService":
        """Bulk-load an already validated store into ``store_dir`` or a temporary folder."""
        from akke_graph.serve.storedir import build_store

        owned = None
        if store_dir is None:
            owned = tempfile.TemporaryDirectory(prefix="akke-serve-")
            store_dir = Path(owned.name) / "store"
        try:
            build_store(store, store_dir)
        except BaseException:
            if owned is not None:
                owned.cleanup()
            raise
        stats = {"triples": len(store), "graphs": len(store.graphs())}
        service = cls(store_dir, stats=stats, **options)  # type: ignore[arg-type]
        service._owned = owned
        return service

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> "SparqlService":
        """Start Oxigraph, then bind and serve in a background thread."""
        from akke_graph.serve.handler import FrontServer
        from akke_graph.serve.linked_data import ReleaseSite
        from akke_graph.serve.upstream import Overrun, Unavailable, Upstream

        upstream = self.upstream = Upstream(self.location, self.timeout_s, grace_s=self.grace_s,
                                            log=self._note).start()
        try:
            graphs = upstream.graphs()
        except (Unavailable, Overrun, ValueError, KeyError) as exc:
            self.stop()
            raise ServeError(f"the SPARQL server did not list its graphs: {exc}") from None
        try:
            site = ReleaseSite(self.release, self.base_iri, graphs)
            httpd = self.httpd = FrontServer((self.host, self.port), upstream, site,
                                             self.timeout_s, self.log, self.stats,
                                             cors=self.cors,
                                             allowed_services=self.allowed_services)
        except OSError as exc:
            self.stop()
            raise ServeError(text("listen-failed", host=self.host, port=self.port,
                                  reason=exc.strerror or exc),
                             hint=text("listen-failed.hint")) from None
        self.port = int(httpd.server_address[1])
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="akke-graph-serve", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, stop every Oxigraph process (by PID, waited for), remove temp files."""
        if self.httpd is not None:
            if self._thread is not None and self._thread.is_alive():
                self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if self.upstream is not None:
            self.upstream.close()
            self.upstream = None
        if self._owned is not None:
            self._owned.cleanup()
            self._owned = None

    def _note(self, message: str) -> None:
        try:
            self.log.write(f"akke-graph serve: {message}\n")
            self.log.flush()
        except (OSError, ValueError):
            pass

    def __enter__(self) -> "SparqlService":
        return self.start() if self.httpd is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class StopSignals:
    """SIGINT and SIGTERM set an event instead of killing the process mid-way, so that the
    Oxigraph subprocess is always stopped; the old handlers come back on exit."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._old: dict[int, object] = {}

    def __enter__(self) -> "StopSignals":
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._old[sig] = signal.signal(sig, lambda *_: self.event.set())
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._old.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]


def serve_until_stopped(service: SparqlService, stop: threading.Event) -> None:
    """Serve until ``stop`` is set (by a signal), watching that Oxigraph stays up."""
    try:
        if not stop.is_set():
            service.start()
            service._note(f"serving SPARQL at {service.url}/sparql"
                          + (f" and the release {service.release} at {service.url}/"
                             if service.release else "")
                          + f" (query timeout {service.timeout_s:g} s); Ctrl-C stops")
        while not stop.wait(0.5):
            if service.upstream is not None:
                service.upstream.ensure_alive()
    finally:
        service.stop()
        service._note("stopped")
