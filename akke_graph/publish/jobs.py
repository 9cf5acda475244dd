"""Work that publish hands to other processes, so that a large graph's release uses every core:
Oxigraph's command-line converter writes Turtle and TriG (in Rust, keeping the order of its
input and the prefixes declared at its top) while Python workers write the JSON-LD and
publish itself writes the N-Triples; and the entity pages are shared among forked copies of
publish (:func:`in_workers`).

A step that fails, or publish being stopped, kills the processes of the step. The forked page
writers and the JSON-LD workers also get SIGTERM when publish dies (even on ``kill -9``); the
converter, started without a hook (publish may have threads querying the store meanwhile, and
code between fork and exec is not safe then), finishes its file in a few seconds and the next
publish removes the left-over folder.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path
from typing import IO, Callable, Generic, TypeVar

import pyoxigraph as ox

from akke_graph.errors import PublishError, ServeError
from akke_graph.oxigraph_server import _die_with_parent, oxigraph_binary

FORMATS = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}
T = TypeVar("T")
MIN_SHARE = 200   # items per process below which forking is not worth it


def prefix_block(prefixes: dict[str, str]) -> bytes:
    """Turtle ``@prefix`` lines (N-Triples after them is Turtle, and inside ``<g> { }`` TriG)."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode("utf-8")


class Jobs:
    """Background processes of one step; leaving the ``with`` block waits for them all (and
    raises :class:`PublishError` if one failed) or, on an error, kills them."""

    def __init__(self, background: bool = True) -> None:
        self.background = background   # False: do the work here and now (small graphs: no start-up cost)
        self.running: list[tuple[str, subprocess.Popen[bytes], IO[bytes]]] = []

    def __enter__(self) -> "Jobs":
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is None:
            self.wait()
        else:
            self.kill()

    def start(self, name: str, command: list[str]) -> None:
        log = tempfile.TemporaryFile()
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        self.running.append((name, proc, log))

    def convert(self, source: Path, target: Path, fmt: str, prefixes: dict[str, str]) -> str:
        """Turtle or TriG ``source`` (prefixes, then statements in order) rewritten by Oxigraph's
        serialiser into ``target``; in this process if the ``oxigraph`` binary is missing.
        Returns the job's name (for :meth:`wait`)."""
        name = f"oxigraph convert ({fmt})"
        try:
            binary = oxigraph_binary() if self.background else ""
        except ServeError:
            binary = ""
        if not binary:
            ox.serialize(ox.parse(path=str(source), format=FORMATS[fmt], lenient=True), output=str(target),
                         format=FORMATS[fmt], prefixes=prefixes)
        else:
            self.start(name, [binary, "convert", "--lenient", "-f", str(source), "--from-format", fmt,
                              "-t", str(target), "--to-format", fmt])
        return name

    def python(self, name: str, module: str, *args: str) -> None:
        """``python -m module args`` with this Python (``module.main(args)`` when not in the background)."""
        if not self.background:
            import importlib

            importlib.import_module(module).main(list(args))
            return
        self.start(name, [sys.executable, "-m", module, *args])

    def wait(self, name: str | None = None) -> None:
        """Wait for the job called ``name`` (all jobs when None)."""
        failed = []
        waiting = [job for job in self.running if name is None or job[0] == name]
        self.running = [job for job in self.running if job not in waiting]
        for name, proc, log in waiting:
            if proc.wait() != 0:
                log.seek(0)
                failed.append(f"{name} exited with {proc.returncode}: "
                              f"{log.read().decode('utf-8', 'replace').strip()[-2000:]}")
            log.close()
        if failed:
            raise PublishError("a dump could not be written: " + "; ".join(failed),
                               hint="this is a bug in akke-graph or a full disk; nothing was published")

    def kill(self) -> None:
        for _, proc, log in self.running:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            log.close()
        self.running = []


class Beside(Generic[T]):
    """``function(*args)`` in a thread beside the caller's work — for store queries, which
    Oxigraph answers without holding Python's lock. :meth:`result` waits for it."""

    def __init__(self, function: Callable[..., T], *args: object) -> None:
        self.returned: tuple[T] | None = None   # (what the function returned,) once it has
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.returned = (function(*args),)
            except BaseException as exc:  # handed to the caller of result()
                self.error = exc

        self.thread = threading.Thread(target=run, name=f"beside-{function.__name__}", daemon=True)
        self.thread.start()

    def result(self) -> T:
        self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.returned is not None   # the thread ended without an error: it returned
        return self.returned[0]


def cores() -> int:
    """The processors this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not Linux
        return os.cpu_count() or 1


def in_workers(items: list[T], work: Callable[[list[T]], None], workers: int) -> None:
    """``work(share)`` for ``workers`` interleaved shares of ``items``: one share here, the others
    in forked copies of this process (they inherit everything already computed, and must only
    read shared state — each writes its own files). A worker that fails fails the step; a failure
    here, or publish being stopped, stops the workers."""
    if workers <= 1 or len(items) < workers * MIN_SHARE:
        work(items)
        return
    children: list[int] = []
    try:
        for k in range(1, workers):
            pid = os.fork()
            if pid == 0:   # the worker: never return into the caller's code
                code = 1
                try:
                    _die_with_parent()
                    work(items[k::workers])
                    code = 0
                except BaseException:
                    traceback.print_exc()
                    sys.stderr.flush()
                finally:
                    os._exit(code)
            children.append(pid)
        work(items[0::workers])
    except BaseException:
        for pid in children:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise
    failed = [code for code in (os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children) if code]
    if failed:
        raise PublishError(f"{len(failed)} of {workers} page writers failed (exit {failed[0]}); see the messages above",
                           hint="this is a bug in akke-graph or a full disk; nothing was published")
