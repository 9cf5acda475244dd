"""What went wrong on the wire, said once for every client: the problem of one attempt, the
error when the retries are spent or the service refused the request, and the URL checks.

Messages name what was being done, where (the URL, never its credentials) and what the service
answered; their English and Finnish forms are in :data:`akke_graph.errors.MESSAGES`.
"""

from __future__ import annotations

import http
import urllib.parse
from dataclasses import dataclass, field
from typing import Mapping

from akke_graph.errors import AkkeError, ConfigError, EndpointError, Message, Text, text
from akke_graph.sparql_http.policy import GaveUp

EXCERPT = 300


def safe_url(url: str) -> str:
    """``url`` without any user-info part, fit for a message."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot name a remote service (http(s), a host, no spaces, no credentials in
    it), or None when it can."""
    shown = repr(safe_url(url)[:200])
    if any(c.isspace() or ord(c) < 32 for c in url):
        return f"{shown} is not an http(s) URL: it holds white space or control characters"
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port   # a port that is not a number raises here
    except ValueError:
        return f"{shown} is not an http(s) URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{shown} is not an http(s) URL (for example http://127.0.0.1:7878/query)"
    if parts.username or parts.password:
        return (f"{shown} carries credentials in the URL: give the user with --user and the "
                "password in the environment")
    return None


def check_url(url: str) -> str:
    """``url`` if it can name a remote service, else a :class:`ConfigError` saying why."""
    problem = url_problem(url)
    if problem:
        raise ConfigError(problem, hint="give the full URL, e.g. http://127.0.0.1:7878/query")
    return url


def phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def excerpt(body: str) -> str:
    """``": …"`` with the start of a body on one line, or nothing for an empty body."""
    one_line = " ".join(body.split())
    if not one_line:
        return ""
    return ": " + (one_line if len(one_line) <= EXCERPT else one_line[:EXCERPT] + "…")


def retry_after_seconds(value: str | None) -> float | None:
    """A ``Retry-After`` header in seconds (the HTTP-date form is treated as absent)."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def unreachable(reason: object) -> Text:
    return text("http-unreachable", reason=_reason(reason))


def timed_out(seconds: float) -> Text:
    return text("http-timeout", seconds=round(seconds, 3))


def broken(reason: object) -> Text:
    return text("http-broken", reason=_reason(reason))


def server_error(status: int, detail: str = "") -> Text:
    return text("http-status", status=status, phrase=phrase(status), detail=detail)


def retryable_status(status: int) -> bool:
    """Busy (429) and server errors (5xx) may pass; any other 4xx would be answered again."""
    return status == 429 or status >= 500


def _reason(reason: object) -> str:
    if isinstance(reason, BaseException):
        return str(reason).strip() or type(reason).__name__
    return str(reason)


@dataclass(frozen=True)
class Failing:
    """The errors of one kind of request: ``what`` was being done, ``where`` (a URL, or a method
    and a URL), raised as ``error``, with a hint for the statuses in ``hints``."""

    what: Message
    where: str
    error: type[AkkeError] = EndpointError
    hints: Mapping[int, Message] = field(default_factory=dict)

    def refused(self, status: int, detail: str = "") -> AkkeError:
        """The service refused the request (a 4xx, not retried)."""
        message = text("http-refused", what=self.what, where=self.where, status=status,
                       phrase=phrase(status), detail=detail)
        return self.error(message, hint=self.hints.get(status))

    def gave_up(self, gave: GaveUp) -> AkkeError:
        """The retries or the time for them are spent; the message ends with the last problem."""
        fields = dict(what=self.what, where=self.where, problem=gave.reason, attempts=gave.attempts)
        if gave.out_of_time:
            message = text("http-out-of-time", deadline=gave.deadline, **fields)
        elif gave.attempts > 1:
            message = text("http-gave-up", **fields)
        else:
            message = text("http-gave-up-once", **fields)
        return self.error(message, hint=self._hint(gave.reason))

    def _hint(self, reason: object) -> Message | None:
        if isinstance(reason, Text):
            if reason.key == "http-status":
                status = reason.fields.get("status")
                return self.hints.get(status) if isinstance(status, int) else None
            if reason.key in ("http-unreachable", "http-timeout"):
                return text(reason.key + ".hint")
        return None
