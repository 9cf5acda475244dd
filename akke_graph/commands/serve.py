"""``akke-graph serve``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from akke_graph.commands.options import Seconds, lang_option, project_config

SAY = {"exposed": ("akke-graph serve: listening on {host}: reachable from other machines",
                   "akke-graph serve: kuunnellaan osoitetta {host}: palvelu näkyy muille koneille"),
       "loading": ("akke-graph serve: validating and loading the graph",
                   "akke-graph serve: tietoverkkoa validoidaan ja ladataan")}


@click.command()
@click.option("--release", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Release folder to serve (written by publish); default: the configured "
                   "release folder if it exists, else SPARQL only.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the service to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True,
              help="Port to listen on (0: any free port).")
@click.option("--store-dir", "store_dir", type=click.Path(path_type=Path, file_okay=False),
              default=None, metavar="DIR",
              help="Folder of the Oxigraph store to (re)build and serve from (the server needs one "
                   "on disk); default: a temporary folder.")
@click.option("--timeout", "timeout_s", type=Seconds(0.1, zero_ok=True), default=30.0,
              show_default=True, help="Seconds a query may run before it is stopped (503).")
@click.option("--grace", "grace_s", type=Seconds(zero_ok=True), default=None,
              help="Seconds an Oxigraph process replaced after a timeout keeps running for the "
                   "other queries it still answers (default: the timeout + 1).")
@lang_option
def serve(release: Path | None, host: str, port: int, store_dir: Path | None, timeout_s: float,
          grace_s: float | None, lang: str) -> None:
    """Serve the graph over SPARQL and the release as linked data, at one URL.

    The graph is validated and bulk-loaded into a read-only Oxigraph server; /sparql answers
    SPARQL 1.1 queries (GET or POST; updates are refused), /health reports the state, and every
    other path serves the release folder, with content negotiation on /id/... IRIs. Ctrl-C or
    SIGTERM stops everything.
    """
    from akke_graph.load import load
    from akke_graph.serve import SparqlService, StopSignals, serve_until_stopped

    def say(key: str, **fields: object) -> None:
        click.echo(SAY[key][1 if lang == "fi" else 0].format(**fields), err=True)

    config = project_config()
    if host not in ("127.0.0.1", "localhost", "::1"):
        say("exposed", host=host)
    if release is None and config.release_dir.is_dir():
        release = config.release_dir
    with StopSignals() as signals:
        say("loading")
        service = SparqlService.from_loaded(load(config), store_dir=store_dir, release=release,
                                            host=host, port=port, timeout_s=timeout_s,
                                            grace_s=grace_s, log=sys.stderr)
        serve_until_stopped(service, signals.event)
