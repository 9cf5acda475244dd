"""A SPARQL 1.1 store over HTTP, written to as well as read: the SPARQL Protocol for queries
(JSON or TSV results) and updates, and the Graph Store Protocol for whole graphs. Built on the
one httpx client (:mod:`.client`), so every request has the one policy and the one error.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, TypeVar

from akke_graph.errors import EndpointError, Message, text
from akke_graph.sparql_http import results
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

    def query_json(self, query: str, pick: Callable[[dict[str, Any]], T], *, what: Message) -> T:
        """``pick`` applied to the SPARQL JSON results of ``query``; an answer that is not such
        results (:mod:`.results`) becomes a clear error naming the endpoint and what is wrong."""
        response = self.send("POST", self.endpoint, what=what, data={"query": query},
                             headers={"Accept": "application/sparql-results+json"})
        try:
            return pick(results.json_results(response.content, response.headers.get("content-type")))
        except results.Malformed as exc:
            raise self.malformed(what, str(exc)) from None

    def malformed(self, what: Message, problem: str) -> EndpointError:
        """The error for an answer of the query endpoint that is not what it should be."""
        return EndpointError(text("http-malformed", what=what, where=safe_url(self.endpoint),
                                  problem=problem), hint=text("http-malformed.hint"))

    def select(self, query: str, *, what: Message) -> list[dict[str, str]]:
        """Rows of a SELECT as ``{variable: lexical value}``."""
        return self.query_json(query, results.bindings, what=what)

    def ask(self, query: str, *, what: Message) -> bool:
        return self.query_json(query, results.boolean, what=what)

    def count_value(self, value: str, *, what: Message) -> int:
        """A count the store answered, as a number (else the error saying what it was)."""
        try:
            return results.count(value)
        except results.Malformed as exc:
            raise self.malformed(what, str(exc)) from None

    def select_tsv(self, query: str, *, what: Message) -> bytes:
        """The raw TSV answer of a SELECT: its terms are in SPARQL syntax, ready to send back."""
        response = self.send("POST", self.endpoint, what=what, data={"query": query},
                             headers={"Accept": results.TSV_TYPE})
        content_type = response.headers.get("content-type")
        if results.media_type(content_type) != results.TSV_TYPE:
            try:
                results.check_type(content_type or "no media type", (results.TSV_TYPE,),
                                   response.content, "SPARQL TSV results")
            except results.Malformed as exc:
                raise self.malformed(what, str(exc)) from None
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
