"""Options and parameter types shared by the commands.

Each value is parsed and checked here, once: a bad one is a usage error (exit 2) with click's
message, and the library gets it typed (a :class:`~akke_graph.store_spec.StoreSpec`, a checked
URL, finite seconds, one :class:`~akke_graph.sparql_http.policy.HttpPolicy`). Environment
variables are declared on the options, so ``--help`` shows them; the library reads none.
"""

from __future__ import annotations

import functools
import math
import os
import re
from pathlib import Path
from typing import Any, Callable, TypeVar, cast

import click

from akke_graph.config import Config, load_config
from akke_graph.errors import LANGS, AkkeError
from akke_graph.sparql_http.failures import url_problem
from akke_graph.store_spec import METAVAR as STORE_METAVAR
from akke_graph.store_spec import StoreSpec

F = TypeVar("F", bound=Callable[..., Any])

LANG_ENV = "AKKE_GRAPH_LANG"
PROJECT_ENV = "AKKE_GRAPH_PROJECT"
HTTP_ENV = {"timeout": "AKKE_HTTP_TIMEOUT", "retries": "AKKE_HTTP_RETRIES",
            "backoff": "AKKE_HTTP_BACKOFF", "deadline": "AKKE_HTTP_DEADLINE",
            "min_interval": "AKKE_HTTP_MIN_INTERVAL"}
MAX_SECONDS = 7 * 24 * 3600.0   # a week: anything longer is a typo, and inf or nan never fit


def locale_lang() -> str:
    """Finnish where the user's locale says so, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "fi" if value.lower().startswith("fi") else "en"
    return "en"


def current_lang() -> str:
    """The language the running command was given (``--lang``), else the locale's."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    lang = obj.get("lang") if isinstance(obj, dict) else None
    return lang if isinstance(lang, str) else locale_lang()


class LangType(click.ParamType):
    """``fi`` or ``en``; a locale name such as ``fi_FI.UTF-8`` counts as its language."""

    name = "fi|en"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        code = re.split(r"[_.@-]", str(value).strip().lower(), maxsplit=1)[0]
        if code not in LANGS:
            self.fail(f"{str(value)[:40]!r} is not a language of the messages: use fi or en", param, ctx)
        return code


class StoreType(click.ParamType):
    """An embedded store, parsed once into a :class:`StoreSpec`."""

    name = STORE_METAVAR

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> StoreSpec:
        if isinstance(value, StoreSpec):
            return value
        try:
            return StoreSpec.parse(str(value))
        except AkkeError as exc:
            self.fail(str(exc), param, ctx)


class UrlType(click.ParamType):
    """An http(s) URL of a remote service: a host, no spaces, no credentials in it."""

    name = "URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        problem = url_problem(str(value))
        if problem:
            self.fail(problem, param, ctx)
        return str(value)


class Seconds(click.ParamType):
    """A finite number of seconds, above ``minimum`` (or at it, with ``zero_ok`` for 0)."""

    name = "SECONDS"

    def __init__(self, minimum: float = 0.0, *, zero_ok: bool = False,
                 maximum: float = MAX_SECONDS) -> None:
        self.minimum, self.zero_ok, self.maximum = minimum, zero_ok, maximum

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{str(value)[:40]!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        low_ok = seconds >= self.minimum if self.zero_ok else seconds > self.minimum
        if not low_ok or seconds > self.maximum:
            bound = "at least" if self.zero_ok else "more than"
            self.fail(f"{seconds:g} is out of range: give {bound} {self.minimum:g} and at most "
                      f"{self.maximum:g} seconds", param, ctx)
        return seconds


class Checked(click.ParamType):
    """A value the library checks (``check`` raises an :class:`AkkeError` saying what is wrong),
    refused at the edge as a usage error."""

    def __init__(self, name: str, check: Callable[[str], str]) -> None:
        self.name, self.check = name, check

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return self.check(str(value))
        except AkkeError as exc:
            self.fail(str(exc), param, ctx)


STORE = StoreType()
URL = UrlType()
LANG = LangType()


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """The language (the option, ``AKKE_GRAPH_LANG``, else the locale), kept on the root
    context where the command boundary finds it for error messages."""
    lang = value or locale_lang()
    ctx.find_root().ensure_object(dict)["lang"] = lang
    return lang


lang_option = click.option(
    "--lang", type=LANG, default=None, metavar="fi|en", envvar=LANG_ENV, show_envvar=True, is_eager=True,
    callback=_remember_lang,
    help="Language of messages, labels and reports, error messages included (default: the "
         "locale's, else en).")

store_option = click.option(
    "--store", "store_spec", type=STORE, default="oxigraph", show_default=True, metavar=STORE_METAVAR,
    help="Embedded store: rdflib in memory, or Oxigraph in memory or on disk in DIR.")

project_option = click.option(
    "--project", type=click.Path(file_okay=False, exists=True), default=None, envvar=PROJECT_ENV,
    show_envvar=True,
    help="Project folder (holding pyproject.toml with [tool.akke-graph]); default: the nearest "
         "one at or above the current folder.")


def http_options(*, timeout: float, retries: int, backoff: float = 0.5, deadline: float = 300.0,
                 min_interval: float | None = None, what: str = "the service") -> Callable[[F], F]:
    """``--timeout``, ``--retries``, ``--backoff`` and ``--deadline`` (and, given a default,
    ``--min-interval``), each with its ``AKKE_HTTP_*`` variable, parsed into one
    :class:`~akke_graph.sparql_http.policy.HttpPolicy` that the command gets as ``policy``."""
    options = [
        click.option("--timeout", type=Seconds(), default=timeout, show_default=True,
                     envvar=HTTP_ENV["timeout"], show_envvar=True,
                     help=f"Seconds to wait for {what} to connect and for each part of an answer."),
        click.option("--retries", type=click.IntRange(0, 20), default=retries, show_default=True,
                     envvar=HTTP_ENV["retries"], show_envvar=True,
                     help="Retries of a request on connection errors, timeouts, 429 and 5xx "
                          "answers (never on another 4xx)."),
        click.option("--backoff", type=Seconds(zero_ok=True, maximum=3600), default=backoff,
                     show_default=True, envvar=HTTP_ENV["backoff"], show_envvar=True,
                     help="Seconds before the first retry; each later wait doubles, up to 30 s."),
        click.option("--deadline", type=Seconds(), default=deadline, show_default=True,
                     envvar=HTTP_ENV["deadline"], show_envvar=True,
                     help="Seconds one request may take with all its retries and waits; no retry "
                          "starts after it."),
    ]
    if min_interval is not None:
        options.append(click.option(
            "--min-interval", type=Seconds(zero_ok=True, maximum=3600), default=min_interval,
            show_default=True, envvar=HTTP_ENV["min_interval"], show_envvar=True,
            help="Seconds between two requests to one registry (politeness)."))

    def decorate(command: F) -> F:
        @functools.wraps(command)
        def wrapper(*args: Any, timeout: float, retries: int, backoff: float, deadline: float,
                    **kwargs: Any) -> Any:
            from akke_graph.sparql_http.policy import HttpPolicy

            kwargs["policy"] = HttpPolicy(timeout=timeout, retries=retries, backoff=backoff,
                                          deadline=deadline)
            return command(*args, **kwargs)

        decorated: Any = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return cast(F, decorated)

    return decorate


def project_config() -> Config:
    """The configuration of the project the command runs in."""
    ctx = click.get_current_context(silent=True)
    options = ctx.find_root().obj if ctx is not None else None
    root = options.get("project") if isinstance(options, dict) else None
    return load_config(Path(root) if root else None)
