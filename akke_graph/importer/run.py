"""An import from start to end: read the input, match it to the graph, build one draft per
source page, validate the graph with the drafts in it, and only then write the files, each whole.

Nothing is written when the drafts make the graph non-conformant (:class:`NonConformantError`,
exit 1, with the validation report) or with ``dry_run``; candidates for review go to an SSSOM file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from akke_graph.config import Config
from akke_graph.errors import InputError, NonConformantError, Report
from akke_graph.files import write_text
from akke_graph.importer.draft import Builder, PageDraft
from akke_graph.importer.mapping import Mapping, read_mapping, recognise
from akke_graph.importer.records import Record, RowReader
from akke_graph.importer.report import ImportReport, RowOutcome
from akke_graph.importer.resolve import Resolver
from akke_graph.importer.table import read_table
from akke_graph.importer.turtle import THIS_GRAPH, block, prefix_lines
from akke_graph.load import LoadedGraph, SourceFile, load, load_bytes, syntax_error
from akke_graph.terms import PREFIXES, RDF, VOID, own_prefixes


@dataclass
class Refused:
    """Why the drafts were not written: the validation report, then the import's own."""

    validation: Report
    imported: ImportReport

    def to_text(self, lang: str = "en") -> str:
        return self.validation.to_text(lang) + "\n\n" + self.imported.to_text()


@dataclass
class Written:
    path: Path
    display: str
    graph: str
    text: str
    state: str          # created | changed


def prefixes(config: Config) -> dict[str, str]:
    ids = config.id_base
    return {**PREFIXES, **{k: v for k, v in own_prefixes(config.base_iri).items() if k != "ash"},
            "focus-area": ids + "focus-area/", "funding-status": ids + "funding-status/"}


def shown(config: Config, path: Path) -> str:
    """A file as the report and the data files name it: below the project root, or by its name
    (a path outside the project means nothing to the next reader of data/)."""
    display = config.display_path(path)
    return path.name if Path(display).is_absolute() else display


def import_table(config: Config, path: Path, *, mapping: Path | None = None, dry_run: bool = False,
                 candidates: Path | None = None) -> ImportReport:
    """Import a CSV or xlsx table with its (recognised or given) mapping."""
    display = shown(config, path)
    table = read_table(path, display)
    chosen: Mapping = read_mapping(mapping, shown(config, mapping)) if mapping else \
        recognise(table.header, display)
    if mapping:
        missing = sorted(chosen.required_columns() - set(table.header))
        if missing:
            raise InputError(display, f"the table has no column {', '.join(missing)}, which the mapping "
                                      f"{chosen.display} needs", hint="rename the column or fix the mapping")
    report = ImportReport(input=display, kind=chosen.kind, mapping=chosen.name, dry_run=dry_run)
    unknown = [c for c in table.header if c not in chosen.columns]
    report.problems += [f"column {c!r} is not in the mapping {chosen.name}: its values are not imported "
                        "(add it to a mapping, with field: or ignore:)" for c in unknown]
    reader = RowReader(chosen, table.rows)
    records = [reader.read(row) for row in table.rows]
    extra = [RowOutcome(line=line, label="", status="skipped", reason=why) for line, why in table.problems]
    return _run(config, records, display, report, dry_run, candidates or _candidates_path(config, path), extra)


def import_card(config: Config, path: Path, *, source: str, language: str = "fi", dry_run: bool = False,
                candidates: Path | None = None) -> ImportReport:
    """Import a project card read from the page ``source``, written in ``language``."""
    from akke_graph.importer.card import read_card
    from akke_graph.importer.records import URL

    display = shown(config, path)
    if not URL.match(source):
        raise InputError(display, f"--source {source!r} is not a web address",
                         hint="give the address of the page the card was read from")
    record = read_card(path, display, source, language)
    report = ImportReport(input=display, kind="card", dry_run=dry_run)
    return _run(config, [record], display, report, dry_run, candidates or _candidates_path(config, path), [])


def _candidates_path(config: Config, path: Path) -> Path:
    return config.build_dir / "import" / f"{path.stem}.sssom.tsv"


def _run(config: Config, records: list[Record], display: str, report: ImportReport, dry_run: bool,
         candidates: Path, extra: list[RowOutcome]) -> ImportReport:
    loaded = load(config)
    resolver = Resolver(loaded)
    builder = Builder(config, resolver, display)
    for record in records:
        outcome = RowOutcome(line=record.line, label=record.label, source=record.source)
        report.rows.append(outcome)
        if record.fatal:
            outcome.status, outcome.reason = "skipped", record.fatal
            continue
        outcome.status = "matched"
        if record.kind == "projects":
            builder.project(record, outcome)
        elif record.kind == "organisations":
            builder.organisation_row(record, outcome)
        else:
            builder.focus_area_row(record, outcome)
        outcome.notes = record.problems + outcome.notes
        outcome.matches = list(dict.fromkeys(outcome.matches))
    report.rows += extra
    report.rows.sort(key=lambda r: r.line)
    written = _finish(loaded, builder, report)
    _validate(loaded, written, report)
    if builder.candidates:
        report.candidates, report.candidate_rows = config.display_path(candidates), len(builder.candidates)
    if dry_run:
        return report
    for item in written:
        write_text(item.path, item.text)
    if builder.candidates:
        _write_candidates(config, builder, candidates)
    return report


def _existing(loaded: LoadedGraph, draft: PageDraft) -> set[ox.Triple]:
    """The statements of the draft that the graph already makes, in any file: each fact is stated
    once, in the file of the first page that gave it (a union of graphs repeats a statement once
    per graph, and queries would count it twice)."""
    this = ox.NamedNode(THIS_GRAPH)
    subjects = sorted({t.subject.value for _, triples, _ in draft.blocks for t in triples
                       if isinstance(t.subject, ox.NamedNode) and t.subject.value != THIS_GRAPH})
    found: set[ox.Triple] = set()
    for start in range(0, len(subjects), 200):
        values = " ".join(f"<{s}>" for s in subjects[start:start + 200])
        for row in loaded.store.select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"):
            subject, predicate = row["s"], row["p"]
            if isinstance(subject, ox.NamedNode) and isinstance(predicate, ox.NamedNode):
                found.add(ox.Triple(subject, predicate, row["o"]))
    for quad in loaded.store.quads(draft.graph):
        if quad.subject == ox.NamedNode(draft.graph):
            found.add(ox.Triple(this, quad.predicate, quad.object))
    return found


def _finish(loaded: LoadedGraph, builder: Builder, report: ImportReport) -> list[Written]:
    config = loaded.config
    names = prefixes(config)
    alive: set[int] = set()
    written: list[Written] = []
    for page, draft in sorted(builder.pages.items()):
        existing = _existing(loaded, draft)
        blocks = []
        for comment, triples, line in draft.blocks:
            left = [t for t in triples if t not in existing]
            if left:
                blocks.append((comment, left, line))
        about_entities = [b for b in blocks if not b[0].startswith("the source page")]
        if not about_entities:
            continue
        alive |= {line for _, _, line in about_entities}
        shown = config.display_path(draft.path)
        old = draft.path.read_text(encoding="utf-8") if draft.path.is_file() else ""
        body = "\n".join(f"# {comment}\n{block(triples, names)}" for comment, triples, _ in blocks)
        if old:
            text = old.rstrip("\n") + "\n\n" + prefix_lines(names, body, old) + body
        else:
            head = (f"# Facts read from {page}\n# Written by `akke-graph import`; each block names the "
                    "row or line it was read from.\n\n")
            text = head + prefix_lines(names, body) + "\n" + body
        written.append(Written(draft.path, shown, draft.graph, text, "changed" if old else "created"))
        report.files[shown] = "changed" if old else "created"
    for outcome in report.rows:
        if outcome.status == "matched" and outcome.line not in alive:
            outcome.status = "unchanged"
    return written


def _validate(loaded: LoadedGraph, written: list[Written], report: ImportReport) -> None:
    """The graph with the drafts in it must conform before anything is written."""
    from akke_graph.shacl.validate import validate_graph

    if not written:
        report.validation = "nothing to write"
        return
    marks = []
    for item in written:
        try:
            load_bytes(loaded.store, item.text.encode("utf-8"), "turtle", item.display, item.graph)
        except InputError as exc:   # a bug here must never leave a broken data file behind
            raise InputError(item.display, f"the draft does not parse, nothing was written: {exc}") from None
        except SyntaxError as exc:  # pragma: no cover - load_bytes turns these into InputError
            raise syntax_error(item.display, exc) from None
        node = ox.NamedNode(item.graph)
        marks.append(ox.Quad(node, ox.NamedNode(RDF + "type"), ox.NamedNode(VOID + "Dataset"), node))
        loaded.files[item.graph] = SourceFile(path=item.path, display=item.display, graph=item.graph, is_data=True)
    loaded.store.add(marks)
    result = validate_graph(loaded)
    if result.has_violations:
        raise NonConformantError("the imported records would make the graph non-conformant: nothing was "
                                 "written", Refused(result, report))
    report.validation = f"the graph with the drafts conforms ({result.counts.get('Warning', 0)} warning(s))"


def _write_candidates(config: Config, builder: Builder, path: Path) -> None:
    from akke_graph.link.export import curie_prefixes
    from akke_graph.link.sssom_tsv import LICENSE, TOOL, MappingSet, write_sssom

    metadata = {
        "mapping_set_id": f"{config.base_iri}mappings/import/{path.name.split('.')[0]}/{builder.today}",
        "mapping_set_title": f"Candidate matches from importing {builder.display}",
        "mapping_set_description": "Names in the imported records that are similar to, but not certainly, "
                                   "entities of the graph. For each subject keep the right row (fill "
                                   "reviewer_label) or set predicate_modifier to Not, then run akke-graph "
                                   "link accept FILE and import again.",
        "license": LICENSE, "mapping_date": builder.today, "mapping_tool": TOOL,
    }
    write_text(path, write_sssom(MappingSet(metadata=metadata, mappings=builder.candidates), curie_prefixes(config)))
