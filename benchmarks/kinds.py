"""What each canned query is for, and the warm p50 its kind must keep to at 1M triples.

A lookup starts from one entity or value the user gives and reads its neighbourhood; an
aggregate or a quality scan reads a part of the graph that grows with it (every organisation,
every project of a theme, every work package); a statistics query reads the counts made when
the graph was loaded (akke_graph/statistics.py). A query is benchmarked with the parameters of
``benchmarks.tasks.query_params``, so its kind is the kind of that run (organisation-activities
is given an organisation: without one it lists every organisation's involvements).

The kinds live here, not as tags in the queries' ``#+`` headers, while other work rewrites
those headers; the two kinds the headers already name agree with this table (the
``statistics`` and ``data quality`` tags, checked by tests/scale/test_report.py).
"""

from __future__ import annotations

# kind: (target in seconds, what the kind is, as the README says it)
TARGETS: dict[str, tuple[float, str]] = {
    "lookup": (0.010, "lookups (an entity, its packages, its funding)"),
    "aggregate": (0.5, "whole-graph aggregates"),
    "quality": (0.5, "quality scans"),
    "statistics": (0.010, "statistics of the graph (VoID counts made at load)"),
}

KINDS: dict[str, str] = {
    "city-regions": "aggregate",
    "co-funding-rate": "aggregate",                   # every granted funding record
    "contacts-by-theme": "aggregate",                 # every work package of a theme
    "entities-per-class": "statistics",
    "entities-without-english-label": "quality",
    "find-by-finnish-name": "lookup",
    "focus-area-projects": "aggregate",               # every project of an agreement's focus areas
    "funding-chain": "lookup",
    "funding-per-organisation": "lookup",             # of the organisation given
    "funding-per-year": "lookup",                     # of the funding authority given
    "is-agreement-party": "lookup",
    "organisation-activities": "lookup",              # of the organisation given
    "organisation-projects": "lookup",                # of the organisation given
    "organisations": "aggregate",
    "organisations-without-business-id": "quality",
    "organisations-working-together": "lookup",       # with the organisation given
    "project-card": "lookup",
    "project-export": "lookup",
    "projects-active-on": "aggregate",                # every project's period
    "projects-by-theme": "aggregate",                 # every project of a theme
    "sources-of": "lookup",
    "triples-per-graph": "statistics",
    "work-packages": "lookup",
    "work-packages-without-contact": "quality",
}

# Header tags that name a kind: a query with the tag is of the kind, and only those are.
TAGGED = {"statistics": "statistics", "data quality": "quality"}


def kind_of(name: str) -> str | None:
    return KINDS.get(name)


def target_of(name: str) -> float | None:
    kind = KINDS.get(name)
    return TARGETS[kind][0] if kind else None
