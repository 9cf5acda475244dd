"""The real grlc 1.3.11 serves the release's queries/grlc folder against the release's SPARQL
endpoint (``akke-graph serve``): grlc's API specification lists every canned query, and each
answers with its defaults — as grlc's own page fills them in — with status 200 and a body that
decodes to the right answer (Finnish letters intact). grlc runs in its own environment
(``.ci/grlc.sh`` makes ``.grlc-venv``; ``AKKE_GRLC_PYTHON`` names another Python that has grlc)."""

from __future__ import annotations

import configparser
import json
import os
import subprocess
from pathlib import Path
from typing import Iterator
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
import pytest

from tests.publish.conftest import ROOT, ServedRelease
from tests.loopback import HTTP

GRLC_PYTHON = Path(os.environ.get("AKKE_GRLC_PYTHON", ROOT / ".grlc-venv" / "bin" / "python"))
LAUNCHER = Path(__file__).with_name("grlc_server.py")


# Whether grlc is there, without importing it (its web application takes a second of CPU to
# import, on every worker that collects this file); a grlc that is there but broken fails the
# grlc fixture with its log.
FIND_GRLC = "import importlib.util, sys; sys.exit(importlib.util.find_spec('grlc.server') is None)"


def grlc_missing() -> str | None:
    if not GRLC_PYTHON.is_file():
        return f"grlc is not installed: no {GRLC_PYTHON} (run bash .ci/grlc.sh)"
    probe = subprocess.run([str(GRLC_PYTHON), "-c", FIND_GRLC], capture_output=True, text=True,
                           timeout=120, cwd="/")
    return None if probe.returncode == 0 else f"{GRLC_PYTHON} has no grlc: {probe.stderr.strip()[-300:]}"


MISSING = grlc_missing()
pytestmark = [pytest.mark.grlc, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


@pytest.fixture(scope="module")
def grlc(served_release: ServedRelease, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """grlc on a free loopback port, its local folder the release's queries/grlc."""
    work = tmp_path_factory.mktemp("grlc")
    config = configparser.ConfigParser()
    config["local"] = {"local_sparql_dir": str(served_release.folder / "queries" / "grlc")}
    config["defaults"] = {"sparql_endpoint": served_release.endpoint, "server_name": "127.0.0.1",
                          "debug": "False", "user": "none", "password": "none"}
    with (work / "config.ini").open("w", encoding="utf-8") as handle:
        config.write(handle)
    process = subprocess.Popen([str(GRLC_PYTHON), str(LAUNCHER), str(work)], stdout=subprocess.PIPE,
                               stderr=(work / "grlc.log").open("wb"), text=True, cwd=work)
    try:
        port = None
        for line in process.stdout or ():       # grlc prints what it reads; then the port, listening
            if line.startswith("PORT "):
                port = line.split()[1]
                break
        if port is None:
            pytest.fail(f"grlc did not start: {(work / 'grlc.log').read_text(errors='replace')[-2000:]}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def spec(grlc: str) -> dict:
    answer = HTTP.get(grlc + "/api-local/swagger", timeout=300)
    assert answer.status_code == 200, answer.text[:500]
    return answer.json()


def query_names() -> list[str]:
    return sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))


def test_grlc_lists_every_query(spec: dict) -> None:
    assert sorted(path.strip("/") for path in spec["paths"]) == query_names()
    assert "Could not parse" not in (spec["info"].get("description") or ""), spec["info"]["description"]


# A required parameter with no default has to be given: the value the query's own golden test uses.
EXAMPLES = {("projects-active-on", "date"): "2021-06-01"}


def defaults(spec: dict, name: str) -> dict[str, str]:
    """What grlc's page fills in: each parameter's default (an example where it has none and
    must be given)."""
    operation = spec["paths"]["/" + name]["get"]
    found = {}
    for p in operation.get("parameters") or []:
        if "default" in p:
            found[p["name"]] = p["default"]
        elif p.get("required"):
            found[p["name"]] = EXAMPLES[(name, p["name"])]
    return found


def kind(served_release: ServedRelease, name: str) -> str:
    text = (served_release.folder / "queries" / "grlc" / f"{name}.rq").read_text(encoding="utf-8")
    return "construct" if "\nCONSTRUCT" in text else "select"


def ask(grlc: str, name: str, params: dict[str, str], accept: str) -> httpx.Response:
    url = f"{grlc}/api-local/{name}" + ("?" + urlencode(params) if params else "")
    return HTTP.get(url, headers={"Accept": accept}, timeout=300)


@pytest.mark.parametrize("name", query_names())
def test_each_query_answers_with_its_defaults(grlc: str, spec: dict, served_release: ServedRelease, name: str) -> None:
    if kind(served_release, name) == "select":
        answer = ask(grlc, name, defaults(spec, name), "application/sparql-results+json")
        assert answer.status_code == 200, answer.text[:500]
        results = json.loads(answer.content.decode("utf-8"))      # grlc answers 200 even for errors
        assert "head" in results and "results" in results, answer.text[:500]
        assert "Ã" not in answer.content.decode("utf-8")
        return
    served = HTTP.post(served_release.endpoint, content="CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1",
                        headers={"Content-Type": "application/sparql-query", "Accept": "text/turtle"}, timeout=60)
    if "charset" not in served.headers.get("Content-Type", ""):
        pytest.xfail("the endpoint's text/turtle names no charset (serve adds it in issue 20): "
                     "grlc's requests then reads the answer as ISO-8859-1")
    answer = ask(grlc, name, defaults(spec, name), "text/turtle")
    assert answer.status_code == 200, answer.text[:500]
    text = answer.content.decode("utf-8")
    triples = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE))
    assert triples and "Ã" not in text
    if name == "project-export":
        assert "pääsisi" in text


def test_a_parameter_in_order_by_is_valid_sparql_through_grlc(grlc: str, spec: dict) -> None:
    """``work-packages?number=4``: grlc writes the number into the query; ORDER BY stays valid."""
    answer = ask(grlc, "work-packages", {**defaults(spec, "work-packages"), "number": "4"},
                 "application/sparql-results+json")
    rows = json.loads(answer.content.decode("utf-8"))["results"]["bindings"]
    assert rows and all(r["workPackage"]["value"].endswith("-wp-4") for r in rows), answer.text[:500]


def test_an_ask_query_answers_through_grlc(grlc: str, spec: dict) -> None:
    answer = ask(grlc, "is-agreement-party", defaults(spec, "is-agreement-party"), "application/sparql-results+json")
    rows = json.loads(answer.content.decode("utf-8"))["results"]["bindings"]
    assert [r["answer"]["value"] for r in rows] == ["true"]


def test_enumerated_parameters_list_values_from_the_data(spec: dict) -> None:
    parameters = {p["name"]: p for p in spec["paths"]["/projects-by-theme"]["get"]["parameters"]}
    assert "https://w3id.org/akke/id/theme/maritime-industry" in parameters["theme"]["enum"]


GRLC_PARAMETERS = """
import json, pathlib, sys
from grlc import gquery
found = {}
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.rq")):
    text = path.read_text(encoding="utf-8")
    metadata = gquery.get_yaml_decorators(text)
    metadata.pop("enumerate", None)   # grlc 1.3.11 cannot list these itself (see queries/grlc)
    found[path.stem] = {n: p["required"] for n, p in gquery.get_parameters(text, "", metadata).items()}
print("JSON " + json.dumps(found))
"""


def test_grlc_reads_the_projects_parameters_as_the_project_does(tmp_path: Path) -> None:
    """grlc's own parser, on the project's queries/*.rq: the same parameters, equally required."""
    from akke_graph.config import load_config
    from akke_graph.query import load_queries

    result = subprocess.run([str(GRLC_PYTHON), "-c", GRLC_PARAMETERS, str(ROOT / "queries")], capture_output=True,
                            text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("JSON "))[5:])
    assert found == {q.name: {p.name: p.required for p in q.params} for q in load_queries(load_config(ROOT))}
