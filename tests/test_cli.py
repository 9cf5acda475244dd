"""The command line: help texts and `validate`'s options and errors (the docs' coverage of every
command and option is checked in test_docs.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from akke_graph.cli import cli as group
from akke_graph.load import LoadedGraph
from akke_graph.shacl.report import ValidationReport
from akke_graph.shacl.validate import validate_graph
from akke_graph.terms import RDF, SH

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def invoke(cli):
    def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
        result = cli(*args, env=env)
        return result.exit_code, result.output
    return run


def available_commands() -> list[str]:
    return group.list_commands(None)  # type: ignore[arg-type]


def test_top_level_help_lists_commands(invoke) -> None:
    code, output = invoke("--help")
    assert code == 0
    for name in available_commands():
        assert name in output


def test_python_dash_m_works(cli) -> None:
    result = cli("--version", process=True)
    assert result.exit_code == 0 and "akke-graph" in result.stdout


@pytest.fixture(scope="module")
def shipped(loaded: LoadedGraph) -> ValidationReport:
    """The shipped graph's report from the library: it has no violations, and the warnings the
    data has (what no source gives) decide what validate says after its counts."""
    report = validate_graph(loaded)
    assert not report.has_violations
    return report


def counts_line(report: ValidationReport, words: dict[str, tuple[str, str]]) -> str:
    return ", ".join(f"{n} {words[s][0] if n == 1 else words[s][1]}"
                     for s, n in ((s, report.counts[s]) for s in ("Violation", "Warning", "Info")))


def test_validate_shipped_graph_conforms(invoke, shipped: ValidationReport) -> None:
    code, output = invoke("validate", "--lang", "en")
    assert code == 0, output
    last = output.strip().splitlines()[-1]
    verdict = "the graph conforms to the shapes" if shipped.conforms else \
        "nothing is blocked (warnings and info still make sh:conforms false)"
    words = {"Violation": ("violation", "violations"), "Warning": ("warning", "warnings"), "Info": ("info", "info")}
    assert last.startswith("0 violations") and last == f"{counts_line(shipped, words)}: {verdict}."


def test_validate_in_finnish(invoke, shipped: ValidationReport) -> None:
    code, output = invoke("validate", "--lang", "fi")
    last = output.strip().splitlines()[-1]
    verdict = "tietoverkko on muotojen mukainen" if shipped.conforms else \
        "mikään ei esty (varoitukset ja huomautukset tekevät silti sh:conforms-arvoksi false)"
    words = {"Violation": ("virhe", "virhettä"), "Warning": ("varoitus", "varoitusta"),
             "Info": ("huomautus", "huomautusta")}
    assert code == 0 and last.startswith("0 virhettä") and last == f"{counts_line(shipped, words)}: {verdict}."


def test_validate_turtle_report_is_standard_shacl(invoke, shipped: ValidationReport) -> None:
    code, output = invoke("validate", "--format", "turtle")
    assert code == 0
    graph = ox.Store()
    graph.extend(ox.parse(output.encode(), format=ox.RdfFormat.TURTLE))
    [report] = [q.subject for q in graph.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(SH + "ValidationReport"))]
    [conforms] = [q.object.value for q in graph.quads_for_pattern(report, ox.NamedNode(SH + "conforms"), None)]
    results = [q.object for q in graph.quads_for_pattern(report, ox.NamedNode(SH + "result"), None)]
    severities = [q.object.value for r in results
                  for q in graph.quads_for_pattern(r, ox.NamedNode(SH + "resultSeverity"), None)]
    assert conforms == ("true" if not results else "false")     # SHACL: false on any result
    assert len(results) == len(severities) == len(shipped.results)
    assert SH + "Violation" not in severities


def test_validate_json_report(invoke, shipped: ValidationReport) -> None:
    code, output = invoke("validate", "--format", "json")
    report = json.loads(output)
    assert code == 0 and report["blocking"] is False and report["counts"]["Violation"] == 0
    assert report["conforms"] is (not report["results"]) and report["conforms"] is shipped.conforms
    assert len(report["results"]) == sum(report["counts"].values()) == len(shipped.results)


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_validate_engines(engine: str, cli, seed_project: Path) -> None:
    """Each engine from the command line, on the seed project (both engines agree on the whole
    shipped graph in test_cases.py)."""
    assert cli("validate", "--engine", engine, project=seed_project).exit_code == 0


def test_validate_on_memory_store(cli, seed_project: Path) -> None:
    """The report on rdflib's store is the report on Oxigraph, word for word (labels and files are
    asked of the store), here with the results of every invalid case; that the two stores hold the
    same shipped graph is test_store.py's."""
    args = ("validate", seed_project / "data", ROOT / "tests" / "cases" / "invalid")
    memory = cli(*args, "--store", "memory", project=seed_project)
    oxigraph = cli(*args, project=seed_project)
    assert memory.exit_code == oxigraph.exit_code == 1
    assert memory.output == oxigraph.output and "✗ [violation]" in memory.output


def test_validate_missing_file_is_an_error(invoke) -> None:
    code, output = invoke("validate", "no/such/file.ttl")
    assert code == 2 and "no/such/file.ttl: no such file or folder" in output


def test_validate_unknown_file_type(invoke) -> None:
    code, output = invoke("validate", str(ROOT / "README.md"))
    assert code == 2 and "unknown file type '.md'" in output


@pytest.fixture()
def project_copy(tmp_path: Path) -> Path:
    for folder in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_missing_shapes_folder_is_an_error(project_copy: Path, invoke) -> None:
    shutil.rmtree(project_copy / "shapes")
    code, output = invoke("--project", str(project_copy), "validate")
    assert code == 2 and "shapes folder shapes does not exist" in output


def test_empty_shapes_folder_is_an_error(project_copy: Path, invoke) -> None:
    for f in (project_copy / "shapes").glob("*"):
        f.unlink()
    code, output = invoke("--project", str(project_copy), "validate")
    assert code == 2 and "no SHACL shape files found" in output


def test_syntax_error_in_data_names_file_and_line(project_copy: Path, invoke) -> None:
    target = project_copy / "data" / "persons.ttl"
    target.write_text(target.read_text(encoding="utf-8").replace('foaf:name "Aino Ukkola" ;', 'foaf:name "Aino Ukkola ;'),
                      encoding="utf-8")
    code, output = invoke("--project", str(project_copy), "validate")
    assert code == 2
    assert re.search(r"data/persons\.ttl:\d+: syntax error", output), output


def test_unknown_configuration_key(project_copy: Path, invoke) -> None:
    pyproject = project_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('base-iri = ', 'bse-iri = "x"\nbase-iri = '))
    code, output = invoke("--project", str(project_copy), "validate")
    assert code == 2 and "unknown key(s) in [tool.akke-graph]: bse-iri" in output


def test_outside_a_project(tmp_path: Path, invoke) -> None:
    code, output = invoke("--project", str(tmp_path), "validate")
    assert code == 2 and "no akke-graph project found" in output


def test_another_base_iri_validates_with_rebased_shapes(project_copy: Path, invoke) -> None:
    new = "https://data.example.org/kg/"
    for path in list((project_copy / "data").rglob("*.ttl")) + [project_copy / "ontology" / "akke.ttl"]:
        path.write_text(path.read_text(encoding="utf-8").replace("https://w3id.org/akke/", new), encoding="utf-8")
    pyproject = project_copy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('base-iri = "https://w3id.org/akke/"', f'base-iri = "{new}"'))
    code, output = invoke("--project", str(project_copy), "validate")
    assert code == 0, output
    # ...and an entity left under the old base is now outside the base IRI.
    extra = project_copy / "data" / "stray.ttl"
    extra.write_text(f"<> <http://www.w3.org/ns/prov#wasDerivedFrom> <https://businessturku.fi/hankkeet/akke-alueellisten-ekosysteemien-kehittaminen-turun-seudulla/> .\n"
                     "<https://w3id.org/akke/id/theme/x> a <http://www.w3.org/2004/02/skos/core#Concept> ;\n"
                     f" <http://www.w3.org/2004/02/skos/core#prefLabel> \"x\"@fi, \"x\"@en ;\n"
                     f" <http://www.w3.org/2004/02/skos/core#inScheme> <{new}id/scheme/themes> .\n")
    code, output = invoke("--project", str(project_copy), "validate", "--lang", "en")
    assert code == 1 and "own IRI" in output
