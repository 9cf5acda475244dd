"""``akke-graph validate``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from akke_graph.commands.options import lang_option, project_config, store_option
from akke_graph.store_spec import StoreSpec


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              show_default=True, help="text for people; turtle is the standard SHACL validation report; json for programs.")
@click.option("--engine", type=click.Choice(["native", "pyshacl"]), default="native", show_default=True,
              help="native runs the shapes as SPARQL on the store (fast); pyshacl is the reference validator.")
@store_option
def validate(paths: tuple[Path, ...], lang: str, fmt: str, engine: str, store_spec: StoreSpec) -> None:
    """Validate the graph against the SHACL shapes.

    Without PATHS, validates the project's graph (ontology/ and data/). With PATHS (files or
    folders), validates those together with the ontology, so a new file can be checked before it
    is added to data/. Exit 0 when the graph conforms (warnings allowed), 1 when it has
    violations, 2 on an error (unreadable file, bad syntax, missing shapes).
    """
    from akke_graph.load import load
    from akke_graph.shacl.validate import validate_graph

    config = project_config()
    loaded = load(config, list(paths) or None, store=store_spec)
    report = validate_graph(loaded, engine=engine)
    if fmt == "turtle":
        click.echo(report.to_turtle())
    elif fmt == "json":
        click.echo(report.to_json(lang))
    else:
        click.echo(report.to_text(lang))
    sys.exit(report.exit_code)
