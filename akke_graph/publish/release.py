"""A release folder written whole or not at all: its options and manifest, the timed steps, and
the swap into place (:func:`akke_graph.publish.build.publish` runs them).

The release is built in a temporary folder beside ``--out`` and swapped into place only when it
is complete (an atomic exchange of the two folders where the system offers one), so a run that is
interrupted — killed, out of disk, a bug — leaves the previous release exactly as it was. Each
step is timed; the timings are returned and recorded in ``release.json``. On the Oxigraph store
the validation runs beside the dumps (both only read the graph; the dumps go to the temporary
folder), and no later step starts before it has passed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TypeVar

from akke_graph.config import Config
from akke_graph.errors import InputError, PublishError
from akke_graph.store_spec import StoreSpec

if TYPE_CHECKING:
    from akke_graph.publish.jobs import Beside

T = TypeVar("T")

if TYPE_CHECKING:
    from akke_graph.publish.jobs import Beside

T = TypeVar("T")

if TYPE_CHECKING:
    from akke_graph.publish.jobs import Beside

MANIFEST = "release.json"
PAUSE_ENV = "AKKE_GRAPH_PUBLISH_PAUSE"   # seconds to wait after each step (for interruption tests)
STEPS: dict[str, tuple[str, str]] = {
    "load": ("ladataan tietoverkko", "loading the graph"),
    "validate": ("validoidaan", "validating"),
    "prepare": ("valmistellaan julkaisua", "preparing the release graph"),
    "dumps": ("kirjoitetaan dumpit", "writing the dumps"),
    "pages": ("kirjoitetaan oliosivut", "writing the entity pages"),
    "ontology": ("kirjoitetaan ontologia ja muodot", "writing the ontology and shapes"),
    "queries": ("kirjoitetaan kyselyt", "writing the queries"),
    "mappings": ("kirjoitetaan linkitykset", "writing the mappings"),
    "catalog": ("kirjoitetaan DCAT-AP-kuvaus", "writing the DCAT-AP description"),
    "pictures": ("piirretään kuvat", "drawing the pictures"),
    "changes": ("verrataan edelliseen julkaisuun", "comparing with the previous release"),
    "index": ("kirjoitetaan etusivut", "writing the landing pages"),
    "check": ("tarkistetaan julkaisu", "checking the release"),
    "checksums": ("lasketaan tarkistussummat", "writing checksums and manifest"),
    "swap": ("siirretään julkaisu paikalleen", "moving the release into place"),
}

Progress = Callable[[str, int, int, float], None]
# What may run while the graph is validated: it writes only into the temporary folder, and a
# graph that does not conform fails the run before anything else is done.
BESIDE_VALIDATION = ("dumps",)


VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._+-]{0,63}")


def check_version(version: str) -> str:
    """A release version is a short token (``2025.1``, ``1.0.0-rc1``, ``2026-12-02``): it is
    written into the catalogue, the dumps and file headers, so nothing else may get in."""
    if not VERSION.fullmatch(version):
        raise PublishError(f"the version {version[:80]!r} is not a version name",
                           hint="use letters, digits and . _ + - (at most 64), e.g. 2025.1 or 1.0.0")
    return version


@dataclass
class PublishOptions:
    """What the user asked for (``None`` means the default)."""

    out: Path | None = None
    base_iri: str | None = None
    version: str | None = None
    previous: Path | None = None
    without_persons: bool = False
    dumps_only: bool = False     # data files only: no HTML, entity pages, pictures or landing pages
    store: StoreSpec | str = "oxigraph"
    lang: str = "en"
    released_at: datetime | None = None   # the release's time (default: now)


@dataclass
class PublishResult:
    """What was written, and how long each step took (seconds)."""

    out: Path
    version: str
    triples: int
    files: int
    timings: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def now_utc() -> datetime:
    """Now, to the second (a reproducible release gives its time instead: the command's
    ``--source-date-epoch``, or ``SOURCE_DATE_EPOCH``)."""
    return datetime.now(tz=timezone.utc).replace(microsecond=0)


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise InputError(str(path), f"cannot be read as a release manifest: {exc}") from None


def check_target(config: Config, out: Path) -> None:
    """Refuse to replace a folder that is not a release, or one that holds the project."""
    if out.exists() and not out.is_dir():
        raise PublishError(f"{out} exists and is not a folder", hint="choose another --out")
    project_parts = (config.root, config.data_dir, config.ontology_dir, config.shapes_dir, config.queries_dir)
    if any(out == p or out in p.parents for p in project_parts):
        raise PublishError(f"--out {out} would replace the project's own files",
                           hint="publish into a folder of its own, e.g. dist/")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise PublishError(f"{out} is not empty and is not an akke-graph release (no {MANIFEST})",
                           hint="choose an empty or new folder for --out, or an earlier release")


def clean_stale(out: Path) -> None:
    """Remove temporary folders left by publish runs that were killed."""
    for stale in out.parent.glob(f".{out.name}.tmp-*"):
        try:
            pid = int(stale.name.rsplit(".tmp-", 1)[1].split("-", 1)[0])
            os.kill(pid, 0)
            alive = pid != os.getpid()
        except ProcessLookupError:
            alive = False
        except (ValueError, IndexError, PermissionError):
            alive = True
        if not alive:
            shutil.rmtree(stale, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    return result == 0


def swap_into_place(tmp: Path, out: Path) -> None:
    """Make ``tmp`` the release at ``out``; the previous release is removed only afterwards."""
    if not out.exists():
        os.rename(tmp, out)
        return
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)   # tmp now holds the previous release
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}-{secrets.token_hex(3)}")
    os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


class Run:
    """Times the steps and reports them; holds the validation while it runs beside the dumps."""

    def __init__(self, progress: Progress | None, planned: list[str] | None = None) -> None:
        self.progress = progress
        self.planned = planned or list(STEPS)
        self.timings: dict[str, float] = {}
        # A test hook, not a setting (so no option): the interruption tests set it to have time
        # to kill a publish between two steps.
        self.pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
        self.pending: tuple[str, Beside[float]] | None = None

    def meanwhile(self, name: str, action: Callable[[], object]) -> None:
        """Start step ``name`` in a thread; it is waited for (and its error raised) before any
        step outside :data:`BESIDE_VALIDATION`, or when one of those fails."""
        from akke_graph.publish.jobs import Beside

        def timed() -> float:
            started = time.perf_counter()
            action()
            return time.perf_counter() - started

        self.pending = (name, Beside(timed))

    def settle(self) -> None:
        """Wait for the step running beside; it is reported with its own duration."""
        if self.pending is not None:
            name, running = self.pending
            self.pending = None
            self.report(name, running.result())

    def report(self, name: str, seconds: float) -> None:
        self.timings[name] = round(seconds, 4)
        if self.progress:
            self.progress(name, self.planned.index(name) + 1, len(self.planned), self.timings[name])
        if self.pause:
            time.sleep(self.pause)

    def step(self, name: str, action: Callable[[], T]) -> T:
        if name not in BESIDE_VALIDATION:
            self.settle()
        started = time.perf_counter()
        try:
            result = action()
        except BaseException:
            self.settle()   # a graph that does not conform says so, rather than what it broke
            raise
        self.report(name, time.perf_counter() - started)
        return result
