"""Validate the graph against the project's SHACL shapes.

The native engine (SHACL compiled to SPARQL on the store) is the default because it is fast
enough for ``validate`` to run in well under a second and for millions of triples; pyshacl is the
reference engine (``engine="pyshacl"``) and takes any shape the native engine cannot compile.
Nothing downstream — publish, push, serve — runs unless :func:`require_conformant` passes.
"""

from __future__ import annotations

from pathlib import Path

from akke_graph.config import Config
from akke_graph.errors import ConfigError, NonConformantError, ShapesError, text
from akke_graph.load import LoadedGraph, rdf_files
from akke_graph.shacl.native import validate_native
from akke_graph.shacl.outcome import ValidationResult
from akke_graph.shacl.report import ValidationReport
from akke_graph.shacl.shapes import ShapesGraph, load_shapes_graph

ENGINES = ("native", "pyshacl")


def shape_files(config: Config) -> list[Path]:
    """The shape files of the project, in a stable order."""
    if not config.shapes_dir.is_dir():
        raise ShapesError(f"the shapes folder {config.display_path(config.shapes_dir)} does not exist",
                          hint="create it or point [tool.akke-graph] shapes at the folder with the SHACL shapes")
    return rdf_files(config.shapes_dir)


def load_shapes(config: Config) -> ShapesGraph:
    """All shapes of the project, moved onto the project's base IRI."""
    files = shape_files(config)
    return load_shapes_graph(files, {p: config.display_path(p) for p in files}, base_iri=config.base_iri)


def validate_graph(loaded: LoadedGraph, *, engine: str = "native",
                   shapes: ShapesGraph | None = None) -> ValidationReport:
    """Validate a loaded graph; the report says whether it conforms and why not."""
    if engine not in ENGINES:
        raise ConfigError(f"unknown validation engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")
    shapes = shapes or load_shapes(loaded.config)
    if engine == "pyshacl":
        from akke_graph.shacl.reference import validate_pyshacl

        outcome = validate_pyshacl(loaded.store, shapes)
    else:
        # Oxigraph answers the native engine's queries (a copy of an rdflib store): same results
        # on both backends, at Oxigraph's speed.
        outcome = validate_native(loaded.store.as_oxigraph(), shapes)
        if outcome.delegated:
            from akke_graph.shacl.reference import validate_pyshacl

            only = {d.split(" ", 1)[0] for d in outcome.delegated}
            extra = validate_pyshacl(loaded.store, shapes, only=only)
            outcome.results = sorted(set(outcome.results) | set(extra.results), key=ValidationResult.key)
    return ValidationReport(loaded=loaded, shapes=shapes, outcome=outcome)


def require_conformant(loaded: LoadedGraph, *, engine: str = "native") -> ValidationReport:
    """Validate and raise :class:`NonConformantError` (exit 1, with the report, written in the
    language of whoever shows it) on any violation."""
    report = validate_graph(loaded, engine=engine)
    if not report.conforms:
        raise NonConformantError(text("nonconformant"), report=report)
    return report
