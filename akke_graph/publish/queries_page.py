"""``queries/index.html`` and ``queries/queries.ttl``: the canned queries published with the data —
each with its summary and description in Finnish and English, its parameters and its SPARQL text,
and the same queries as RDF in the SIB sparql-examples form (from :mod:`akke_graph.query.catalogue`)."""

from __future__ import annotations

from pathlib import Path

from akke_graph.publish.dumps import turtle, used_prefixes
from akke_graph.publish.model import ReleaseGraph, statement_key
from akke_graph.publish.site import Page, Site, render
from akke_graph.terms import SCHEMA, SH


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
    items = [{
        "name": q.name, "kind": q.kind.upper(),
        "summary": {k: rebased(v) for k, v in q.summary.items()},
        "description": {k: rebased(v) for k, v in q.description.items()},
        "tags": q.tags, "text": rebased(q.body),
        "params": [{"name": p.name, "type": p.placeholder, "required": p.required,
                    "default": rebased(p.default) if p.default else None} for p in q.params],
    } for q in sorted(queries, key=lambda q: q.name)]
    render("queries.html", folder / page.path, page=page, root=page.rel("index.html"), queries=items)
    return len(items)

