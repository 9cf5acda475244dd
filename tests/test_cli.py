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


def test_validate_shipped_graph_conforms(invoke) -> None:
    code, output = invoke("validate", "--lang", "en")
    assert code == 0, output
    last = output.strip().splitlines()[-1]
    assert last.startswith("0 violations") and "the graph conforms to the shapes" in last


def test_validate_in_finnish(invoke) -> None:
    code, output = invoke("validate", "--lang", "fi")
    assert code == 0 and "tietoverkko on muotojen mukainen" in output


def test_validate_turtle_report_is_standard_shacl(invoke) -> None:
    code, output = invoke("validate", "--format", "turtle")
    assert code == 0
    triples = list(ox.parse(output.encode(), format=ox.RdfFormat.TURTLE))
    assert any(t.predicate.value == "http://www.w3.org/ns/shacl#conforms" and t.object.value == "true" for t in triples)


def test_validate_json_report(invoke) -> None:
    code, output = invoke("validate", "--format", "json")
    report = json.loads(output)
    assert code == 0 and report["conforms"] is True and report["counts"]["Violation"] == 0


@pytest.mark.parametrize("engine", ["native", "pyshacl"])
def test_validate_engines(engine: str, invoke) -> None:
    code, _ = invoke("validate", "--engine", engine)
    assert code == 0


def test_validate_on_memory_store(invoke) -> None:
    code, _ = invoke("validate", "--store", "memory")
    assert code == 0


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
