"""Query answers and their formats: a readable terminal table (labels, not IRIs), the standard
SPARQL 1.1 results formats (JSON, XML, CSV, TSV) and, for CONSTRUCT, RDF (Turtle, N-Triples,
JSON-LD).

The writers are small and exact rather than borrowed: the answer here is a list of rows, which
no library serialiser takes, and the tests read every format back with Oxigraph's own parser.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from akke_graph.errors import QueryError
from akke_graph.labels import fetch_labels
from akke_graph.store import serialize
from akke_graph.terms import XSD, compact, prefix_map
from akke_graph.escape import visible

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
FORMATS = RESULT_FORMATS + tuple(RDF_FORMATS)
WORDS = {
    "en": {"rows": "{n} rows", "row": "1 row", "none": "(no rows)", "yes": "yes", "no": "no",
           "s": "subject", "p": "predicate", "o": "object", "triples": "{n} triples"},
    "fi": {"rows": "{n} riviä", "row": "1 rivi", "none": "(ei rivejä)", "yes": "kyllä", "no": "ei",
           "s": "subjekti", "p": "predikaatti", "o": "objekti", "triples": "{n} kolmikkoa"},
}


@dataclass
class QueryResult:
    """The answer to one query: rows (SELECT), triples (CONSTRUCT/DESCRIBE) or a boolean (ASK)."""

    kind: str
    query: str = ""
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    triples: list[ox.Triple] = field(default_factory=list)
    boolean: bool | None = None
    bound: dict[str, Term] = field(default_factory=dict)   # parameter variable -> its value

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples) if self.boolean is None else 1

    @property
    def is_graph(self) -> bool:
        return self.kind in ("construct", "describe")

    @property
    def is_empty(self) -> bool:
        """No rows, no triples, or an ASK answered false."""
        return not self.boolean if self.kind == "ask" else not (self.triples if self.is_graph else self.rows)


def render(result: QueryResult, fmt: str, *, lang: str = "en",
           select: Callable[[str], list[Row]] | None = None,
           prefixes: Mapping[str, str] | None = None) -> bytes:
    """The answer in format ``fmt``; ``select`` runs the label query for the table."""
    prefixes = prefix_map(None) if prefixes is None else prefixes
    if fmt in RDF_FORMATS:
        if not result.is_graph:
            raise QueryError(f"--format {fmt} is for CONSTRUCT queries; {result.query or 'this query'} "
                             "is a " + result.kind.upper(), hint="use table, csv, tsv, json or xml")
        return write_rdf(result.triples, fmt, prefixes)
    if fmt == "table":
        labels = cell_labels(result, select, lang) if select else {}
        return table(result, labels, lang, prefixes).encode("utf-8")
    if result.is_graph:
        raise QueryError(f"--format {fmt} is for SELECT and ASK queries; {result.query or 'this query'} "
                         "builds a graph", hint="use ttl, nt, jsonld or table")
    writer = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}.get(fmt)
    if writer is None:
        raise QueryError(f"unknown format {fmt!r}", hint="use one of " + ", ".join(FORMATS))
    return writer(result).encode("utf-8")


# --- SPARQL 1.1 results formats -----------------------------------------------------------------

def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def to_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}, ensure_ascii=False) + "\n"
    bindings = [{v: _json_term(row[v]) for v in result.variables if v in row} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


def to_xml(result: QueryResult) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "  <head>"]
    out += [f"    <variable name={quoteattr(v)}/>" for v in result.variables]
    out.append("  </head>")
    if result.boolean is not None:
        out.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("  <results>")
        for row in result.rows:
            out.append("    <result>")
            for v in result.variables:
                if v in row:
                    out.append(f"      <binding name={quoteattr(v)}>{_xml_term(row[v])}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD + "string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV: values only (no types or languages), CRLF line ends, quoted as needed."""
    def field_(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\r\n') else text

    if result.boolean is not None:
        return f"{'true' if result.boolean else 'false'}\r\n"
    lines = [",".join(field_(v) for v in result.variables)]
    for row in result.rows:
        lines.append(",".join(field_(_plain(row[v])) if v in row else "" for v in result.variables))
    return "\r\n".join(lines) + "\r\n"


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: terms in N-Triples syntax, variables with their ``?``."""
    if result.boolean is not None:
        return f"{'true' if result.boolean else 'false'}\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(str(row[v]) if v in row else "" for v in result.variables))
    return "\n".join(lines) + "\n"


def _plain(term: Term | ox.Triple) -> str:
    if isinstance(term, ox.Triple):
        return str(term)
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


def write_rdf(triples: Iterable[ox.Triple], fmt: str, prefixes: Mapping[str, str]) -> bytes:
    """Triples as Turtle (with prefixes), N-Triples or JSON-LD, sorted so output is stable."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if fmt == "ttl":
        used = {p: ns for p, ns in prefixes.items()
                if any(str(t.subject).startswith("<" + ns) or t.predicate.value.startswith(ns)
                       or str(t.object).startswith("<" + ns) for t in ordered)}
        return serialize(ordered, RDF_FORMATS[fmt], used)
    return serialize(ordered, RDF_FORMATS[fmt])


# --- The terminal table --------------------------------------------------------------------------

def iris_of(result: QueryResult) -> list[ox.NamedNode]:
    """Every IRI in the answer (and the bound parameters), once, to look up labels for."""
    seen: dict[str, ox.NamedNode] = {}
    terms: list[object] = list(result.bound.values())
    for row in result.rows:
        terms.extend(row.values())
    for t in result.triples:
        terms.extend((t.subject, t.predicate, t.object))
    for term in terms:
        if isinstance(term, ox.NamedNode):
            seen.setdefault(term.value, term)
    return list(seen.values())


def cell_labels(result: QueryResult, select: Callable[[str], list[Row]], lang: str) -> dict[str, str]:
    """The labels of the answer's IRIs in ``lang`` (the one rule: :mod:`akke_graph.labels`),
    asked with ``select`` on the store or endpoint that answered."""
    found = fetch_labels(select, (iri.value for iri in iris_of(result)), lang)
    return {iri: label.value for iri, label in found.items()}


def table(result: QueryResult, labels: Mapping[str, str], lang: str = "en",
          prefixes: Mapping[str, str] | None = None, width: int = 40) -> str:
    """A plain-text table: labels for IRIs, long cells wrapped, the bound parameters above it."""
    words = WORDS.get(lang, WORDS["en"])
    prefixes = prefix_map(None) if prefixes is None else prefixes

    def cell(term: Term | ox.Triple | None) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            return visible(labels.get(term.value) or compact(term.value, prefixes))
        return visible(_plain(term))   # a table is for a terminal: nothing in the data acts on it

    lines = [f"{_header(v)}: {cell(t)}" for v, t in result.bound.items()]
    if result.boolean is not None:
        return "\n".join(lines + [words["yes"] if result.boolean else words["no"]]) + "\n"
    if result.is_graph:
        header = [words["s"], words["p"], words["o"]]
        body = [[cell(t.subject), cell(t.predicate), cell(t.object)] for t in result.triples]
        body.sort()
        count = words["triples"].format(n=len(body))
    else:
        # Parameters: the bound ones are shown above; an unbound one that no row fills is noise.
        shown = [v for v in result.variables if v not in result.bound
                 and not (v.startswith("_") and not any(v in row for row in result.rows))]
        header = [_header(v) for v in shown]
        body = [[cell(row.get(v)) for v in shown] for row in result.rows]
        count = words["row"] if len(body) == 1 else words["rows"].format(n=len(body))
    if not body:
        return "\n".join(lines + [words["none"]]) + "\n"
    lines += _grid(header, body, width)
    lines.append(f"({count})")
    return "\n".join(lines) + "\n"


def _header(variable: str) -> str:
    """A column title: a parameter's variable (``_project_iri``) shows as its name."""
    from akke_graph.query.params import PARAM_NAME

    match = PARAM_NAME.fullmatch(variable) if variable.startswith("_") else None
    return match["name"] if match else variable


def _grid(header: list[str], body: list[list[str]], width: int) -> list[str]:
    wrapped = [[textwrap.wrap(" ".join(c.split()), width, break_long_words=False,
                              break_on_hyphens=False) or [""] for c in row] for row in body]
    widths = [max([len(h)] + [len(line) for row in wrapped for line in row[i]])
              for i, h in enumerate(header)]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
           "  ".join("─" * w for w in widths)]
    for row in wrapped:
        for n in range(max(len(c) for c in row)):
            out.append("  ".join((c[n] if n < len(c) else "").ljust(w)
                                 for c, w in zip(row, widths)).rstrip())
    return out
