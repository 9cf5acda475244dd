"""Every case in tests/cases/ is validated together with the shipped data and must give the
outcome its header announces; both SHACL engines must agree on every result."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from akke_graph.load import load
from akke_graph.shacl.validate import validate_graph

CASES = Path(__file__).parent / "cases"


def header(path: Path) -> dict[str, str]:
    """The ``# expect-…:`` lines at the top of a case file."""
    text = path.read_bytes().decode("utf-8", "replace")
    return dict(re.findall(r"^# (expect-[a-z]+): (.+)$", text, flags=re.M))


def case_files(kind: str) -> list[Path]:
    return sorted((CASES / kind).glob("*.ttl"))


@pytest.fixture()
def run_validate(cli):
    def run(*args: str) -> tuple[int, str]:
        result = cli("validate", *args)
        return result.exit_code, result.output
    return run


def test_there_are_enough_cases() -> None:
    assert len(case_files("invalid")) >= 20
    assert case_files("valid") and case_files("error")


@pytest.mark.parametrize("case", case_files("valid"), ids=lambda p: p.stem)
def test_valid_case_conforms(case: Path, config, run_validate) -> None:
    code, output = run_validate(str(config.data_dir), str(case), "--lang", "en")
    assert code == 0, output


@pytest.mark.parametrize("case", case_files("invalid"), ids=lambda p: p.stem)
def test_invalid_case_is_reported(case: Path, config, run_validate) -> None:
    expect = header(case)
    code, text = run_validate(str(config.data_dir), str(case), "--lang", "en")
    assert code == int(expect["expect-exit"]), text
    _, raw = run_validate(str(config.data_dir), str(case), "--format", "json")
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


def test_cases_cover_every_kind_of_constraint(config) -> None:
    """The engines are compared below on every kind of constraint the shapes can report (the
    kinds the synthetic national graph injects, compared at scale in the slow differential)."""
    from akke_graph.synthetic.generate import DEFAULT_SEED, injected_violations

    found = set()
    for case in case_files("invalid"):
        found |= {r.component for r in validate_graph(load(config, [config.data_dir, case])).results}
    assert {v.component for v in injected_violations(7_000, DEFAULT_SEED)} <= found


@pytest.mark.parametrize("case", case_files("valid") + case_files("invalid"), ids=lambda p: p.stem)
def test_engines_agree(case: Path, config) -> None:
    loaded = load(config, [config.data_dir, case])
    native = validate_graph(loaded, engine="native")
    reference = validate_graph(loaded, engine="pyshacl")
    assert not native.outcome.delegated
    assert [r.key() for r in native.results] == [r.key() for r in reference.results]
