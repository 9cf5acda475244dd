"""The registries' politeness, built on the one policy of akke_graph.sparql_http (whose loop is
tested in tests/test_sparql_http.py): requests to one registry are spaced, retries follow the
policy, on a fake clock; the knobs are command options with their environment variables."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from akke_graph.cli import cli
from akke_graph.errors import RegistryError
from akke_graph.registries.http import JsonClient
from akke_graph.sparql_http import Clock, HttpPolicy

from registry_standins import company


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds

    @property
    def clock(self) -> Clock:
        return Clock(now=lambda: self.now, sleep=self.sleep)


def test_requests_to_a_registry_are_spaced(prh) -> None:
    url, stand_in = prh
    stand_in.companies = [company("2322323-1", [("Turku Science Park Oy Ab", "1", None)])]
    fake = FakeClock()
    with JsonClient(url, "PRH", HttpPolicy(timeout=5), min_interval=0.5, clock=fake.clock) as client:
        for _ in range(3):
            assert client.get("companies", {"name": "Turku"})["totalResults"] == 1
    assert fake.slept == [0.5, 0.5] and len(stand_in.requests) == 3


def test_busy_registry_is_retried_with_the_policy(prh) -> None:
    url, stand_in = prh
    stand_in.busy_left = 100   # 429 with Retry-After: 0, every time
    fake = FakeClock()
    policy = HttpPolicy(timeout=5, retries=2, backoff=0.25)
    with JsonClient(url, "PRH", policy, min_interval=0, clock=fake.clock) as client, \
            pytest.raises(RegistryError, match=r"PRH: GET .*HTTP 429 Too Many Requests.*gave up after 3 attempts"):
        client.get("companies", {"name": "x"})
    assert len(stand_in.requests) == 3 and fake.slept == [0.0, 0.0]   # the server asked for no wait


def test_a_missing_page_can_be_an_answer(prh) -> None:
    url, _ = prh
    with JsonClient(url, "PRH", HttpPolicy(timeout=5), min_interval=0) as client:
        assert client.get("nothing-here", missing_ok=True) is None
        with pytest.raises(RegistryError, match="HTTP 404"):
            client.get("nothing-here")


def test_importing_the_clients_calls_nothing() -> None:
    import importlib
    import sys

    for name in ("akke_graph.registries.prh", "akke_graph.registries.wikidata"):
        sys.modules.pop(name, None)
        module = importlib.import_module(name)
        assert module is not None
    from akke_graph.registries.prh import PrhClient

    assert not PrhClient("http://127.0.0.1:9/v3").http.http.started  # made on first request only


@pytest.mark.parametrize("command", ["suggest", "check"])
def test_link_options_show_their_environment_variables(command: str) -> None:
    result = CliRunner().invoke(cli, ["link", command, "--help"])
    assert result.exit_code == 0
    for variable in ("AKKE_PRH_API", "AKKE_WIKIDATA_ENDPOINT", "AKKE_HTTP_TIMEOUT", "AKKE_HTTP_RETRIES",
                     "AKKE_HTTP_BACKOFF", "AKKE_HTTP_DEADLINE", "AKKE_HTTP_MIN_INTERVAL", "AKKE_GRAPH_LANG"):
        assert variable in result.output, variable


@pytest.mark.parametrize("variable, value", [("AKKE_HTTP_RETRIES", "many"), ("AKKE_HTTP_TIMEOUT", "inf"),
                                             ("AKKE_HTTP_MIN_INTERVAL", "-1"), ("AKKE_PRH_API", "ftp://x"),
                                             ("AKKE_WIKIDATA_ENDPOINT", "not a url")])
def test_a_bad_environment_value_is_a_usage_error(variable: str, value: str) -> None:
    result = CliRunner().invoke(cli, ["link", "suggest", "--registry", "ytj"], env={variable: value})
    assert result.exit_code == 2 and variable in result.output and "Traceback" not in result.output
