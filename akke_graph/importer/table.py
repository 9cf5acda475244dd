"""Tables as users have them: CSV (comma or semicolon, UTF-8 with or without BOM) or the first
sheet of an Excel workbook (.xlsx). Every cell becomes text; every row keeps the line (CSV) or
sheet row (xlsx) it came from, so that a report can point at it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from akke_graph.errors import InputError

SUFFIXES = (".csv", ".xlsx")
MAX_CELL = 10_000  # characters; a cell longer than this is not a record but a pasted document


def clean(text: str) -> str:
    """Runs of white space (no-break spaces and line breaks included) as one space, ends trimmed."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Row:
    """One record: its cells by column name and where it stands in the file."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()


@dataclass(frozen=True)
class Table:
    """A whole table: the header as written and the rows that are not empty."""

    display: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    problems: tuple[tuple[int, str], ...] = ()   # (line, what is wrong) for rows left out


def read_table(path: Path, display: str) -> Table:
    """Read a CSV or xlsx file; :class:`InputError` (naming the file and line) when it cannot be read."""
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(display, f"unknown table type {path.suffix or '(no suffix)'!r}",
                         hint="give a .csv file or an .xlsx workbook")
    if not path.is_file():
        raise InputError(display, "no such file", hint="check the path")
    if path.suffix.lower() == ".xlsx":
        return _read_xlsx(path, display)
    return _read_csv(path, display)


def _read_csv(path: Path, display: str) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(display, f"cannot read the file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(display, "the file is not UTF-8 text", line=line,
                         hint="save the table as CSV UTF-8") from None
    if "\x00" in text:
        raise InputError(display, "the file holds NUL bytes: it is not a CSV text file",
                         line=text[: text.index("\x00")].count("\n") + 1)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            records.append((reader.line_num, cells))
    except csv.Error as exc:
        raise InputError(display, f"the CSV does not read: {exc}", line=reader.line_num,
                         hint="check the quotes on that line") from None
    # reader.line_num is the line the record ends on; a record starts after the previous one.
    starts = [1] + [end + 1 for end, _ in records[:-1]]
    return _table(display, [(start, cells) for start, (_, cells) in zip(starts, records)])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, display: str) -> Table:
    from zipfile import BadZipFile

    try:
        from openpyxl import load_workbook  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise InputError(display, "reading .xlsx needs the openpyxl package",
                         hint="pip install openpyxl, or save the sheet as CSV") from None
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(display, f"not a readable .xlsx workbook ({exc.__class__.__name__})",
                         hint="save it again as an Excel workbook, or as CSV UTF-8") from None
    try:
        sheet = book.worksheets[0]
        records = [(n, [_cell_text(v) for v in values])
                   for n, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()
    while records and not any(c.strip() for c in records[-1][1]):
        records.pop()
    return _table(f"{display} (sheet {sheet.title!r})", records)


def _table(display: str, records: list[tuple[int, list[str]]]) -> Table:
    if not records:
        raise InputError(display, "the table is empty", hint="the first row must name the columns")
    header_line, header = records[0]
    names = [h.strip() for h in header]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise InputError(display, "the first row names no columns", line=header_line)
    blank = [i + 1 for i, n in enumerate(names) if not n]
    if blank:
        raise InputError(display, f"column {blank[0]} of the header has no name", line=header_line,
                         hint="name every column, or delete the empty one")
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(display, f"the header names the column {name!r} twice", line=header_line)
        seen.add(name)
    rows: list[Row] = []
    problems: list[tuple[int, str]] = []
    for line, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        extra = [c for c in cells[len(names):] if c.strip()]
        if extra:
            problems.append((line, (f"the row has {len(cells)} cells but the header names {len(names)} "
                                   "columns; a separator inside a cell needs quotes")))
            continue
        long = next((names[i] for i, c in enumerate(cells[:len(names)]) if len(c) > MAX_CELL), None)
        if long:
            problems.append((line, f"the cell in column {long!r} is longer than {MAX_CELL} characters"))
            continue
        padded = [clean(c) for c in cells] + [""] * (len(names) - len(cells))
        rows.append(Row(line, dict(zip(names, padded))))
    return Table(display, tuple(names), tuple(rows), tuple(problems))
