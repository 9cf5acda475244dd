"""``akke-graph import``: project cards and tables into data/, one file per source page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from akke_graph.commands.options import URL, lang_option, project_config

format_option = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                             show_default=True, help="text for people; json for programs.")
dry_run_option = click.option("--dry-run", is_flag=True,
                              help="Show what would change; write nothing.")
candidates_option = click.option(
    "--candidates", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="SSSOM file for the matches a reviewer must decide (default: build/import/FILE-STEM.sssom.tsv).")


@click.group(name="import")
def import_() -> None:
    """Import real records: a project card, or a table of projects, organisations or focus areas.

    Each source page becomes its own data file, data/sources/HOST/PATH.ttl, whose named graph
    says it was derived from the page; a block comment names the row or line of each fact. The
    graph with the drafts is validated before anything is written. Names that are only similar
    to an entity of the graph are not merged: they go to an SSSOM file for `akke-graph link
    accept`. Exit codes: 0 every record went in whole (or was already there), 1 records or values
    were left out (the report says which and why; the rest is written) or the drafts do not
    conform (nothing is written), 2 error.
    """


@import_.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--source", type=URL, required=True,
              help="The address of the page the card was read from.")
@click.option("--card-lang", type=click.Choice(["fi", "en"]), default="fi", show_default=True,
              help="The language the card is written in (--lang is the language of the messages).")
@format_option
@dry_run_option
@candidates_option
@lang_option
def card(file: Path, source: str, card_lang: str, fmt: str, dry_run: bool, candidates: Path | None,
         lang: str) -> None:
    """Import a project card (title, period, partners, funding, work packages, contacts).

    Importing the card of a second language adds its labels to the same entities.
    """
    from akke_graph.importer import import_card

    report = import_card(project_config(), file, source=source, language=card_lang, dry_run=dry_run,
                         candidates=candidates)
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    sys.exit(report.exit_code)


@import_.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A mapping (YAML) of the table's columns to the model; default: the shipped "
                   "mapping that recognises the header.")
@format_option
@dry_run_option
@candidates_option
@lang_option
def table(file: Path, mapping: Path | None, fmt: str, dry_run: bool, candidates: Path | None, lang: str) -> None:
    """Import a table (.csv or .xlsx) of projects and funding, organisations and business IDs, or
    focus areas of the ecosystem agreements."""
    from akke_graph.importer import import_table

    report = import_table(project_config(), file, mapping=mapping, dry_run=dry_run, candidates=candidates)
    click.echo(report.to_json() if fmt == "json" else report.to_text())
    sys.exit(report.exit_code)
