"""The docs hold together: the CLI reference is what the commands' --help says today, every command
has its page, every option is documented, every link leads somewhere, and the Python shown in the
docs imports what the package has."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from akke_graph.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
REFERENCE = DOCS / "cli-reference.md"
REGENERATE = "python docs/generate_reference.py"
README_LIMIT = 15_000   # issue 18: the README is the entry, at most about 10-15 KB


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_reference", DOCS / "generate_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def reference_sections() -> dict[str, str]:
    """The reference's sections by heading ("akke-graph link check" -> its help text)."""
    text = REFERENCE.read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r"^## ([^\n]+)\n(.*?)(?=^## |\Z)", text, re.M | re.S)}


def test_the_reference_is_current() -> None:
    expected = generator().render()
    committed = REFERENCE.read_text(encoding="utf-8") if REFERENCE.is_file() else ""
    assert committed == expected, (
        f"docs/cli-reference.md differs from the commands' --help: run `{REGENERATE}` "
        "(in the project's venv) and commit the result")


def test_the_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    first = generator().render()
    monkeypatch.setenv("COLUMNS", "37")
    assert generator().render() == first


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_a_page(name: str) -> None:
    from akke_graph.cli import cli

    command = cli.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None, f"the module of {name} is missing"
    assert (command.help or "").strip()
    page = DOCS / "commands" / f"{name}.md"
    assert page.is_file(), f"docs/commands/{name}.md is missing"
    assert f"akke-graph {name}" in page.read_text(encoding="utf-8")
    assert f"commands/{name}.md" in (DOCS / "index.md").read_text(encoding="utf-8")
    assert f"akke-graph {name}" in reference_sections()


def test_every_option_is_in_its_page_or_the_reference() -> None:
    sections = reference_sections()
    missing = []
    for ctx, command in generator().commands():
        path = ctx.command_path.split()
        page = DOCS / "commands" / f"{path[1]}.md" if len(path) > 1 else DOCS / "index.md"
        where = page.read_text(encoding="utf-8") + sections.get(ctx.command_path, "")
        for param in command.params:
            missing += [f"{ctx.command_path} {opt}" for opt in getattr(param, "opts", [])
                        if opt.startswith("--") and opt not in where]
    assert not missing, f"not documented: {missing}; run `{REGENERATE}` or describe them in docs/commands/"


def test_index_links_every_page() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    pages = [p.relative_to(DOCS).as_posix() for p in sorted(DOCS.rglob("*.md")) if p.name != "index.md"]
    assert [p for p in pages if f"]({p}" not in index] == []


def github_anchors(text: str) -> set[str]:
    """The anchors GitHub makes of a page's headings."""
    anchors = set()
    for heading in re.findall(r"^#{1,6} (.+)$", re.sub(r"```.*?```", "", text, flags=re.S), re.M):
        plain = re.sub(r"[`*_\[\]()]", "", heading).strip().lower()
        anchors.add("".join(c for c in plain.replace(" ", "-") if c.isalnum() or c in "-_"))
    return anchors


@pytest.mark.parametrize("page", markdown_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_links_lead_somewhere(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", re.sub(r"```.*?```", "", text, flags=re.S)):
        if re.match(r"[a-z]+:", target):
            continue   # http(s), mailto: not followed (the tests stay offline)
        file, _, fragment = target.partition("#")
        resolved = (page.parent / file).resolve() if file else page
        if not resolved.exists():
            broken.append(target)
        elif fragment and resolved.suffix == ".md" and fragment not in github_anchors(
                resolved.read_text(encoding="utf-8")):
            broken.append(target)
    assert not broken, f"{page.relative_to(ROOT)}: links to nothing: {broken}"


def python_blocks() -> list[tuple[str, str]]:
    return [(f"{p.relative_to(ROOT)} block {i}", code) for p in markdown_files()
            for i, code in enumerate(re.findall(r"```python\n(.*?)```", p.read_text(encoding="utf-8"), re.S))]


@pytest.mark.parametrize("where, code", python_blocks(), ids=[w for w, _ in python_blocks()])
def test_python_in_the_docs_imports_what_exists(where: str, code: str) -> None:
    tree = ast.parse(code, filename=where)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("akke_graph"):
            module = importlib.import_module(node.module or "")
            for alias in node.names:
                assert hasattr(module, alias.name) or importlib.util.find_spec(
                    f"{node.module}.{alias.name}") is not None, f"{where}: {node.module} has no {alias.name}"


def test_readme_is_the_short_entry() -> None:
    readme = (ROOT / "README.md").read_bytes()
    assert len(readme) <= README_LIMIT, f"README.md is {len(readme)} bytes: move detail into docs/"
    assert b"docs/index.md" in readme
