"""Data-enumerated parameters (grlc's ``enumerate`` without a list of values): a value the data
does not hold is an error that lists the values, on the embedded store and on an endpoint; a
value it holds, a default, and an empty answer for a held value run as before."""

from __future__ import annotations

import pytest

from akke_graph.query.choices import enumeration_query
from akke_graph.query.endpoint import run_remote
from akke_graph.errors import ParameterError
from akke_graph.load import LoadedGraph
from akke_graph.oxigraph_server import OxigraphServer
from akke_graph.query import find_query, load_queries, parse_query, run_query
from akke_graph.sparql_http import HttpPolicy


ICT = "https://w3id.org/akke/id/theme/ict"
THING = """#+ summary: things of a kind
#+ enumerate:
#+   - thing
SELECT $_thing_iri ?x WHERE {
  { ?x a ?_thing_iri } UNION { ?x <https://example.org/kind> ?_thing_iri ; <https://example.org/on> true }
  FILTER(?x != <https://example.org/none>)
}
"""


def test_enumerations_use_the_querys_own_patterns(loaded: LoadedGraph) -> None:
    enumerated = [(q, p) for q in load_queries(loaded.config) for p in q.params if p.enumerate == ()]
    assert {q.name for q, _ in enumerated} == {"contacts-by-theme", "projects-by-theme"}
    for query, param in enumerated:
        text = enumeration_query(query, param)
        assert text is not None and "dcat#theme" in text, text
        values = {row[param.variable].value for row in loaded.store.select(text)}
        assert ICT in values, (query.name, values)


def test_every_pattern_group_is_one_branch_of_a_union() -> None:
    query = parse_query(THING, "things")
    assert enumeration_query(query, query.params[0]) == (
        "SELECT DISTINCT ?_thing_iri WHERE { "
        "{ ?x <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?_thing_iri . } UNION "
        "{ ?x <https://example.org/kind> ?_thing_iri . } }")


def test_a_value_the_data_does_not_hold_is_an_error(loaded: LoadedGraph) -> None:
    with pytest.raises(ParameterError, match="theme=theme:ictt does not occur in the data") as caught:
        run_query(loaded, "contacts-by-theme", {"theme": "theme:ictt"})
    assert "theme:ict," in (caught.value.hint or "") and "theme:circular-economy" in (caught.value.hint or "")
    with pytest.raises(ParameterError, match="does not occur"):
        run_query(loaded, "projects-by-theme", {"theme": "https://example.org/no-such-theme"})


def test_held_values_and_defaults_run_as_before(loaded: LoadedGraph) -> None:
    assert run_query(loaded, "contacts-by-theme", {"theme": "theme:ict"}).rows
    run_query(loaded, "contacts-by-theme", {})               # the default, whatever it finds
    query = parse_query(THING, "things", base_iri=loaded.config.base_iri)   # read into the project
    assert run_query(loaded, query, {"thing": "akke:WorkPackage"}).rows


def test_an_unheld_value_of_an_ad_hoc_query(loaded: LoadedGraph) -> None:
    query = parse_query(THING, "things")
    with pytest.raises(ParameterError, match="things: thing=https://example.org/no-such-kind does not occur"):
        run_query(loaded, query, {"thing": "https://example.org/no-such-kind"})


def test_on_an_endpoint(loaded_server: OxigraphServer, loaded: LoadedGraph) -> None:
    query = find_query(loaded.config, "contacts-by-theme")
    with pytest.raises(ParameterError, match="does not occur in the data") as caught:
        run_remote(loaded_server.query_url, query, {"theme": "theme:ictt"}, policy=HttpPolicy(timeout=20))
    assert "theme:ict," in (caught.value.hint or "")
    assert run_remote(loaded_server.query_url, query, {"theme": "theme:ict"}, policy=HttpPolicy(timeout=20)).rows


def test_command_line(fails) -> None:
    out = fails("contacts-by-theme", "--param", "theme=theme:ictt",
                message="theme=theme:ictt does not occur in the data")
    assert "values in the data: theme:bioeconomy" in out
