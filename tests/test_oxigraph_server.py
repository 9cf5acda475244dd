"""The Oxigraph server wrapper: starts on a free loopback port, stops by PID, and never leaves an
orphan — not even when its owner is killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

from akke_graph.oxigraph_server import OxigraphServer


def alive(pid: int) -> bool:
    return psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE


def test_start_query_stop() -> None:
    server = OxigraphServer.temporary().start()
    pid = server.pid
    with urllib.request.urlopen(server.query_url + "?query=ASK%7B%7D", timeout=5) as resp:
        assert b'"boolean":true' in resp.read()
    server.stop()
    assert pid is not None and not alive(pid)


def test_server_started_from_a_short_lived_thread_outlives_it() -> None:
    box: dict[str, OxigraphServer] = {}
    starter = threading.Thread(target=lambda: box.setdefault("s", OxigraphServer.temporary().start()))
    starter.start()
    starter.join()
    time.sleep(0.5)
    try:
        assert box["s"].process is not None and box["s"].process.poll() is None
    finally:
        box["s"].stop()


def test_no_orphan_when_the_owner_is_killed(tmp_path: Path) -> None:
    # The store folder is the test's: the killed owner cannot remove a temporary one of its own.
    code = ("import sys, time; from pathlib import Path; "
            "from akke_graph.oxigraph_server import OxigraphServer; "
            "s = OxigraphServer(location=Path(sys.argv[1])).start(); print(s.pid, flush=True); "
            "time.sleep(60)")
    owner = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "store")],
                             stdout=subprocess.PIPE, text=True)
    child = int(owner.stdout.readline())
    assert alive(child)
    os.kill(owner.pid, signal.SIGKILL)
    owner.wait()
    deadline = time.monotonic() + 120   # only that it ends matters
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child)
