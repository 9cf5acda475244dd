"""A polite client for registry REST APIs, on the one HTTP client and policy of
:mod:`akke_graph.sparql_http`: timeouts, bounded retries with capped backoff and a deadline, and
a rate limit per registry.

Registries are public services shared with everyone else; a linking run must neither hammer them
nor hang on them. Every request waits its turn (``min_interval`` seconds after the one before),
and what still fails becomes a :class:`~akke_graph.errors.RegistryError` naming the registry and
the URL. Nothing here opens a connection at import time or before the first request.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from akke_graph.errors import RegistryError
from akke_graph.sparql_http.policy import SYSTEM_CLOCK, Clock, HttpPolicy, RateLimiter

# The registries' own defaults: a patient first wait, at most two requests a second.
REGISTRY_POLICY = HttpPolicy(timeout=20.0, retries=3, backoff=1.0)
MIN_INTERVAL = 0.5


class JsonClient:
    """GET JSON from one registry's REST API, politely."""

    def __init__(self, base_url: str, registry: str, policy: HttpPolicy | None = None, *,
                 min_interval: float = MIN_INTERVAL, clock: Clock = SYSTEM_CLOCK) -> None:
        from akke_graph.sparql_http.client import HttpClient

        self.base_url = base_url.rstrip("/")
        self.registry = registry
        self.http = HttpClient(policy or REGISTRY_POLICY, error=RegistryError,
                               headers={"Accept": "application/json"}, follow_redirects=True,
                               limiter=RateLimiter(min_interval, clock), clock=clock)

    def get(self, path: str, params: Mapping[str, Any] | None = None,
            *, missing_ok: bool = False) -> Any:
        """The decoded JSON body of ``GET base/path?params``; None on 404 when ``missing_ok``."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        response = self.http.send("GET", url, what=self.registry, params=dict(params or {}),
                                  accept=(404,) if missing_ok else ())
        if response.status_code == 404:
            return None
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError, ValueError, RecursionError):
            raise RegistryError(f"{self.registry} at {url} answered with a body that is not valid "
                                f"JSON: {response.text[:120]!r}",
                                hint="the service may be under maintenance; try again later") from None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "JsonClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
