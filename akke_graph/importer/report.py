"""What an import did, row by row: created, matched, unchanged or skipped, with the reasons, the
values left out, the candidates written for review and the files written; as text and as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from akke_graph.errors import EXIT_NONCONFORMANT, EXIT_OK

STATUSES = ("created", "matched", "unchanged", "skipped")


@dataclass
class RowOutcome:
    """One row (or card line): what became of it."""

    line: int
    label: str
    source: str = ""
    status: str = "unchanged"
    matches: list[str] = field(default_factory=list)        # what was matched, and how
    notes: list[str] = field(default_factory=list)          # values left out, with the reason
    reason: str = ""                                        # why a skipped row was skipped
    created: list[str] = field(default_factory=list)        # IRIs of the entities it created

    @property
    def flagged(self) -> bool:
        return self.status == "skipped" or bool(self.notes)


@dataclass
class ImportReport:
    """The whole import; ``exit_code`` 0 when every row went in whole, 1 when rows or values were
    left out (the rest is still written), never a guess."""

    input: str
    kind: str
    mapping: str = ""
    dry_run: bool = False
    rows: list[RowOutcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)       # about the whole input (unknown columns)
    files: dict[str, str] = field(default_factory=dict)     # path → created | changed | unchanged
    candidates: str | None = None                           # the SSSOM file written for review
    candidate_rows: int = 0
    validation: str = ""                                    # the draft's validation summary

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for r in self.rows if r.status == s) for s in STATUSES}

    @property
    def exit_code(self) -> int:
        return EXIT_NONCONFORMANT if self.problems or any(r.flagged for r in self.rows) else EXIT_OK

    def to_json(self) -> str:
        data = {"input": self.input, "kind": self.kind, "mapping": self.mapping, "dryRun": self.dry_run,
                "counts": self.counts(), "problems": self.problems, "files": self.files,
                "candidates": self.candidates, "candidateRows": self.candidate_rows,
                "validation": self.validation, "exitCode": self.exit_code,
                "rows": [asdict(r) for r in self.rows]}
        return json.dumps(data, ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        counts = self.counts()
        head = (f"{'would import' if self.dry_run else 'imported'} {self.input}"
                + (f" with mapping {self.mapping}" if self.mapping else "") + ": "
                + ", ".join(f"{counts[s]} {s}" for s in STATUSES))
        lines = [head]
        lines += [f"  problem: {p}" for p in self.problems]
        for row in self.rows:
            where = f"line {row.line}"
            if row.status == "skipped":
                lines.append(f"  {where}: skipped {row.label!r}: {row.reason}")
            elif row.notes:
                lines.append(f"  {where}: {row.status} {row.label!r}")
            for note in row.notes:
                lines.append(f"    left out: {note}")
        for path, what in self.files.items():
            verb = {"created": "would create" if self.dry_run else "created",
                    "changed": "would add to" if self.dry_run else "added to"}.get(what, what)
            lines.append(f"  {verb} {path}")
        if self.candidates:
            lines.append(f"  {self.candidate_rows} candidate match(es) for review in {self.candidates}: "
                         "keep or negate each row, then run akke-graph link accept FILE --reviewer NAME "
                         "and import again")
        if self.validation:
            lines.append(f"  {self.validation}")
        return "\n".join(lines)
