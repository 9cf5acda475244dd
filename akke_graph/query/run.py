"""Running a canned query on an embedded store: parameters bound as terms, written into the
text as escaped SPARQL (see :mod:`.params`), and an empty answer explained (:mod:`.choices`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from akke_graph.config import Config, load_config
from akke_graph.errors import QueryError
from akke_graph.query.catalogue import find_query
from akke_graph.query.choices import check_choices
from akke_graph.query.model import CannedQuery
from akke_graph.query.params import bind, substitute_text
from akke_graph.query.results import QueryResult
from akke_graph.store import Store

if TYPE_CHECKING:
    from akke_graph.load import LoadedGraph


def run_query(loaded_or_store: "LoadedGraph | Store", name_or_query: str | CannedQuery,
              params: Mapping[str, object] | None = None, *, config: Config | None = None) -> QueryResult:
    """Run a canned query (by name or as read) on an embedded store, parameters bound as terms.

    This is the whole in-process path, so timing it times what a user waits for.
    """
    store = loaded_or_store if isinstance(loaded_or_store, Store) else loaded_or_store.store
    if isinstance(name_or_query, CannedQuery):
        query = name_or_query
    else:
        if config is None:
            config = load_config() if isinstance(loaded_or_store, Store) else loaded_or_store.config
        query = find_query(config, name_or_query)
    if query.calls_service:
        raise QueryError(f"{query.path or query.name}: the query calls a remote endpoint (SERVICE), "
                         "which the embedded store does not do",
                         hint="run it on a SPARQL endpoint that allows it: add --endpoint URL")
    bound = bind(query, params)
    result = QueryResult(kind=query.kind, query=query.name, variables=list(query.variables),
                         bound=dict(bound))
    text = substitute_text(query.text, bound)
    if query.kind == "select":
        result.rows = store.select(text)
    elif query.kind == "ask":
        result.boolean = store.ask(text)
    else:
        result.triples = store.construct(text)
    if result.is_empty:
        check_choices(query, bound, params or {}, store.select)
    return result
