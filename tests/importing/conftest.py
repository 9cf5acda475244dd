"""Fixtures for the import tests: a copy of the project to import into, and the command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from pathlib import Path

import pytest

from tests.conftest import copy_seed_project

CASES = Path(__file__).parent / "cases"
SEED = Path(__file__).parent / "seed-card-fi.txt"          # the seed, as ../shared/seed gives it
SEED_EN = Path(__file__).parent / "seed-card-en.txt"       # the same card in the publisher's English words
SEED_PAGE = "https://businessturku.fi/hankkeet/akke-alueellisten-ekosysteemien-kehittaminen-turun-seudulla/"


@pytest.fixture()
def run(cli: Any) -> Callable[..., Any]:
    """``run(project, "import", "table", FILE, …)``: the shared runner (which fails the test on a
    traceback) with the project given."""

    def invoke(project: Path, *args: str) -> Any:
        result = cli(*args, project=project)
        assert "Traceback" not in result.output
        return result

    return invoke


@pytest.fixture()
def seed_copy(tmp_path: Path) -> Path:
    """A private copy of the seed project (no imported records) that a test may change: for
    imports whose outcome does not depend on the records imported before."""
    return copy_seed_project(tmp_path / "project")
