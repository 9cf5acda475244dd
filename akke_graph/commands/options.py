"""Options and helpers shared by several commands."""

from __future__ import annotations

import os
from pathlib import Path

import click

from akke_graph.config import Config, load_config

LANGS = ("fi", "en")


def default_lang() -> str:
    """Finnish where the user's locale or AKKE_GRAPH_LANG says so, else English."""
    for var in ("AKKE_GRAPH_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fi" if value.lower().startswith("fi") else "en"
    return "en"


lang_option = click.option(
    "--lang", type=click.Choice(LANGS), default=None,
    help="Language of messages and labels (default: from AKKE_GRAPH_LANG or the locale, else en).")

store_option = click.option(
    "--store", "store_spec", default="oxigraph", show_default=True, metavar="memory|oxigraph[:DIR]",
    help="Embedded store: rdflib in memory, or Oxigraph in memory or on disk in DIR.")


def project_config() -> Config:
    """The configuration of the project the command runs in."""
    ctx = click.get_current_context(silent=True)
    options = ctx.find_root().obj if ctx is not None else None
    root = options.get("project") if isinstance(options, dict) else None
    return load_config(Path(root) if root else None)
