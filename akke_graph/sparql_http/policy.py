"""The one timeout-and-retry policy for every request to a remote service, and the one loop
that applies it.

A request is tried again when the service could not be reached, did not answer in time, broke
the connection, was busy (HTTP 429) or failed (5xx) — never on another 4xx, which a second try
would only repeat. The waits double from ``backoff`` up to ``max_backoff`` (a server's
``Retry-After`` wins, capped the same), and all attempts and waits of one request end within
``deadline`` seconds: no retry starts that would wait past it, and each attempt's timeout is cut
to the time left. Time comes from a :class:`Clock`, so tests run the loop on a fake one.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Callable, TypeVar

from akke_graph import __version__

T = TypeVar("T")
# How every request introduces itself (registries ask for a contactable agent).
USER_AGENT = f"akke-graph/{__version__} (linked-data graph of Finnish innovation ecosystems)"


@dataclass(frozen=True)
class HttpPolicy:
    """How long to wait for a remote service and how hard to try again (seconds throughout)."""

    timeout: float = 30.0      # one attempt: connecting, and each wait for bytes of the answer
    retries: int = 3           # attempts after the first
    backoff: float = 0.5       # the first wait before a retry; doubles with each retry
    max_backoff: float = 30.0  # no single wait is longer
    deadline: float = 300.0    # every attempt and wait of one request, together

    def __post_init__(self) -> None:
        for name in ("timeout", "deadline"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
        for name in ("backoff", "max_backoff"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be zero or more seconds, not {value!r}")
        if self.retries < 0:
            raise ValueError(f"retries must be zero or more, not {self.retries!r}")

    @property
    def attempts(self) -> int:
        return self.retries + 1

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1-based): doubling, capped."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_backoff)
        return min(self.backoff * (2 ** (retry - 1)), self.max_backoff)

    def once(self, timeout: float | None = None) -> "HttpPolicy":
        """This policy without retries (and with a shorter ``timeout``, if given)."""
        shorter = self.timeout if timeout is None else min(timeout, self.timeout)
        return replace(self, retries=0, timeout=shorter)


@dataclass(frozen=True)
class Clock:
    """Where the loop reads the time and how it waits."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


SYSTEM_CLOCK = Clock()


@dataclass
class RateLimiter:
    """Politeness towards one host: at most one request per ``min_interval`` seconds
    (per limiter, thread-safe)."""

    min_interval: float
    clock: Clock = SYSTEM_CLOCK
    _next: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait(self) -> None:
        with self._lock:
            now = self.clock.now()
            if now < self._next:
                self.clock.sleep(self._next - now)
                now = self._next
            self._next = now + self.min_interval


class Retry(Exception):
    """Raised by an attempt to ask for another try: why (a message for the user, see
    :mod:`akke_graph.errors`), and how long the service asked us to wait, if it did."""

    def __init__(self, reason: object, retry_after: float | None = None) -> None:
        super().__init__(str(reason))
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class Attempt:
    """What one attempt is told: its number (1, 2, …) and its timeout."""

    number: int
    timeout: float


@dataclass(frozen=True)
class GaveUp:
    """Why the loop stopped: the last reason, how many attempts were made, and whether the
    deadline (rather than the number of retries) ended it."""

    reason: object
    attempts: int
    out_of_time: bool
    deadline: float


def retrying(attempt: Callable[[Attempt], T], policy: HttpPolicy,
             give_up: Callable[[GaveUp], Exception], *, limiter: RateLimiter | None = None,
             clock: Clock = SYSTEM_CLOCK) -> T:
    """``attempt`` until it returns; on :class:`Retry`, wait and try again as ``policy`` allows,
    else raise what ``give_up`` makes of the last reason. Any other exception passes through."""
    started = clock.now()
    number = 0
    reason: object = ""
    while True:
        number += 1
        if limiter is not None:
            limiter.wait()
        left = policy.deadline - (clock.now() - started)
        if left <= 0 and number > 1:   # the rate limit used the time that was left
            raise give_up(GaveUp(reason, number - 1, True, policy.deadline))
        try:
            return attempt(Attempt(number, min(policy.timeout, left)))
        except Retry as wanted:
            reason = wanted.reason
            if number >= policy.attempts:
                raise give_up(GaveUp(reason, number, False, policy.deadline)) from None
            wait = policy.delay(number, wanted.retry_after)
            if clock.now() - started + wait >= policy.deadline:
                raise give_up(GaveUp(reason, number, True, policy.deadline)) from None
            clock.sleep(wait)
