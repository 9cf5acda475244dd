"""``akke-graph query``: run a canned or ad-hoc SPARQL query on the embedded store or an endpoint.

Only option parsing lives here; the work is in :mod:`akke_graph.query.catalogue`, :mod:`akke_graph.query.params`,
:mod:`akke_graph.query.results` and :mod:`akke_graph.query.endpoint`, imported when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from akke_graph.commands.options import URL, http_options, lang_option, project_config, store_option

if TYPE_CHECKING:
    from akke_graph.sparql_http.policy import HttpPolicy
    from akke_graph.store_spec import StoreSpec

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
@click.option("--endpoint", type=URL, default=None,
              help="Run the query on this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--file", "query_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Run your own query from a .rq file (same #+ header and parameters).")
@http_options(timeout=30.0, retries=2, deadline=120.0, what="the endpoint")
@lang_option
@store_option
@click.pass_context
def query(ctx: click.Context, name: str | None, list_queries: bool, params: tuple[str, ...],
          fmt: str | None, endpoint: str | None, query_file: Path | None, policy: HttpPolicy,
          lang: str, store_spec: StoreSpec) -> None:
    """Run the canned query NAME (see --list) or your own --file, and print the answer.

    \b
    Examples:
      akke-graph query --list
      akke-graph query work-packages --param number=3
      akke-graph query projects-active-on -p date=2021-06-01 --format csv
      akke-graph query project-export --format ttl > akke-turku.ttl
      akke-graph query organisations --endpoint http://127.0.0.1:7878/query
    """
    from akke_graph.errors import AkkeError, ConfigError, ParameterError, QueryError, text
    from akke_graph.query.params import bind
    from akke_graph.query.catalogue import catalogue_text, find_query, load_queries, read_query_file
    from akke_graph.query.run import run_query
    from akke_graph.query.results import RDF_FORMATS, Row, render

    if name and query_file:
        raise QueryError(text("query-name-and-file"))
    if endpoint and ctx.get_parameter_source("store_spec") != click.core.ParameterSource.DEFAULT:
        raise QueryError(text("query-store-and-endpoint"), hint=text("query-store-and-endpoint.hint"))
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
            assert config is not None   # needs_project
            shown = [find_query(config, name)] if name else load_queries(config)
        click.echo(catalogue_text(shown, lang, detailed=bool(name or query_file)), nl=False)
        return
    if query_file:
        canned = read_query_file(query_file, base_iri=base_iri)
    elif name:
        assert config is not None   # needs_project
        canned = find_query(config, name)
    else:
        raise QueryError(text("query-missing"), hint=text("query-missing.hint"))
    values = parse_params(params)
    bind(canned, values)   # bad parameters fail here, before anything is loaded or sent
    graph_kind = canned.kind in ("construct", "describe")
    if fmt and (fmt in RDF_FORMATS) != graph_kind and fmt != "table":
        raise ParameterError(text("format-mismatch", format=fmt, kind=canned.kind.upper()),
                             hint=text("format-mismatch.hint"))
    if endpoint:
        from akke_graph.query.endpoint import run_remote, select_remote

        result = run_remote(endpoint, canned, values, policy=policy)
        labels_policy = policy.once()

        def select(sparql: str) -> list[Row]:
            try:
                return select_remote(endpoint, sparql, policy=labels_policy)
            except AkkeError:   # labels are a nicety, not a reason to fail
                return []
    else:
        from akke_graph.load import load

        assert config is not None   # needs_project
        loaded = load(config, store=store_spec)
        result = run_query(loaded, canned, values)
        select = loaded.store.select
    out = render(result, fmt or ("ttl" if graph_kind else "table"), lang=lang, select=select,
                 prefixes=canned.prefix_map())
    click.echo(out, nl=False)


def parse_params(items: tuple[str, ...]) -> dict[str, str]:
    """``--param key=value`` options as a dict; a malformed or repeated one is an error."""
    from akke_graph.errors import ParameterError, text

    values: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ParameterError(text("param-syntax", item=item[:60]), hint=text("param-syntax.hint"))
        if key in values:
            raise ParameterError(text("param-twice", key=key[:60]))
        values[key] = value
    return values
