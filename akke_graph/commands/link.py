"""``akke-graph link``: suggest, accept and check links to national registries."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from akke_graph.commands.options import default_lang, lang_option, project_config, store_option

api_option = click.option(
    "--api", "api_url", metavar="URL", default=None,
    help="Base URL of the PRH open-data API v3 (default: AKKE_PRH_API or the public service).")
endpoint_option = click.option(
    "--endpoint", "endpoint_url", metavar="URL", default=None,
    help="Wikidata SPARQL endpoint (default: AKKE_WIKIDATA_ENDPOINT or the Wikidata Query Service).")


@click.group()
def link() -> None:
    """Link organisations, places and themes to national registries.

    suggest finds candidate links and writes them to an SSSOM file for review; accept turns the
    reviewed rows into data/links/*.ttl; check checks every stored link (offline, or --online
    against the registries).
    """


@link.command()
@click.option("--registry", type=click.Choice(["ytj", "wikidata"]), required=True,
              help="ytj: the trade register (business IDs); wikidata: Wikidata items.")
@click.option("--entity", "entities", multiple=True, metavar="IRI",
              help="Only this entity (full IRI or CURIE such as organisation:turku-science-park); "
                   "repeatable. Default: every organisation without a link to the registry.")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="SSSOM TSV file to write (default: build/links/suggestions-REGISTRY.sssom.tsv; "
                   "- for standard output).")
@click.option("--per-entity", type=click.IntRange(1, 100), default=5, show_default=True,
              help="At most this many candidates per entity.")
@api_option
@endpoint_option
@store_option
def suggest(registry: str, entities: tuple[str, ...], out: Path | None, per_entity: int,
            api_url: str | None, endpoint_url: str | None, store_spec: str) -> None:
    """Find and score candidate links; write them as SSSOM TSV, best candidate first."""
    from akke_graph.link.suggest import run_suggest

    config = project_config()
    text, target, count = run_suggest(config, registry, list(entities), out, per_entity=per_entity,
                                      api_url=api_url, endpoint_url=endpoint_url, store=store_spec,
                                      progress=lambda label: click.echo(f"searching {label} …", err=True))
    if target is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {count} candidate(s) to {config.display_path(target)}", err=True)


@link.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=0.0, show_default=True,
              help="Accept only rows with at least this confidence.")
@click.option("--reviewer", metavar="NAME", default=None,
              help="Who reviewed the rows; applies to rows whose reviewer_label is empty.")
@store_option
def accept(file: Path, min_confidence: float, reviewer: str | None, store_spec: str) -> None:
    """Write the reviewed rows of an SSSOM FILE to data/links/ with their provenance."""
    from akke_graph.link.accept import accept as run_accept
    from akke_graph.load import load

    config = project_config()
    loaded = load(config, store=store_spec)
    result = run_accept(loaded, file, min_confidence=min_confidence, reviewer=reviewer)
    click.echo(result.to_text())


@link.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--online", is_flag=True, help="Also ask the registries: IDs that no longer resolve, "
                                             "ceased companies, changed names, redirected items.")
@api_option
@endpoint_option
@lang_option
@store_option
def check(paths: tuple[Path, ...], online: bool, api_url: str | None, endpoint_url: str | None,
          lang: str | None, store_spec: str) -> None:
    """Check every stored link; exit 1 with a report when something is wrong.

    Without PATHS, checks the project's graph; with PATHS (files or folders), those files.
    """
    from akke_graph.link.check import check_links
    from akke_graph.load import load

    config = project_config()
    loaded = load(config, list(paths) or None, store=store_spec)
    prh = wikidata = None
    if online:
        from akke_graph.registries.prh import PrhClient
        from akke_graph.registries.wikidata import WikidataClient

        prh, wikidata = PrhClient(api_url), WikidataClient(endpoint_url)
    try:
        report = check_links(loaded, online=online, prh=prh, wikidata=wikidata)
    finally:
        if prh is not None:
            prh.close()
    click.echo(report.to_text(lang or default_lang()))
    sys.exit(0 if report.ok else 1)
