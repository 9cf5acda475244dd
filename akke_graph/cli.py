"""The ``akke-graph`` command line: a thin click layer over the library.

Commands live in ``akke_graph/commands/<area>.py`` and are imported only when run, so that
``akke-graph --help`` starts fast. Every :class:`~akke_graph.errors.AkkeError` becomes a message
on stderr, in the command's ``--lang``, and an exit code here, once: 0 ok, 1 the data does not
conform, 2 error.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from akke_graph import __version__
from akke_graph.commands.options import current_lang, locale_lang, project_option
from akke_graph.errors import EXIT_ERROR, AkkeError, NonConformantError, text
from akke_graph.escape import visible

# name -> (module:attribute, one-line help shown by ``akke-graph --help`` without importing it)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("akke_graph.commands.validate:validate",
                 "Validate the graph (or given files) against the SHACL shapes."),
    "query": ("akke_graph.commands.query:query",
              "Run a canned or ad-hoc SPARQL query, embedded or against an endpoint."),
    "publish": ("akke_graph.commands.publish:publish",
                "Write an open-data release: dumps, DCAT-AP, pages, pictures."),
    "diff": ("akke_graph.commands.diff:diff",
             "Compare two releases or RDF files: triples added and removed."),
    "serve": ("akke_graph.commands.serve:serve",
              "Serve the graph over SPARQL and the release as linked data."),
    "push": ("akke_graph.commands.push:push",
             "Load the validated graph into any SPARQL 1.1 store."),
    "link": ("akke_graph.commands.link:link",
             "Link organisations, places and themes to national registries."),
    "import": ("akke_graph.commands.importing:import_",
               "Import project cards and tables of records into data/, one file per source page."),
}


def _available(target: str) -> bool:
    module = target.split(":", 1)[0]
    return importlib.util.find_spec(module) is not None


class AkkeGroup(click.Group):
    """A group whose commands are imported lazily and whose errors become exit codes."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n, (target, _) in COMMANDS.items() if _available(target))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        entry = COMMANDS.get(name)
        if entry is None or not _available(entry[0]):
            return None
        module, attribute = entry[0].split(":")
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, COMMANDS[n][1]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AkkeError as exc:
            lang = current_lang()
            click.echo(f"akke-graph: {visible(exc.render(lang))}", err=True)
            if isinstance(exc, NonConformantError) and exc.report is not None:
                click.echo(visible(exc.report_text(lang)), err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(f"akke-graph: {text('interrupted').render(current_lang())}", err=True)
            ctx.exit(130)
        return None


@click.group(cls=AkkeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="akke-graph")
@project_option
@click.pass_context
def cli(ctx: click.Context, project: str | None) -> None:
    """akke-graph: a linked-data knowledge graph of Finland's regional innovation ecosystems.

    Validate the graph, query it, publish it as open data, serve it over SPARQL, push it to a
    triple store and link it to national registries. Exit codes: 0 ok, 1 the data does not
    conform to the shapes, 2 error.
    """
    # Kept on the context, not in the environment: a caller that runs several commands in one
    # process (tests, scripts using CliRunner) must not have one command's project leak into the next.
    ctx.ensure_object(dict)["project"] = project


def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="akke-graph")
    except AkkeError as exc:  # raised outside a command, e.g. while building one
        click.echo(f"akke-graph: {visible(exc.render(locale_lang()))}", err=True)
        sys.exit(exc.exit_code if exc.exit_code else EXIT_ERROR)
