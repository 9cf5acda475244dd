"""What a row or a card says, read into plain records before anything is matched to the graph.

Reading checks each value once: a date that does not exist, an amount that is not euros, a name
cut short ("…") or a row without a name is a problem of that row, with the reason; the row's other
values still come through where they stand on their own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from akke_graph.importer.amounts import AmountError, parse_amount
from akke_graph.importer.dates import DateError, parse_date
from akke_graph.importer.mapping import Column, Mapping
from akke_graph.importer.table import Row
from akke_graph.registries import ytunnus

TRUNCATED = re.compile(r"(…|\.\.\.)\s*$")
PARENTHETICAL = re.compile(r"^(?P<head>.*?)\s*\((?P<inner>[^()]*)\)\s*$")
ROLE_WORDS = re.compile(r"\s*(?:,|\bja\b|\band\b|\boch\b)\s*")
LANGUAGE_TAG = re.compile(r"^(?P<text>.*)@(?P<lang>fi|sv|en)$", re.DOTALL)   # a mapping's "name@fi"
URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+(/\S*)?$")


@dataclass
class OrgRef:
    """An organisation as a record names it: its name in one or more languages, names used only
    to find it, and the roles the record gives it."""

    text: str
    names: dict[str, str]
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    business_id: str | None = None

    def all_names(self) -> list[str]:
        return list(dict.fromkeys([*self.names.values(), *self.aliases]))


@dataclass
class ProgrammeRef:
    text: str
    title: str
    language: str
    acronym: str | None = None


@dataclass
class WorkPackageRecord:
    number: int
    titles: dict[str, str]
    responsible: list[OrgRef]
    line: int
    alternatives: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ContactRecord:
    name: str
    organisation: OrgRef
    work_packages: list[int]
    line: int
    title: str = ""            # the work package's title as the contact line writes it


@dataclass
class Record:
    """One row or card: where it is, the page it was read from, what it says, what was wrong."""

    line: int
    source: str
    language: str
    kind: str
    problems: list[str] = field(default_factory=list)      # values left out, with the reason
    fatal: str | None = None                               # why the whole record is skipped
    # projects
    titles: dict[str, str] = field(default_factory=dict)
    acronym: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    organisations: list[OrgRef] = field(default_factory=list)
    programme: ProgrammeRef | None = None
    funders: list[OrgRef] = field(default_factory=list)
    authorities: list[OrgRef] = field(default_factory=list)
    amount: Decimal | None = None
    total_cost: Decimal | None = None
    status: str | None = None
    decision_date: dt.date | None = None
    decision_body: OrgRef | None = None
    work_packages: list[WorkPackageRecord] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    # organisations
    organisation: OrgRef | None = None
    # focus areas
    city_region: str | None = None
    focus_area: str | None = None

    raw: str = ""          # the name as written, for a record skipped before it was read

    @property
    def label(self) -> str:
        for value in (*self.titles.values(), self.focus_area,
                      self.organisation.text if self.organisation else None, self.raw):
            if value:
                return value
        return f"(no name, from {self.source})" if self.source else "(no name)"


def split_roles(inner: str, roles: dict[str, str]) -> list[str] | None:
    """The roles named by the words in parentheses, or None when they are not all role words."""
    found = [w.strip().casefold() for w in ROLE_WORDS.split(inner) if w.strip()]
    if found and all(w in roles for w in found):
        return list(dict.fromkeys(roles[w] for w in found))
    return None


def parse_org(text: str, language: str, roles: dict[str, str], column: Column | None = None) -> OrgRef:
    """An organisation cell: ``Turun kaupunki (päätoteuttaja)``, ``Turun yliopisto / University of
    Turku``, ``Regional Council of Satakunta (Satakuntaliitto)`` on an English page."""
    head, names, aliases, found_roles = text.strip(), {}, [], []
    while (match := PARENTHETICAL.match(head)) and match["head"]:
        inner = match["inner"].strip()
        head = match["head"].strip()
        role_list = split_roles(inner, roles)
        if role_list is not None:
            found_roles += role_list
        elif column is not None and column.parenthetical and column.parenthetical != language:
            names[column.parenthetical] = inner
        elif inner:
            aliases.append(inner)
    if column is not None and column.bilingual and column.bilingual in head:
        first, second = (p.strip() for p in head.split(column.bilingual, 1))
        names.setdefault(language, first)
        names.setdefault("en" if language != "en" else "fi", second)
    else:
        names.setdefault(language, head)
    return OrgRef(text=text.strip(), names=names, aliases=aliases, roles=found_roles)


def parse_programme(text: str, language: str) -> ProgrammeRef:
    """``Alueiden kestävän kasvun ja elinvoiman tukeminen (AKKE)``: a title and its acronym."""
    match = PARENTHETICAL.match(text.strip())
    if match and match["head"] and re.fullmatch(r"[A-ZÅÄÖ0-9][A-ZÅÄÖ0-9-]{1,11}", match["inner"].strip()):
        return ProgrammeRef(text, match["head"].strip(), language, match["inner"].strip())
    acronym = text.strip() if re.fullmatch(r"[A-ZÅÄÖ][A-ZÅÄÖ0-9-]{1,11}", text.strip()) else None
    return ProgrammeRef(text, text.strip(), language, acronym)


class RowReader:
    """Reads the rows of one table with one mapping into records."""

    def __init__(self, mapping: Mapping, rows: tuple[Row, ...]) -> None:
        self.mapping = mapping
        self.rows = rows
        self.page_facts = self._page_facts()

    def _page_facts(self) -> dict[str, dict[str, str]]:
        """Facts of ``scope: page`` rules, by page: a list heading read once holds for every row."""
        found: dict[str, dict[str, str]] = {}
        for rule in (r for r in self.mapping.rules if r.scope == "page"):
            for row in self.rows:
                match = rule.pattern.search(row.get(rule.column))
                if match:
                    page = self._cell(row, "source")
                    if page:
                        found.setdefault(page, {})[rule.field] = rule.value or match["value"]
        return found

    def _cell(self, row: Row, field_name: str) -> str:
        return next((row.get(c.name) for c in self.mapping.by_field(field_name) if row.get(c.name)), "")

    def _value(self, column: Column, text: str) -> str:
        return column.values.get(text, text)

    def read(self, row: Row) -> Record:
        source = self._cell(row, "source")
        record = Record(line=row.line, source=source, kind=self.mapping.kind,
                        language=self.mapping.row_language(source) if source else self.mapping.default_language)
        if not source:
            record.fatal = "the row names no source page"
        elif not URL.match(source):
            record.fatal = f"the source {source!r} is not a web address (http:// or https://)"
        if record.fatal:
            return record
        read = {"projects": self._project, "organisations": self._organisation,
                "focus-areas": self._focus_area}[self.mapping.kind]
        read(row, record)
        return record

    # --- the fields of each kind ----------------------------------------------------------

    def _names(self, row: Row, field_name: str, language: str) -> list[OrgRef]:
        found: list[OrgRef] = []
        for column in self.mapping.by_field(field_name):
            text = row.get(column.name)
            if not text:
                continue
            parts = [p.strip() for p in text.split(column.separator)] if column.separator else [text]
            for part in filter(None, parts):
                found.append(parse_org(self._value(column, part), language, self.mapping.roles, column))
        return found

    def _truncated(self, record: Record, what: str, text: str) -> bool:
        if TRUNCATED.search(text):
            record.raw = text
            record.fatal = f"the {what} {text!r} is cut short (it ends with an ellipsis)"
            return True
        return False

    def _project(self, row: Row, record: Record) -> None:
        for column in self.mapping.by_field("title"):
            text = row.get(column.name)
            if text and not self._truncated(record, "project name", text):
                record.titles[column.language or record.language] = text
        if record.fatal:
            return
        if not record.titles:
            record.fatal = "the row has no project name"
            return
        record.acronym = self._cell(row, "acronym") or None
        for ref in self._names(row, "applicant", record.language):
            ref.roles = ref.roles or ["applicant"]
            record.organisations.append(ref)
        for ref in self._names(row, "partners", record.language):
            ref.roles = ref.roles or ["partner"]
            record.organisations.append(ref)
        record.funders = self._names(row, "funder", record.language)
        record.authorities = self._names(row, "funding_authority", record.language)
        for column in self.mapping.by_field("programme"):
            text = row.get(column.name)
            if text:
                value = self._value(column, text)
                tagged = LANGUAGE_TAG.match(value)
                if tagged:
                    record.programme = parse_programme(tagged["text"], tagged["lang"])
                else:
                    record.programme = parse_programme(value, column.language or record.language)
        record.amount = self._amount(row, record, "amount")
        record.total_cost = self._amount(row, record, "total_cost")
        record.start = self._date(row, record, "start")
        record.end = self._date(row, record, "end")
        if record.start and record.end and record.end < record.start:
            record.problems.append(f"the period {record.start} – {record.end} ends before it starts: "
                                   "both dates left out")
            record.start = record.end = None
        self._rules(row, record)
        status = self._cell(row, "status").casefold()
        if status:
            if status in ("granted", "myönnetty"):
                record.status = "granted"
            elif status in ("proposed", "esitetty"):
                record.status = "proposed"
            else:
                record.problems.append(f"status {status!r} is neither granted nor proposed: left out")
        text = self._cell(row, "decision_date")
        if text:
            try:
                record.decision_date = parse_date(text)
            except DateError as exc:
                record.problems.append(f"decision date left out: {exc}")
        body = self._cell(row, "decision_body")
        if body:
            record.decision_body = parse_org(body, record.language, {})
        if record.amount is not None and record.status is None:
            record.problems.append(f"amount {record.amount} left out: the row does not say whether it "
                                   "was granted or proposed")
            record.amount = None

    def _amount(self, row: Row, record: Record, field_name: str) -> Decimal | None:
        text = self._cell(row, field_name)
        if not text:
            return None
        try:
            return parse_amount(text)
        except AmountError as exc:
            what = "amount" if field_name == "amount" else "total cost"
            record.fatal = f"the {what} does not read: {exc}"
            return None

    def _date(self, row: Row, record: Record, field_name: str) -> dt.date | None:
        text = self._cell(row, field_name)
        if not text:
            return None
        try:
            return parse_date(text)
        except DateError as exc:
            record.problems.append(f"{'start' if field_name == 'start' else 'end'} date left out: {exc}")
            return None

    def _rules(self, row: Row, record: Record) -> None:
        found: dict[str, set[str]] = {}
        for rule in self.mapping.rules:
            if rule.scope == "page":
                continue
            match = rule.pattern.search(row.get(rule.column))
            if match:
                found.setdefault(rule.field, set()).add(rule.value or match["value"])
        for name, value in self.page_facts.get(record.source, {}).items():
            found.setdefault(name, {value})
        for name, values in found.items():
            if len(values) > 1:
                record.problems.append(f"the notes say both {' and '.join(sorted(values))} for {name}: "
                                       "left out")
                continue
            value = values.pop()
            if name == "status":
                record.status = value
            elif name == "acronym":
                record.acronym = value
            elif name == "decision_date":
                try:
                    record.decision_date = parse_date(value)
                except DateError as exc:
                    record.problems.append(f"decision date left out: {exc}")
            elif name == "decision_body":
                record.decision_body = parse_org(value, "fi", {})

    def _organisation(self, row: Row, record: Record) -> None:
        names = self._names(row, "name", record.language)
        if not names:
            record.fatal = "the row names no organisation"
            return
        if self._truncated(record, "organisation name", names[0].text):
            return
        record.organisation = names[0]
        text = self._cell(row, "business_id")
        if text:
            try:
                record.organisation.business_id = ytunnus.normalise(text)
            except ytunnus.BusinessIdError as exc:
                record.fatal = f"the business ID does not hold: {exc}"
        else:
            record.fatal = "the row gives no business ID"

    def _focus_area(self, row: Row, record: Record) -> None:
        record.city_region = self._cell(row, "city_region")
        record.focus_area = self._cell(row, "focus_area")
        if not record.city_region:
            record.fatal = "the row names no city region"
        elif not record.focus_area:
            record.fatal = "the row names no focus area"
        elif not self._truncated(record, "focus area", record.focus_area):
            record.authorities = self._names(row, "funding_authority", record.language)
