"""Registry stand-ins for the link tests: companies in the PRH v3 JSON format and the scripted
behaviour of the PRH stand-in server. The companies are test fixtures, not facts."""

from __future__ import annotations

import json
import threading
from typing import Any

from akke_graph.sparql_http import HttpPolicy

# Retries and the rate limit stay on in the tests, with waits short enough for them.
QUICK = HttpPolicy(timeout=5, retries=2, backoff=0.01)


def company(business_id: str, names: list[tuple[str, str, str | None]], *, municipality: str = "853",
            city: str = "TURKU", form: tuple[str, str, str] = ("16", "Osakeyhtiö", "Limited company"),
            end_date: str | None = None, registered: str = "2010-04-20") -> dict[str, Any]:
    """A company in the v3 format; ``names`` are (name, type, endDate)."""
    return {
        "businessId": {"value": business_id, "registrationDate": registered, "source": "3"},
        "names": [{"name": n, "type": t, "registrationDate": registered, "endDate": e,
                   "version": 1 if e is None else 2, "source": "1"} for n, t, e in names],
        "mainBusinessLine": {"type": "70200", "descriptions": [
            {"languageCode": "1", "description": "Yritysten muu liikkeenjohdon konsultointi"},
            {"languageCode": "3", "description": "Business and other management consultancy"}],
            "typeCodeSet": "TOIMI4", "registrationDate": registered, "source": "2"},
        "website": {"url": "www.example.invalid", "registrationDate": registered, "source": "0"},
        "companyForms": [{"type": form[0], "descriptions": [
            {"languageCode": "1", "description": form[1]},
            {"languageCode": "3", "description": form[2]}],
            "registrationDate": registered, "endDate": None, "version": 1, "source": "1"}],
        "companySituations": [],
        "registeredEntries": [{"type": "1", "descriptions": [
            {"languageCode": "1", "description": "Rekisterissä"}], "registrationDate": registered,
            "endDate": end_date, "register": "1", "authority": "2"}],
        "addresses": [{"type": 1, "street": "Testikatu", "postCode": "20100", "postOffices": [
            {"city": city, "languageCode": "1", "municipalityCode": municipality}],
            "registrationDate": registered, "source": "0"}],
        "tradeRegisterStatus": "1" if end_date is None else "4",
        "status": "2",
        "registrationDate": registered,
        "endDate": end_date,
        "lastModified": "2024-01-01T00:00:00",
    }


def paging_companies(count: int) -> list[dict[str, Any]]:
    from akke_graph.registries.ytunnus import check_digit

    out = []
    base = 3000000
    while len(out) < count:
        digits = f"{base:07d}"
        base += 1
        check = check_digit(digits)
        if check is not None:
            out.append(company(f"{digits}-{check}", [(f"Sivutus Oy {len(out):03d}", "1", None)]))
    return out


class PrhStandIn:
    """The behaviour of the stand-in: its companies, and names that make it misbehave."""

    PAGE = 100

    def __init__(self) -> None:
        self.companies: list[dict[str, Any]] = []
        self.requests: list[dict[str, list[str]]] = []
        self.busy_left = 0  # answer 429 this many times first
        self.lock = threading.Lock()

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.requests.append(query)
            if self.busy_left > 0:
                self.busy_left -= 1
                return 429, {"Retry-After": "0"}, b'{"message": "Too many requests"}'
        if path.rstrip("/") != "/companies":
            return 404, {}, b'{"message": "not found"}'
        name = (query.get("name") or [""])[0]
        bid = (query.get("businessId") or [""])[0]
        if name == "Rikki":
            return 500, {}, b"<html>internal error</html>"
        if name == "Sotku":
            return 200, {}, b'{"totalResults": 1, "companies": [{"names": '
        if name == "Vinossa":
            return 200, {}, b'{"totalResults": 1, "companies": [{"names": []}]}'
        if bid:
            hits = [c for c in self.companies if c["businessId"]["value"] == bid]
        else:
            wanted = name.casefold()
            hits = [c for c in self.companies
                    if any(wanted in n["name"].casefold() for n in c["names"])]
        page = int((query.get("page") or ["1"])[0])
        if (page - 1) * self.PAGE >= len(hits):
            page = 1  # as the API does for a page beyond the results
        chunk = hits[(page - 1) * self.PAGE: page * self.PAGE]
        body = {"totalResults": len(hits), "companies": chunk}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode("utf-8")
