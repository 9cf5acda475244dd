"""The polite client's parts: the rate limit and the backoff, with a fake clock."""

from __future__ import annotations

import pytest

from akke_graph.errors import RegistryError
from akke_graph.registries.http import Politeness, RateLimiter, Retry, with_retries


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_rate_limiter_spaces_requests() -> None:
    clock = FakeClock()
    limiter = RateLimiter(0.5, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        limiter.wait()
    assert clock.slept == [0.5, 0.5]
    clock.now += 10
    limiter.wait()
    assert clock.slept == [0.5, 0.5]  # no wait after a pause


def test_backoff_doubles_and_is_capped() -> None:
    policy = Politeness(backoff=1.0, max_backoff=5.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 5.0]
    assert policy.delay(1, retry_after=3.0) == 3.0 and policy.delay(1, retry_after=99) == 5.0


def test_retries_are_bounded_and_report_the_last_reason() -> None:
    clock = FakeClock()
    calls = []

    def attempt() -> None:
        calls.append(1)
        raise Retry("HTTP 503")

    policy = Politeness(retries=2, backoff=0.25, min_interval=0)
    with pytest.raises(RegistryError, match="HTTP 503 \\(after 3 attempts\\)"):
        with_retries(attempt, policy=policy, limiter=RateLimiter(0, clock=clock, sleep=clock.sleep),
                     registry="X", url="http://127.0.0.1/", sleep=clock.sleep)
    assert len(calls) == 3 and clock.slept == [0.25, 0.5]


def test_environment_tunes_the_policy(monkeypatch) -> None:
    monkeypatch.setenv("AKKE_HTTP_RETRIES", "7")
    monkeypatch.setenv("AKKE_HTTP_TIMEOUT", "1.5")
    policy = Politeness.from_env()
    assert policy.retries == 7 and policy.timeout == 1.5
    monkeypatch.setenv("AKKE_HTTP_RETRIES", "many")
    with pytest.raises(RegistryError, match="AKKE_HTTP_RETRIES"):
        Politeness.from_env()


def test_importing_the_clients_calls_nothing() -> None:
    import importlib
    import sys

    for name in ("akke_graph.registries.prh", "akke_graph.registries.wikidata"):
        sys.modules.pop(name, None)
        module = importlib.import_module(name)
        assert module is not None
    from akke_graph.registries.prh import PrhClient

    assert PrhClient("http://127.0.0.1:9/v3").http._client is None  # made on first request only
