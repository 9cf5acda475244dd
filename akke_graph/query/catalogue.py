"""The canned queries: one ``queries/*.rq`` file each, read into :class:`CannedQuery`.

Every file is plain SPARQL that grlc can serve as it is. Its ``#+`` lines are a YAML header in
grlc's convention (``summary``, ``description``, ``tags``, ``defaults``, ``enumerate``,
``endpoint``); ``summary`` and ``description`` are the English texts grlc shows, and
``summary_fi`` / ``description_fi`` carry the Finnish ones. Parameters are variables in grlc's
naming convention (see :mod:`akke_graph.query.params`).

A parameter's value is written into the query text as an escaped SPARQL term
(:func:`akke_graph.query.params.substitute_text`) on every engine: the embedded stores and any endpoint
then run the same text, and Oxigraph's optimiser sees the value as a constant (pyoxigraph's
``substitutions`` join it in after planning: ``work-packages`` took 54 ms that way at 1M triples,
0.4 ms written in). Two rules keep a query's answers the same wherever it runs:

* a SELECT lists each parameter in its projection as ``$_name...`` (the answer keeps the value
  as a column; grlc's rewriting looks for ``?_`` and so leaves the projection alone), and a
  CONSTRUCT uses each parameter in its template;
* a parameter is used as a value (in triple patterns, FILTERs and expressions), never assigned,
  and not copied with a bare ``BIND(?_p AS ?x)`` unless a triple pattern binds it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping

import pyoxigraph as ox
import yaml

from akke_graph.config import Config
from akke_graph.errors import InputError, QueryError
from akke_graph.query.check import QueryRefused, check_query
from akke_graph.query.model import LANGS, CannedQuery, Param
from akke_graph.query.params import bind, parse_param, substitute_text, tokens
from akke_graph.rebase import Rebaser, shipped
from akke_graph.terms import DCTERMS, RDF_TYPE, RDFS, SCHEMA, SH

GRLC_KEYS = {"summary", "description", "endpoint", "tags", "enumerate", "defaults",
             "pagination", "method", "endpoint_in_url", "transform"}
OWN_KEYS = {f"{key}_{lang}" for key in ("summary", "description") for lang in LANGS}
KINDS = {"SELECT": "select", "CONSTRUCT": "construct", "ASK": "ask", "DESCRIBE": "describe"}
NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
MAX_NAME = 200   # a file name's length is bounded by the system (255 bytes with the suffix)


# --- Reading --------------------------------------------------------------------------------------

def parse_query(text: str, name: str, path: Path | None = None, display: str | None = None, *,
                base_iri: str | None = None) -> CannedQuery:
    """Read one query file's text; errors name the file and line. With ``base_iri`` (the
    project's), the text is moved onto it from the base the shipped queries are written under
    (:func:`akke_graph.rebase.shipped`), and CURIEs are read with the project's prefixes."""
    where = display or (str(path) if path else name)
    try:
        facts = check_query(text, allowed_services=None)
    except QueryRefused as exc:
        raise InputError(where, str(exc)) from None
    if base_iri:
        text = shipped(base_iri).text(text)
    header = _header(text, where)
    prefixes = {m[1]: m[2] for m in re.finditer(r"(?im)^\s*PREFIX\s+([A-Za-z0-9_.\-]*):\s*<([^>]*)>", text)}
    params = _params(text, prefixes, where)
    kind, ordered = _shape(text, where)
    try:
        params = _apply_header(header, params, where)
    except QueryError as exc:
        raise QueryError(exc.message if exc.message.startswith(where) else f"{where}: {exc.message}",
                         hint=exc.hint) from None
    query = CannedQuery(
        name=name, path=path, text=text,
        summary=_texts(header, "summary", where), description=_texts(header, "description", where),
        tags=_tags(header.get("tags"), where), params=params, kind=kind, prefixes=prefixes,
        endpoint=_endpoint(header.get("endpoint"), where), ordered=ordered, base_iri=base_iri,
        calls_service=bool(facts.services))
    variables = _check_with_engine(query, where)
    for param in params:   # a default must itself be a valid value
        if param.default is not None:
            try:
                bind(query, {param.name: param.default})
            except QueryError as exc:
                raise QueryError(f"{where}: the default of {param.name} is not valid: {exc.message}") from None
    return replace(query, variables=variables)


def _header(text: str, where: str) -> dict:
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.startswith("#+")]
    if not lines:
        return {}
    source = "\n".join(line.lstrip("#+") for _, line in lines)   # exactly as grlc strips them
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = lines[min(mark.line, len(lines) - 1)][0] if mark is not None else lines[0][0]
        problem = getattr(exc, "problem", None) or str(exc)
        raise QueryError(f"{where}:{line}: the #+ header is not valid YAML: {problem}",
                         hint="each header line starts with '#+ ' and holds YAML (key: value)") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise QueryError(f"{where}:{lines[0][0]}: the #+ header must be YAML keys and values")
    unknown = sorted(str(k) for k in data if k not in GRLC_KEYS | OWN_KEYS)
    if unknown:
        raise QueryError(f"{where}: unknown header key(s): {', '.join(unknown)}",
                         hint="known keys: " + ", ".join(sorted(GRLC_KEYS | OWN_KEYS)))
    return data


def _texts(header: Mapping, key: str, where: str) -> dict[str, str]:
    texts = {}
    for lang, header_key in (("en", key), ("en", f"{key}_en"), ("fi", f"{key}_fi")):
        value = header.get(header_key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise QueryError(f"{where}: the header's {header_key} must be text")
        texts[lang] = " ".join(value.split())
    return texts


def _endpoint(value: object, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", value):
        raise QueryError(f"{where}: the header's endpoint must be an http(s) URL")
    return value


def _tags(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(t, str) for t in items):
        raise QueryError(f"{where}: the header's tags must be a list of words")
    return tuple(items)


def _params(text: str, prefixes: Mapping[str, str], where: str) -> tuple[Param, ...]:
    found: dict[str, Param] = {}
    for match in tokens(text):
        if match.lastgroup != "var" or not match.group()[1:].startswith("_"):
            continue
        variable = match.group()[1:]
        if any(p.variable == variable for p in found.values()):
            continue
        line = text.count("\n", 0, match.start()) + 1
        try:
            param = parse_param(variable, prefixes)
        except QueryError as exc:
            raise QueryError(f"{where}:{line}: {exc.message}", hint=exc.hint) from None
        if param.name in found:
            raise QueryError(f"{where}:{line}: the parameter {param.name} is declared twice "
                             f"(?{found[param.name].variable} and ?{variable})")
        found[param.name] = param
    return tuple(found.values())


def _shape(text: str, where: str) -> tuple[str, bool]:
    kind, ordered, previous = None, False, ""
    for match in tokens(text):
        if match.lastgroup != "word":
            continue
        upper = match.group().upper()
        if kind is None and upper in KINDS:
            kind = KINDS[upper]
        if upper == "BY" and previous == "ORDER":
            ordered = True
        previous = upper
    if kind is None:
        raise QueryError(f"{where}: no SELECT, CONSTRUCT, ASK or DESCRIBE found",
                         hint="a query file holds one SPARQL query (updates are not run)")
    return kind, ordered


def _apply_header(header: Mapping, params: tuple[Param, ...], where: str) -> tuple[Param, ...]:
    by_name = {p.name: p for p in params}
    names = ", ".join(by_name) or "none"

    def entries(key: str) -> list[tuple[str, object]]:
        value = header.get(key)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out: list[tuple[str, object]] = []
        for item in items:
            pairs = item.items() if isinstance(item, dict) else [(item, None)] if isinstance(item, str) else None
            if pairs is None:
                raise QueryError(f"{where}: the header's {key} must list parameter names "
                                 "or name: value pairs")
            for name, val in pairs:
                if name not in by_name:
                    raise QueryError(f"{where}: the header's {key} names {name!r}, which is not a "
                                     f"parameter of the query", hint=f"its parameters: {names}")
                out.append((str(name), val))
        return out

    for name, value in entries("defaults"):
        if value is None:
            continue
        text = value.isoformat() if hasattr(value, "isoformat") else str(value).lower() \
            if isinstance(value, bool) else str(value)
        by_name[name] = replace(by_name[name], default=text)
    for name, value in entries("enumerate"):
        if value is not None and not isinstance(value, list):
            raise QueryError(f"{where}: enumerate {name}: give a list of values")
        by_name[name] = replace(by_name[name], enumerate=tuple(str(v) for v in value or ()))
    return tuple(by_name[p.name] for p in params)


def _check_with_engine(query: CannedQuery, where: str) -> tuple[str, ...]:
    """Parse with Oxigraph on an empty store (cheap), with every parameter bound to a dummy value:
    this finds syntax errors, parameters that cannot be written in (assigned by AS or VALUES) or
    are not projected, and the projection. A query that calls a SERVICE is not run here (running
    it would contact the service): the endpoint that runs it checks it."""
    dummy = {p.variable: ox.NamedNode("urn:akke-graph:check") if p.type == "iri"
             else ox.Literal("0", language=p.language) if p.language
             else ox.Literal("0", datatype=ox.NamedNode(p.datatype)) if p.datatype
             else ox.Literal("0") for p in query.params}
    substitute_text(query.text, dummy, where)
    if query.calls_service:
        return ()
    try:
        result = ox.Store().query(query.text, substitutions={ox.Variable(k): v for k, v in dummy.items()} or None)
    except SyntaxError as exc:
        message = str(exc.msg or exc)
        at = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
        if at:
            raise QueryError(f"{where}:{at[1]}: the query does not parse (column {at[2]}): {at[3]}",
                             hint="check the SPARQL syntax; every prefix needs a PREFIX line") from None
        raise QueryError(f"{where}: the query does not parse: {message}") from None
    except (RuntimeError, ValueError, OSError) as exc:
        message = str(exc)
        var = re.search(r"variable \?(\S+)", message)
        if "does not contain" in message and var:
            raise QueryError(f"{where}: the parameter ?{var[1]} must be in the SELECT projection "
                             "or the CONSTRUCT template", hint=f"list it as ${var[1]} after SELECT") from None
        raise QueryError(f"{where}: the query cannot be prepared: {message}") from None
    if isinstance(result, ox.QuerySolutions):
        return tuple(v.value for v in result.variables)
    return ()


_CACHE: dict[tuple[Path, str | None], tuple[tuple[int, int], CannedQuery]] = {}


def read_query_file(path: Path, display: str | None = None, name: str | None = None, *,
                    base_iri: str | None = None) -> CannedQuery:
    """Read one ``.rq`` file (a canned query or the user's own) into the project under
    ``base_iri`` (see :func:`parse_query`), cached until the file changes."""
    display = display or str(path)
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = _CACHE.get((path, base_iri))
        if cached and cached[0] == key and (name is None or cached[1].name == name):
            return cached[1]
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(display, "no such query file", hint="check the path") from None
    except OSError as exc:
        raise InputError(display, f"cannot read the file: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(display, "the file is not UTF-8 text", line=data[:exc.start].count(b"\n") + 1,
                         hint="save it as UTF-8") from None
    query = parse_query(text, name or path.stem, path, display, base_iri=base_iri)
    _CACHE[(path, base_iri)] = (key, query)
    return query


def load_queries(config: Config) -> list[CannedQuery]:
    """Every canned query of the project, by name; the first bad file raises."""
    folder = config.queries_dir
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.rq"), key=lambda p: p.stem)
    return [read_query_file(p, config.display_path(p), base_iri=config.base_iri) for p in paths]


def find_query(config: Config, name: str) -> CannedQuery:
    """The canned query called ``name`` (its file stem)."""
    path = config.queries_dir / f"{name}.rq"
    if len(name) <= MAX_NAME and NAME.fullmatch(name) and path.is_file():
        return read_query_file(path, config.display_path(path), base_iri=config.base_iri)
    names = [p.stem for p in sorted(config.queries_dir.glob("*.rq"))] if config.queries_dir.is_dir() else []
    close = difflib.get_close_matches(name, names, n=3)
    hint = (f"did you mean {' or '.join(close)}? " if close else "") + \
        "akke-graph query --list shows every query"
    raise QueryError(f"there is no canned query called {name[:80]!r}", hint=hint)


CATALOGUE_WORDS = {
    "en": {"default": "default", "optional": "optional", "required": "required",
           "data": "values from the data", "values": "values", "none": "no canned queries",
           "kind": "kind", "file": "file", "params": "parameters", "no_params": "no parameters"},
    "fi": {"default": "oletus", "optional": "valinnainen", "required": "pakollinen",
           "data": "arvot aineistosta", "values": "arvot", "none": "ei valmiita kyselyitä",
           "kind": "laji", "file": "tiedosto", "params": "parametrit", "no_params": "ei parametreja"},
}


def catalogue_text(queries: list[CannedQuery], lang: str = "en", detailed: bool = False) -> str:
    """What ``query --list`` prints: name, summary and parameters in ``lang``."""
    import textwrap

    words = CATALOGUE_WORDS.get(lang, CATALOGUE_WORDS["en"])
    if not queries:
        return f"({words['none']})\n"
    width = max(len(q.name) for q in queries)
    lines: list[str] = []
    for query in queries:
        lines.append(f"{query.name.ljust(width)}  {query.summary_in(lang)}")
        if detailed:
            lines += textwrap.wrap(query.description_in(lang), 94, initial_indent="    ",
                                   subsequent_indent="    ")
            where = f", {words['file']} {query.path}" if query.path else ""
            lines.append(f"    {words['kind']}: {query.kind.upper()}{where}")
            if not query.params:
                lines.append(f"    ({words['no_params']})")
        for p in query.params:
            notes = [p.type]
            if p.default is not None:
                notes.append(f"{words['default']} {p.default}")
            else:
                notes.append(words["required"] if p.required else words["optional"])
            if p.enumerate is not None:
                notes.append(f"{words['values']}: {', '.join(p.enumerate)}" if p.enumerate else words["data"])
            lines.append(f"{' ' * (width + 2)}--param {p.name}={p.placeholder}  ({'; '.join(notes)})")
    return "\n".join(lines) + "\n"


# --- Published form ----------------------------------------------------------------------------------

def queries_as_rdf(config_or_queries: Config | Iterable[CannedQuery], base_iri: str) -> list[ox.Triple]:
    """The queries as SPARQL examples in the SIB sparql-examples style, to publish with the data.

    Each query is ``{base}queries/{name}``, an ``sh:SPARQLExecutable`` of its kind with the query
    text, fi/en label and comment, ``schema:keywords`` and ``schema:target`` (the query's own
    endpoint, else the configured one). The texts move from the base they were read under onto
    ``base_iri``.
    """
    if isinstance(config_or_queries, Config):
        queries, endpoint = load_queries(config_or_queries), config_or_queries.endpoint
    else:
        queries, endpoint = list(config_or_queries), None
    base = base_iri if base_iri.endswith(("/", "#")) else base_iri + "/"
    kinds = {"select": ("SPARQLSelectExecutable", "select"),
             "construct": ("SPARQLConstructExecutable", "construct"),
             "ask": ("SPARQLAskExecutable", "ask"),
             "describe": ("SPARQLDescribeExecutable", "describe")}
    triples: list[ox.Triple] = []
    for query in queries:
        node = ox.NamedNode(f"{base}queries/{query.name}")
        cls, prop = kinds[query.kind]
        move = Rebaser(query.base_iri, base) if query.base_iri else shipped(base)
        text = move.text(query.body)

        def add(p: str, o: ox.NamedNode | ox.Literal) -> None:
            triples.append(ox.Triple(node, ox.NamedNode(p), o))

        add(RDF_TYPE.value, ox.NamedNode(SH + "SPARQLExecutable"))
        add(RDF_TYPE.value, ox.NamedNode(SH + cls))
        add(SH + prop, ox.Literal(text))
        add(DCTERMS + "identifier", ox.Literal(query.name))
        for lang, summary in sorted(query.summary.items()):
            add(RDFS + "label", ox.Literal(move.text(summary), language=lang))
        for lang, description in sorted(query.description.items()):
            add(RDFS + "comment", ox.Literal(move.text(description), language=lang))
        for tag in query.tags:
            add(SCHEMA + "keywords", ox.Literal(tag))
        target = query.endpoint or endpoint
        if target:
            add(SCHEMA + "target", ox.NamedNode(target))
    return triples
