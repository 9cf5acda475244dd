"""``akke-graph diff``."""

from __future__ import annotations

from pathlib import Path

import click

from akke_graph.commands.options import lang_option


@click.command()
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["markdown", "json", "nt"]), default="markdown",
              show_default=True, help="markdown as in CHANGES.md; json for programs; nt: added then removed "
                                      "N-Triples, each line prefixed with + or -.")
@lang_option
def diff(old: Path, new: Path, fmt: str, lang: str) -> None:
    """Compare two releases (folders) or RDF files: the triples added and removed, by entity.

    Exit 0 whether or not they differ; 2 when a file cannot be read.
    """
    from akke_graph.publish.diff import changes_json, changes_markdown, diff_paths

    result = diff_paths(old, new)
    if fmt == "json":
        click.echo(changes_json(result), nl=False)
    elif fmt == "nt":
        for line in result.added:
            click.echo(f"+ {line}")
        for line in result.removed:
            click.echo(f"- {line}")
    else:
        click.echo(changes_markdown(result, str(old), str(new)), nl=False)
