"""The one HTTP client of the tests, for the servers they start on loopback.

``httpx.get`` and friends build a client, and with it an SSL context (reading the CA bundle, about
40 ms of CPU), on every call; the tests make thousands of calls. This client is built once per
process and keeps no connection alive between requests, so each request still opens its own
connection, as ``httpx.get`` does, and a server stopped or restarted on the same port between tests
is never reached through an old one."""

from __future__ import annotations

import httpx

HTTP = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0))
