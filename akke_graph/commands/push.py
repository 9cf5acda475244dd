"""``akke-graph push``."""

from __future__ import annotations


import click

from akke_graph.commands.options import project_config


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL query endpoint of the store (used for the count checks).")
@click.option("--graph", "into_graph", default=None, metavar="IRI",
              help="Push everything into this one named graph (default: one named graph per "
                   "source file, as loaded).")
@click.option("--gsp", default=None, metavar="URL",
              help="Graph Store Protocol endpoint to upload with; without it, SPARQL Update is used.")
@click.option("--update", default=None, metavar="URL",
              help="SPARQL Update endpoint (default: the /update beside an endpoint ending in "
                   "/query, else the endpoint itself).")
@click.option("--user", default=None, metavar="NAME",
              help="User name for HTTP Basic or Digest authentication; the password is read from "
                   "the environment variable AKKE_GRAPH_PASSWORD, never from an option.")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0.1), default=60.0,
              show_default=True, help="Seconds to wait for each answer from the store.")
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True,
              help="Retries per request on connection errors, timeouts and 5xx answers (never on 4xx).")
@click.option("--dry-run", is_flag=True,
              help="Read the store and say what a push would change; send nothing.")
def push(endpoint: str, into_graph: str | None, gsp: str | None, update: str | None,
         user: str | None, timeout_s: float, retries: int, dry_run: bool) -> None:
    """Load the validated graph into any SPARQL 1.1 store.

    Readers see each named graph old or complete and new, never half. Into Oxigraph, a first
    push loads whole graphs, each request committed whole (on 0.5: by its bulk loader,
    else a transaction), and a later one sends only the change in one update (nothing when
    nothing changed). Into other stores, the graphs are uploaded into
    temporary graphs, checked, and moved onto their targets in one update. A count query then
    checks the store holds exactly what was sent. Exit 0 on success, 1 if the graph does not
    conform, 2 if the store fails (the message names the URL and status).
    """
    from akke_graph.load import load
    from akke_graph.push import PushTarget, RetryPolicy
    from akke_graph.push import push as push_graph

    target = PushTarget.from_options(endpoint, gsp=gsp, update=update, user=user)
    policy = RetryPolicy(attempts=retries + 1, timeout_s=timeout_s)
    report = push_graph(load(project_config()), target, into_graph=into_graph, policy=policy,
                        log=lambda message: click.echo(f"akke-graph push: {message}", err=True),
                        dry_run=dry_run)
    click.echo(report.to_text())
