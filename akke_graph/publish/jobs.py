"""Work that publish hands to other processes, so that a large graph's dumps use both cores:
Oxigraph's command-line converter writes Turtle and TriG (in Rust, keeping the order of its
input and the prefixes declared at its top) while a Python worker writes the JSON-LD and
publish itself writes the N-Triples.

Every process is tied to the publish run: it gets SIGTERM when publish dies (even on
``kill -9``), and is killed when a step fails, so an interrupted publish leaves nothing running.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Callable, Generic, TypeVar

import pyoxigraph as ox

from akke_graph.errors import PublishError, ServeError
from akke_graph.oxigraph_server import _die_with_parent, oxigraph_binary

FORMATS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}
T = TypeVar("T")


def prefix_block(prefixes: dict[str, str]) -> bytes:
    """Turtle ``@prefix`` lines (N-Triples after them is Turtle, and inside ``<g> { }`` TriG)."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode("utf-8")


class Jobs:
    """Background processes of one step; leaving the ``with`` block waits for them all (and
    raises :class:`PublishError` if one failed) or, on an error, kills them."""

    def __init__(self, background: bool = True) -> None:
        self.background = background   # False: do the work here and now (small graphs: no start-up cost)
        self.running: list[tuple[str, subprocess.Popen, object]] = []

    def __enter__(self) -> "Jobs":
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:
            self.wait()
        else:
            self.kill()

    def start(self, name: str, command: list[str]) -> None:
        log = tempfile.TemporaryFile()
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                preexec_fn=_die_with_parent)
        self.running.append((name, proc, log))

    def convert(self, source: Path, target: Path, fmt: str, prefixes: dict[str, str]) -> None:
        """Turtle or TriG ``source`` (prefixes, then statements in order) rewritten by Oxigraph's
        serialiser into ``target``; in this process if the ``oxigraph`` binary is missing."""
        try:
            binary = oxigraph_binary() if self.background else ""
        except ServeError:
            binary = ""
        if not binary:
            ox.serialize(ox.parse(path=str(source), format=FORMATS[fmt], lenient=True), output=str(target),
                         format=FORMATS[fmt], prefixes=prefixes)
            return
        self.start(f"oxigraph convert ({fmt})", [binary, "convert", "--lenient", "-f", str(source),
                                                 "--from-format", fmt, "-t", str(target), "--to-format", fmt])

    def python(self, name: str, module: str, *args: str) -> None:
        """``python -m module args`` with this Python (``module.main(args)`` when not in the background)."""
        if not self.background:
            import importlib

            importlib.import_module(module).main(list(args))
            return
        self.start(name, [sys.executable, "-m", module, *args])

    def wait(self) -> None:
        failed = []
        for name, proc, log in self.running:
            if proc.wait() != 0:
                log.seek(0)  # type: ignore[attr-defined]
                failed.append(f"{name} exited with {proc.returncode}: "
                              f"{log.read().decode('utf-8', 'replace').strip()[-2000:]}")  # type: ignore[attr-defined]
            log.close()  # type: ignore[attr-defined]
        self.running = []
        if failed:
            raise PublishError("a dump could not be written: " + "; ".join(failed),
                               hint="this is a bug in akke-graph or a full disk; nothing was published")

    def kill(self) -> None:
        for _, proc, log in self.running:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            log.close()  # type: ignore[attr-defined]
        self.running = []


class Beside(Generic[T]):
    """``function(*args)`` in a thread beside the caller's work — for store queries, which
    Oxigraph answers without holding Python's lock. :meth:`result` waits for it."""

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        self.value: T | None = None
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.value = function(*args)
            except BaseException as exc:  # handed to the caller of result()
                self.error = exc

        self.thread = threading.Thread(target=run, name=f"beside-{function.__name__}", daemon=True)
        self.thread.start()

    def result(self) -> T:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]
