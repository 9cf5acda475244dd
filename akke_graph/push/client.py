"""The store a push goes to: where it is (:class:`PushTarget`) and the questions a push asks it
(:class:`StoreClient`), over the one SPARQL-over-HTTP client (:mod:`akke_graph.sparql_http`):
every request retried with backoff on connection errors, timeouts and 5xx answers (never on
4xx), within the policy's deadline, and turned into one clear :class:`EndpointError` naming the
URL and the HTTP status on giving up.

The password comes from ``AKKE_GRAPH_PASSWORD`` only (read by the command, never an option);
it is never part of a URL, an argument or a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from akke_graph.config import PASSWORD_ENV
from akke_graph.errors import ConfigError, EndpointError, Message, text
from akke_graph.sparql_http.failures import check_url
from akke_graph.sparql_http.graph_store import SparqlStoreClient
from akke_graph.sparql_http.policy import SYSTEM_CLOCK, Clock, HttpPolicy

__all__ = ["PASSWORD_ENV", "PushTarget", "StoreClient", "graph_values"]


@dataclass(frozen=True)
class PushTarget:
    """Where a push goes: the query endpoint (count checks), the update endpoint (temporary graphs
    and the final ``MOVE``) and, if the store has one, its Graph Store Protocol endpoint."""

    endpoint: str
    update: str
    gsp: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_options(cls, endpoint: str, *, gsp: str | None = None, update: str | None = None,
                     user: str | None = None, password: str | None = None) -> "PushTarget":
        """Check the URLs; with a user, a password is needed (the command reads it from
        :data:`PASSWORD_ENV`, never from an option).

        Without ``update``, an endpoint ending in ``/query`` (Oxigraph, Fuseki) updates at the
        sibling ``/update``; any other endpoint is taken to accept updates itself (Virtuoso,
        GraphDB, the SPARQL 1.1 Protocol's single-URL form)."""
        for url in (endpoint, gsp, update):
            if url is not None:
                check_url(url)
        if update is None:
            update = endpoint[: -len("/query")] + "/update" if endpoint.endswith("/query") else endpoint
        if user and not password:
            raise ConfigError(text("password-missing", user=user, env=PASSWORD_ENV),
                              hint=text("password-missing.hint", env=PASSWORD_ENV))
        return cls(endpoint=endpoint, update=update, gsp=gsp, user=user or None,
                   password=password if user else None)


class StoreClient(SparqlStoreClient):
    """One connection pool to the target store, with the policy applied to every request."""

    def __init__(self, target: PushTarget, policy: HttpPolicy | None = None,
                 clock: Clock = SYSTEM_CLOCK) -> None:
        hint = text("push-auth.hint", env=PASSWORD_ENV)
        super().__init__(target.endpoint, target.update, target.gsp, user=target.user,
                         password=target.password, policy=policy, hints={401: hint, 403: hint},
                         clock=clock)
        self.target = target

    def __enter__(self) -> "StoreClient":
        return self

    def holds_any(self, graphs: list[str]) -> bool:
        """Whether any of ``graphs`` holds a triple (a cheap first question; its answer also
        says which store this is, by its ``Server`` header)."""
        return self.ask(f"ASK {{ {graph_values(graphs)} GRAPH ?g {{ ?s ?p ?o }} }}",
                        what=text("push-what-ask"))

    def graph_counts(self, graphs: list[str], *, what: Message) -> dict[str, int]:
        """Triples per named graph, by one query (graphs without triples are left out)."""
        if not graphs:
            return {}
        rows = self.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {graph_values(graphs)} "
                           "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", what=what)
        counts: dict[str, int] = {}
        for row in rows:
            if "g" in row and "n" in row:
                try:
                    counts[row["g"]] = int(row["n"])
                except ValueError:
                    raise EndpointError(f"{what}: {self.endpoint} answered a count that is not a "
                                        f"number: {row['n'][:60]!r}") from None
        return counts

    def existing_graphs(self, graphs: list[str], *, what: Message) -> set[str]:
        """Those of ``graphs`` that hold any triple."""
        if not graphs:
            return set()
        rows = self.select(f"SELECT ?g WHERE {{ {graph_values(graphs)} "
                           "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }", what=what)
        return {row["g"] for row in rows if "g" in row}


def graph_values(graphs: list[str]) -> str:
    """``VALUES ?g { <…> … }``: a query's graph variable bound to ``graphs``."""
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }"
