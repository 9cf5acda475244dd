"""Run the W3C SHACL Core test suite through ``validate_graph``, the call behind
``akke-graph validate --engine native|pyshacl`` (with the native engine's fallback to pyshacl).

    python tools/w3c_shacl.py DIR [--engine native,pyshacl] [--verbose] [--only SUBSTRING]

DIR is a local copy of ``data-shapes-test-suite/tests/core`` from the w3c/data-shapes repository
(or any folder whose ``manifest.ttl`` includes the others). Each approved ``sht:Validate`` test is
run by each engine and its report compared with the expected one as the suite does: the conforms
flag and the multiset of results by focus node, path, component, source shape, value and severity.
The suite's files are not part of this project; this script only reads them.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from akke_graph.errors import AkkeError  # noqa: E402
from akke_graph.shacl.compare import differences, engine_summary, summarise  # noqa: E402
from akke_graph.shacl.shapes import ShapesGraph, load_shapes_graph  # noqa: E402
from akke_graph.terms import RDF  # noqa: E402

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"


@dataclass
class W3cTest:
    name: str
    manifest: ShapesGraph
    data: Path
    shapes: Path
    result: ox.NamedNode | ox.BlankNode


def path_of(iri: ox.NamedNode) -> Path:
    return Path(unquote(urlparse(iri.value).path))


def parse(path: Path) -> ShapesGraph:
    return ShapesGraph(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri()))


def read_tests(manifest: Path, root: Path) -> list[W3cTest]:
    """The approved validation tests of ``manifest`` and of the manifests it includes, in order."""
    graph = parse(manifest)
    tests: list[W3cTest] = []
    for node in graph.subjects(RDF + "type", ox.NamedNode(MF + "Manifest")):
        for included in graph.objects(node, MF + "include"):
            if isinstance(included, ox.NamedNode):
                tests += read_tests(path_of(included), root)
        for entries in graph.objects(node, MF + "entries"):
            for entry in graph.items(entries):
                status = graph.value(entry, MF + "status")
                kind = graph.value(entry, RDF + "type")
                if kind != ox.NamedNode(SHT + "Validate") or status != ox.NamedNode(SHT + "approved"):
                    continue
                action, result = graph.value(entry, MF + "action"), graph.value(entry, MF + "result")
                data, shapes = (graph.value(action, SHT + k) if action is not None else None
                                for k in ("dataGraph", "shapesGraph"))
                if not (isinstance(data, ox.NamedNode) and isinstance(shapes, ox.NamedNode)
                        and isinstance(entry, ox.NamedNode) and isinstance(result, (ox.NamedNode, ox.BlankNode))):
                    raise SystemExit(f"{manifest}: test {entry} lacks its data graph, shapes graph or result")
                name = manifest.parent.relative_to(root).as_posix() + "/" + path_of(entry).name
                tests.append(W3cTest(name=name.lstrip("./"), manifest=graph, data=path_of(data),
                                     shapes=path_of(shapes), result=result))
    return tests


def run(test: W3cTest, engine: str) -> list[str]:
    """What the engine's report gets wrong for ``test``, after the shapes the native engine
    handed to pyshacl (a test passes when nothing is wrong; it may have been handed over)."""
    try:
        actual, delegated = engine_summary(test.data, load_shapes_graph([test.shapes]), engine)
    except AkkeError as exc:
        return [f"error: {exc}"]
    return [f"handed to pyshacl: {d}" for d in delegated] + differences(summarise(test.manifest, test.result), actual)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("suite", type=Path, help="the tests/core folder of the W3C SHACL test suite")
    parser.add_argument("--engine", default="native,pyshacl", help="comma-separated: native, pyshacl")
    parser.add_argument("--only", default="", help="run the tests whose name holds this text")
    parser.add_argument("--verbose", "-v", action="store_true", help="print what each failing test gets wrong")
    args = parser.parse_args(argv)
    root = args.suite.resolve()
    tests = [t for t in read_tests(root / "manifest.ttl", root) if args.only in t.name]
    engines = args.engine.split(",")
    passed = {e: 0 for e in engines}
    failed: dict[str, list[str]] = {e: [] for e in engines}
    handed: dict[str, list[str]] = {e: [] for e in engines}
    for test in tests:
        marks, details = [], []
        for engine in engines:
            notes = run(test, engine)
            problems = [n for n in notes if not n.startswith("handed to pyshacl")]
            if problems:
                failed[engine].append(test.name)
            else:
                passed[engine] += 1
            if len(notes) > len(problems):
                handed[engine].append(test.name)
            details += [f"    {engine}: {n}" for n in notes]
            marks.append(f"{engine} {'FAIL' if problems else 'pass'}{' (fallback)' if len(notes) > len(problems) else ''}")
        print(f"{test.name:45} " + "  ".join(marks), flush=True)
        if args.verbose:
            print("\n".join(details), flush=True)
    print()
    for engine in engines:
        print(f"{engine}: {passed[engine]} of {len(tests)} passed"
              + (f"; failed: {', '.join(failed[engine])}" if failed[engine] else "")
              + (f"; with shapes handed to pyshacl: {', '.join(handed[engine])}" if handed[engine] else ""))
    return 0 if not any(failed.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
