"""The one httpx client: every request it sends goes through the retry loop of :mod:`.policy`,
and every failure becomes the error of :mod:`.failures` that names what was being done, where,
and what the service answered. The SPARQL store protocols (:mod:`.graph_store`) and the
registries' JSON APIs are built on it.
"""

from __future__ import annotations

import functools
import ssl
from pathlib import Path
from typing import Any, Callable, Collection, Generator, Iterator, Mapping, TypeVar

import httpx

from akke_graph.errors import AkkeError, EndpointError, Message
from akke_graph.sparql_http.deadline import bound_httpx, deadline
from akke_graph.sparql_http.failures import (Failing, broken, excerpt, retry_after_seconds,
                                             retryable_status, safe_url, server_error, timed_out,
                                             unreachable)
from akke_graph.sparql_http.policy import (SYSTEM_CLOCK, USER_AGENT, Attempt, Clock, GaveUp,
                                           HttpPolicy, RateLimiter, Retry, retrying)

CHUNK = 1 << 20
T = TypeVar("T")


class ChallengeAuth(httpx.Auth):
    """Digest or Basic, whichever the server asks for, remembered after the first challenge so
    that later (large) requests go out authenticated at once instead of twice."""

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
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


Content = str | bytes | FileBody | None


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The process's one TLS context (httpx's defaults, SSL_CERT_FILE honoured): building one reads
    the whole CA bundle, some 40 ms of CPU, which every client would otherwise pay again."""
    return httpx.create_ssl_context()


class HttpClient:
    """One connection pool, one policy, one kind of error (``error``, with ``hints`` by status);
    a ``limiter`` spaces the requests to a service that asks for politeness. The httpx client is
    made on the first request."""

    def __init__(self, policy: HttpPolicy | None = None, *, auth: httpx.Auth | None = None,
                 headers: Mapping[str, str] | None = None, error: type[AkkeError] = EndpointError,
                 hints: Mapping[int, Message] | None = None, limiter: RateLimiter | None = None,
                 follow_redirects: bool = False, clock: Clock = SYSTEM_CLOCK) -> None:
        self.policy = policy or HttpPolicy()
        self.error = error
        self.hints = dict(hints or {})
        self.limiter = limiter
        self.clock = clock
        self.server_software: str | None = None
        self._options: dict[str, Any] = dict(
            auth=auth, follow_redirects=follow_redirects, timeout=httpx.Timeout(self.policy.timeout),
            headers={"User-Agent": USER_AGENT, **(headers or {})})
        self._http: httpx.Client | None = None

    @property
    def http(self) -> httpx.Client:
        if self._http is None:
            self._http = bound_httpx(httpx.Client(verify=tls_context(), **self._options))
        return self._http

    @property
    def started(self) -> bool:
        """Whether a connection pool exists yet (none is made before the first request)."""
        return self._http is not None

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def failing(self, method: str, url: str, what: Message) -> Failing:
        return Failing(what, f"{method} {safe_url(url)}", self.error, self.hints)

    def send(self, method: str, url: str, *, what: Message, params: Mapping[str, str] | None = None,
             content: Content = None, data: Mapping[str, str] | None = None,
             headers: Mapping[str, str] | None = None, policy: HttpPolicy | None = None,
             accept: Collection[int] = ()) -> httpx.Response:
        """One request, retried as the policy says; a status in ``accept`` (say 404) is an
        answer, not a failure."""
        failing = self.failing(method, url, what)

        def attempt(now: Attempt) -> httpx.Response:
            return self.attempt(now, method, url, failing, params=params, content=content,
                                data=data, headers=headers, accept=accept)

        return self.retrying(attempt, failing.gave_up, policy)

    def retrying(self, attempt: Callable[[Attempt], T], give_up: Callable[[GaveUp], Exception],
                 policy: HttpPolicy | None = None) -> T:
        """``attempt`` under this client's policy (or ``policy``), limiter and clock; for work
        whose every try is more than one request."""
        return retrying(attempt, policy or self.policy, give_up, limiter=self.limiter,
                        clock=self.clock)

    def attempt(self, now: Attempt, method: str, url: str, failing: Failing, *,
                params: Mapping[str, str] | None = None, content: Content = None,
                data: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None,
                accept: Collection[int] = ()) -> httpx.Response:
        """One try: the answer, a :class:`Retry` for what may pass, or the refusal. The try's
        timeout bounds all of it, the whole answer included (:mod:`.deadline`)."""
        try:
            with deadline(now.timeout):
                response = self.http.request(method, url, params=params, content=content,
                                             data=data, headers=headers,
                                             timeout=httpx.Timeout(now.timeout))
        except httpx.TimeoutException:
            raise Retry(timed_out(now.timeout)) from None
        except httpx.ConnectError as exc:
            raise Retry(unreachable(exc)) from None
        except httpx.TransportError as exc:   # read/write errors, cut connections
            raise Retry(broken(exc)) from None
        status = response.status_code
        if status < 400 or status in accept:
            self.server_software = response.headers.get("server") or self.server_software
            return response
        detail = _excerpt(response)
        if retryable_status(status):
            raise Retry(server_error(status, detail),
                        retry_after_seconds(response.headers.get("Retry-After")))
        raise failing.refused(status, detail)


def _excerpt(response: httpx.Response) -> str:
    try:
        return excerpt(response.text)
    except (UnicodeDecodeError, LookupError):   # undecodable body: the status says enough
        return ""
