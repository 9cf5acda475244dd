"""The folder where a push writes the graph it sends (as large as the graph), in the system's
temporary folder: removed when the push ends, fails or is stopped by SIGTERM or Ctrl-C.

A push killed outright (SIGKILL, a crash, the machine going down) cannot remove its own, so each
folder says whose it is: ``akke-push-<pid>-<random>``, holding an ``owner`` file with the host
and the process's start time. Each push first removes the folders whose process is gone — on
this host, the PID not running or running a process started at another time (a reused PID). A
folder without an owner (made by an older version) is removed once it is a day old.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PREFIX = "akke-push-"
OWNER = "owner"
UNOWNED_AGE = 24 * 3600.0


def _start_time(pid: int) -> str:
    """When process ``pid`` started, in clock ticks since boot (Linux), or "" where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat.rsplit(")", 1)[-1].split()[19]   # field 22; the name before ")" may hold spaces


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:   # another user's process: alive
        return True
    return True


def _owner_text() -> str:
    return f"{socket.gethostname()} {os.getpid()} {_start_time(os.getpid())}\n"


def _is_stale(folder: Path) -> bool:
    """Whether ``folder`` belongs to a push that is no longer running (or cannot be told and is
    old); another host's folder (a shared temporary folder) is never judged from here."""
    try:
        owner = (folder / OWNER).read_text().split()
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > UNOWNED_AGE
        except OSError:
            return False
    except OSError:
        return False
    if len(owner) < 2 or not owner[1].isdigit():
        return False
    host, pid = owner[0], int(owner[1])
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return False
    if not _alive(pid):
        return True
    started = owner[2] if len(owner) > 2 else ""
    return bool(started) and _start_time(pid) not in ("", started)


def remove_stale(parent: Path | None = None) -> list[tuple[Path, int]]:
    """Remove the working folders of pushes that are gone (in ``parent``, by default the system's
    temporary folder); the folders removed and the bytes they held."""
    parent = Path(parent or tempfile.gettempdir())
    removed = []
    try:
        candidates = sorted(parent.glob(PREFIX + "*"))
    except OSError:
        return []
    for folder in candidates:
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
        except OSError:
            continue
        if _is_stale(folder):
            size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append((folder, size))
    return removed


@contextmanager
def work_folder(parent: Path | None = None) -> Iterator[Path]:
    """A fresh private working folder named for this process, removed at the end of the block
    however it ends (SIGTERM included, where the command turns it into an exception)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=parent))
    try:
        (folder / OWNER).write_text(_owner_text())
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
