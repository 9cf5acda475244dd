"""Waiting for a line in a service's log. A request's access-log line is written once its answer
has been sent, and a hang-up is logged by the thread that served it, so a client can see the
answer (or the next answer) before the line is there: tests wait for the line, not for a time."""

from __future__ import annotations

import time
from typing import Any


def wait_for_log(service: Any, text: str, since: int = 0, bound: float = 120.0) -> str:
    """The service's log from offset ``since`` once it holds ``text``; fails after ``bound``
    seconds (only that the line comes matters, never how soon)."""
    deadline = time.monotonic() + bound
    while True:
        log: str = service.log_buffer.getvalue()[since:]
        if text in log:
            return log
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never came in the log:\n{log[-3000:]}")
        time.sleep(0.01)
