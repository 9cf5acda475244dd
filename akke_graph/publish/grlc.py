"""``queries/grlc/``: the canned queries as grlc 1.3 serves them — a folder to point grlc's
``local_sparql_dir`` at, written at publish time beside the project's own queries, which stay as
they are (the project's runner and tests read those).

grlc (https://github.com/CLARIAH/grlc) cannot take every query as the project writes it; each
copy is changed only where grlc needs it:

* ``endpoint`` — the release's SPARQL endpoint (the ``endpoint`` key) in every header, when one
  is configured; else grlc's own default endpoint (``[defaults] sparql_endpoint``) applies;
* ``enumerate`` — grlc 1.3.11 crashes on the list-of-names form (``enumerate: [theme]``), so the
  values are listed from the release's data (the project's own rule, :mod:`akke_graph.query.choices`);
  a parameter with more than :data:`MAX_CHOICES` values is left free;
* ASK — grlc serves only SELECT and CONSTRUCT: an ASK becomes
  ``SELECT ?answer WHERE { BIND(EXISTS {…} AS ?answer) }`` (one row, true or false);
* parameters after the WHERE clause (``ORDER BY ?__number_integer``) are written ``$__number…``:
  grlc replaces every ``?_`` name by the value, which is not valid SPARQL in ``ORDER BY``;
* ``PREFIX xsd:`` exactly as grlc looks for it, so grlc does not insert its own before every
  ``SELECT`` (the header's text included) when a parameter is typed;
* the header holds grlc's keys only (the Finnish summary goes into the description).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pyoxigraph as ox
import yaml  # type: ignore[import-untyped]

from akke_graph.errors import PublishError
from akke_graph.publish.model import ReleaseGraph

if TYPE_CHECKING:
    from akke_graph.query.model import CannedQuery, Param

GRLC_DIR = "queries/grlc"
MAX_CHOICES = 200
XSD_PREFIX = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"   # grlc's gquery.XSD_PREFIX
_FORM = re.compile(r"(?im)^[ \t]*(SELECT|CONSTRUCT|ASK|DESCRIBE)\b")
_XSD_LINE = re.compile(r"(?im)^[ \t]*PREFIX[ \t]+xsd:[ \t]*<[^>]*>[ \t]*\n?")
_ASK = re.compile(r"(?is)^ASK\s*(?:WHERE\s*)?(\{.*\})\s*$")


def ask_as_select(body: str) -> str:
    """``ASK {…}`` as ``SELECT ?answer WHERE { BIND(EXISTS {…} AS ?answer) }``."""
    form = _FORM.search(body)
    if form is None:
        return body
    match = _ASK.match(body[form.start(1):].strip())
    if match is None:
        return body
    return body[:form.start(1)] + f"SELECT ?answer WHERE {{\n  BIND(EXISTS {match.group(1)} AS ?answer)\n}}\n"


def modifiers_with_dollar(body: str) -> str:
    """Parameters after the last ``}`` (ORDER BY, GROUP BY, …) written ``$_…``, which grlc's
    rewriting leaves alone."""
    end = body.rstrip().rfind("}")
    if end < 0:
        return body
    return body[:end + 1] + re.sub(r"\?(_[A-Za-z0-9_]+)", r"$\1", body[end + 1:])


def exact_xsd_prefix(body: str) -> str:
    return XSD_PREFIX + "\n" + _XSD_LINE.sub("", body)


def header(query: "CannedQuery", endpoint: str | None, choices: dict[str, list[str]],
           rebased: Callable[[str], str]) -> str:
    """The ``#+`` YAML header with grlc's keys."""
    data: dict[str, object] = {"summary": rebased(query.summary_in("en"))}
    description = rebased(query.description_in("en"))
    finnish = query.summary.get("fi")
    if finnish:
        description = f"{description}\n\nSuomeksi: {rebased(finnish)}" if description else f"Suomeksi: {rebased(finnish)}"
    if description:
        data["description"] = description
    if endpoint:
        data["endpoint"] = endpoint
    if query.tags:
        data["tags"] = list(query.tags)
    defaults = [{p.name: rebased(p.default)} for p in query.params if p.default is not None]
    if defaults:
        data["defaults"] = defaults
    listed = [{name: values} for name, values in choices.items()]
    if listed:
        data["enumerate"] = listed
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return "".join(f"#+ {line}\n" for line in text.splitlines())


def choices_of(graph: ReleaseGraph, query: "CannedQuery", param: "Param",
               rebased: Callable[[str], str]) -> list[str] | None:
    """The values an enumerated parameter offers: listed in the query, or found in the data."""
    from akke_graph.query.choices import enumeration_query

    if param.enumerate is None:
        return None
    if param.enumerate:
        return [rebased(v) for v in param.enumerate]
    sparql = enumeration_query(query, param)
    if sparql is None:
        return None
    rows = graph.select(rebased(sparql))   # full IRIs: no prefixes needed
    values = sorted({row[param.variable].value for row in rows if param.variable in row})
    return values if 0 < len(values) <= MAX_CHOICES else None


def grlc_query(graph: ReleaseGraph, query: "CannedQuery", rebased: Callable[[str], str]) -> str:
    """One query's file for grlc."""
    choices = {p.name: values for p in query.params
               if (values := choices_of(graph, query, p, rebased)) is not None}
    body = exact_xsd_prefix(modifiers_with_dollar(ask_as_select(rebased(query.body))))
    text = header(query, graph.config.endpoint, choices, rebased) + "\n" + body
    try:
        ox.Store().query(body)
    except SyntaxError as exc:   # a bug in the changes above: say so rather than ship it
        raise PublishError(f"the grlc copy of the query {query.name} is not valid SPARQL: {exc}",
                           hint="this is a bug in akke-graph: please report it") from None
    return text


def local_api_config(graph: ReleaseGraph) -> str:
    """grlc's ``local-api-config.ini`` for the folder: the API's title, description, licence."""
    from akke_graph.publish.authority import CC_BY

    return ("[repo_info]\n"
            "repo_title = AKKE graph: canned SPARQL queries\n"
            f"api_description = The canned queries of the AKKE graph release ({graph.base}), "
            "answered by its SPARQL endpoint.\n"
            f"licence_url = {CC_BY}\n")


README = """# The canned queries for grlc

This folder is written by `akke-graph publish` for [grlc](https://github.com/CLARIAH/grlc)
1.3: point grlc's local folder at it and it serves every query as a web API.

    # config.ini in the folder grlc-server is started from
    [local]
    local_sparql_dir = /path/to/release/queries/grlc
    [defaults]
    sparql_endpoint = {default}
    server_name = 127.0.0.1:8088

{endpoint_note}

The queries are the project's own (queries/*.rq), changed only where grlc needs it: an ASK is
asked as a SELECT with one `answer` column; the values of enumerated parameters are listed from
the data; parameters in ORDER BY are written `$_…`. See docs/release.md of akke-graph.
"""


def write_grlc_folder(graph: ReleaseGraph, queries: list["CannedQuery"], folder: Path,
                      rebased: Callable[[str], str]) -> int:
    """Write ``queries/grlc/``; returns the number of queries."""
    target = folder / GRLC_DIR
    target.mkdir(parents=True, exist_ok=True)
    for query in queries:
        (target / f"{query.name}.rq").write_text(grlc_query(graph, query, rebased), encoding="utf-8")
    (target / "local-api-config.ini").write_text(local_api_config(graph), encoding="utf-8")
    endpoint = graph.config.endpoint
    note = (f"Every query names the release's endpoint, {endpoint}." if endpoint else
            "No endpoint was configured when the release was published: grlc uses its default "
            "`sparql_endpoint` (or an `endpoint=` request parameter).")
    (target / "README.md").write_text(README.format(default=endpoint or "http://127.0.0.1:8080/sparql",
                                                    endpoint_note=note), encoding="utf-8")
    return len(queries)
