"""JSON-LD that people can read: compact IRIs (``dcterms:title``, ``organisation:turun-kaupunki``)
through a context of the graph's prefixes, one node object per subject.

pyoxigraph's JSON-LD writer only writes expanded JSON-LD (full IRIs as keys); this writer is the
small part needed on top. The context is written into each document as well as shipped as
``dumps/context.jsonld``, so that every document parses offline.
"""

from __future__ import annotations

import io
import json
from typing import IO, Iterable, Iterator

import pyoxigraph as ox

from akke_graph.terms import RDF, XSD

RDF_TYPE = RDF + "type"


def context(prefixes: dict[str, str]) -> dict[str, object]:
    """The JSON-LD context: one prefix definition per namespace (all end in ``/`` or ``#``)."""
    return {"@context": dict(sorted(prefixes.items()))}


class Compactor:
    """Writes IRIs as ``prefix:local`` where a namespace of the context fits (the longest one),
    and remembers which prefixes it used (for a document's own, minimal context). One compactor
    can serve many documents: its cache is what makes thousands of entity files cheap."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self.by_namespace = {ns: prefix for prefix, ns in prefixes.items()}
        self.cache: dict[str, tuple[str, str | None]] = {}
        self.used: set[str] = set()

    def __call__(self, iri: str) -> str:
        found = self.cache.get(iri)
        if found is None:
            found = self.cache[iri] = self._compact(iri)
        if found[1] is not None:
            self.used.add(found[1])
        return found[0]

    def _compact(self, iri: str) -> tuple[str, str | None]:
        # Every namespace ends in "/" or "#": try the cuts at those characters, longest first.
        cut = len(iri)
        while cut > 0:
            cut = max(iri.rfind("/", 0, cut), iri.rfind("#", 0, cut))
            if cut < 0:
                break
            prefix = self.by_namespace.get(iri[: cut + 1])
            local = iri[cut + 1:]
            if prefix is not None and local and not local.startswith("//"):
                return f"{prefix}:{local}", prefix
        return iri, None

    def node(self, term: ox.NamedNode | ox.BlankNode) -> str:
        return f"_:{term.value}" if isinstance(term, ox.BlankNode) else self(term.value)

    def value(self, term: object) -> object:
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == XSD + "string":
                return term.value
            return {"@value": term.value, "@type": self(term.datatype.value)}
        return {"@id": self.node(term)}  # type: ignore[arg-type]


def node_objects(triples: Iterable[ox.Triple], compactor: Compactor) -> Iterator[dict[str, object]]:
    """One node object per run of triples with the same subject (the input is grouped by subject)."""
    c = compactor
    node: dict[str, object] | None = None
    subject: object = None
    for t in triples:
        if node is None or t.subject != subject:
            if node is not None:
                yield node
            subject, node = t.subject, {"@id": c.node(t.subject)}
        if t.predicate.value == RDF_TYPE and isinstance(t.object, ox.NamedNode):
            node.setdefault("@type", []).append(c(t.object.value))  # type: ignore[union-attr]
        else:
            node.setdefault(c(t.predicate.value), []).append(c.value(t.object))  # type: ignore[union-attr]
    if node is not None:
        yield node


def write_jsonld(triples: Iterable[ox.Triple], prefixes: dict[str, str] | Compactor, handle: IO[bytes], *,
                 full_context: bool = True) -> None:
    """A JSON-LD document with the context inline and one node object per subject, one per line
    (readable, diff-friendly, streamed, and written by the fast C encoder). With
    ``full_context=False`` the context names only the prefixes the document uses."""
    compactor = prefixes if isinstance(prefixes, Compactor) else Compactor(prefixes)
    compactor.used = set()
    if full_context:
        handle.write(_head(compactor.prefixes))
    body = []
    for i, node in enumerate(node_objects(triples, compactor)):
        line = ("" if i == 0 else ",\n") + json.dumps(node, ensure_ascii=False)
        if full_context:
            handle.write(line.encode("utf-8"))
        else:
            body.append(line)
    if not full_context:   # the context is known only once every IRI has been compacted
        handle.write(_head({p: compactor.prefixes[p] for p in compactor.used}))
        handle.write("".join(body).encode("utf-8"))
    handle.write(b"\n]}\n")


XSD_STRING_SUFFIX = b"^^<" + XSD.encode() + b"string>"
TYPE_TOKEN = b"<" + RDF_TYPE.encode() + b">"
CACHE_LIMIT = 500_000   # object terms kept (the graph's shared neighbours recur on many lines)


class LineCompactor:
    """:class:`Compactor` on the bytes of N-Triples terms, giving ready JSON strings: compact IRIs
    need no escaping (an IRI has no quote, backslash or control character)."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.namespaces = {ns.encode(): prefix.encode() + b":" for prefix, ns in prefixes.items()}
        self.heads: dict[bytes, tuple[bytes | None, int]] = {}

    def iri(self, iri: bytes) -> bytes:
        """``"prefix:local"`` (quoted) for an IRI where a namespace fits, the quoted IRI otherwise.

        The namespace found for an IRI depends only on its part up to the last ``/`` or ``#``,
        which thousands of IRIs share: that lookup is remembered."""
        head = iri[:max(iri.rfind(b"/"), iri.rfind(b"#")) + 1]
        found = self.heads.get(head)
        if found is None:
            found = self.heads[head] = self._namespace(head)
        prefix, size = found
        local = iri[size:]
        if prefix is not None and local and not local.startswith(b"//"):
            return b'"' + prefix + local + b'"'
        return self._compact(iri)

    def _namespace(self, head: bytes) -> tuple[bytes | None, int]:
        """The longest namespace that ``head`` starts with (and its length)."""
        return next(self._matches(head), (None, 0))

    def _compact(self, iri: bytes) -> bytes:
        """:meth:`Compactor._compact`, for the IRIs :meth:`iri` cannot answer from its cache."""
        for prefix, size in self._matches(iri):
            local = iri[size:]
            if local and not local.startswith(b"//"):
                return b'"' + prefix + local + b'"'
        return b'"' + iri + b'"'

    def _matches(self, iri: bytes) -> Iterator[tuple[bytes, int]]:
        """The namespaces ``iri`` starts with (each ends at a ``/`` or ``#``), longest first."""
        cut = len(iri)
        while cut > 0:
            cut = max(iri.rfind(b"/", 0, cut), iri.rfind(b"#", 0, cut))
            if cut < 0:
                return
            prefix = self.namespaces.get(iri[:cut + 1])
            if prefix is not None:
                yield prefix, cut + 1

    def node(self, token: bytes) -> bytes:
        """An N-Triples IRI or blank-node token (``<iri>``, ``_:b``) as a JSON string."""
        if token[:1] == b"_":
            return b'"' + token + b'"'
        return self.iri(token[1:-1])

    def literal(self, obj: bytes, line: bytes) -> bytes:
        """A literal token as :meth:`Compactor.value` writes it."""
        end = obj.rfind(b'"')
        lexical, suffix = obj[1:end], obj[end + 1:]
        if b"\\" in lexical:   # escapes: let Oxigraph read the literal
            quad = next(iter(ox.parse(line, format=ox.RdfFormat.N_TRIPLES)))
            term = quad.object
            if term.language:
                value: object = {"@value": term.value, "@language": term.language}
            elif term.datatype.value == XSD + "string":
                value = term.value
            else:
                value = {"@value": term.value, "@type": self.iri(term.datatype.value.encode())[1:-1].decode()}
            return json.dumps(value, ensure_ascii=False).encode("utf-8")
        if not suffix or suffix == XSD_STRING_SUFFIX:
            return b'"' + lexical + b'"'
        if suffix[:1] == b"@":
            return b'{"@value": "' + lexical + b'", "@language": "' + suffix[1:] + b'"}'
        return b'{"@value": "' + lexical + b'", "@type": ' + self.node(suffix[2:]) + b"}"


def write_jsonld_lines(lines: Iterable[bytes], prefixes: dict[str, str], handle: IO[bytes], *,
                       head: bool = True, tail: bool = True) -> None:
    """:func:`write_jsonld` (with the full context) from N-Triples lines grouped by subject: byte
    for byte the same document, at a fraction of the cost per triple (the whole-graph dump has
    a million of them: no term objects, only bytes and cached fragments).

    Without ``head`` or ``tail`` it writes a middle part of such a document (its node objects
    after a separator, or without the closing brackets): parts written side by side from runs of
    whole subjects, concatenated, are the whole document."""
    c = LineCompactor(prefixes)
    if head:
        handle.write(_head(dict(prefixes)))
    type_key = c.iri(RDF_TYPE.encode())
    keys: dict[bytes, bytes] = {}
    objects: dict[bytes, bytes] = {}
    types: dict[bytes, bytes] = {}
    subject = None
    props: dict[bytes, list[bytes]] = {}
    out: list[bytes] = []
    separator = b"" if head else b",\n"
    for line in lines:
        s, p, o = line.split(b" ", 2)
        if s != subject:
            if props:
                out.append(_node(c.node(subject), props))  # type: ignore[arg-type]
                if len(out) >= 1000:
                    handle.write(separator + b",\n".join(out))
                    out, separator = [], b",\n"
            subject, props = s, {}
        if p == TYPE_TOKEN:
            if o[:1] == b"<":
                value = types.get(o)
                if value is None:
                    value = types[o] = c.node(o[:-2])
                found = props.get(b'"@type"')
                if found is None:
                    props[b'"@type"'] = [value]
                else:
                    found.append(value)
                continue
            key = type_key
        else:
            key = keys.get(p)  # type: ignore[assignment]
            if key is None:
                key = keys[p] = c.node(p)
        value = objects.get(o)
        if value is None:
            if o[:1] == b'"':
                value = c.literal(o[:-2], line)
            else:
                if len(objects) > CACHE_LIMIT:
                    objects.clear()
                value = objects[o] = b'{"@id": ' + c.node(o[:-2]) + b"}"
        found = props.get(key)
        if found is None:
            props[key] = [value]
        else:
            found.append(value)
    if props:
        out.append(_node(c.node(subject), props))  # type: ignore[arg-type]
    if out:
        handle.write(separator + b",\n".join(out))
    if tail:
        handle.write(b"\n]}\n")


def _node(subject: bytes, props: dict[bytes, list[bytes]]) -> bytes:
    return b'{"@id": ' + subject + b"".join([b", " + k + b": [" + b", ".join(v) + b"]" for k, v in props.items()]) + b"}"


def _head(prefixes: dict[str, str]) -> bytes:
    return (json.dumps(context(prefixes), ensure_ascii=False, indent=2)[:-2] + ',\n  "@graph": [\n').encode("utf-8")


def to_jsonld(triples: Iterable[ox.Triple], prefixes: dict[str, str] | Compactor, *, full_context: bool = True) -> bytes:
    """:func:`write_jsonld` into bytes."""
    buffer = io.BytesIO()
    write_jsonld(triples, prefixes, buffer, full_context=full_context)
    return buffer.getvalue()


def read_prefixed_ntriples(data: bytes) -> tuple[dict[str, str], list[bytes]]:
    """The prefixes and the statement lines of N-Triples headed by ``@prefix`` lines (as
    :func:`akke_graph.publish.jobs.prefix_block` writes them)."""
    prefixes, end = read_prefixes(data)
    lines = data[end:].split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return prefixes, lines


PREFIX_BLOCK_MAX = 1 << 20   # bytes read for the @prefix lines heading a source


def read_prefixes(data: bytes) -> tuple[dict[str, str], int]:
    """The ``@prefix`` lines at the top of ``data``, and where the statements start."""
    prefixes: dict[str, str] = {}
    end = 0
    while data.startswith(b"@prefix ", end):
        stop = data.index(b"\n", end)
        name, namespace = data[end + len(b"@prefix "):stop].split(b": <", 1)
        prefixes[name.decode("utf-8")] = namespace[:-len(b"> .")].decode("utf-8")
        end = stop + 1
    return prefixes, end


def main(argv: list[str] | None = None) -> int:
    """``python -m akke_graph.publish.jsonld SOURCE TARGET [--bytes START:END] [--no-head]
    [--no-tail]``: the whole-graph JSON-LD dump (or, with ``--bytes``, the part of it made from
    that byte range of SOURCE's statement lines) from prefixed N-Triples in the dumps' order.
    publish runs this beside its other work."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m akke_graph.publish.jsonld")
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--bytes", help="START:END, byte offsets of whole subjects' lines in SOURCE")
    parser.add_argument("--no-head", dest="head", action="store_false")
    parser.add_argument("--no-tail", dest="tail", action="store_false")
    args = parser.parse_args(argv)
    if argv is None:   # a worker of publish: end with it
        from akke_graph.oxigraph_server import _die_with_parent

        _die_with_parent()
    with open(args.source, "rb") as source:
        prefixes, start = read_prefixes(source.read(PREFIX_BLOCK_MAX))
        end = None
        if args.bytes:
            start, end = (int(x) for x in args.bytes.split(":"))
        source.seek(start)
        lines = source.read(-1 if end is None else end - start).split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    with open(args.target, "wb") as handle:
        write_jsonld_lines(lines, prefixes, handle, head=args.head, tail=args.tail)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
