"""The byte-level helpers behind the large dumps: the stable statement order from a plain bytes
sort, Turtle/TriG tidying by whole-buffer replacement, and the JSON-LD writer that works on
N-Triples lines — each checked against the straightforward version on awkward input."""

from __future__ import annotations

import io

import pyoxigraph as ox

from akke_graph.publish.jsonld import read_prefixed_ntriples, write_jsonld, write_jsonld_lines
from akke_graph.publish.jobs import prefix_block
from akke_graph.publish.ntlines import from_sortable, sort_distinct, sorted_ntriples, tidy, to_sortable

P = "http://example.org/p/"
ID = "https://example.org/id/"
PREFIXES = {"p": P, "id": ID, "xsd": "http://www.w3.org/2001/XMLSchema#"}
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

NT = f"""<{ID}wp-10> <{P}title> "ten" .
<{ID}wp-1> <{P}title> "one"@en .
<{ID}wp-1> <{TYPE}> <{P}WorkPackage> .
<{ID}wp-1#part> <{P}note> "a > b, \\"quoted\\", a\\\\b, line\\nbreak" .
<{ID}wp-1> <{P}note> "spells <{TYPE}> <x> inside" .
<{ID}wp-1> <{P}count> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .
<{ID}wp-1> <{P}same> "7"^^<http://www.w3.org/2001/XMLSchema#string> .
<{ID}wp-1> <{P}link> <{ID}wp-10> .
<{ID}wp-1> <{P}link> <{ID}wp-1#part> .
<{ID}wp-1> <{P}link> _:b1 .
<{ID}wp-1> <{TYPE}> "not a class" .
_:b1 <{TYPE}> <{P}Thing> .
_:b1 <{P}title> "blank"@fi .
<{ID}wp-1> <{P}title> "one"@en .
""".encode()


def subjects(data: bytes) -> list[bytes]:
    return [line.split(b" ", 1)[0] for line in data.splitlines()]


def test_order_entity_before_its_parts_natural_ids_type_first_blank_last() -> None:
    lines = sorted_ntriples(NT).splitlines()
    assert len(lines) == len(set(NT.splitlines()))   # the repeated triple once
    assert list(dict.fromkeys(subjects(b"\n".join(lines)))) == [
        f"<{ID}wp-1>".encode(), f"<{ID}wp-1#part>".encode(), f"<{ID}wp-10>".encode(), b"_:b1"]
    first = [line for line in lines if line.startswith(f"<{ID}wp-1> ".encode())]
    assert all(f"<{TYPE}>".encode() in line for line in first[:2])
    links = [line.rsplit(b" ", 2)[1] for line in first if f"<{P}link>".encode() in line]
    assert links == [f"<{ID}wp-1#part>".encode(), f"<{ID}wp-10>".encode(), b"_:b1"]


def test_sortable_form_round_trips() -> None:
    lines = to_sortable(NT)
    assert from_sortable(lines) == NT
    assert all(b"> " not in line and f"<{TYPE}>".encode() not in line.split(b" ", 2)[1] for line in lines)
    assert from_sortable(sort_distinct(lines)) == sorted_ntriples(NT)


def test_the_order_is_stable() -> None:
    data = sorted_ntriples(NT)
    assert sorted_ntriples(data) == data
    assert sorted_ntriples(b"\n".join(reversed(NT.splitlines())) + b"\n") == data


def test_tidy_blank_lines_between_blocks_and_graphs() -> None:
    quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(ID + ("g1" if i % 2 else "g2")))
             for i, q in enumerate(ox.parse(sorted_ntriples(NT), format=ox.RdfFormat.N_TRIPLES))]
    trig = tidy(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)).decode()
    head, body = trig.split("\n\n", 1)
    assert head.splitlines() == sorted(head.splitlines()) and all(line.startswith("@prefix") for line in head.splitlines())
    assert "}\n\n<" in body or "}\n\nid:" in body
    assert "{\n\n" not in body and ".\n\n}" not in body and body.endswith("}\n") and not body.endswith("\n\n")
    assert list(ox.parse(trig.encode(), format=ox.RdfFormat.TRIG)) and len(set(ox.parse(trig.encode(), format=ox.RdfFormat.TRIG))) == len(set(quads))
    turtle = tidy(ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads],
                               format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)).decode()
    blocks = turtle.split("\n\n")
    assert all(not b.startswith("\t") for b in blocks) and turtle.endswith(" .\n")


def test_jsonld_from_lines_is_the_jsonld_of_the_triples() -> None:
    data = sorted_ntriples(NT)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    for prefixes in (PREFIXES, {"p": P}):
        expected, written = io.BytesIO(), io.BytesIO()
        write_jsonld(triples, prefixes, expected)
        write_jsonld_lines(data.splitlines(), prefixes, written)
        assert written.getvalue() == expected.getvalue()


def test_jsonld_parts_side_by_side_make_the_whole_document(tmp_path) -> None:
    """publish cuts the sorted lines into runs of whole subjects and has one worker per run write
    its part; the parts, concatenated, are the document one writer would have written."""
    from akke_graph.publish.dumps import concatenate, subject_runs
    from akke_graph.publish.jsonld import main

    lines = sorted_ntriples(NT).splitlines()
    whole = io.BytesIO()
    write_jsonld_lines(lines, PREFIXES, whole)
    source = tmp_path / "in.ttl"
    source.write_bytes(prefix_block(PREFIXES) + sorted_ntriples(NT))
    main([str(source), str(tmp_path / "whole.jsonld")])
    assert (tmp_path / "whole.jsonld").read_bytes() == whole.getvalue()
    for parts in (1, 2, 3, 4, 10):
        runs = subject_runs(lines, parts)
        assert [line for run in runs for line in run] == lines and 1 <= len(runs) <= parts
        heads = [run[0].split(b" ", 1)[0] for run in runs]
        assert all(run[-1].split(b" ", 1)[0] not in heads[k + 1:] for k, run in enumerate(runs)), "a subject cut in two"
        start, paths = len(prefix_block(PREFIXES)), []
        for k, run in enumerate(runs):
            end = start + sum(len(line) + 1 for line in run)
            paths.append(tmp_path / f"part-{parts}-{k}.jsonld")
            main([str(source), str(paths[-1]), "--bytes", f"{start}:{end}", *(["--no-head"] if k else []),
                  *(["--no-tail"] if k < len(runs) - 1 else [])])
            start = end
        concatenate(paths, tmp_path / "joined.jsonld")
        assert (tmp_path / "joined.jsonld").read_bytes() == whole.getvalue(), parts


def test_subject_runs_of_one_subject_and_of_nothing() -> None:
    from akke_graph.publish.dumps import subject_runs

    one = [b"<a> <p> <o1> .", b"<a> <p> <o2> .", b"<a> <q> <o3> ."]
    assert subject_runs(one, 3) == [one]
    assert subject_runs([], 2) == [[]]


def test_prefixed_ntriples_read_back() -> None:
    prefixes, lines = read_prefixed_ntriples(prefix_block(PREFIXES) + NT)
    assert prefixes == PREFIXES and lines == NT.splitlines()


def test_line_compactor_agrees_with_the_compactor() -> None:
    from akke_graph.publish.jsonld import Compactor, LineCompactor

    prefixes = {"x": "http://ex.org/", "y": "http://ex.org/a/", "z": "http://ex.org/a#"}
    line, plain = LineCompactor(prefixes), Compactor(prefixes)
    for iri in ["http://ex.org/", "http://ex.org/a/", "http://ex.org/a/b", "http://ex.org/a#", "http://ex.org/a#b",
                "http://ex.org//x", "http://ex.org///x", "http://ex.org/a//x", "urn:x", "http://ex.org/a/b#",
                "http://ex.org/a/b/c", "http://other.org/a/b"]:
        for _ in range(2):   # the second time from the cache
            assert line.iri(iri.encode()).decode() == f'"{plain(iri)}"', iri
