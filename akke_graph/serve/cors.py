"""Cross-origin reads (CORS): which web pages on other origins may read the endpoint's answers
and the release's files. Only reads are offered (GET, HEAD, POST of a query), never with
credentials: the service has none to protect, and a query can change nothing."""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

ALLOWED_HEADERS = "Accept, Accept-Language, Content-Language, Content-Type"
MAX_AGE_S = 600


def parse_origin(value: str) -> str:
    """A ``--cors-origin`` value: ``*``, ``none``, or an origin such as ``https://example.org``."""
    value = value.strip()
    if value in ("*", "none"):
        return value
    parts = urllib.parse.urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.username \
            or parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(f"{value!r} is not an origin: give *, none, or scheme://host[:port] "
                         "such as https://example.org")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass(frozen=True)
class Cors:
    """The origins allowed to read: ``("*",)`` any, ``()`` none (no CORS headers at all)."""

    origins: tuple[str, ...] = ("*",)

    @classmethod
    def from_options(cls, values: tuple[str, ...] | list[str] | None) -> Cors:
        origins = tuple(parse_origin(v) for v in (values or ("*",)))
        if "none" in origins:
            return cls(())
        return cls(("*",) if "*" in origins else origins)

    @property
    def enabled(self) -> bool:
        return bool(self.origins)

    def headers(self, origin: str | None) -> dict[str, str]:
        """The headers of an answer to a request from ``origin`` (its Origin header)."""
        if not self.origins:
            return {}
        if self.origins == ("*",):
            return {"Access-Control-Allow-Origin": "*"}
        found = {"Vary": "Origin"}
        if origin and origin.lower() in self.origins:
            found["Access-Control-Allow-Origin"] = origin
        return found

    def preflight(self, origin: str | None, methods: str) -> dict[str, str]:
        """The headers of the answer to a preflight ``OPTIONS`` request."""
        found = self.headers(origin)
        if "Access-Control-Allow-Origin" in found:
            found.update({"Access-Control-Allow-Methods": methods,
                          "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                          "Access-Control-Max-Age": str(MAX_AGE_S)})
        return found
