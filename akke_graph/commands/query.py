"""``akke-graph query``: run a canned or ad-hoc SPARQL query on the embedded store or an endpoint.

Only option parsing lives here; the work is in :mod:`akke_graph.query.catalogue`, :mod:`akke_graph.query.params`,
:mod:`akke_graph.query.results` and :mod:`akke_graph.query.endpoint`, imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from akke_graph.commands.options import default_lang, lang_option, project_config, store_option

FORMATS = ("table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld")


@click.command()
@click.argument("name", required=False)
@click.option("--list", "list_queries", is_flag=True,
              help="List the canned queries and their parameters (with NAME: describe that one).")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter value, e.g. --param project=project:akke-turku; repeat for more.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format: a readable table (default), SPARQL results csv/tsv/json/xml, "
                   "or RDF ttl/nt/jsonld for CONSTRUCT queries (default ttl).")
@click.option("--endpoint", metavar="URL",
              help="Run the query on this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--file", "query_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Run your own query from a .rq file (same #+ header and parameters).")
@click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
              help="Seconds to wait for an endpoint's answer.")
@lang_option
@store_option
@click.pass_context
def query(ctx: click.Context, name: str | None, list_queries: bool, params: tuple[str, ...],
          fmt: str | None, endpoint: str | None, query_file: Path | None, timeout: float,
          lang: str | None, store_spec: str) -> None:
    """Run the canned query NAME (see --list) or your own --file, and print the answer.

    \b
    Examples:
      akke-graph query --list
      akke-graph query work-packages --param number=3
      akke-graph query projects-active-on -p date=2021-06-01 --format csv
      akke-graph query project-export --format ttl > akke-turku.ttl
      akke-graph query organisations --endpoint http://127.0.0.1:7878/query
    """
    from akke_graph.errors import AkkeError, ConfigError, ParameterError, QueryError
    from akke_graph.query.params import bind
    from akke_graph.query.catalogue import catalogue_text, find_query, load_queries, read_query_file
    from akke_graph.query.run import run_query
    from akke_graph.query.results import RDF_FORMATS, render

    lang = lang or default_lang()
    if name and query_file:
        raise QueryError("give either a query NAME or --file, not both")
    if endpoint and ctx.get_parameter_source("store_spec") != click.core.ParameterSource.DEFAULT:
        raise QueryError("--store and --endpoint exclude each other",
                         hint="--endpoint runs the query remotely; --store picks the embedded store")
    needs_project = bool(name) or (list_queries and not query_file) or not (endpoint or list_queries)
    try:   # outside a project, your own query on an endpoint knows only the common prefixes
        config = project_config()
    except ConfigError:
        if needs_project:
            raise
        config = None
    base_iri = config.base_iri if config else None
    if list_queries:
        if query_file:
            shown = [read_query_file(query_file, base_iri=base_iri)]
        else:
            shown = [find_query(config, name)] if name else load_queries(config)
        click.echo(catalogue_text(shown, lang, detailed=bool(name or query_file)), nl=False)
        return
    if not name and not query_file:
        raise QueryError("name the query to run, or give your own with --file my.rq",
                         hint="akke-graph query --list shows the canned queries")
    canned = read_query_file(query_file, base_iri=base_iri) if query_file else find_query(config, name)
    values = parse_params(params)
    bind(canned, values)   # bad parameters fail here, before anything is loaded or sent
    graph_kind = canned.kind in ("construct", "describe")
    if fmt and (fmt in RDF_FORMATS) != graph_kind and fmt != "table":
        raise ParameterError(f"--format {fmt} does not fit a {canned.kind.upper()} query",
                             hint="use ttl, nt, jsonld or table for CONSTRUCT; table, csv, tsv, "
                                  "json or xml for SELECT and ASK")
    if endpoint:
        from akke_graph.query.endpoint import run_remote, select_remote

        result = run_remote(endpoint, canned, values, timeout=timeout)

        def select(sparql: str) -> list:
            try:
                return select_remote(endpoint, sparql, timeout=timeout)
            except AkkeError:   # labels are a nicety, not a reason to fail
                return []
    else:
        from akke_graph.load import load

        loaded = load(config, store=store_spec)
        result = run_query(loaded, canned, values)
        select = loaded.store.select
    out = render(result, fmt or ("ttl" if graph_kind else "table"), lang=lang, select=select,
                 prefixes=canned.prefix_map())
    click.echo(out, nl=False)


def parse_params(items: tuple[str, ...]) -> dict[str, str]:
    """``--param key=value`` options as a dict; a malformed or repeated one is an error."""
    from akke_graph.errors import ParameterError

    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(f"--param needs KEY=VALUE, got {item[:60]!r}",
                                 hint="for example --param project=project:akke-turku")
        if key in values:
            raise ParameterError(f"the parameter {key[:60]!r} is given twice")
        values[key] = value
    return values
