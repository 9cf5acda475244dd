"""Every hostile input in tests/hostile/<command>/*.yaml gets its clear message and exit code, no
traceback, and writes nothing it should not (see README.md in this folder for the case format)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent
CASES = sorted(HERE.glob("*/*.yaml"))


def case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def content(value: object) -> bytes:
    """A file's content: text, bytes (YAML ``!!binary``), or ``[text, times]`` parts joined."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    assert isinstance(value, list), value
    return b"".join(str(text).encode("utf-8") * int(times) for text, times in value)


def test_there_is_a_folder_of_cases_per_command() -> None:
    assert {p.parent.name for p in CASES} >= {"validate", "query", "publish", "link"}


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_hostile_input(path: Path, project_copy: Path, tmp_path: Path, cli) -> None:
    project = project_copy   # cases may add files to its data/
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    inputs = set()
    for name, value in (case.get("files") or {}).items():
        target = project / name.removeprefix("project/") if name.startswith("project/") else scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content(value))
        inputs.add(target)
    args = [str(a).replace("{tmp}", str(scratch)).replace("{project}", str(project)) for a in case["args"]]
    result = cli(*args, project=project)
    shown = f"{case['what']}\n{' '.join(args)[:300]}\n{result.output[-3000:]}"
    assert result.exit_code == case["exit"], shown
    assert "Traceback" not in result.output, shown
    assert re.search(case["message"], result.output), shown
    for text in case.get("raw") or []:
        assert text not in result.output, f"{text!r} reached the output as it is\n{shown}"
    for text in case.get("absent") or []:
        found = [p for p in tmp_path.rglob("*") if p.is_file() and p not in inputs
                 and text.encode() in p.read_bytes()]
        assert not found, f"{text!r} was written into {found}\n{shown}"
