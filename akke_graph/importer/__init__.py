"""Importing real records into the graph: project cards and tables, matched without guessing."""

from akke_graph.importer.report import ImportReport, RowOutcome
from akke_graph.importer.run import import_card, import_table

__all__ = ["ImportReport", "RowOutcome", "import_card", "import_table"]
