"""The funding questions answer on the real data with sense, not only with the golden text: a
proposal never counts as a grant, rates are shares, pairs are counted once."""

from __future__ import annotations

from decimal import Decimal

from akke_graph.load import LoadedGraph
from akke_graph.query import run_query

GRANTED = "https://w3id.org/akke/id/funding-status/granted"
PROPOSED = "https://w3id.org/akke/id/funding-status/proposed"


def test_funding_per_organisation_keeps_proposals_apart(loaded: LoadedGraph) -> None:
    rows = run_query(loaded, "funding-per-organisation", {}).rows
    by_status: dict[str, Decimal] = {}
    for r in rows:
        status = r["status"].value if "status" in r else ""
        by_status[status] = by_status.get(status, Decimal(0)) + Decimal(r["total"].value)
        assert int(r["amounts"].value) <= int(r["fundings"].value)
    assert by_status[GRANTED] > 0 and by_status[PROPOSED] > 0
    amk = run_query(loaded, "funding-per-organisation",
                    {"organisation": "organisation:turun-ammattikorkeakoulu"}).rows
    assert {r["organisation"].value for r in amk} == {"https://w3id.org/akke/id/organisation/turun-ammattikorkeakoulu"}


def test_co_funding_rates_are_shares_of_granted_funding(loaded: LoadedGraph) -> None:
    rows = run_query(loaded, "co-funding-rate", {}).rows
    assert len(rows) >= 5
    for r in rows:
        assert Decimal(r["rate"].value) == round(Decimal(r["granted"].value) / Decimal(r["totalCost"].value), 3)
        assert 0 < Decimal(r["rate"].value) <= 1


def test_pairs_of_organisations_are_counted_once(loaded: LoadedGraph) -> None:
    rows = run_query(loaded, "organisations-working-together", {}).rows
    pairs = [(r["organisation"].value, r["partner"].value) for r in rows]
    assert all(a < b for a, b in pairs) and len(set(pairs)) == len(pairs)
    partners = run_query(loaded, "organisations-working-together",
                         {"organisation": "organisation:turku-science-park"}).rows
    assert len(partners) >= 5


def test_funding_per_year_and_projects_of_a_focus_area(loaded: LoadedGraph) -> None:
    years = {r["year"].value for r in run_query(loaded, "funding-per-year", {}).rows if "year" in r}
    assert {"2020", "2021", "2023"} <= years
    turku = run_query(loaded, "focus-area-projects", {"agreement": "agreement:turku"}).rows
    assert {r["project"].value for r in turku} == {"https://w3id.org/akke/id/project/akke-turku"}
    assert len({r["focusArea"].value for r in turku}) == 5
