"""``akke-graph push``."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from akke_graph.commands.options import URL, http_options, lang_option, project_config
from akke_graph.config import PASSWORD_ENV

if TYPE_CHECKING:
    from akke_graph.sparql_http.policy import HttpPolicy


@click.command()
@click.option("--endpoint", type=URL, required=True,
              help="SPARQL query endpoint of the store (used for the count checks).")
@click.option("--graph", "into_graph", default=None, metavar="IRI",
              help="Push everything into this one named graph (default: one named graph per "
                   "source file, as loaded).")
@click.option("--gsp", type=URL, default=None,
              help="Graph Store Protocol endpoint to upload with; without it, SPARQL Update is used.")
@click.option("--update", type=URL, default=None,
              help="SPARQL Update endpoint (default: the /update beside an endpoint ending in "
                   "/query, else the endpoint itself).")
@click.option("--user", default=None, metavar="NAME",
              help=f"User name for HTTP Basic or Digest authentication; the password is read from "
                   f"the environment variable {PASSWORD_ENV}, never from an option.")
@http_options(timeout=60.0, retries=3, what="the store")
@click.option("--dry-run", is_flag=True,
              help="Read the store and say what a push would change; send nothing.")
@lang_option
def push(endpoint: str, into_graph: str | None, gsp: str | None, update: str | None,
         user: str | None, policy: HttpPolicy, dry_run: bool, lang: str) -> None:
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
    from akke_graph.push import PushTarget
    from akke_graph.push import push as push_graph

    # The password is the one value read from the environment by hand: it must never be an
    # option (it would show in the process list and the shell's history).
    password = os.environ.get(PASSWORD_ENV) or None if user else None
    target = PushTarget.from_options(endpoint, gsp=gsp, update=update, user=user, password=password)
    report = push_graph(load(project_config()), target, into_graph=into_graph, policy=policy,
                        log=lambda message: click.echo(f"akke-graph push: {message}", err=True),
                        dry_run=dry_run)
    click.echo(report.to_text())
