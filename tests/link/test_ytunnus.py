"""The business-ID function: form, check digit for every remainder, the forms people write, and
agreement with the SHACL constraint ash:BusinessIdCheckDigit in shapes/organisation.ttl."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.registries import ytunnus
from akke_graph.registries.ytunnus import BusinessIdError, check_digit, is_valid, normalise, problem

WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def first_seven_with_remainder(remainder: int) -> str:
    """Seven digits whose weighted sum leaves ``remainder`` modulo 11 (searched, not assumed)."""
    for n in range(1000000, 10000000):
        digits = f"{n:07d}"
        if sum(w * int(d) for w, d in zip(WEIGHTS, digits)) % 11 == remainder:
            return digits
    raise AssertionError(remainder)


REMAINDERS = {r: first_seven_with_remainder(r) for r in range(11)}


def every_remainder_case() -> list[str]:
    """For each remainder 0–10 every check digit 0–9, so valid and invalid IDs of each case."""
    return [f"{digits}-{c}" for digits in REMAINDERS.values() for c in range(10)]


MALFORMED = ["", " ", "2077474", "2077474-", "2077474-00", "207747-40", "20774740-0", "2077474–0",
             "2077474 0", "a077474-0", "2077474-a", "FI2077474-0", "2077474-0 ", " 2077474-0",
             "２０７７４７４-０", "2077474_0", "-2077474-0", "20774740"]


def test_published_examples() -> None:
    assert is_valid("2077474-0")
    assert not is_valid("2077474-1")
    assert "check digit" in (problem("2077474-1") or "")


def test_the_two_ids_in_the_graph() -> None:
    assert is_valid("0204819-8")  # City of Turku
    assert is_valid("2322323-1")  # Turku Science Park Oy Ab


@pytest.mark.parametrize("remainder", range(11))
def test_every_remainder(remainder: int) -> None:
    digits = REMAINDERS[remainder]
    expected = None if remainder == 1 else (0 if remainder == 0 else 11 - remainder)
    assert check_digit(digits) == expected
    valid = [c for c in range(10) if is_valid(f"{digits}-{c}")]
    if remainder == 1:
        assert valid == []  # remainder 1: no valid ID at all
        assert "remainder 1" in (problem(f"{digits}-0") or "")
    elif remainder == 0:
        assert valid == [0]
    else:
        assert valid == ([11 - remainder] if 11 - remainder <= 9 else [])


@pytest.mark.parametrize("text", MALFORMED)
def test_malformed(text: str) -> None:
    assert not is_valid(text)
    assert problem(text) is not None


def test_normalise_the_forms_people_write() -> None:
    for text in ("0204819-8", "02048198", "FI02048198", "fi02048198", " 0204819-8 ", "FI 0204819-8"):
        assert normalise(text) == "0204819-8"
    assert ytunnus.vat_number("0204819-8") == "FI02048198"
    assert is_valid("FI02048198", strict=False)
    assert not is_valid("FI02048198")  # the datatype takes the canonical form only


@pytest.mark.parametrize("text", ["02048197", "FI02048197", "0204819-7", "123", "FI", "0204819-8-1", None])
def test_normalise_refuses(text: object) -> None:
    with pytest.raises(BusinessIdError):
        normalise(text)  # type: ignore[arg-type]


def shacl_check_digit_query(shapes_file: Path) -> str:
    """The SELECT of ash:BusinessIdCheckDigit with the PREFIX lines its sh:prefixes declare."""
    store = ox.Store()
    store.load(path=str(shapes_file), format=ox.RdfFormat.TURTLE)
    for common in shapes_file.parent.glob("*.ttl"):
        store.load(path=str(common), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?select WHERE { <https://w3id.org/akke/shapes#BusinessIdCheckDigit> sh:select ?select }"""))
    assert len(rows) == 1, "ash:BusinessIdCheckDigit has no sh:select"
    prefixes = store.query("""
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?p ?ns WHERE { <https://w3id.org/akke/shapes#> sh:declare [ sh:prefix ?p ; sh:namespace ?ns ] }""")
    lines = [f"PREFIX {r['p'].value}: <{r['ns'].value}>" for r in prefixes]
    return "\n".join(lines) + "\n" + rows[0]["select"].value


def test_shacl_constraint_agrees_with_the_function(project_root: Path) -> None:
    query = shacl_check_digit_query(project_root / "shapes" / "organisation.ttl")
    ids = every_remainder_case() + [m for m in MALFORMED if '"' not in m and "\\" not in m] + [
        "2077474-0", "2077474-1", "0204819-8", "2322323-1"]
    store = ox.Store()
    datatype = ox.NamedNode("https://w3id.org/akke/ontology#businessId")
    notation = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
    for i, value in enumerate(ids):
        store.add(ox.Quad(ox.NamedNode(f"https://w3id.org/akke/id/organisation/x{i}#business-id"),
                          notation, ox.Literal(value, datatype=datatype)))
    flagged = {r["value"].value for r in store.query(query)}
    for value in ids:
        assert (value in flagged) == (not is_valid(value)), value
    assert len(flagged) > 50 and "2077474-0" not in flagged and "2077474-1" in flagged
