"""HTTP to a remote SPARQL 1.1 store: SPARQL Protocol queries and updates, Graph Store Protocol
PUTs, each retried with backoff on connection errors, timeouts and 5xx answers (never on 4xx),
and turned into one clear :class:`EndpointError` naming the URL and the HTTP status on giving up.

The password comes from ``AKKE_GRAPH_PASSWORD`` only; it is never part of a URL, an argument or
a message.
"""

from __future__ import annotations

import json
import os
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, TypeVar

import httpx

from akke_graph.errors import ConfigError, EndpointError

T = TypeVar("T")

PASSWORD_ENV = "AKKE_GRAPH_PASSWORD"
# Oxigraph server series (major, minor) whose bulk loader commits each request whole.
ATOMIC_BULK_LOAD = {(0, 5)}
CHUNK = 1 << 20


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
                     user: str | None = None,
                     environ: Mapping[str, str] | None = None) -> "PushTarget":
        """Check the URLs and read the password from the environment (never from an option).

        Without ``update``, an endpoint ending in ``/query`` (Oxigraph, Fuseki) updates at the
        sibling ``/update``; any other endpoint is taken to accept updates itself (Virtuoso,
        GraphDB, the SPARQL 1.1 Protocol's single-URL form)."""
        env = os.environ if environ is None else environ
        for url in (endpoint, gsp, update):
            if url is not None:
                _check_url(url)
        if update is None:
            update = endpoint[: -len("/query")] + "/update" if endpoint.endswith("/query") else endpoint
        password = None
        if user:
            password = env.get(PASSWORD_ENV)
            if not password:
                raise ConfigError(f"--user {user} is given but {PASSWORD_ENV} is not set",
                                  hint=f"export {PASSWORD_ENV}=... (the password is read only "
                                       "from the environment, never from an option)")
        return cls(endpoint=endpoint, update=update, gsp=gsp, user=user or None, password=password)


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{_safe(url)} is not an http(s) URL", hint="give the full URL, e.g. "
                          "http://127.0.0.1:7878/query")
    if parts.username or parts.password:
        raise ConfigError(f"{_safe(url)} carries credentials in the URL",
                          hint=f"give the user with --user and the password in {PASSWORD_ENV}")


def _safe(url: str) -> str:
    """``url`` without any user-info part, fit for a message."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per request, first backoff (doubling) and per-request timeout."""

    attempts: int = 4
    backoff_s: float = 0.5
    timeout_s: float = 60.0

    def delays(self) -> Iterator[float]:
        for n in range(self.attempts - 1):
            yield self.backoff_s * (2 ** n)


class ChallengeAuth(httpx.Auth):
    """Digest or Basic, whichever the server asks for, remembered after the first challenge so
    that later (large) requests go out authenticated at once instead of twice."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request):  # type: ignore[override]
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        offered = {h.split(" ", 1)[0].lower() for h in response.headers.get_list("www-authenticate")}
        if "digest" in offered:
            self._scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            answer = yield retry
            try:
                flow.send(answer)
            except StopIteration:
                pass
        elif "basic" in offered:
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


class FileBody:
    """A request body read from a file (or ``size`` bytes of it from ``start``) in chunks;
    iterable again for a retry or an auth round."""

    def __init__(self, path: Path, start: int = 0, size: int | None = None) -> None:
        self.path = path
        self.start = start
        self.size = size

    def __len__(self) -> int:
        return self.size if self.size is not None else self.path.stat().st_size - self.start

    def __iter__(self) -> Iterator[bytes]:
        left = len(self)
        with self.path.open("rb") as fh:
            fh.seek(self.start)
            while left > 0 and (chunk := fh.read(min(CHUNK, left))):
                left -= len(chunk)
                yield chunk

    def contents(self) -> bytes:
        """The bytes of the body (not named read: httpx would take the object for a file)."""
        with self.path.open("rb") as fh:
            fh.seek(self.start)
            return fh.read(len(self))


class PushFailed(EndpointError):
    """A request to the store failed; ``retryable`` is False for 4xx answers."""

    def __init__(self, message: str, *, hint: str | None = None, retryable: bool = True) -> None:
        super().__init__(message, hint=hint)
        self.retryable = retryable


RETRYABLE = (httpx.TransportError,)  # connect/read/write errors, timeouts, cut connections


class StoreClient:
    """One connection pool to one store, with the retry policy applied to every request."""

    def __init__(self, target: PushTarget, policy: RetryPolicy | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.target = target
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        auth = ChallengeAuth(target.user, target.password) if target.user and target.password else None
        self.server_software: str | None = None
        self.http = httpx.Client(timeout=httpx.Timeout(self.policy.timeout_s), auth=auth,
                                 headers={"User-Agent": "akke-graph push"})

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "StoreClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backoff(self, attempt: int) -> None:
        """Wait before retry number ``attempt`` (1, 2, …): the backoff doubles each time."""
        self._sleep(self.policy.backoff_s * 2 ** (attempt - 1))

    def send(self, method: str, url: str, *, what: str, params: Mapping[str, str] | None = None,
             content: object = None, data: Mapping[str, str] | None = None,
             headers: Mapping[str, str] | None = None, attempts: int | None = None,
             timeout_s: float | None = None) -> httpx.Response:
        """One request with retries; any failure becomes a :class:`PushFailed` saying ``what``
        was being done, at which URL, and what the store answered."""
        limit = attempts or self.policy.attempts
        timeout = httpx.Timeout(timeout_s) if timeout_s else httpx.USE_CLIENT_DEFAULT
        for attempt in range(1, limit + 1):
            problem: str
            try:
                response = self.http.request(method, url, params=params, content=content,
                                             data=data, headers=headers, timeout=timeout)
            except httpx.TimeoutException:
                problem = f"no answer within {timeout_s or self.policy.timeout_s:g} s (timeout)"
            except httpx.ConnectError as exc:
                problem = f"cannot connect ({_reason(exc)})"
            except RETRYABLE as exc:
                problem = f"the connection broke ({_reason(exc)})"
            else:
                if response.status_code < 400:
                    self.server_software = response.headers.get("server") or self.server_software
                    return response
                problem = f"HTTP {response.status_code} {response.reason_phrase}{_excerpt(response)}"
                if response.status_code < 500:
                    hint = (f"check --user and the password in {PASSWORD_ENV}"
                            if response.status_code in (401, 403) else None)
                    raise PushFailed(f"{what}: {method} {_safe(url)} answered {problem}",
                                     hint=hint, retryable=False)
            if attempt == limit:
                tries = f"gave up after {attempt} attempts" if attempt > 1 else "no retry"
                raise PushFailed(f"{what}: {method} {_safe(url)}: {problem}; {tries}")
            self.backoff(attempt)
        raise AssertionError("unreachable")

    # --- SPARQL Protocol -------------------------------------------------------------------

    def _query_json(self, query: str, pick: Callable[[Any], T], *, what: str) -> T:
        """``pick`` applied to the SPARQL JSON results of ``query``; an answer that is not
        such results becomes a clear error."""
        response = self.send("POST", self.target.endpoint, what=what, data={"query": query},
                             headers={"Accept": "application/sparql-results+json"})
        try:
            return pick(json.loads(response.content))
        except (ValueError, KeyError, TypeError):
            raise EndpointError(f"{what}: {_safe(self.target.endpoint)} did not answer with "
                                "SPARQL JSON results") from None

    def select(self, query: str, *, what: str) -> list[dict[str, str]]:
        """Rows of a SELECT as ``{variable: lexical value}``."""
        bindings = self._query_json(query, lambda answer: answer["results"]["bindings"], what=what)
        return [{k: v["value"] for k, v in row.items()} for row in bindings]

    def select_tsv(self, query: str, *, what: str) -> bytes:
        """The raw TSV answer of a SELECT: its terms are in SPARQL syntax, ready to send back."""
        response = self.send("POST", self.target.endpoint, what=what, data={"query": query},
                             headers={"Accept": "text/tab-separated-values"})
        if not response.headers.get("content-type", "").startswith("text/tab-separated-values"):
            raise EndpointError(f"{what}: {_safe(self.target.endpoint)} did not answer with "
                                "SPARQL TSV results")
        return response.content

    def update(self, update: str | bytes | FileBody, *, what: str, attempts: int | None = None,
               timeout_s: float | None = None) -> None:
        """Run a SPARQL Update (as an ``application/sparql-update`` body; a large one from a file)."""
        content = update.encode("utf-8") if isinstance(update, str) else update
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        if isinstance(content, FileBody):
            headers["Content-Length"] = str(len(content))
        self.send("POST", self.target.update, what=what, content=content, attempts=attempts,
                  timeout_s=timeout_s, headers=headers)

    def holds_any(self, graphs: list[str]) -> bool:
        """Whether any of ``graphs`` holds a triple (a cheap first question; its answer also
        says which store this is, by its ``Server`` header)."""
        return bool(self._query_json(f"ASK {{ {graph_values(graphs)} GRAPH ?g {{ ?s ?p ?o }} }}",
                                     lambda answer: answer["boolean"],
                                     what="asking the store whether it holds the graphs"))

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

    def put_graph(self, graph: str, body: FileBody, *, what: str) -> None:
        """Graph Store Protocol: replace ``graph`` with the N-Triples in ``body``."""
        assert self.target.gsp
        self.send("PUT", self.target.gsp, what=what, params={"graph": graph}, content=body,
                  headers={"Content-Type": "application/n-triples",
                           "Content-Length": str(len(body))})

    def post_dataset(self, body: FileBody, *, what: str, bulk: bool = False) -> None:
        """Add the N-Quads in ``body`` to the store, in one transaction, or with ``bulk`` by
        Oxigraph's bulk loader (``?no_transaction``: no locks, files built and taken in whole)."""
        assert self.target.gsp
        self.send("POST", self.target.gsp, what=what, content=body,
                  params={"no_transaction": ""} if bulk else None,
                  headers={"Content-Type": "application/n-quads", "Content-Length": str(len(body))})

    def graph_counts(self, graphs: list[str], *, what: str) -> dict[str, int]:
        """Triples per named graph, by one query (graphs without triples are left out)."""
        if not graphs:
            return {}
        rows = self.select(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ {graph_values(graphs)} "
                           "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", what=what)
        return {row["g"]: int(row["n"]) for row in rows if "g" in row and "n" in row}

    def existing_graphs(self, graphs: list[str], *, what: str) -> set[str]:
        """Those of ``graphs`` that hold any triple."""
        if not graphs:
            return set()
        rows = self.select(f"SELECT ?g WHERE {{ {graph_values(graphs)} "
                           "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }", what=what)
        return {row["g"] for row in rows if "g" in row}


def graph_values(graphs: list[str]) -> str:
    """``VALUES ?g { <…> … }``: a query's graph variable bound to ``graphs``."""
    return "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }"


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def _excerpt(response: httpx.Response, limit: int = 300) -> str:
    try:
        text = " ".join(response.text.split())
    except Exception:  # undecodable body: the status says enough
        return ""
    if not text:
        return ""
    return ": " + (text if len(text) <= limit else text[:limit] + "…")
