"""``queries/index.html`` and ``queries/queries.ttl``: the canned queries published with the data —
each with its summary and description in Finnish and English, its parameters and its SPARQL text,
and the same queries as RDF in the SIB sparql-examples form (from :mod:`akke_graph.query.catalogue`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlencode

from akke_graph.publish.dumps import turtle, used_prefixes
from akke_graph.publish.grlc import write_grlc_folder
from akke_graph.publish.model import ReleaseGraph, statement_key
from akke_graph.publish.site import Page, Site, render
from akke_graph.terms import SCHEMA, SH

if TYPE_CHECKING:
    from akke_graph.query.model import CannedQuery


def write_queries(graph: ReleaseGraph, site: Site, folder: Path) -> int:
    """Write the queries page and RDF; returns the number of queries."""
    from akke_graph.query import load_queries, queries_as_rdf

    # Read into the project (under its configured base), then moved as the release moves.
    queries = load_queries(graph.config.with_base(graph.rebaser.old))
    rebased = graph.rebaser.text
    triples = sorted({t for t in queries_as_rdf(queries, graph.base)}, key=statement_key)
    prefixes = used_prefixes(triples, {**graph.prefixes, "sh": SH, "schema": SCHEMA})
    (folder / "queries").mkdir(parents=True, exist_ok=True)
    (folder / "queries" / "queries.ttl").write_bytes(turtle(triples, prefixes))
    page = Page(site, "queries/index.html")
    endpoint = graph.config.endpoint
    items = [{
        "name": q.name, "kind": q.kind.upper(),
        "summary": {k: rebased(v) for k, v in q.summary.items()},
        "description": {k: rebased(v) for k, v in q.description.items()},
        "tags": q.tags, "text": rebased(q.body),
        "params": [{"name": p.name, "type": p.placeholder, "required": p.required,
                    "default": rebased(p.default) if p.default else None} for p in q.params],
        "run": run_link(endpoint, q, rebased) if endpoint else None,
    } for q in sorted(queries, key=lambda q: q.name)]
    write_grlc_folder(graph, queries, folder, rebased)
    render("queries.html", folder / page.path, page=page, root=page.rel("index.html"), queries=items,
           endpoint=endpoint, grlc=True)
    return len(items)


def run_link(endpoint: str, query: CannedQuery, rebased: Callable[[str], str]) -> str:
    """The endpoint's query page with the query filled in (its defaults bound), in the share-link
    form of the YASGUI page that ``serve`` and Oxigraph show (``#query=…``): the page opens with
    the query in its editor, to be run with one click."""
    from akke_graph.errors import QueryError
    from akke_graph.query.params import bind, substitute_text

    try:
        text = substitute_text(query.body, bind(query, {}))
    except QueryError:   # a required parameter without a default: the query as it is
        text = query.body
    return endpoint + "#" + urlencode({"query": rebased(text)})
