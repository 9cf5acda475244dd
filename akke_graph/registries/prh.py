"""The Finnish trade register through PRH's open-data API v3 (YTJ): companies by name or business ID.

``GET {base}/companies?name=…`` searches current and former names, parallel and auxiliary names;
``GET {base}/companies?businessId=…`` finds one company. Answers are ``{"totalResults": N,
"companies": [...]}``, at most 100 companies a page; ``page=N`` asks for the next ones. Fields read
here (v3 format): ``businessId.value``, ``names[]`` (``name``, ``type``, ``registrationDate``,
``endDate``, ``version``), ``companyForms[]`` (``type``, ``descriptions[]``, ``endDate``),
``addresses[].postOffices[]`` (``city``, ``languageCode``, ``municipalityCode``),
``mainBusinessLine`` (``type``, ``descriptions[]``), ``website.url``, ``registrationDate``,
``endDate`` (the date the company ceased), ``tradeRegisterStatus`` and ``status``.

The base URL is given (the command's ``--api``, or ``AKKE_PRH_API``), else the public service.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from akke_graph.errors import RegistryError
from akke_graph.registries import ytunnus
from akke_graph.registries.http import MIN_INTERVAL, JsonClient
from akke_graph.sparql_http.policy import HttpPolicy

PRH_API = "https://avoindata.prh.fi/opendata-ytj-api/v3"
REGISTRY = "the trade register (PRH open-data API v3)"
PAGE_SIZE = 100
# Language codes of descriptions: the API writes 1/2/3; some answers carry fi/sv/en.
LANGUAGES = {"1": "fi", "2": "sv", "3": "en", "fi": "fi", "sv": "sv", "en": "en"}
OFFICIAL_NAME = "1"


def prh_api_url(override: str | None = None) -> str:
    """The API base URL: the one given, else the public service."""
    return (override or PRH_API).rstrip("/")


@dataclass(frozen=True)
class CompanyName:
    name: str
    type: str
    registration_date: str | None = None
    end_date: str | None = None

    @property
    def current(self) -> bool:
        return not self.end_date


@dataclass(frozen=True)
class Coded:
    """A coded value (company form, business line) with its descriptions by language."""

    code: str
    descriptions: tuple[tuple[str, str], ...] = ()
    end_date: str | None = None

    def text(self, lang: str = "fi") -> str:
        wanted = dict(self.descriptions)
        return wanted.get(lang) or wanted.get("en") or next(iter(wanted.values()), self.code)


@dataclass(frozen=True)
class Company:
    """One company as the trade register describes it."""

    business_id: str
    names: tuple[CompanyName, ...]
    forms: tuple[Coded, ...] = ()
    municipality_codes: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    business_line: Coded | None = None
    website: str | None = None
    registration_date: str | None = None
    end_date: str | None = None
    trade_register_status: str | None = None

    @property
    def name(self) -> str:
        """The current official name (type 1, no end date), else any current name, else the first."""
        for candidate in self.names:
            if candidate.current and candidate.type == OFFICIAL_NAME:
                return candidate.name
        for candidate in self.names:
            if candidate.current:
                return candidate.name
        return self.names[0].name if self.names else ""

    @property
    def current_names(self) -> list[str]:
        return [n.name for n in self.names if n.current]

    @property
    def former_names(self) -> list[str]:
        return [n.name for n in self.names if not n.current]

    @property
    def ceased(self) -> bool:
        """The register gives the date the company ceased (``endDate``)."""
        return bool(self.end_date)

    @property
    def form(self) -> Coded | None:
        current = [f for f in self.forms if not f.end_date] or list(self.forms)
        return current[0] if current else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _descriptions(items: Any) -> tuple[tuple[str, str], ...]:
    out = []
    for item in items or []:
        if isinstance(item, dict) and _text(item.get("description")):
            out.append((LANGUAGES.get(str(item.get("languageCode")), str(item.get("languageCode"))),
                        item["description"]))
    return tuple(out)


def _coded(item: Any) -> Coded | None:
    if not isinstance(item, dict) or item.get("type") is None:
        return None
    return Coded(code=str(item["type"]), descriptions=_descriptions(item.get("descriptions")),
                 end_date=_text(item.get("endDate")))


def parse_company(item: Any, url: str) -> Company:
    """One element of ``companies`` as a :class:`Company`; a clear error when it is not v3-shaped."""
    try:
        business_id = item["businessId"]["value"]
        if not isinstance(business_id, str):
            raise TypeError
    except (KeyError, TypeError):
        raise RegistryError(f"{REGISTRY} at {url} answered a company without businessId.value",
                            hint="the answer is not in the v3 format; check the API address") from None
    names = tuple(CompanyName(name=n["name"], type=str(n.get("type", "")),
                              registration_date=_text(n.get("registrationDate")),
                              end_date=_text(n.get("endDate")))
                  for n in item.get("names") or [] if isinstance(n, dict) and _text(n.get("name")))
    forms = tuple(f for f in (_coded(x) for x in item.get("companyForms") or []) if f)
    codes: list[str] = []
    cities: list[str] = []
    for address in item.get("addresses") or []:
        for office in (address or {}).get("postOffices") or []:
            code = _text((office or {}).get("municipalityCode"))
            if code and code not in codes:
                codes.append(code)
            city = _text((office or {}).get("city"))
            if city and city not in cities:
                cities.append(city)
    website = item.get("website")
    return Company(
        business_id=business_id, names=names, forms=forms, municipality_codes=tuple(codes),
        cities=tuple(cities), business_line=_coded(item.get("mainBusinessLine")),
        website=_text(website.get("url")) if isinstance(website, dict) else None,
        registration_date=_text(item.get("registrationDate")), end_date=_text(item.get("endDate")),
        trade_register_status=_text(item.get("tradeRegisterStatus")))


def _companies(body: Any, url: str) -> tuple[list[Any], int]:
    if not isinstance(body, dict) or not isinstance(body.get("companies", []), list):
        raise RegistryError(f"{REGISTRY} at {url} answered JSON without a companies list",
                            hint="the answer is not in the v3 format; check the API address")
    companies = body.get("companies") or []
    total = body.get("totalResults")
    return companies, total if isinstance(total, int) else len(companies)


class PrhClient:
    """Searches the trade register; one polite HTTP client per instance."""

    def __init__(self, base_url: str | None = None, policy: HttpPolicy | None = None, *,
                 min_interval: float = MIN_INTERVAL) -> None:
        self.base_url = prh_api_url(base_url)
        self.http = JsonClient(self.base_url, REGISTRY, policy, min_interval=min_interval)

    def _pages(self, params: dict[str, Any], max_pages: int) -> Iterator[Company]:
        url = f"{self.base_url}/companies"
        seen = 0
        for page in range(1, max_pages + 1):
            body = self.http.get("companies", {**params, **({"page": page} if page > 1 else {})},
                                 missing_ok=True)
            if body is None:
                return
            items, total = _companies(body, url)
            for item in items:
                yield parse_company(item, url)
            seen += len(items)
            if not items or seen >= total:
                return

    def search(self, name: str, *, location: str | None = None, max_pages: int = 3) -> list[Company]:
        """Companies whose current or former names match ``name`` (up to ``max_pages`` pages)."""
        params: dict[str, Any] = {"name": name}
        if location:
            params["location"] = location
        return list(self._pages(params, max_pages))

    def by_business_id(self, business_id: str) -> Company | None:
        """The company with this business ID, or None when the register does not know it."""
        canonical = ytunnus.normalise(business_id)
        for company in self._pages({"businessId": canonical}, 1):
            if company.business_id == canonical:
                return company
        return None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "PrhClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
