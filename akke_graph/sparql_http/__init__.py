"""SPARQL over HTTP, written once: the one timeout-and-retry policy and its loop
(:mod:`.policy`), the errors every client raises (:mod:`.failures`), queries through SPARQLWrapper
(:mod:`.query`), and one httpx client (:mod:`.client`) under the SPARQL and Graph Store
protocols of a writable store (:mod:`.graph_store`) and the registries' JSON APIs.

The face imports only the policy: the clients are imported where used, so that a command's
``--help`` does not load httpx or SPARQLWrapper."""

from akke_graph.sparql_http.failures import Failing, check_url, safe_url, url_problem
from akke_graph.sparql_http.policy import (SYSTEM_CLOCK, USER_AGENT, Attempt, Clock, GaveUp,
                                           HttpPolicy, RateLimiter, Retry, retrying)

__all__ = ["SYSTEM_CLOCK", "USER_AGENT", "Attempt", "Clock", "Failing", "GaveUp", "HttpPolicy",
           "RateLimiter", "Retry", "check_url", "retrying", "safe_url", "url_problem"]
