"""SSSOM mapping tables in TSV: a ``#``-prefixed YAML metadata block, then one mapping per row.

Identifiers in the table are CURIEs expanded through the block's ``curie_map``; inside the package
a :class:`Mapping` always holds full IRIs. The columns written are those of the SSSOM standard
(https://w3id.org/sssom/), justifications come from the SEMAPV vocabulary.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from akke_graph import __version__
from akke_graph.errors import InputError
from akke_graph.registries.codes import CODELISTS, MUNICIPALITY_LIST, REGION_LIST
from akke_graph.registries.prh import PRH_API
from akke_graph.registries.wikidata import WD
from akke_graph.registries.yso import YSO
from akke_graph.terms import ADMS, DCTERMS, OWL, RDFS, SKOS, iri_problem

TOOL = f"akke-graph {__version__}"
WIKIDATA_SITE = "https://www.wikidata.org/"
SEMAPV = "https://w3id.org/semapv/vocab/"
CONFIDENCE = re.compile(r"(?:0|1)?(?:\.[0-9]+)?|[01]", re.ASCII)   # 0, 1, 0.9, .9, 1.0
SSSOM = "https://w3id.org/sssom/"
LEXICAL = SEMAPV + "LexicalMatching"
MANUAL = SEMAPV + "ManualMappingCuration"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# A business ID as an IRI: the trade register's own query for that company.
YTJ = "https://avoindata.prh.fi/opendata-ytj-api/v3/companies?businessId="

KNOWN_PREFIXES: dict[str, str] = {
    "skos": SKOS, "owl": OWL, "rdfs": RDFS, "dcterms": DCTERMS, "adms": ADMS, "semapv": SEMAPV,
    "sssom": SSSOM, "wd": WD, "yso": YSO, "ytj": YTJ, "prh": PRH_API, "wdsite": "https://www.wikidata.org/",
    "kunta": f"{CODELISTS}{MUNICIPALITY_LIST}/code/", "maakunta": f"{CODELISTS}{REGION_LIST}/code/",
}
# The columns the issue names, always written, in this order; optional ones follow when used.
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "confidence", "mapping_date", "mapping_tool", "comment")
OPTIONAL = ("predicate_modifier", "reviewer_label", "author_label", "subject_source", "object_source",
            "object_source_version")
REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")
ENTITY_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification",
                  "subject_source", "object_source")


@dataclass
class Mapping:
    """One mapping row, with full IRIs."""

    subject_id: str
    predicate_id: str
    object_id: str
    mapping_justification: str
    subject_label: str = ""
    object_label: str = ""
    confidence: float | None = None
    mapping_date: str = ""
    mapping_tool: str = ""
    comment: str = ""
    predicate_modifier: str = ""
    reviewer_label: str = ""
    author_label: str = ""
    subject_source: str = ""
    object_source: str = ""
    object_source_version: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass
class MappingSet:
    """The metadata block (without ``curie_map``) and the mappings."""

    metadata: dict[str, Any]
    mappings: list[Mapping]
    prefixes: dict[str, str] = field(default_factory=dict)


class CurieMap:
    """Prefix ↔ namespace, longest namespace first; unknown namespaces get a prefix on the fly."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = dict(prefixes)

    def compress(self, iri: str) -> str:
        best = max((p for p, ns in self.prefixes.items() if iri.startswith(ns)),
                   key=lambda p: len(self.prefixes[p]), default=None)
        if best is None:
            head = iri[:-1]  # an IRI that is itself a namespace still needs a non-empty local part
            namespace = iri[: max(head.rfind("/"), head.rfind("#"), head.rfind("=")) + 1]
            best = next((p for p, ns in self.prefixes.items() if ns == namespace), None)
            if best is None:
                best = f"ns{sum(p.startswith('ns') for p in self.prefixes) + 1}"
                self.prefixes[best] = namespace
        return f"{best}:{iri[len(self.prefixes[best]):]}"

    def expand(self, curie: str) -> str:
        prefix, sep, local = curie.partition(":")
        if not sep or prefix not in self.prefixes:
            raise KeyError(prefix)
        return self.prefixes[prefix] + local

    def used(self, curies: list[str]) -> dict[str, str]:
        wanted = {c.partition(":")[0] for c in curies}
        return {p: ns for p, ns in sorted(self.prefixes.items()) if p in wanted}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value not in (0.0, 1.0) else f"{value:.1f}"
    return re.sub(r"[\t\r\n]+", " ", str(value)).strip()


def write_sssom(mapping_set: MappingSet, prefixes: dict[str, str] | None = None) -> str:
    """The SSSOM TSV text of a mapping set (metadata block with the CURIE map, then the rows)."""
    curies = CurieMap({**KNOWN_PREFIXES, **mapping_set.prefixes, **(prefixes or {})})
    optional = [c for c in OPTIONAL if any(getattr(m, c) for m in mapping_set.mappings)]
    columns = list(COLUMNS) + optional
    rows = []
    for m in mapping_set.mappings:
        row = {}
        for column in columns:
            value = getattr(m, column)
            row[column] = curies.compress(value) if column in ENTITY_COLUMNS and value else _cell(value)
        rows.append(row)
    used = [r[c] for r in rows for c in ENTITY_COLUMNS if c in r and r[c]]
    meta = {"curie_map": curies.used(used), **mapping_set.metadata}
    out = io.StringIO()
    block = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    for line in block.splitlines():
        out.write(f"# {line}\n")
    writer = csv.DictWriter(out, fieldnames=columns, delimiter="\t", lineterminator="\n",
                            quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def read_sssom(path: Path, display: str | None = None) -> MappingSet:
    """Read an SSSOM TSV file; problems become :class:`InputError` with the file and line."""
    where = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(where, f"cannot read the file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(where, "the file is not UTF-8 text", hint="save it as UTF-8") from None
    lines = text.splitlines()
    header = [line[1:].removeprefix(" ") for line in lines if line.startswith("#")]
    body_start = next((i for i, line in enumerate(lines) if line and not line.startswith("#")), len(lines))
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(where, f"the metadata block is not valid YAML: {getattr(exc, 'problem', exc)}",
                         line=mark.line + 1 if mark else None) from None
    if not isinstance(meta, dict):
        raise InputError(where, "the metadata block must be YAML key: value lines", line=1)
    prefixes = meta.pop("curie_map", {}) or {}
    if not isinstance(prefixes, dict):
        raise InputError(where, "curie_map must map prefixes to namespaces", line=1)
    curies = CurieMap({**KNOWN_PREFIXES, **{str(k): str(v) for k, v in prefixes.items()}})
    reader = csv.DictReader(io.StringIO("\n".join(lines[body_start:])), delimiter="\t")
    columns = list(reader.fieldnames or [])
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise InputError(where, f"the table has the column {', '.join(twice)} more than once",
                         line=body_start + 1, hint="keep one column of each name")
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(where, f"the table has no column {', '.join(missing)}", line=body_start + 1,
                         hint="an SSSOM table needs subject_id, predicate_id, object_id and "
                              "mapping_justification columns")
    names = {f.name for f in fields(Mapping)} - {"line"}
    mappings = []
    for offset, row in enumerate(reader, start=body_start + 2):
        values: dict[str, Any] = {}
        for key, value in row.items():
            if key not in names or value is None:
                continue
            value = value.strip()
            if key in ENTITY_COLUMNS and value:
                try:
                    value = curies.expand(value)
                except KeyError:
                    raise InputError(where, f"{key} {value[:200]!r} has a prefix that curie_map does "
                                            "not define", line=offset,
                                     hint="add the prefix to the curie_map of the metadata block") from None
            if key in ENTITY_COLUMNS and value:
                problem = iri_problem(value)
                if problem:
                    raise InputError(where, f"{key} {value[:200]!r} is not an IRI: {problem}", line=offset,
                                     hint="write the IRI (or CURIE) without spaces, quotes or angle brackets")
            values[key] = value
        if any(not values.get(c) for c in REQUIRED):
            empty = [c for c in REQUIRED if not values.get(c)]
            raise InputError(where, f"the row has no {', '.join(empty)}", line=offset)
        raw = values.get("confidence") or ""
        if raw and not CONFIDENCE.fullmatch(raw):
            raise InputError(where, f"confidence {raw[:40]!r} is not a number between 0 and 1",
                             line=offset, hint="write it with ASCII digits and a point, e.g. 0.95")
        values["confidence"] = float(raw) if raw else None
        if values["confidence"] is not None and not 0.0 <= values["confidence"] <= 1.0:
            raise InputError(where, f"confidence {raw} is not between 0 and 1", line=offset)
        mappings.append(Mapping(**values, line=offset))
    return MappingSet(metadata=meta, mappings=mappings, prefixes=curies.prefixes)


def today_iso() -> str:
    return dt.date.today().isoformat()
