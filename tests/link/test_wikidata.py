"""The Wikidata client against a real Oxigraph server holding a Wikidata-shaped graph."""

from __future__ import annotations

import pytest

from akke_graph.errors import RegistryError
from akke_graph.link.suggest import Entity, score_item
from akke_graph.oxigraph_server import free_port
from akke_graph.registries.wikidata import WD, WikidataClient, qid, sparql_string, wikidata_endpoint

from registry_standins import QUICK


def test_candidates_by_label_in_any_language_and_country(wikidata_endpoint: str) -> None:
    client = WikidataClient(wikidata_endpoint, QUICK, min_interval=0)
    found = {i.qid: i for i in client.candidates(["Varsinais-Suomen liitto",
                                                  "Regional Council of Southwest Finland"])}
    assert set(found) == {"Q900001", "Q900004"}  # Q900003 is in another country
    item = found["Q900001"]
    assert item.label("fi") == "Varsinais-Suomen liitto"
    assert item.label("sv") == "Egentliga Finlands förbund"
    assert "Varsinais-Suomen maakuntaliitto" in item.names
    assert all(lang in ("fi", "sv", "en") for lang, _ in item.labels)  # de is not read
    assert item.types == (WD + "Q900200",) and item.countries == (WD + "Q33",)
    assert item.identifier("P1566") == ["11000001"] and item.identifier("P9999") == ["0000000-0"]


def test_candidates_match_swedish_labels_and_aliases(wikidata_endpoint: str) -> None:
    client = WikidataClient(wikidata_endpoint, QUICK, min_interval=0)
    assert [i.qid for i in client.candidates(["Egentliga Finlands förbund"])] == ["Q900001"]
    assert [i.qid for i in client.candidates(["Varsinais-Suomen maakuntaliitto"])] == ["Q900001"]
    assert client.candidates(["Ei tällaista nimeä"]) == []
    assert {i.qid for i in client.candidates(["Varsinais-Suomen liitto"], country=None)} == {"Q900001", "Q900003"}


def test_items_exist_redirect_or_are_missing(wikidata_endpoint: str) -> None:
    client = WikidataClient(wikidata_endpoint, QUICK, min_interval=0)
    found = client.items(["Q38511", "Q900002", "Q999999999"])
    assert found[WD + "Q38511"].label("sv") == "Åbo"
    assert found[WD + "Q38511"].identifier("P1566") == ["633679"]
    assert found[WD + "Q900002"].redirect == WD + "Q900001"
    assert WD + "Q999999999" not in found


def test_scoring_uses_names_country_and_a_business_id_property(wikidata_endpoint: str) -> None:
    client = WikidataClient(wikidata_endpoint, QUICK, min_interval=0)
    items = {i.qid: i for i in client.candidates(["Varsinais-Suomen liitto",
                                                  "Regional Council of Southwest Finland"])}
    entity = Entity(iri="https://w3id.org/akke/id/organisation/varsinais-suomen-liitto",
                    names={"fi": ["Varsinais-Suomen liitto"], "en": ["Regional Council of Southwest Finland"]})
    good, why = score_item(entity, items["Q900001"], None)
    weak, _ = score_item(entity, items["Q900004"], None)
    assert good == 1.0 and good > weak and "country Finland" in why and "P1566=11000001" in why
    entity.business_id = "0000000-0"
    assert score_item(entity, items["Q900001"], "P9999")[0] == 1.0
    entity.business_id = "2077474-0"
    lower, why = score_item(entity, items["Q900001"], "P9999")
    assert lower < good and "another business ID" in why


def test_literals_are_escaped(wikidata_endpoint: str) -> None:
    assert sparql_string('a "b" \\ c\n', "fi") == '"a \\"b\\" \\\\ c\\n"@fi'
    assert WikidataClient(wikidata_endpoint, QUICK, min_interval=0).candidates(['Nimi "lainausmerkein" \\']) == []


def test_unreachable_endpoint_is_a_clear_error() -> None:
    client = WikidataClient(f"http://127.0.0.1:{free_port()}/query", QUICK, min_interval=0)
    with pytest.raises(RegistryError, match="Wikidata.*cannot be reached.*gave up after 3 attempts"):
        client.items(["Q1"])


def test_bad_query_is_reported_not_retried(wikidata_endpoint: str) -> None:
    with pytest.raises(RegistryError, match="answered HTTP 400"):
        WikidataClient(wikidata_endpoint, QUICK, min_interval=0).select("SELECT WHERE {")


def test_endpoint() -> None:
    assert wikidata_endpoint("http://127.0.0.1:1/query") == "http://127.0.0.1:1/query"
    assert wikidata_endpoint() == "https://query.wikidata.org/sparql"
    assert qid(WD + "Q38511") == "Q38511"
