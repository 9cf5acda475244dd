"""``akke-graph serve`` as a real process: Ctrl-C (SIGINT) or SIGTERM stops it and every Oxigraph
process it started (also one being retired after a timeout), and start-up failures leave
nothing behind."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil
import pytest

from akke_graph.load import LoadedGraph
from akke_graph.oxigraph_server import free_port

from tests.loopback import HTTP
from .test_serve import SLOW


def start_serve(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "akke_graph", "--project", str(project), "serve",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_healthy(proc: subprocess.Popen[str], url: str, wait_s: float = 300) -> None:
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            if HTTP.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    proc.kill()
    pytest.fail(f"akke-graph serve did not become healthy within {wait_s} s")


def oxigraphs_on(folder: Path) -> list[psutil.Process]:
    """Running Oxigraph servers over a store folder only this test uses."""
    found = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if str(folder) in " ".join(p.info["cmdline"] or []) and "oxigraph" in p.info["cmdline"][0]:
                found.append(p)
        except (psutil.Error, IndexError, TypeError):
            pass
    return found


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_process_tree_gone_after_signal(sig: int, validated: LoadedGraph, seed_project: Path,
                                        release_dir: Path, tmp_path: Path) -> None:
    """On the seed project (which processes there are does not depend on the imported records).
    The timeout stays at 2 s: a health probe past it would replace the engine too."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # a grace period no busy machine reaches: the replaced process is certainly still retiring
    proc = start_serve(seed_project, "--port", str(port), "--timeout", "2", "--grace", "600",
                       "--release", str(release_dir), "--store-dir", str(tmp_path / "store"))
    try:
        wait_healthy(proc, url)
        assert HTTP.get(url + "/sparql", params={"query": SLOW}, timeout=120).status_code == 503
        tree = psutil.Process(proc.pid).children(recursive=True)
        oxigraphs = [p for p in tree if "oxigraph" in p.name()]
        assert len(oxigraphs) == 2  # the fresh server and the one still retiring
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "stopped" in err and '"GET /health HTTP/1.1" 200' in err  # access log lines
        gone, alive = psutil.wait_procs(tree, timeout=120)
        assert alive == [], [p.cmdline() for p in alive]
        assert oxigraphs_on(tmp_path) == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_port_in_use_fails_cleanly(validated: LoadedGraph, seed_project: Path, tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = start_serve(seed_project, "--port", str(port), "--store-dir", str(tmp_path / "store"))
        _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in err
    assert "Traceback" not in err
    assert oxigraphs_on(tmp_path) == []


def test_nonconformant_graph_is_not_served(broken_project: Path, tmp_path: Path) -> None:
    pytest.importorskip("akke_graph.shacl.validate")
    proc = start_serve(broken_project, "--port", str(free_port()), "--store-dir", str(tmp_path / "store"))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 1 and "does not conform" in err
    assert not (tmp_path / "store").exists()
    assert oxigraphs_on(tmp_path) == []
