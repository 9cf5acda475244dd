"""The one configuration: ``[tool.akke-graph]`` in the project's ``pyproject.toml``.

Paths in the table are relative to the folder holding ``pyproject.toml``; secrets never live here
(they come from environment variables, read by the commands that need them).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path, PurePosixPath

from akke_graph.errors import ConfigError, text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_BASE_IRI = "https://w3id.org/akke/"
ENV_PROJECT = "AKKE_GRAPH_PROJECT"   # read by the command line's --project, named in messages
PASSWORD_ENV = "AKKE_GRAPH_PASSWORD"  # a store's password for push: read by the command, never an option


@dataclass(frozen=True)
class Config:
    """Where the project's folders are and which base IRI its entities live under."""

    root: Path
    base_iri: str = DEFAULT_BASE_IRI
    ontology_dir: Path = field(default=Path("ontology"))
    data_dir: Path = field(default=Path("data"))
    shapes_dir: Path = field(default=Path("shapes"))
    queries_dir: Path = field(default=Path("queries"))
    build_dir: Path = field(default=Path("build"))
    release_dir: Path = field(default=Path("dist"))
    endpoint: str | None = None
    publisher: str | None = None
    contact_email: str | None = None
    update_frequency: str | None = None   # an EU frequency code (catalogue: dcterms:accrualPeriodicity)

    @property
    def id_base(self) -> str:
        """Prefix of every own entity IRI (``{base}id/``)."""
        return self.base_iri + "id/"

    @property
    def ontology_iri(self) -> str:
        return self.base_iri + "ontology"

    @property
    def ontology_ns(self) -> str:
        return self.base_iri + "ontology#"

    def graph_iri(self, path: Path) -> str:
        """The named-graph IRI of a source file: ``{base}graph/{path below root, no suffix}``."""
        rel = PurePosixPath(self._relative(path) or path.name)
        return self.base_iri + "graph/" + rel.with_suffix("").as_posix()

    def display_path(self, path: Path) -> str:
        """A path as the user should see it: relative to the project root where possible."""
        rel = self._relative(path)
        return rel if rel is not None else str(path)

    def _relative(self, path: Path) -> str | None:
        """``path`` below the root, or None. The lexical test comes first: resolving symlinks costs
        a system call per path component, which adds up over the thousands of files of a
        national graph."""
        cwd = os.getcwd()
        root = _absolute(self.root, cwd)
        absolute = os.path.normpath(os.path.join(cwd, path))
        if absolute.startswith(root):
            return Path(absolute[len(root):]).as_posix() if os.sep != "/" else absolute[len(root):]
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None

    def with_base(self, base_iri: str) -> "Config":
        return replace(self, base_iri=normalise_base(base_iri))


@lru_cache(maxsize=32)
def _absolute(root: Path, cwd: str) -> str:
    """The root as an absolute path ending with the separator."""
    return os.path.join(os.path.normpath(os.path.join(cwd, root)), "")


def normalise_base(base_iri: str) -> str:
    """A base IRI must be absolute http(s), without a fragment, and end with ``/`` (added if
    missing): every IRI of the graph is a path below it (``{base}id/…``, ``{base}ontology#…``)."""
    if (not base_iri.startswith(("http://", "https://")) or len(base_iri) > 2000
            or any(c in base_iri for c in ' <>"{}|^`\\') or any(ord(c) < 0x21 or ord(c) == 0x7f for c in base_iri)):
        raise ConfigError(f"base IRI {base_iri[:200]!r} is not an absolute http(s) IRI",
                          hint="write it like https://example.org/akke/")
    if "#" in base_iri or "?" in base_iri:
        raise ConfigError(f"base IRI {base_iri[:200]!r} has a fragment or a query",
                          hint="the graph's IRIs are paths below the base: write it like "
                               "https://example.org/akke/")
    return base_iri if base_iri.endswith("/") else base_iri + "/"


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the current folder) whose
    pyproject.toml has ``[tool.akke-graph]``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.akke-graph]" in candidate.read_text(encoding="utf-8"):
            return folder
    raise ConfigError(text("no-project", folder=here), hint=text("no-project.hint", env=ENV_PROJECT))


def load_config(root: Path | None = None) -> Config:
    """Read ``[tool.akke-graph]`` into a :class:`Config`."""
    root = find_root(root) if root is None or not (root / "pyproject.toml").is_file() else root
    pyproject = root / "pyproject.toml"
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("akke-graph")
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: {exc}", hint="fix the TOML syntax") from None
    if table is None:
        raise ConfigError(f"{pyproject} has no [tool.akke-graph] table",
                          hint="add one; see the README for the keys")
    known = {"base-iri", "ontology", "data", "shapes", "queries", "build", "release", "endpoint",
             "publisher", "contact-email", "update-frequency"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{pyproject}: unknown key(s) in [tool.akke-graph]: {', '.join(unknown)}",
                          hint=f"known keys: {', '.join(sorted(known))}")

    def folder(key: str, default: str) -> Path:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise ConfigError(f"{pyproject}: [tool.akke-graph] {key} must be a string path")
        return (root / value).resolve()

    endpoint = table.get("endpoint")
    return Config(
        root=root.resolve(),
        base_iri=normalise_base(table.get("base-iri", DEFAULT_BASE_IRI)),
        ontology_dir=folder("ontology", "ontology"),
        data_dir=folder("data", "data"),
        shapes_dir=folder("shapes", "shapes"),
        queries_dir=folder("queries", "queries"),
        build_dir=folder("build", "build"),
        release_dir=folder("release", "dist"),
        endpoint=endpoint if isinstance(endpoint, str) and endpoint else None,
        publisher=_optional_string(table, "publisher", pyproject),
        contact_email=_optional_string(table, "contact-email", pyproject),
        update_frequency=_optional_string(table, "update-frequency", pyproject),
    )


def _optional_string(table: dict, key: str, pyproject: Path) -> str | None:
    value = table.get(key)
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"{pyproject}: [tool.akke-graph] {key} must be a string")
    return value or None
