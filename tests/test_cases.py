"""Every case in tests/cases/ is validated together with the seed data (the AKKE project and its
national context, which the cases add to) and must give the outcome its header announces; both
SHACL engines must agree on every result, of every case and of the whole shipped graph."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Callable

import pytest

from akke_graph.config import Config, load_config
from akke_graph.load import LoadedGraph, load
from akke_graph.shacl.report import ValidationReport
from akke_graph.shacl.validate import validate_graph
from tests.conftest import copy_seed_project

CASES = Path(__file__).parent / "cases"


def header(path: Path) -> dict[str, str]:
    """The ``# expect-…:`` lines at the top of a case file."""
    text = path.read_bytes().decode("utf-8", "replace")
    return dict(re.findall(r"^# (expect-[a-z]+): (.+)$", text, flags=re.M))


def case_files(kind: str) -> list[Path]:
    return sorted((CASES / kind).glob("*.ttl"))


@pytest.fixture(scope="module")
def case_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed project with tests/cases/ where the repository has it, so that a case file's graph
    has the IRI its header expects. The seed data gives no result of its own, and each case gives
    there the results it gives with the shipped data (the imported records are not what the cases
    refer to)."""
    project = copy_seed_project(tmp_path_factory.mktemp("cases") / "project")
    shutil.copytree(CASES, project / "tests" / "cases")
    return project


@pytest.fixture(scope="module")
def case_config(case_project: Path) -> Config:
    return load_config(case_project)


@pytest.fixture(scope="module")
def validated(case_config: Config) -> Callable[[Path], tuple[LoadedGraph, ValidationReport]]:
    """A case loaded with the seed data and validated by the native engine, once per module (the
    kinds of constraint and the engines' differential below read the same results)."""
    done: dict[Path, tuple[LoadedGraph, ValidationReport]] = {}

    def get(case: Path) -> tuple[LoadedGraph, ValidationReport]:
        if case not in done:
            loaded = load(case_config, [case_config.data_dir, in_project(case_config, case)])
            done[case] = (loaded, validate_graph(loaded, engine="native"))
        return done[case]
    return get


def in_project(config: Config, case: Path) -> Path:
    """The copy of ``case`` in the case project."""
    return config.root / case.relative_to(CASES.parent.parent)


@pytest.fixture()
def run_validate(cli, case_project: Path):
    def run(*args: str) -> tuple[int, str]:
        result = cli("validate", *args, project=case_project)
        return result.exit_code, result.output
    return run


def test_there_are_enough_cases() -> None:
    assert len(case_files("invalid")) >= 20
    assert case_files("valid") and case_files("error")


@pytest.mark.parametrize("case", case_files("valid"), ids=lambda p: p.stem)
def test_valid_case_conforms(case: Path, case_config: Config, run_validate) -> None:
    code, output = run_validate(str(case_config.data_dir), str(in_project(case_config, case)), "--lang", "en")
    assert code == 0, output


@pytest.mark.parametrize("case", case_files("invalid"), ids=lambda p: p.stem)
def test_invalid_case_is_reported(case: Path, case_config: Config, run_validate) -> None:
    expect = header(case)
    data, copy = str(case_config.data_dir), str(in_project(case_config, case))
    code, text = run_validate(data, copy, "--lang", "en")
    assert code == int(expect["expect-exit"]), text
    _, raw = run_validate(data, copy, "--format", "json")
    report = json.loads(raw)
    matching = [r for r in report["results"]
                if r["focusNode"] == expect["expect-focus"] and r["rule"] == expect["expect-rule"]
                and r["severity"] == expect["expect-severity"]]
    assert matching, f"expected {expect} in {json.dumps(report['results'], indent=1)}"
    # The text report names the entity (by label or IRI) and the rule, in the chosen language.
    assert expect["expect-rule"] in text
    assert matching[0]["label"] in text
    assert case.name in " ".join(matching[0]["files"]) or matching[0]["files"]


@pytest.mark.parametrize("case", case_files("error"), ids=lambda p: p.stem)
def test_unreadable_case_is_an_error_with_file_and_line(case: Path, config, run_validate) -> None:
    expect = header(case)
    code, output = run_validate(str(case))
    assert code == 2
    assert f"{case.name}:{expect['expect-line']}:" in output, output
    assert "Traceback" not in output


def test_cases_cover_every_kind_of_constraint(validated) -> None:
    """The engines are compared below on every kind of constraint the shapes can report (the
    kinds the synthetic national graph injects, compared at scale in the slow differential)."""
    from akke_graph.synthetic.generate import DEFAULT_SEED, injected_violations

    found = set()
    for case in case_files("invalid"):
        found |= {r.component for r in validated(case)[1].results}
    assert {v.component for v in injected_violations(7_000, DEFAULT_SEED)} <= found


def assert_engines_agree(loaded: LoadedGraph, native: ValidationReport | None = None) -> None:
    native = native or validate_graph(loaded, engine="native")
    reference = validate_graph(loaded, engine="pyshacl")
    assert not native.outcome.delegated
    assert [r.key() for r in native.results] == [r.key() for r in reference.results]


@pytest.mark.parametrize("case", case_files("valid") + case_files("invalid"), ids=lambda p: p.stem)
def test_engines_agree(case: Path, validated) -> None:
    assert_engines_agree(*validated(case))


def test_engines_agree_on_the_shipped_graph(loaded: LoadedGraph) -> None:
    """The whole shipped graph, its own warnings (what no source gives) included."""
    assert_engines_agree(loaded)
