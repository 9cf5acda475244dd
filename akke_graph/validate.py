"""Validate the graph against the project's SHACL shapes.

The native engine (SHACL compiled to SPARQL on the store) is the default because it is fast
enough for ``validate`` to run in well under a second and for millions of triples; pyshacl is the
reference engine (``engine="pyshacl"``) and takes any shape the native engine cannot compile.
Nothing downstream — publish, push, serve — runs unless :func:`require_conformant` passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from akke_graph.config import DEFAULT_BASE_IRI, Config
from akke_graph.errors import ConfigError, NonConformantError, ShapesError
from akke_graph.load import LoadedGraph, rdf_files
from akke_graph.shacl.native import validate_native
from akke_graph.shacl.results import SEVERITIES, ShaclOutcome, ValidationResult, report_triples
from akke_graph.shacl.shapes import ShapesGraph, load_shapes_graph
from akke_graph.store import OxigraphStore, Store

ENGINES = ("native", "pyshacl")


def shape_files(config: Config) -> list[Path]:
    """The shape files of the project, in a stable order."""
    if not config.shapes_dir.is_dir():
        raise ShapesError(f"the shapes folder {config.display_path(config.shapes_dir)} does not exist",
                          hint="create it or point [tool.akke-graph] shapes at the folder with the SHACL shapes")
    return rdf_files(config.shapes_dir)


def load_shapes(config: Config) -> ShapesGraph:
    """All shapes of the project, re-based onto the project's base IRI when it is not the default."""
    files = shape_files(config)
    return load_shapes_graph(files, {p: config.display_path(p) for p in files},
                             rebase=(DEFAULT_BASE_IRI, config.base_iri))


@dataclass
class ValidationReport:
    """The outcome of a validation, with what is needed to explain it to a person."""

    loaded: LoadedGraph
    shapes: ShapesGraph
    outcome: ShaclOutcome
    counts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.counts = {s.rsplit("#", 1)[-1]: 0 for s in SEVERITIES}
        for r in self.outcome.results:
            name = r.severity_name
            self.counts[name] = self.counts.get(name, 0) + 1

    @property
    def conforms(self) -> bool:
        return self.outcome.conforms

    @property
    def results(self) -> list[ValidationResult]:
        return self.outcome.results

    @property
    def has_violations(self) -> bool:
        return self.outcome.has_violations

    @property
    def exit_code(self) -> int:
        """1 when there is a violation; warnings and info do not fail the command (nor block
        publish, push and serve), although the report then says ``sh:conforms false``."""
        return 1 if self.has_violations else 0

    def to_text(self, lang: str = "en") -> str:
        from akke_graph.report import render_text

        return render_text(self, lang)

    def to_json(self, lang: str = "en") -> str:
        from akke_graph.report import render_json

        return render_json(self, lang)

    def report_triples(self) -> list[ox.Triple]:
        """The standard SHACL validation report as triples (the first one is about the report)."""
        return report_triples(self.outcome, self.shapes)

    def to_turtle(self) -> str:
        """The standard SHACL validation report in Turtle."""
        return ox.serialize(self.report_triples(), format=ox.RdfFormat.TURTLE,
                            prefixes={"sh": "http://www.w3.org/ns/shacl#"}).decode("utf-8")


def oxigraph_view(store: Store) -> Store:
    """The store itself if it is Oxigraph, else an Oxigraph copy: the native engine's queries run
    on Oxigraph so that both backends give the same results at Oxigraph's speed."""
    if isinstance(store, OxigraphStore):
        return store
    copy = OxigraphStore()
    copy.add(store.quads())
    return copy


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
        outcome = validate_native(oxigraph_view(loaded.store), shapes)
        if outcome.delegated:
            from akke_graph.shacl.reference import validate_pyshacl

            only = {d.split(" ", 1)[0] for d in outcome.delegated}
            extra = validate_pyshacl(loaded.store, shapes, only=only)
            outcome.results = sorted(outcome.results + extra.results, key=ValidationResult.key)
    return ValidationReport(loaded=loaded, shapes=shapes, outcome=outcome)


def require_conformant(loaded: LoadedGraph, *, engine: str = "native", lang: str = "en") -> ValidationReport:
    """Validate and raise :class:`NonConformantError` (exit 1, with the report) on any violation
    (warnings and info do not block)."""
    report = validate_graph(loaded, engine=engine)
    if report.has_violations:
        message = ("tietoverkko ei ole kelvollinen: mitään ei julkaista, siirretä eikä jaeta"
                   if lang == "fi" else
                   "the graph does not conform to the shapes: nothing is published, pushed or served")
        raise NonConformantError(message, report_text=report.to_text(lang))
    return report
