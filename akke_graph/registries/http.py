"""A polite client for registry APIs: timeouts, bounded retries with backoff, a rate limit.

Registries are public services shared with everyone else; a linking run must neither hammer them
nor hang on them. Every request waits its turn (:class:`RateLimiter`), gets a timeout, and is retried
a bounded number of times on connection errors, timeouts, HTTP 429 (honouring ``Retry-After``) and
5xx. What still fails becomes a :class:`~akke_graph.errors.RegistryError` naming the registry and
the URL. Nothing here opens a connection at import time.

The knobs come from the environment so that tests and impatient users can tighten them:
``AKKE_HTTP_TIMEOUT`` (seconds), ``AKKE_HTTP_RETRIES``, ``AKKE_HTTP_BACKOFF`` (first delay, seconds)
and ``AKKE_HTTP_MIN_INTERVAL`` (seconds between two requests to one registry).
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, TypeVar

from akke_graph import __version__
from akke_graph.errors import RegistryError

T = TypeVar("T")

USER_AGENT = f"akke-graph/{__version__} (linked-data graph of Finnish innovation ecosystems)"


@dataclass(frozen=True)
class Politeness:
    """How patient and how polite a client is."""

    timeout: float = 20.0
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 30.0
    min_interval: float = 0.5
    user_agent: str = USER_AGENT

    @classmethod
    def from_env(cls, **overrides: Any) -> "Politeness":
        """Defaults, then ``AKKE_HTTP_*`` variables, then ``overrides``."""
        values: dict[str, Any] = {}
        for key, var, kind in (("timeout", "AKKE_HTTP_TIMEOUT", float),
                               ("retries", "AKKE_HTTP_RETRIES", int),
                               ("backoff", "AKKE_HTTP_BACKOFF", float),
                               ("min_interval", "AKKE_HTTP_MIN_INTERVAL", float)):
            raw = os.environ.get(var)
            if raw:
                try:
                    values[key] = kind(raw)
                except ValueError:
                    raise RegistryError(f"{var}={raw!r} is not a number") from None
        return replace(cls(), **values, **overrides)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based): exponential, capped."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_backoff)
        return min(self.backoff * (2 ** (attempt - 1)), self.max_backoff)


@dataclass
class RateLimiter:
    """At most one request per ``min_interval`` seconds (per limiter, thread-safe)."""

    min_interval: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            if now < self._next:
                self.sleep(self._next - now)
                now = self._next
            self._next = now + self.min_interval


class Retry(Exception):
    """Raised inside an attempt to ask for another try; carries why and an optional delay."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def with_retries(attempt: Callable[[], T], *, policy: Politeness, limiter: RateLimiter,
                 registry: str, url: str, sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``attempt`` until it returns, retrying on :class:`Retry` at most ``policy.retries`` times."""
    last = ""
    for number in range(policy.retries + 1):
        limiter.wait()
        try:
            return attempt()
        except Retry as wanted:
            last = wanted.reason
            if number < policy.retries:
                sleep(policy.delay(number + 1, wanted.retry_after))
    raise RegistryError(
        f"{registry} at {url} could not be reached: {last} (after {policy.retries + 1} attempts)",
        hint="check the network and the registry's status, or try again later")


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header in seconds (the HTTP-date form is treated as absent)."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


class JsonClient:
    """GET JSON from one registry's REST API, politely; the httpx client is made on first use."""

    def __init__(self, base_url: str, registry: str, policy: Politeness | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.registry = registry
        self.policy = policy or Politeness.from_env()
        self.limiter = RateLimiter(self.policy.min_interval)
        self._client: Any = None

    def _http(self) -> Any:
        if self._client is None:
            import httpx

            self._client = httpx.Client(timeout=self.policy.timeout, follow_redirects=True,
                                        headers={"User-Agent": self.policy.user_agent,
                                                 "Accept": "application/json"})
        return self._client

    def get(self, path: str, params: Mapping[str, Any] | None = None,
            *, missing_ok: bool = False) -> Any:
        """The decoded JSON body of ``GET base/path?params``; None on 404 when ``missing_ok``."""
        import httpx

        url = f"{self.base_url}/{path.lstrip('/')}"

        def attempt() -> Any:
            try:
                response = self._http().get(url, params=dict(params or {}))
            except httpx.TimeoutException:
                raise Retry(f"no answer within {self.policy.timeout:g} s") from None
            except httpx.TransportError as exc:
                raise Retry(f"connection failed ({type(exc).__name__}: {exc})") from None
            status = response.status_code
            if status == 429:
                raise Retry("HTTP 429 Too Many Requests",
                            retry_after_seconds(response.headers.get("Retry-After")))
            if status >= 500:
                raise Retry(f"HTTP {status}")
            return response

        response = with_retries(attempt, policy=self.policy, limiter=self.limiter,
                                registry=self.registry, url=url)
        if response.status_code == 404 and missing_ok:
            return None
        if response.status_code >= 400:
            detail = response.text.strip().replace("\n", " ")[:300]
            raise RegistryError(f"{self.registry} at {url} answered HTTP {response.status_code}: "
                                f"{detail or 'no details'}",
                                hint="check the search parameters")
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
            raise RegistryError(f"{self.registry} at {url} answered with a body that is not valid "
                                f"JSON: {response.text[:120]!r}",
                                hint="the service may be under maintenance; try again later") from None

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> "JsonClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
