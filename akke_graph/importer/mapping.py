"""A mapping says what each column of a table means in the model; the shipped ones are recognised
by the table's header.

A mapping is a small YAML file (``akke_graph/importer/mappings/*.yaml`` ship with the package;
``--mapping FILE`` takes another)::

    name: akke-projects
    kind: projects                   # projects | organisations | focus-areas
    columns:
      source_url: {field: source}
      project_name_fi: {field: title, language: fi}
      partners: {field: partners, separator: ";"}
      region: {ignore: free text, not a code}
    language: {default: fi, url_path: {en: en}}     # the language names in a row are written in
    roles: {päätoteuttaja: main-implementer}        # words in parentheses after a name
    rules:                                          # facts read from free-text columns
      - {field: status, column: notes, pattern: '(?i)\\bgranted\\b', value: granted}

A column the header has but the mapping does not name is reported, never silently dropped.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from akke_graph.errors import InputError

KINDS: dict[str, dict[str, str]] = {   # kind → field → what it holds
    "projects": {
        "source": "the page the row was read from (required)",
        "title": "the project's name in the column's language",
        "acronym": "the project's acronym",
        "applicant": "the organisation that applied for the funding",
        "partners": "the other organisations of the project",
        "programme": "the funding programme the page names",
        "funder": "the organisation whose money it is",
        "funding_authority": "the authority that administers the funding",
        "amount": "the amount in euros (granted or proposed: see status)",
        "total_cost": "the project's total cost estimate in euros",
        "start": "the first day of the project",
        "end": "the last day of the project",
        "status": "granted or proposed",
        "decision_date": "the date of the funding decision",
        "decision_body": "the body that made the funding decision",
        "notes": "free text that rules read facts from",
    },
    "organisations": {
        "source": "the page the row was read from (required)",
        "name": "the organisation's name as the page writes it",
        "business_id": "the Finnish business ID (Y-tunnus)",
        "notes": "free text that rules read facts from",
    },
    "focus-areas": {
        "source": "the page the row was read from (required)",
        "city_region": "the city region of the ecosystem agreement",
        "focus_area": "the focus area's name in the row's language",
        "funding_authority": "the authority that funds the focus area",
        "notes": "free text that rules read facts from",
    },
}
REQUIRED = {"projects": ("source",), "organisations": ("source", "name"),
            "focus-areas": ("source", "city_region", "focus_area")}
RULE_FIELDS = {"status", "decision_date", "decision_body", "acronym"}
STATUSES = ("granted", "proposed")
LANGUAGES = ("fi", "sv", "en")
COLUMN_KEYS = {"field", "language", "separator", "ignore", "values", "bilingual", "parenthetical"}
TOP_KEYS = {"name", "kind", "description", "columns", "language", "roles", "rules"}


@dataclass(frozen=True)
class Column:
    """What one column holds."""

    name: str
    field: str | None = None
    language: str | None = None
    separator: str | None = None
    ignore: str | None = None                   # why the column is not imported
    values: dict[str, str] = dataclasses.field(default_factory=dict)   # cell text → the text to read instead
    bilingual: str | None = None                # "A / B": B is the English name of A
    parenthetical: str | None = None            # "A (B)": B is A's name in this language


@dataclass(frozen=True)
class Rule:
    """A fact read from a free-text column: where ``pattern`` matches, ``field`` gets ``value``
    (or the pattern's ``value`` group); ``scope: page`` gives it to every row of the same page."""

    field: str
    column: str
    pattern: re.Pattern[str]
    value: str | None = None
    scope: str = "row"


@dataclass(frozen=True)
class Mapping:
    """A whole mapping, read and checked."""

    name: str
    kind: str
    display: str
    columns: dict[str, Column]
    default_language: str = "fi"
    url_languages: dict[str, str] = dataclasses.field(default_factory=dict)
    roles: dict[str, str] = dataclasses.field(default_factory=dict)
    rules: tuple[Rule, ...] = ()
    description: str = ""

    def by_field(self, name: str) -> list[Column]:
        return [c for c in self.columns.values() if c.field == name]

    def required_columns(self) -> set[str]:
        return {c.name for c in self.columns.values() if c.field in REQUIRED[self.kind]}

    def row_language(self, source: str) -> str:
        """The language names in a row are written in, from the page's address."""
        path = re.sub(r"^[a-z]+://[^/]+", "", source)
        for segment, lang in self.url_languages.items():
            if f"/{segment}/" in path + "/":
                return lang
        return self.default_language


def _fail(display: str, message: str, hint: str | None = None) -> InputError:
    return InputError(display, message, hint=hint or "see docs/commands/import.md for the mapping format")


def parse_mapping(text: str, display: str) -> Mapping:
    """A mapping from its YAML text; :class:`InputError` naming what is wrong."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(display, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                         line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise _fail(display, "a mapping is a YAML table of keys (name, kind, columns, …)")
    unknown = sorted(set(map(str, data)) - TOP_KEYS)
    if unknown:
        raise _fail(display, f"unknown key(s) {', '.join(unknown)}", f"known keys: {', '.join(sorted(TOP_KEYS))}")
    kind = data.get("kind")
    if kind not in KINDS:
        raise _fail(display, f"kind {kind!r} is not one of {', '.join(KINDS)}")
    columns: dict[str, Column] = {}
    raw_columns = data.get("columns")
    if not isinstance(raw_columns, dict) or not raw_columns:
        raise _fail(display, "columns: must name the table's columns")
    for name, spec in raw_columns.items():
        columns[str(name)] = _column(str(name), spec, kind, display)
    for required in REQUIRED[kind]:
        if not any(c.field == required for c in columns.values()):
            raise _fail(display, f"no column holds the field {required!r}, which a {kind} table needs")
    language = data.get("language") or {}
    if not isinstance(language, dict):
        raise _fail(display, "language: must be a table with default and url_path")
    default = language.get("default", "fi")
    url_languages = language.get("url_path") or {}
    if default not in LANGUAGES or not isinstance(url_languages, dict) or \
            any(v not in LANGUAGES for v in url_languages.values()):
        raise _fail(display, f"language: the languages must be among {', '.join(LANGUAGES)}")
    roles = data.get("roles") or {}
    if not isinstance(roles, dict) or not all(isinstance(v, str) for v in roles.values()):
        raise _fail(display, "roles: must map words to role names (e.g. päätoteuttaja: main-implementer)")
    rules = tuple(_rule(r, i, columns, display) for i, r in enumerate(data.get("rules") or [], 1))
    return Mapping(name=str(data.get("name") or Path(display).stem), kind=kind, display=display,
                   columns=columns, default_language=default,
                   url_languages={str(k): str(v) for k, v in url_languages.items()},
                   roles={str(k).casefold(): str(v) for k, v in roles.items()}, rules=rules,
                   description=str(data.get("description") or ""))


def _column(name: str, spec: Any, kind: str, display: str) -> Column:
    if not isinstance(spec, dict):
        raise _fail(display, f"column {name!r}: give a table such as {{field: title}} or {{ignore: why}}")
    unknown = sorted(set(map(str, spec)) - COLUMN_KEYS)
    if unknown:
        raise _fail(display, f"column {name!r}: unknown key(s) {', '.join(unknown)}")
    if "ignore" in spec:
        if not str(spec["ignore"]).strip():
            raise _fail(display, f"column {name!r}: say why it is ignored (ignore: the reason)")
        return Column(name=name, ignore=str(spec["ignore"]))
    field_name = spec.get("field")
    if field_name not in KINDS[kind]:
        raise _fail(display, f"column {name!r}: field {field_name!r} is not one of a {kind} table's "
                             f"fields ({', '.join(KINDS[kind])})")
    lang = spec.get("language")
    if lang is not None and lang not in LANGUAGES:
        raise _fail(display, f"column {name!r}: language {lang!r} is not one of {', '.join(LANGUAGES)}")
    values = spec.get("values") or {}
    if not isinstance(values, dict):
        raise _fail(display, f"column {name!r}: values must map cell texts to the text to read")
    parenthetical = spec.get("parenthetical")
    if parenthetical is not None and parenthetical not in LANGUAGES:
        raise _fail(display, f"column {name!r}: parenthetical must be a language ({', '.join(LANGUAGES)})")
    return Column(name=name, field=field_name, language=lang, separator=spec.get("separator"),
                  values={str(k): str(v) for k, v in values.items()},
                  bilingual=spec.get("bilingual"), parenthetical=parenthetical)


def _rule(raw: Any, number: int, columns: dict[str, Column], display: str) -> Rule:
    if not isinstance(raw, dict):
        raise _fail(display, f"rule {number}: give field, column, pattern and value")
    field_name, column, pattern = raw.get("field"), raw.get("column"), raw.get("pattern")
    if field_name not in RULE_FIELDS:
        raise _fail(display, f"rule {number}: field {field_name!r} is not one of {', '.join(sorted(RULE_FIELDS))}")
    if column not in columns:
        raise _fail(display, f"rule {number}: column {column!r} is not a column of the mapping")
    try:
        compiled = re.compile(str(pattern))
    except re.error as exc:
        raise _fail(display, f"rule {number}: the pattern does not compile: {exc}") from None
    value = raw.get("value")
    if value is None and "value" not in compiled.groupindex:
        raise _fail(display, f"rule {number}: give a value, or a pattern with a (?P<value>…) group")
    if field_name == "status" and value not in STATUSES:
        raise _fail(display, f"rule {number}: a status is one of {', '.join(STATUSES)}")
    scope = raw.get("scope", "row")
    if scope not in ("row", "page"):
        raise _fail(display, f"rule {number}: scope is row or page")
    return Rule(field=field_name, column=str(column), pattern=compiled,
                value=None if value is None else str(value), scope=scope)


def read_mapping(path: Path, display: str) -> Mapping:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(display, f"cannot read the mapping: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(display, "the mapping is not UTF-8 text") from None
    return parse_mapping(text, display)


def shipped_mappings() -> list[Mapping]:
    """The mappings that come with the package, by name."""
    folder = resources.files("akke_graph.importer") / "mappings"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            found.append(parse_mapping(entry.read_text(encoding="utf-8"), f"mapping {entry.name}"))
    return found


def recognise(header: tuple[str, ...], display: str, mappings: list[Mapping] | None = None) -> Mapping:
    """The shipped mapping whose columns the header has: every column it requires, and the most
    columns in common; :class:`InputError` when none fits."""
    candidates = mappings if mappings is not None else shipped_mappings()
    columns = set(header)
    fitting = [m for m in candidates if m.required_columns() <= columns]
    if not fitting:
        raise InputError(display, "no shipped mapping recognises the header "
                                  f"({', '.join(header)})",
                         hint="name the columns as one of the shipped mappings does "
                              f"({'; '.join(m.name + ': ' + ', '.join(m.columns) for m in candidates)}), "
                              "or pass --mapping FILE")
    return max(fitting, key=lambda m: (len(set(m.columns) & columns), -len(set(m.columns) - columns), m.name))
