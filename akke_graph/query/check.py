"""What must be known of a SPARQL query before an engine sees it (the front server's, or the
embedded store's), read by a small
lexer that follows Oxigraph 0.5's own lexical rules (its parser is a PEG over characters):

- its size and its *nesting*: Oxigraph's parser and evaluator recurse once per bracket and once
  per element of a chain (``UNION``, ``OPTIONAL``, ``||``, ``+``, path ``/``, triple patterns), so
  a query deep enough overflows a thread's stack and kills the server process (with its default
  2 MiB stacks: 4,000 unclosed ``{``, 1,000 nested ``FILTER EXISTS {``, 20,000 ``UNION`` s);
- the ``SERVICE`` clauses it would send out, and their endpoints (server-side request forgery
  otherwise);
- whether it names its own dataset (``FROM`` / ``FROM NAMED``): only a query that names none is
  run over the union of the graphs;
- its form (SELECT, ASK, CONSTRUCT, DESCRIBE), for the answer's format.

Keywords are found the way Oxigraph finds them: case-insensitively and without a word boundary
(``SERVICEex:x{}`` is a ``SERVICE`` call to Oxigraph), so any word or prefixed name that begins
with ``SERVICE`` is read as the keyword (at worst, a prefix named ``service…`` is refused).

``<`` is either "less than" or the start of an IRI; the engine decides by grammar, and so does
this lexer (an operator after a value inside an expression's parentheses, an IRI elsewhere). A
query with a ``<`` that could be read both ways with different results (the would-be IRI holds
``'`` or ``#``) is checked under bounds that hold for every reading: it is refused if it says
``service`` anywhere, or if its bracket and operator characters alone pass the nesting limit.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field

# Far above real queries (the canned ones are under 4 KiB and nest under 10 deep; a VALUES block
# of 5,000 IRIs is ~300 KiB) and far below what harms the engine (see the module's docstring;
# serve also gives Oxigraph's threads 64 MiB stacks, which moves the crashes 30 times further).
MAX_QUERY_BYTES = 512 * 1024
MAX_NESTING = 1000

_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
                  "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD")
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_ESCAPE = r"""\\[tbnrf"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"""
_PN_PREFIX = "[" + _PN_CHARS_BASE + "][" + _PN_CHARS + "]*(?:\\.+[" + _PN_CHARS + "]+)*"
_PN_LOCAL = ("(?:[" + _PN_CHARS_U + ":0-9]|" + _PLX + ")(?:[" + _PN_CHARS + ":]|" + _PLX + ")*"
             "(?:\\.+(?:[" + _PN_CHARS + ":]|" + _PLX + ")+)?")
_STRING = "|".join((
    "'''(?:(?:''|')?(?:[^'\\\\]|" + _ESCAPE + "))*'''",
    '"""(?:(?:""|")?(?:[^"\\\\]|' + _ESCAPE + '))*"""',
    "'(?:[^'\\\\\\n\\r]|" + _ESCAPE + ")*'",
    '"(?:[^"\\\\\\n\\r]|' + _ESCAPE + ')*"',
))
# Tried in this order at each position, as the engine's grammar tries its rules.
_TOKENS = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("space", r"[ \t\r\n]+"),
    ("comment", r"#[^\r\n]*"),
    ("string", _STRING),
    ("var", "[?$][" + _PN_CHARS_U + "0-9][" + _PN_CHARS_U + "0-9\u00B7\u0300-\u036F\u203F-\u2040]*"),
    ("bnode", "_:[" + _PN_CHARS_U + "0-9](?:[" + _PN_CHARS + "]*(?:\\.+[" + _PN_CHARS + "]+)*)"),
    ("pname", "(?:" + _PN_PREFIX + ")?:(?:" + _PN_LOCAL + ")?"),
    ("number", (r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
                r"|[0-9]*\.[0-9]+|[0-9]+")),
    ("langtag", r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?"),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("punct", r"<<\(|\)>>|<<|>>|\{\||\|\}|\|\||&&|!=|<=|>=|\^\^|[(){}\[\].,;|/^*+\-=!<>~]"),
    ("other", r"."),
)), re.DOTALL)
_IRIREF = re.compile(r"<((?:[^\x00-\x20<>\"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*)>")
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_VALUES = {"var", "iri", "pname", "string", "number", "langtag", "bnode"}
_VALUE_ENDS = {")", "]", ">>", ")>>", "TRUE", "FALSE"}
_GROUP_ELEMENTS = {"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "VALUES", "GRAPH", "SERVICE",
                   "LATERAL", ".", ";", ",", "|", "/", "^"}
_EXPR_ELEMENTS = {"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "!", "IN"}
_OPENERS = {"(": ")", "{": "}", "[": "]", "<<": ">>", "<<(": ")>>", "{|": "|}"}
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# Whatever the reading, every bracket and element is one of these characters or words.
_RAW_ELEMENTS = re.compile(r"[({\[<.;,|/^*+\-=!&]|union|optional|minus|filter|bind|values"
                           r"|graph|service|lateral|\bin\b", re.IGNORECASE)


class QueryRefused(Exception):
    """The query is not sent to the engine; the message says why and what to do."""


@dataclass(frozen=True)
class Service:
    """A ``SERVICE`` clause: its endpoint as an absolute IRI, or None when the query does not
    name one that can be checked (a variable, an undeclared prefix, a relative IRI)."""

    iri: str | None
    written: str
    line: int


@dataclass
class QueryFacts:
    form: str | None = None
    has_dataset: bool = False
    services: list[Service] = field(default_factory=list)
    nesting: int = 0
    ambiguous: bool = False


@dataclass
class _Frame:
    kind: str             # root, group, expr, list (collection, path), data (VALUES), bnode, quote
    closer: str
    elements: int = 0
    clause: str = ""      # "select" or "modifier" (GROUP BY, ORDER BY, HAVING) in this frame
    values: int = 0       # 1 after VALUES, 2 once its variables are read: the next { is data
    values_header: bool = False


def check_query(text: str, allowed_services: Sequence[str] | None = ()) -> QueryFacts:
    """The facts about ``text``, or :class:`QueryRefused` when it is too large, nests too deep,
    or calls a ``SERVICE`` that no prefix in ``allowed_services`` allows (``None``: the
    services are listed in the facts, not judged — the caller decides where the query runs).

    Nesting counts, along the deepest path, each open bracket plus the elements chained inside
    it (``UNION``, ``OPTIONAL``, ``.``, ``;`` … in a group; operators in an expression; terms in
    a collection): that is how deep the engine's recursion goes.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise QueryRefused(f"the query is {size:,} bytes; this endpoint takes queries of up to "
                           f"{MAX_QUERY_BYTES // 1024} KiB")
    facts = _Reader(text).read()
    if facts.ambiguous and (len(_RAW_ELEMENTS.findall(text)) > MAX_NESTING
                            or re.search("service", text, re.IGNORECASE)):
        raise QueryRefused(
            "the query has a '<' after a value that reads either as 'less than' or as the start "
            "of an IRI, with different results; write '< ' with a space where you mean "
            "'less than'")
    if facts.nesting > MAX_NESTING:
        raise QueryRefused(
            f"the query nests too deep: more than {MAX_NESTING} levels of brackets and chained "
            "elements (UNION, OPTIONAL, '.', '||', '+' …); split it into smaller queries")
    for service in facts.services if allowed_services is not None else ():
        if service.iri is None or not service_allowed(service.iri, allowed_services):
            hint = ("this endpoint sends no query to other servers" if not allowed_services else
                    "allowed are endpoints beginning with " + ", ".join(allowed_services))
            raise QueryRefused(f"line {service.line}: SERVICE {service.iri or service.written} "
                               f"is not allowed: {hint}")
    return facts


def service_allowed(iri: str, allowed: Sequence[str]) -> bool:
    """Whether an endpoint begins with an allowed prefix: the same scheme, host and port, and a
    path that continues the prefix's at a ``/``, ``?`` or ``#`` (``…/sparql`` does not allow
    ``…/sparql-admin``, nor ``…/sparql/../admin``)."""
    target = urllib.parse.urlsplit(iri)
    if any(part in (".", "..") for part in urllib.parse.unquote(target.path).split("/")):
        return False
    for prefix in allowed:
        allow = urllib.parse.urlsplit(prefix)
        if (target.scheme.lower(), target.netloc.lower()) != (allow.scheme.lower(),
                                                              allow.netloc.lower()):
            continue
        if target.scheme.lower() not in ("http", "https"):
            continue
        head = f"{target.path}?{target.query}" if target.query else target.path
        want = f"{allow.path}?{allow.query}" if allow.query else allow.path
        if not want or want.endswith(("/", "?")):
            if head.startswith(want):
                return True
        elif head == want or head.startswith((want + "/", want + "?")):
            return True
    return False


def parse_allowed_service(value: str) -> str:
    """An ``--allow-service`` value checked: an absolute http(s) URL with a host and no user."""
    parts = urllib.parse.urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.username \
            or parts.fragment:
        raise ValueError(f"{value!r} is not the http(s) URL of a SPARQL endpoint "
                         "(such as https://query.wikidata.org/sparql)")
    return value.strip()


class _Reader:
    """One pass over the query: tokens in context, the nesting score, and the facts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.facts = QueryFacts()
        self.stack = [_Frame("root", "")]
        self.score = 0
        self.base: str | None = None
        self.prefixes: dict[str, str] = {}
        self.pending: list[tuple[str, str, int]] = []   # an unfinished BASE, PREFIX or SERVICE
        self.previous = ("", "")                          # kind and text of the last token
        self.before_previous = ""

    def read(self) -> QueryFacts:
        pos, end = 0, len(self.text)
        while pos < end:
            kind, token, start, pos = self._next(pos)
            if kind in ("space", "comment"):
                continue
            self._nest(kind, token)
            self._note(kind, token, start)
            self.before_previous, self.previous = self.previous[1], (kind, token)
            if self.score > MAX_NESTING:
                break
        if self.pending and self.pending[0][1].upper() == "SERVICE":
            self.facts.services.append(Service(None, "(nothing)", self._line(self.pending[0][2])))
        return self.facts

    def _next(self, pos: int) -> tuple[str, str, int, int]:
        text, frame = self.text, self.stack[-1]
        if text[pos] == "<" and not text.startswith("<<", pos):
            iri = _IRIREF.match(text, pos)
            kind, value = self.previous
            after_value = kind in _VALUES or value.upper() in _VALUE_ENDS
            if iri and after_value and frame.kind in ("expr", "list") and \
                    ("'" in iri.group(1) or "#" in iri.group(1)):
                self.facts.ambiguous = True
            if iri and not (after_value and frame.kind == "expr"):
                return "iri", iri.group(), pos, iri.end()
        match = _TOKENS.match(text, pos)
        assert match is not None  # "other" matches any character
        kind, token = match.lastgroup or "other", match.group()
        if kind in ("word", "pname") and len(token) > 7 and token[:7].upper() == "SERVICE":
            kind, token = "word", token[:7]     # the engine reads the keyword, then the rest
        elif kind in ("word", "pname") and len(token) > 6 and token[:6].upper() == "SILENT" \
                and self.previous[1].upper() == "SERVICE":
            kind, token = "word", token[:6]
        return kind, token, pos, pos + len(token)

    def _nest(self, kind: str, token: str) -> None:
        """Track brackets and chains, and the score of the deepest path."""
        frame = self.stack[-1]
        if kind == "punct" and token in _OPENERS:
            opened = self._opens(frame, token)
            if frame.kind == "group" and token == "{":
                frame.elements += 1
                self.score += 1
            header = token == "(" and frame.values == 1
            frame.values = 0
            if token == "{":
                frame.clause = ""
            self.stack.append(_Frame(opened, _OPENERS[token], values_header=header))
            self.score += 1
        elif kind == "punct" and len(self.stack) > 1 and token == frame.closer:
            self.stack.pop()
            self.score -= 1 + frame.elements
            if frame.values_header:
                self.stack[-1].values = 2
        else:
            self._clause(frame, kind, token.upper())
            added = self._element(frame, kind, token.upper())
            frame.elements += added
            self.score += added
        self.facts.nesting = max(self.facts.nesting, self.score)

    def _opens(self, frame: _Frame, token: str) -> str:
        if token == "{":
            return "data" if frame.values == 2 or frame.kind == "data" else "group"
        if token == "{|":
            return "group"
        if token == "[":
            return "data" if frame.kind == "data" else "bnode"
        if token != "(":
            return "quote"
        # Only inside an expression's parentheses is a "<" after a value "less than".
        kind, value = self.previous
        if frame.kind == "data" or frame.values == 1:
            return "data"
        if frame.kind in ("list", "bnode", "quote"):
            return "list"
        if frame.kind in ("expr", "root") or frame.clause:
            return "expr"
        if kind == "word" and value.upper() not in ("A", "TRUE", "FALSE"):
            return "expr"     # FILTER(, BIND(, a function such as STR( or COUNT(
        if kind in ("iri", "pname") and self.before_previous.upper() in ("FILTER", "HAVING", "BY"):
            return "expr"     # FILTER ex:fn(
        return "list"         # a collection or a property path

    @staticmethod
    def _clause(frame: _Frame, kind: str, upper: str) -> None:
        if kind == "word" and upper == "VALUES":
            frame.values = 1
        elif kind == "var" and frame.values == 1:
            frame.values = 2
        else:
            frame.values = 0
        if kind == "word" and upper == "SELECT":
            frame.clause = "select"
        elif kind == "word" and upper in ("BY", "HAVING"):
            frame.clause = "modifier"
        elif kind == "word" and upper in ("WHERE", "LIMIT", "OFFSET"):
            frame.clause = ""

    @staticmethod
    def _element(frame: _Frame, kind: str, upper: str) -> int:
        if frame.kind == "group":
            return int(upper in _GROUP_ELEMENTS)
        if frame.kind == "bnode":
            return int(kind == "punct" and upper in _GROUP_ELEMENTS)
        if frame.kind == "expr":
            return int(upper in _EXPR_ELEMENTS)
        if frame.kind == "list":
            return int(kind in _VALUES or upper in ("|", "/"))
        return 0

    def _note(self, kind: str, token: str, start: int) -> None:
        """Declarations, SERVICE endpoints, the form and dataset clauses."""
        upper = token.upper()
        if self.pending:
            self.pending.append((kind, token, start))
            head = self.pending[0][1].upper()
            if head == "SERVICE" and kind == "word" and upper == "SILENT" and len(self.pending) == 2:
                return
            if head == "PREFIX" and len(self.pending) == 2 and kind == "pname" and token.endswith(":"):
                return
            if head == "SERVICE":
                self.facts.services.append(self._service(kind, token, start))
            elif head == "BASE" and kind == "iri":
                self.base = self._resolve(_iri_value(token))
            elif head == "PREFIX" and len(self.pending) == 3 and kind == "iri":
                self.prefixes[self.pending[1][1][:-1]] = self._resolve(_iri_value(token)) or ""
            self.pending = []
        elif kind == "word" and upper in ("SERVICE", "BASE", "PREFIX"):
            self.pending = [(kind, token, start)]
        elif self.stack[-1].kind == "root" and kind in ("word", "pname"):
            if self.facts.form is None and upper.startswith(_FORMS):
                self.facts.form = next(f for f in _FORMS if upper.startswith(f))
            elif upper.startswith("FROM"):
                self.facts.has_dataset = True

    def _service(self, kind: str, token: str, start: int) -> Service:
        line = self._line(start)
        if kind == "iri":
            return Service(self._resolve(_iri_value(token)), token, line)
        if kind == "pname":
            prefix, _, local = token.partition(":")
            if self.prefixes.get(prefix):
                return Service(_absolute(self.prefixes[prefix] + local.replace("\\", "")),
                               token, line)
        return Service(None, token, line)

    def _resolve(self, iri: str) -> str | None:
        if _absolute(iri):
            return iri
        return _absolute(urllib.parse.urljoin(self.base, iri)) if self.base else None

    def _line(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1


def _iri_value(token: str) -> str:
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), token[1:-1])


def _absolute(iri: str) -> str | None:
    return iri if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri) else None
