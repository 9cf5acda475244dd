"""SPARQL queries to any SPARQL 1.1 endpoint through SPARQLWrapper (the client the project
promises), under the one policy: a query is POSTed form-encoded, as the SPARQL 1.1 Protocol
allows, retried on what may pass, and every failure is the one error of :mod:`.failures`.
"""

from __future__ import annotations

import socket
import urllib.error
from dataclasses import dataclass
from http.client import HTTPException

from akke_graph.sparql_http.failures import (Failing, broken, excerpt, retry_after_seconds,
                                             retryable_status, server_error, timed_out,
                                             unreachable)
from akke_graph.sparql_http.policy import (SYSTEM_CLOCK, USER_AGENT, Attempt, Clock, HttpPolicy,
                                           RateLimiter, Retry, retrying)


@dataclass(frozen=True)
class Answer:
    """The body of the endpoint's answer and its media type."""

    body: bytes
    content_type: str


def post_query(url: str, sparql: str, failing: Failing, *, rdf: bool = False,
               policy: HttpPolicy | None = None, limiter: RateLimiter | None = None,
               clock: Clock = SYSTEM_CLOCK) -> Answer:
    """The endpoint's answer to ``sparql``: SPARQL JSON results, or RDF (Turtle preferred) for
    CONSTRUCT and DESCRIBE with ``rdf``."""

    def attempt(now: Attempt) -> Answer:
        return _attempt(url, sparql, failing, rdf=rdf, timeout=now.timeout)

    return retrying(attempt, policy or HttpPolicy(), failing.gave_up, limiter=limiter, clock=clock)


def _attempt(url: str, sparql: str, failing: Failing, *, rdf: bool, timeout: float) -> Answer:
    from SPARQLWrapper import JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import (EndPointInternalError, EndPointNotFound,
                                                QueryBadFormed, SPARQLWrapperException,
                                                Unauthorized, URITooLong)

    client = SPARQLWrapper(url, agent=USER_AGENT)
    client.setQuery(sparql)
    client.setMethod(POST)
    client.setRequestMethod(URLENCODED)
    client.setReturnFormat(TURTLE if rdf else JSON)
    client.setOnlyConneg(True)
    client.timeout = timeout  # type: ignore[assignment]  # float seconds: setTimeout cuts to int
    try:
        response = client.query().response
        body = response.read()
        content_type = response.headers.get_content_type() if hasattr(response, "headers") else ""
        return Answer(body, content_type)
    # SPARQLWrapper turns these statuses into its own exceptions, the body in their text
    except QueryBadFormed as exc:
        raise failing.refused(400, _detail(exc)) from None
    except Unauthorized as exc:
        raise failing.refused(401, _detail(exc)) from None
    except EndPointNotFound as exc:
        raise failing.refused(404, _detail(exc)) from None
    except URITooLong as exc:
        raise failing.refused(414, _detail(exc)) from None
    except EndPointInternalError as exc:
        raise Retry(server_error(500, _detail(exc))) from None
    except SPARQLWrapperException as exc:
        raise failing.refused(400, _detail(exc)) from None
    except urllib.error.HTTPError as exc:
        detail = _body(exc)
        if retryable_status(exc.code):
            after = exc.headers.get("Retry-After") if exc.headers else None
            raise Retry(server_error(exc.code, detail), retry_after_seconds(after)) from None
        raise failing.refused(exc.code, detail) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (socket.timeout, TimeoutError)):
            raise Retry(timed_out(timeout)) from None
        raise Retry(unreachable(exc.reason)) from None
    except (socket.timeout, TimeoutError):
        raise Retry(timed_out(timeout)) from None
    except (HTTPException, OSError) as exc:   # a cut connection, a garbled answer
        raise Retry(broken(exc)) from None


def _detail(exc: Exception) -> str:
    """The endpoint's own words from a SPARQLWrapper error (which holds the body in its text)."""
    text = str(exc)
    if "Response:" not in text:
        return ""
    text = text.split("Response:", 1)[1].strip()
    if text.startswith(("b'", 'b"')):
        text = text[2:-1]
    return excerpt(text.replace("\\n", " "))


def _body(exc: urllib.error.HTTPError) -> str:
    try:
        return excerpt(exc.read().decode("utf-8", "replace"))
    except (OSError, HTTPException):
        return ""
