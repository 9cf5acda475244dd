"""A SPARQL 1.1 store over HTTP, written to as well as read: the SPARQL Protocol for queries
(JSON or TSV results) and updates, and the Graph Store Protocol for whole graphs. Built on the
one httpx client (:mod:`.client`), so every request has the one policy and the one error.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Mapping, TypeVar

from akke_graph.errors import EndpointError, Message, text
from akke_graph.sparql_http.client import ChallengeAuth, FileBody, HttpClient
from akke_graph.sparql_http.failures import Failing, safe_url
from akke_graph.sparql_http.policy import SYSTEM_CLOCK, Attempt, Clock, HttpPolicy

T = TypeVar("T")
# Oxigraph server series (major, minor) whose bulk loader commits each request whole.
ATOMIC_BULK_LOAD = {(0, 5)}


class SparqlStoreClient(HttpClient):
    """The query endpoint, the update endpoint and, if the store has one, its Graph Store
    Protocol endpoint; with a user, Basic or Digest authentication as the server asks."""

    def __init__(self, endpoint: str, update: str, gsp: str | None = None, *,
                 user: str | None = None, password: str | None = None,
                 policy: HttpPolicy | None = None, hints: Mapping[int, Message] | None = None,
                 clock: Clock = SYSTEM_CLOCK) -> None:
        auth = ChallengeAuth(user, password) if user and password else None
        super().__init__(policy, auth=auth, error=EndpointError, hints=hints, clock=clock)
        self.endpoint = endpoint
        self.update_url = update
        self.gsp = gsp

    # --- SPARQL Protocol -------------------------------------------------------------------

    def query_json(self, query: str, pick: Callable[[Any], T], *, what: Message) -> T:
        """``pick`` applied to the SPARQL JSON results of ``query``; an answer that is not
        such results becomes a clear error."""
        response = self.send("POST", self.endpoint, what=what, data={"query": query},
                             headers={"Accept": "application/sparql-results+json"})
        try:
            return pick(json.loads(response.content))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise EndpointError(text("http-not-json", what=what, where=safe_url(self.endpoint)),
                                hint=text("http-not-json.hint")) from None

    def select(self, query: str, *, what: Message) -> list[dict[str, str]]:
        """Rows of a SELECT as ``{variable: lexical value}``."""
        def rows(answer: Any) -> list[dict[str, str]]:
            return [{k: str(v["value"]) for k, v in row.items()} for row in answer["results"]["bindings"]]

        return self.query_json(query, rows, what=what)

    def ask(self, query: str, *, what: Message) -> bool:
        def boolean(answer: Any) -> bool:
            if not isinstance(answer["boolean"], bool):
                raise TypeError("not a boolean")
            return answer["boolean"]

        return self.query_json(query, boolean, what=what)

    def select_tsv(self, query: str, *, what: Message) -> bytes:
        """The raw TSV answer of a SELECT: its terms are in SPARQL syntax, ready to send back."""
        response = self.send("POST", self.endpoint, what=what, data={"query": query},
                             headers={"Accept": "text/tab-separated-values"})
        if not response.headers.get("content-type", "").startswith("text/tab-separated-values"):
            raise EndpointError(f"{what}: {safe_url(self.endpoint)} did not answer with "
                                "SPARQL TSV results")
        return response.content

    def update(self, update: str | bytes | FileBody, *, what: Message,
               policy: HttpPolicy | None = None) -> None:
        """Run a SPARQL Update (as an ``application/sparql-update`` body; a large one from a file)."""
        failing = self.failing("POST", self.update_url, what)
        self.retrying(lambda now: self.update_attempt(now, update, failing), failing.gave_up, policy)

    def update_attempt(self, now: Attempt, update: str | bytes | FileBody, failing: Failing) -> None:
        """One try of an update, for a caller whose retries must ask something first."""
        content = update.encode("utf-8") if isinstance(update, str) else update
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        if isinstance(content, FileBody):
            headers["Content-Length"] = str(len(content))
        self.attempt(now, "POST", self.update_url, failing, content=content, headers=headers)

    # --- Graph Store Protocol --------------------------------------------------------------

    def put_graph(self, graph: str, body: FileBody, *, what: Message) -> None:
        """Replace ``graph`` with the N-Triples in ``body``."""
        self.send("PUT", self._gsp(), what=what, params={"graph": graph}, content=body,
                  headers={"Content-Type": "application/n-triples",
                           "Content-Length": str(len(body))})

    def post_dataset(self, body: FileBody, *, what: Message, bulk: bool = False) -> None:
        """Add the N-Quads in ``body`` to the store, in one transaction, or with ``bulk`` by
        Oxigraph's bulk loader (``?no_transaction``: no locks, files built and taken in whole)."""
        self.send("POST", self._gsp(), what=what, content=body,
                  params={"no_transaction": ""} if bulk else None,
                  headers={"Content-Type": "application/n-quads", "Content-Length": str(len(body))})

    def _gsp(self) -> str:
        if not self.gsp:
            raise EndpointError("this store has no Graph Store Protocol endpoint (give --gsp)")
        return self.gsp

    # --- which store answers ---------------------------------------------------------------

    @property
    def is_oxigraph(self) -> bool:
        """Whether the store said it is Oxigraph (its ``Server`` header), once it answered."""
        return (self.server_software or "").lower().startswith("oxigraph/")

    @property
    def bulk_load_is_atomic(self) -> bool:
        """Whether the store is an Oxigraph server of a series whose bulk load of one request
        becomes visible all at once (:data:`ATOMIC_BULK_LOAD`, the one the tests verify): it
        commits at the end, in one atomic ingestion of its files (on disk) or one transaction
        (in memory), and a failed request leaves nothing. Older servers commit each quad apart in
        memory; newer ones are not verified yet. Both get transactions."""
        version = (self.server_software or "").partition("/")[2].split(".")
        try:
            return self.is_oxigraph and (int(version[0]), int(version[1])) in ATOMIC_BULK_LOAD
        except (ValueError, IndexError):
            return False
