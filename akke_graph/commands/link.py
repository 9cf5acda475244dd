"""``akke-graph link``: suggest, accept and check links to national registries."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from akke_graph.commands.options import (URL, http_options, lang_option, project_config,
                                         store_option)

if TYPE_CHECKING:
    from akke_graph.sparql_http.policy import HttpPolicy
    from akke_graph.store_spec import StoreSpec

api_option = click.option(
    "--api", "api_url", type=URL, default=None, envvar="AKKE_PRH_API", show_envvar=True,
    help="Base URL of the PRH open-data API v3 (default: the public service).")
endpoint_option = click.option(
    "--endpoint", "endpoint_url", type=URL, default=None, envvar="AKKE_WIKIDATA_ENDPOINT",
    show_envvar=True, help="Wikidata SPARQL endpoint (default: the Wikidata Query Service).")
registry_http_options = http_options(timeout=20.0, retries=3, backoff=1.0, min_interval=0.5,
                                     what="the registry")


def _property_id(ctx: click.Context, param: click.Parameter, value: Any) -> str | None:
    if value and not re.fullmatch(r"P[1-9][0-9]{0,8}", str(value)):
        raise click.BadParameter(f"{str(value)[:40]!r} is not a Wikidata property ID such as P1234",
                                 ctx, param)
    return str(value) if value else None


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
@click.option("--business-id-property", default=None, metavar="PID", callback=_property_id,
              envvar="AKKE_WIKIDATA_BUSINESS_ID_PROPERTY", show_envvar=True,
              help="The Wikidata property holding Finnish business IDs, if one is known; a "
                   "candidate carrying ours scores higher (default: none).")
@registry_http_options
@store_option
@lang_option
def suggest(registry: str, entities: tuple[str, ...], out: Path | None, per_entity: int,
            api_url: str | None, endpoint_url: str | None, business_id_property: str | None,
            policy: HttpPolicy, min_interval: float, store_spec: StoreSpec, lang: str) -> None:
    """Find and score candidate links; write them as SSSOM TSV, best candidate first."""
    from akke_graph.link.suggest import run_suggest

    config = project_config()
    searching = "haetaan" if lang == "fi" else "searching"
    text, target, count = run_suggest(config, registry, list(entities), out, per_entity=per_entity,
                                      api_url=api_url, endpoint_url=endpoint_url,
                                      business_id_property=business_id_property, policy=policy,
                                      min_interval=min_interval, store=store_spec,
                                      progress=lambda label: click.echo(f"{searching} {label} …", err=True))
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
@lang_option
def accept(file: Path, min_confidence: float, reviewer: str | None, store_spec: StoreSpec,
           lang: str) -> None:
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
@registry_http_options
@lang_option
@store_option
def check(paths: tuple[Path, ...], online: bool, api_url: str | None, endpoint_url: str | None,
          policy: HttpPolicy, min_interval: float, lang: str, store_spec: StoreSpec) -> None:
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

        prh = PrhClient(api_url, policy, min_interval=min_interval)
        wikidata = WikidataClient(endpoint_url, policy, min_interval=min_interval)
    try:
        report = check_links(loaded, online=online, prh=prh, wikidata=wikidata)
    finally:
        if prh is not None:
            prh.close()
    click.echo(report.to_text(lang))
    sys.exit(0 if report.ok else 1)
