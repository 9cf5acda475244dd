"""Municipality (kunta) and region (maakunta) codes as IRIs of the national code lists.

The Interoperability platform publishes each code list version under
``http://uri.suomi.fi/codelist/jhs/{list}_1_{YYYYMMDD}/code/{code}``: three-digit municipality codes
(Turku is 853) and two-digit region codes. The graph links to the 2023 versions.
"""

from __future__ import annotations

import re

CODELISTS = "http://uri.suomi.fi/codelist/jhs/"
MUNICIPALITY_LIST = "kunta_1_20230101"
REGION_LIST = "maakunta_1_20230101"
MUNICIPALITY_IRI = re.compile(r"^http://uri\.suomi\.fi/codelist/jhs/kunta_1_([0-9]{8})/code/([0-9]{3})$")
REGION_IRI = re.compile(r"^http://uri\.suomi\.fi/codelist/jhs/maakunta_1_([0-9]{8})/code/([0-9]{2})$")


def municipality_iri(code: str, codelist: str = MUNICIPALITY_LIST) -> str:
    """The code-list IRI of a three-digit municipality code."""
    if not re.fullmatch(r"[0-9]{3}", code):
        raise ValueError(f"{code!r} is not a three-digit municipality code")
    return f"{CODELISTS}{codelist}/code/{code}"


def region_iri(code: str, codelist: str = REGION_LIST) -> str:
    """The code-list IRI of a two-digit region (maakunta) code."""
    if not re.fullmatch(r"[0-9]{2}", code):
        raise ValueError(f"{code!r} is not a two-digit region code")
    return f"{CODELISTS}{codelist}/code/{code}"


def municipality_code(iri: str) -> str | None:
    """``853`` from a municipality code IRI of any list version, else None."""
    match = MUNICIPALITY_IRI.match(iri)
    return match.group(2) if match else None


def region_code(iri: str) -> str | None:
    """``02`` from a region code IRI of any list version, else None."""
    match = REGION_IRI.match(iri)
    return match.group(2) if match else None
