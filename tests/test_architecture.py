"""The package agrees with itself: no import cycles (lazy imports included), package
``__init__`` files are faces only, and the default base IRI is written in one place and never
used as a default value."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "akke_graph"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imported(path: Path) -> set[str]:
    """The package's modules that ``path`` imports anywhere (top level, functions, TYPE_CHECKING):
    ``from pkg.mod import x`` names ``pkg.mod.x`` where that is a module, else ``pkg.mod``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in MODULES}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
    return found & MODULES.keys()


def cycles() -> list[list[str]]:
    graph = {name: sorted(imported(path) - {name}) for name, path in MODULES.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:   # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def test_no_import_cycles() -> None:
    assert cycles() == []


def test_package_init_files_are_faces() -> None:
    for path in PACKAGE.rglob("__init__.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        logic = [node for node in tree.body if not isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr))
                 and not (isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)]
                          in (["__all__"], ["__version__"]))]
        assert not logic, f"{path.relative_to(PACKAGE.parent)} holds logic: line {logic[0].lineno}"


def names_used(path: Path, name: str) -> list[ast.AST]:
    """The nodes of ``path`` that name ``name`` (as a variable, an attribute or an import)."""
    return [node for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Name) and node.id == name
            or isinstance(node, ast.Attribute) and node.attr == name
            or isinstance(node, ast.alias) and name in (node.name, node.asname)]


def test_the_default_base_iri_is_written_once() -> None:
    """The literal is in config.py only. Elsewhere DEFAULT_BASE_IRI means one thing — the base the
    shipped ontology, shapes and queries are written under: the source of the move onto the
    configured base (rebase.shipped), and the base the synthetic generator writes its projects
    under beside copies of those files. It is never a default value of a parameter: the base IRI
    comes from the configuration."""
    holders = [module_name(p) for p in MODULES.values()
               if "https://w3id.org/akke/" in p.read_text(encoding="utf-8")]
    assert holders == ["akke_graph.config"]
    users = sorted(name for name, path in MODULES.items() if names_used(path, "DEFAULT_BASE_IRI"))
    assert users == ["akke_graph.config", "akke_graph.rebase", "akke_graph.synthetic.model"]
    rebase = ast.parse(MODULES["akke_graph.rebase"].read_text(encoding="utf-8"))
    moves = [node for node in ast.walk(rebase) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id == "Rebaser"
             and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "DEFAULT_BASE_IRI"]
    assert len(moves) == len(names_used(MODULES["akke_graph.rebase"], "DEFAULT_BASE_IRI")) - 1 == 1


def test_no_parameter_defaults_to_a_base_iri() -> None:
    for name, path in MODULES.items():
        if name == "akke_graph.config":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):   # dataclass fields
                for field in node.body:
                    if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name) \
                            and "base" in field.target.id.lower() and field.value is not None:
                        assert ast.unparse(field.value) == "None", f"{name}.{node.name}.{field.target.id}"
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            args = node.args.posonlyargs + node.args.args
            pairs = list(zip(args[len(args) - len(node.args.defaults):], node.args.defaults))
            pairs += [(a, d) for a, d in zip(node.args.kwonlyargs, node.args.kw_defaults) if d is not None]
            for arg, default in pairs:
                text = ast.unparse(default)
                assert "BASE" not in text and not ("base" in arg.arg and text != "None"), \
                    f"{name}.{node.name}({arg.arg}={text}): the base IRI comes from the configuration"
