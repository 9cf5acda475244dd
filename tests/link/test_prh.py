"""The trade-register client against a local stand-in that answers in the v3 JSON format."""

from __future__ import annotations

import pytest

from akke_graph.errors import RegistryError
from akke_graph.registries.prh import PrhClient, prh_api_url

from registry_standins import QUICK, company, paging_companies


def fill(stand_in) -> None:
    stand_in.companies = [
        company("2322323-1", [("Turku Science Park Oy Ab", "1", None),
                              ("Turku Science Park Oy", "1", "2012-01-01"),
                              ("Turku Science Park Ltd", "3", None)]),
        company("2077474-0", [("Science Park Services Oy", "1", None)], municipality="091", city="HELSINKI"),
        company("0000000-0", [("Turku Science Park Historia Oy", "1", None)], end_date="2015-06-30"),
    ]


def test_search_reads_v3_fields(prh) -> None:
    url, stand_in = prh
    fill(stand_in)
    with PrhClient(url, QUICK, min_interval=0) as client:
        found = {c.business_id: c for c in client.search("science park")}
    assert set(found) == {"2322323-1", "2077474-0", "0000000-0"}
    tsp = found["2322323-1"]
    assert tsp.name == "Turku Science Park Oy Ab"
    assert tsp.former_names == ["Turku Science Park Oy"]
    assert "Turku Science Park Ltd" in tsp.current_names
    assert tsp.municipality_codes == ("853",) and tsp.cities == ("TURKU",)
    assert tsp.form is not None and tsp.form.text("fi") == "Osakeyhtiö" and tsp.form.text("en") == "Limited company"
    assert tsp.business_line is not None and tsp.business_line.code == "70200"
    assert tsp.website == "www.example.invalid" and tsp.registration_date == "2010-04-20"
    assert not tsp.ceased
    ceased = found["0000000-0"]
    assert ceased.ceased and ceased.end_date == "2015-06-30"


def test_search_by_former_name(prh) -> None:
    url, stand_in = prh
    fill(stand_in)
    with PrhClient(url, QUICK, min_interval=0) as client:
        found = client.search("Turku Science Park Oy")
    assert [c.business_id for c in found][:1] == ["2322323-1"]


def test_by_business_id_normalises_and_misses(prh) -> None:
    url, stand_in = prh
    fill(stand_in)
    with PrhClient(url, QUICK, min_interval=0) as client:
        assert client.by_business_id("FI23223231").name == "Turku Science Park Oy Ab"
        assert client.by_business_id("2077474-0").municipality_codes == ("091",)
        assert client.by_business_id("0204819-8") is None
    assert stand_in.requests[0]["businessId"] == ["2322323-1"]


def test_paging_follows_total_results(prh) -> None:
    url, stand_in = prh
    stand_in.companies = paging_companies(230)
    with PrhClient(url, QUICK, min_interval=0) as client:
        found = client.search("sivutus", max_pages=5)
        assert len(found) == 230 and len({c.business_id for c in found}) == 230
        assert [r.get("page") for r in stand_in.requests] == [None, ["2"], ["3"]]
        stand_in.requests.clear()
        assert len(client.search("sivutus", max_pages=2)) == 200  # bounded by max_pages


def test_429_is_retried_then_answers(prh) -> None:
    url, stand_in = prh
    fill(stand_in)
    stand_in.busy_left = 2
    with PrhClient(url, QUICK, min_interval=0) as client:
        assert client.by_business_id("2322323-1") is not None
    assert len(stand_in.requests) == 3


def test_429_that_does_not_end_is_a_clear_error(prh) -> None:
    url, stand_in = prh
    stand_in.busy_left = 100
    with PrhClient(url, QUICK, min_interval=0) as client, pytest.raises(RegistryError, match="429.*after 3 attempts"):
        client.search("anything")
    assert len(stand_in.requests) == 3  # retries are bounded


def test_500_is_retried_and_reported(prh) -> None:
    url, stand_in = prh
    with PrhClient(url, QUICK, min_interval=0) as client, pytest.raises(RegistryError, match="HTTP 500.*gave up after 3 attempts"):
        client.search("Rikki")
    assert len(stand_in.requests) == 3


def test_malformed_body(prh) -> None:
    url, _ = prh
    with PrhClient(url, QUICK, min_interval=0) as client:
        with pytest.raises(RegistryError, match="not valid JSON"):
            client.search("Sotku")
        with pytest.raises(RegistryError, match="without businessId.value"):
            client.search("Vinossa")


def test_unreachable_registry_is_a_clear_error() -> None:
    from akke_graph.oxigraph_server import free_port

    client = PrhClient(f"http://127.0.0.1:{free_port()}/v3", QUICK.once(timeout=2), min_interval=0)
    with pytest.raises(RegistryError, match="the trade register.*cannot be reached"):
        client.search("x")


def test_base_url() -> None:
    assert prh_api_url("http://127.0.0.1:2/x/") == "http://127.0.0.1:2/x"
    assert prh_api_url() == "https://avoindata.prh.fi/opendata-ytj-api/v3"
