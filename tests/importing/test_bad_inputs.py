"""Every input of cases/ imported through the real command line into a copy of the seed project
(what a bad row becomes does not depend on the records imported before), with the outcome
cases/expect.yaml announces: the exit code, what the report says, what became of each
row, and what was (or was not) written. Nothing a row says may become a triple it did not mean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from akke_graph.config import load_config
from akke_graph.load import load

from .conftest import CASES

EXPECT = yaml.safe_load((CASES / "expect.yaml").read_text(encoding="utf-8"))


def test_every_case_file_has_an_expectation() -> None:
    files = {p.name for p in CASES.iterdir() if p.name != "expect.yaml"}
    inputs = set(EXPECT) | {e["input"] for e in EXPECT.values() if "input" in e}
    assert files == inputs
    assert len(EXPECT) >= 30


def written(project: Path) -> list[Path]:
    return sorted((project / "data" / "sources").rglob("*.ttl")) if (project / "data" / "sources").is_dir() else []


@pytest.mark.parametrize("name", sorted(EXPECT), ids=lambda n: n.rsplit(".", 1)[0])
def test_bad_input(name: str, seed_copy: Path, run) -> None:
    expect = EXPECT[name]
    source = CASES / expect.get("input", name)
    command = expect.get("command") or ("card" if source.suffix == ".txt" else "table")
    args = [str(CASES / a) if a.endswith((".yaml", ".csv")) else a for a in expect.get("args", [])]
    if command == "card":
        args += ["--source", "https://example.org/hankkeet/testihanke/"]
    before = set(written(seed_copy))
    result = run(seed_copy, "import", command, str(source), *args)
    assert result.exit_code == expect["exit"], result.output
    for text in expect.get("says", []):
        assert text in result.output, result.output
    after = set(written(seed_copy))
    if "writes" in expect:
        assert bool(after - before) == expect["writes"], result.output
    if expect["exit"] == 2:
        assert after == before
        return
    report = json.loads(run(seed_copy, "import", command, str(source), *args, "--format", "json",
                            "--dry-run").output)
    if "rows" in expect:
        # The second run sees what the first one wrote: a created row is unchanged now.
        again = {"created": "unchanged", "matched": "unchanged"}
        assert {r["line"]: r["status"] for r in report["rows"]} == \
            {line: again.get(status, status) for line, status in expect["rows"].items()}
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(after - before))
    for fragment in expect.get("file_has", []):
        assert fragment in text, text
    for fragment in expect.get("file_lacks", []):
        assert fragment not in text, text
    if "no_iri" in expect:
        loaded = load(load_config(seed_copy))
        assert not loaded.store.ask(f"ASK {{ {{ <{expect['no_iri']}> ?p ?o }} UNION {{ ?s ?p <{expect['no_iri']}> }}"
                                    f" UNION {{ ?s <{expect['no_iri']}> ?o }} }}")
    assert run(seed_copy, "validate").exit_code == 0
