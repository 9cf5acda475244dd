"""A release is written whole or not at all: a graph with a violation publishes nothing (exit 1);
a publish killed part-way leaves the previous release exactly as it was; a folder that is not a
release is never replaced. None of this needs the imported records: the publishes here are of the
seed project (a third of the graph), the previous release published once and copied per test."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from akke_graph.config import load_config
from akke_graph.errors import NonConformantError, PublishError
from akke_graph.publish.release import PAUSE_ENV, STEPS, Run
from tests.conftest import copy_seed_project

from .conftest import EPOCH, ROOT, _publish, sha256sum_ok, snapshot

BAD_CASE = ROOT / "tests/cases/invalid/wp-no-project.ttl"


@pytest.fixture(scope="module")
def seed_release(seed_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project's release 1.0.0, published once; tests change only copies of it."""
    out = tmp_path_factory.mktemp("seed-release") / "dist"
    _publish(load_config(seed_project), out, version="1.0.0")
    return out


@pytest.fixture()
def previous_release(seed_release: Path, tmp_path: Path) -> Path:
    """A copy of the seed project's release 1.0.0, alone in the test's folder."""
    return Path(shutil.copytree(seed_release, tmp_path / "dist", symlinks=True))


def start_publish(project: Path, out: Path, *extra: str, pause: float = 0.4) -> subprocess.Popen:
    env = {**os.environ, PAUSE_ENV: str(pause), "AKKE_GRAPH_LANG": "en", "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.Popen([sys.executable, "-m", "akke_graph", "--project", str(project), "publish", "--out", str(out),
                             "--version", "2.0.0", *extra], cwd=ROOT, env=env, stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def wait_for_step(proc: subprocess.Popen, step: str, timeout: float = 300) -> None:
    """Read progress lines until ``step`` has finished (bounded by ``timeout``)."""
    label = STEPS[step][1]
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()   # a line arrives at least every pause
        if not line:
            break
        seen.append(line)
        if label in line:
            return
    proc.kill()
    pytest.fail(f"step {step!r} was not reported: {''.join(seen)}")


@pytest.mark.parametrize("step, extra", [("validate", ()), ("dumps", ()), ("pages", ()), ("index", ()),
                                         ("checksums", ()), ("dumps", ("--dumps-only",)),
                                         ("catalog", ("--dumps-only",))])
def test_killed_publish_leaves_the_previous_release_intact(previous_release: Path, step: str, extra: tuple,
                                                          seed_project: Path, publish_into) -> None:
    before = snapshot(previous_release)
    proc = start_publish(seed_project, previous_release, *extra)
    try:
        wait_for_step(proc, step)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert snapshot(previous_release) == before
    assert sha256sum_ok(previous_release)
    # Whatever was half-built is a hidden folder beside the release, removed by the next run.
    siblings = [p.name for p in previous_release.parent.iterdir() if p != previous_release]
    assert all(name.startswith(".dist.tmp-") for name in siblings), siblings
    publish_into(seed_project, previous_release, version="2.0.0")     # the next run
    assert [p.name for p in previous_release.parent.iterdir()] == ["dist"]
    assert '"version": "2.0.0"' in (previous_release / "release.json").read_text(encoding="utf-8")
    assert sha256sum_ok(previous_release)


def test_terminated_publish_cleans_up_after_itself(previous_release: Path, seed_project: Path) -> None:
    before = snapshot(previous_release)
    proc = start_publish(seed_project, previous_release)
    wait_for_step(proc, "pages")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) != 0
    assert snapshot(previous_release) == before
    assert [p.name for p in previous_release.parent.iterdir()] == ["dist"]


def test_graph_with_a_violation_publishes_nothing(tmp_path: Path, run_cli) -> None:
    project_copy = copy_seed_project(tmp_path / "project")
    shutil.copy(BAD_CASE, project_copy / "data" / BAD_CASE.name)
    out = tmp_path / "out" / "dist"
    result = run_cli("--project", str(project_copy), "publish", "--out", str(out))
    assert result.exit_code == 1, result.stderr
    assert "does not conform" in result.stderr and "irrallinen-wp-1" in result.stderr
    assert not out.exists()
    assert not out.parent.exists() or not any(out.parent.iterdir())


def test_graph_with_a_violation_leaves_the_previous_release(previous_release: Path, tmp_path: Path,
                                                           run_cli) -> None:
    project_copy = copy_seed_project(tmp_path / "project")
    out = previous_release
    before = snapshot(out)
    shutil.copy(BAD_CASE, project_copy / "data" / BAD_CASE.name)
    result = run_cli("--project", str(project_copy), "publish", "--out", str(out))
    assert result.exit_code == 1
    assert snapshot(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "project"] == ["dist"]


def test_a_folder_that_is_not_a_release_is_not_replaced(tmp_path: Path, run_cli) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("publish", "--out", str(out))
    assert result.exit_code == 2
    assert "not an akke-graph release" in result.stderr
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    result = run_cli("publish", "--out", str(ROOT / "data"))
    assert result.exit_code == 2 and "project's own files" in result.stderr


def test_previous_must_be_a_release(tmp_path: Path, run_cli) -> None:
    (tmp_path / "old").mkdir()
    result = run_cli("publish", "--out", str(tmp_path / "dist"), "--previous", str(tmp_path / "old"))
    assert result.exit_code == 2 and "not an akke-graph release" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_bad_base_iri_is_an_error(tmp_path: Path, run_cli) -> None:
    result = run_cli("publish", "--out", str(tmp_path / "dist"), "--base-iri", "not an iri")
    assert result.exit_code == 2
    assert "base IRI" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()


def _violates() -> None:
    time.sleep(0.2)
    raise NonConformantError("the graph does not conform")


def test_validation_beside_the_dumps_stops_the_next_step() -> None:
    seen: list[str] = []
    run = Run(lambda step, i, n, s: seen.append(step))
    run.meanwhile("validate", _violates)
    run.step("dumps", lambda: None)          # may run meanwhile
    with pytest.raises(NonConformantError):
        run.step("catalog", lambda: seen.append("catalog ran"))
    assert seen == ["dumps"]


def test_a_step_failing_beside_the_validation_reports_the_violation() -> None:
    def broken() -> None:
        raise PublishError("the dumps broke on the bad data")

    run = Run(None)
    run.meanwhile("validate", _violates)
    with pytest.raises(NonConformantError):
        run.step("dumps", broken)


def test_a_conformant_graph_is_reported_with_its_own_validation_time() -> None:
    seen: list[tuple[str, float]] = []
    run = Run(lambda step, i, n, s: seen.append((step, s)))
    run.meanwhile("validate", lambda: time.sleep(0.3))
    run.step("dumps", lambda: time.sleep(0.3))
    run.settle()
    assert [s for s, _ in seen] == ["dumps", "validate"] and seen[1][1] >= 0.3


def _small_files_only() -> None:
    """In the child: files may not grow past 64 KiB, and a write past it fails (EFBIG) instead
    of killing the process — a full disk as the program meets it."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 10, 64 << 10))


def test_a_write_that_fails_leaves_the_previous_release(previous_release: Path, seed_project: Path) -> None:
    before = snapshot(previous_release)
    env = {**os.environ, "AKKE_GRAPH_LANG": "en", "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run([sys.executable, "-m", "akke_graph", "--project", str(seed_project), "publish",
                           "--out", str(previous_release),
                           "--version", "2.0.0"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600, preexec_fn=_small_files_only)
    assert done.returncode == 2, done.stderr
    assert "writing the release failed: File too large" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(previous_release) == before
    assert [p.name for p in previous_release.parent.iterdir()] == ["dist"]
