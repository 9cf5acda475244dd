"""Canonical text of a query answer, for golden files and for comparing stores.

SELECT answers are SPARQL TSV (sorted unless the query orders its rows), CONSTRUCT answers sorted
N-Triples, ASK answers true/false. Blank-node labels are store-specific and become ``_:b``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from akke_graph.query.results import QueryResult, to_tsv, write_rdf

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("AKKE_UPDATE_GOLDEN") == "1"


def canonical(result: QueryResult, ordered: bool) -> str:
    if result.is_graph:
        lines = write_rdf(result.triples, "nt", {}).decode("utf-8").splitlines()
        return "\n".join(sorted(_blank(line) for line in lines)) + "\n"
    text = _blank(to_tsv(result))
    if result.boolean is not None or ordered:
        return text
    head, *rows = text.splitlines()
    return "\n".join([head] + sorted(rows)) + "\n"


def _blank(text: str) -> str:
    return re.sub(r"_:[A-Za-z0-9]+", "_:b", text)


def golden_path(name: str, variant: str, kind: str) -> Path:
    suffix = ".nt" if kind in ("construct", "describe") else ".tsv"
    return GOLDEN / (f"{name}--{variant}{suffix}" if variant else f"{name}{suffix}")
