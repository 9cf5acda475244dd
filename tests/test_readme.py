"""The README runs as written: its two fresh-machine commands are the ones CI runs (.ci/run runs
them verbatim, so CI checks them), and its tour runs line by line, through the installed
``akke-graph`` console script in a shell, in a copy of the project, each line exiting as the README
says. The tour's Oxigraph server is started for real, on a free port instead of 7878."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from akke_graph.oxigraph_server import free_port

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PROJECT_PARTS = ("pyproject.toml", "ontology", "data", "shapes", "queries", "tests/cases",
                 "tests/importing/cases")
TOUR_PORT = "127.0.0.1:7878"


def section(heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README.md has no '## {heading}' section"
    return match.group(1)


def shell_blocks(text: str) -> list[list[str]]:
    """The lines of each ```sh block, without blank and comment-only lines."""
    return [[line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]
            for block in re.findall(r"```sh\n(.*?)```", text, re.S)]


def fresh_machine_commands() -> list[str]:
    return [line for block in shell_blocks(section("Quick start")) for line in block]


def tour() -> list[str]:
    blocks = shell_blocks(section("A short tour"))
    assert blocks, "the tour is the first ```sh block after '## A short tour'"
    return blocks[0]


def expected_exit(line: str) -> int:
    """0, or the code the line's comment names ("… exit 1")."""
    comment = re.search(r"\s#\s(.*)$", line)
    found = re.search(r"\bexit (\d+)\b", comment.group(1)) if comment else None
    return int(found.group(1)) if found else 0


def test_the_quick_start_is_two_commands_that_activate_the_venv() -> None:
    commands = fresh_machine_commands()
    assert len(commands) == 2, commands
    for command in commands:
        steps = [s.strip() for s in command.split("&&")]
        assert steps[:2] == ["python3 -m venv .venv", ". .venv/bin/activate"], command
    assert commands[0].endswith("&& akke-graph publish") and commands[1].endswith("&& pytest")


def test_ci_runs_the_quick_start_as_written() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in fresh_machine_commands():
        assert any(line == command or line.startswith(command + " ") for line in ci), \
            f".ci/run does not run the README's command as written: {command}"


def test_ci_checks_the_types_with_mypy_from_the_test_extra() -> None:
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    install = next(i for i, line in enumerate(ci) if "pip install -e '.[test]'" in line)
    assert ".venv/bin/mypy" in ci[install + 1:], ".ci/run does not run mypy after installing the test extra"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^test = \[[^\]]*"mypy[>=<]', pyproject, re.M | re.S), "the test extra does not install mypy"
    assert "[tool.mypy]" in pyproject


def test_the_tour_names_files_that_exist() -> None:
    for line in tour():
        for word in shlex.split(line, comments=True):
            if "/" in word and not word.startswith(("http", "-")) and word.startswith(("data", "tests")):
                assert (ROOT / word).exists(), f"{line}: {word} does not exist"


def _environment() -> dict[str, str]:
    """A new user's shell with the venv active: the venv's bin first on PATH, no akke-graph
    variables of this test run (no project chosen, no language forced)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AKKE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(Path(sys.executable).parent.parent)
    env["LANG"] = "C.UTF-8"
    for var in ("LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    return env


def _copy_project(target: Path) -> Path:
    for part in PROJECT_PARTS:
        source, dest = ROOT / part, target / part
        dest.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, dest)
        else:
            shutil.copy2(source, dest)
    return target


def _wait_until_answering(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Until the server answers (a readiness wait, generous for a busy machine; not a timing check)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the tour's server exited: {log.read_text(errors='replace')}"
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.1)
    pytest.fail(f"the tour's server did not answer at {url}")


def _run(line: str, project: Path, env: dict[str, str]) -> None:
    done = subprocess.run(["bash", "-c", line], cwd=project, env=env, capture_output=True, text=True,
                          timeout=900)
    output = done.stdout + done.stderr
    assert done.returncode == expected_exit(line), f"$ {line}\nexit {done.returncode}\n{output}"
    assert "Traceback" not in output and "command not found" not in output, f"$ {line}\n{output}"
    assert "(no rows)" not in done.stdout, f"$ {line}\nanswered no rows:\n{output}"


def test_the_tour_runs_as_written(tmp_path: Path) -> None:
    if shutil.which("akke-graph", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("the akke-graph console script is not installed beside this Python (pip install -e .)")
    project, env = _copy_project(tmp_path / "project"), _environment()
    # The tour follows the quick start, whose last step wrote dist/.
    _run(fresh_machine_commands()[0].split("&&")[-1].strip(), project, env)
    address = f"127.0.0.1:{free_port()}"
    servers: list[subprocess.Popen[bytes]] = []
    try:
        for line in (line.replace(TOUR_PORT, address) for line in tour()):
            words = shlex.split(line, comments=True)
            if words[-1] == "&":
                assert words[:2] == ["oxigraph", "serve"], \
                    f"only an Oxigraph server may start in the background: {line}"
                log = tmp_path / f"server-{len(servers)}.log"
                with log.open("wb") as out:
                    servers.append(subprocess.Popen(words[:-1], cwd=project, env=env, stdout=out,
                                                    stderr=subprocess.STDOUT))
                _wait_until_answering(servers[-1], f"http://{address}/query", log)
            elif words == ["kill", "%1"]:
                assert servers, "kill %1 without a server started"
                servers[0].terminate()
                servers[0].wait(timeout=60)
            else:
                assert words[0] == "akke-graph", f"the tour runs akke-graph commands only: {line}"
                _run(line, project, env)
    finally:
        for server in servers:
            if server.poll() is None:
                server.kill()
                server.wait()
