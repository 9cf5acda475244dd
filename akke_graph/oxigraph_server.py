"""Start and stop a real Oxigraph SPARQL server (the ``oxigraph`` binary from PyPI's ``oxigraph``
package) as a subprocess on a loopback port.

Used by ``akke-graph serve`` and by the test fixtures; the server is stopped by its PID and waited
for, so no orphan process outlives its owner.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from akke_graph.errors import ServeError


_SPAWNER: ThreadPoolExecutor | None = None


def _spawner() -> ThreadPoolExecutor:
    """One long-lived thread that starts every server: Linux ties the parent-death signal to the
    thread that forked, so forking from a short-lived request thread would kill the child early."""
    global _SPAWNER
    if _SPAWNER is None:
        _SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oxigraph-spawner")
    return _SPAWNER


def _die_with_parent() -> None:
    """In the child, before exec: on Linux, ask for SIGTERM when the parent dies, so that even a
    ``kill -9`` of akke-graph leaves no Oxigraph server behind."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` executable: beside this Python first, then on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError("the oxigraph server binary is not installed",
                     hint="pip install oxigraph (it ships the binary)")


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class OxigraphServer:
    """One running ``oxigraph serve`` (or ``serve-read-only``) process; with no ``location``, a
    writable server keeps its store in memory."""

    location: Path | None
    host: str = "127.0.0.1"
    port: int = 0
    read_only: bool = False
    timeout_s: float | None = None
    union_default_graph: bool = True
    env: dict[str, str] | None = None   # added to the environment the server runs in
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _owned_location: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def update_url(self) -> str:
        return self.base_url + "/update"

    @property
    def store_url(self) -> str:
        return self.base_url + "/store"

    def start(self, wait_s: float = 20.0) -> "OxigraphServer":
        """Start the server and wait until it answers; raises :class:`ServeError` if it does not."""
        if not self.port:
            self.port = free_port(self.host)
        if self.location is None and self.read_only:
            raise ServeError("a read-only Oxigraph server needs a store folder (location)")
        command = [oxigraph_binary(), "serve-read-only" if self.read_only else "serve",
                   "--bind", f"{self.host}:{self.port}"]
        if self.location is not None:
            command += ["--location", str(self.location)]
        if self.union_default_graph:
            command.append("--union-default-graph")
        if self.timeout_s:
            command += ["--timeout-s", str(int(max(1, self.timeout_s)))]
        self.process = _spawner().submit(
            subprocess.Popen, command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env={**os.environ, **self.env} if self.env else None,
            start_new_session=True, preexec_fn=_die_with_parent).result()
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode("utf-8", "replace") if self.process.stderr else ""
                raise ServeError(f"the Oxigraph server exited at start: {err.strip() or self.process.returncode}")
            try:
                with urllib.request.urlopen(self.query_url + "?query=ASK%7B%7D", timeout=1) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.05)
        self.stop()
        raise ServeError(f"the Oxigraph server did not answer on {self.base_url} within {wait_s:.0f} s")

    def stop(self, grace_s: float = 5.0) -> None:
        """Stop the server by its PID (SIGTERM, then SIGKILL) and reap it."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if proc is not None and proc.stderr:
            proc.stderr.close()
        if self._owned_location is not None:
            self._owned_location.cleanup()
            self._owned_location = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def __enter__(self) -> "OxigraphServer":
        return self.start() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @classmethod
    def temporary(cls, **kwargs: object) -> "OxigraphServer":
        """A server on a fresh temporary store folder, removed again by :meth:`stop`."""
        tmp = tempfile.TemporaryDirectory(prefix="akke-oxigraph-")
        server = cls(location=Path(tmp.name), **kwargs)  # type: ignore[arg-type]
        server._owned_location = tmp
        return server


def bulk_load(location: Path, nquads_file: Path) -> None:
    """Bulk-load an N-Quads file into an Oxigraph store folder with ``oxigraph load``."""
    result = subprocess.run([oxigraph_binary(), "load", "--location", str(location),
                             "--file", str(nquads_file)], capture_output=True, text=True)
    if result.returncode != 0:
        raise ServeError(f"oxigraph load failed: {result.stderr.strip()}")
