"""Load the ontology and the data into one RDF dataset, one named graph per source file.

Each file's named graph IRI is ``{base}graph/{path}`` (see :meth:`Config.graph_iri`), and the file
is parsed with that IRI as its base, so ``<>`` inside a data file means "this file's graph": that
is how a file names its sources (``<> prov:wasDerivedFrom <source>``). The loader marks every data
graph as a ``void:Dataset`` so that the provenance shape can require those sources. The ontology
files are moved onto the configured base IRI as they are read, as the shapes and queries are
(:func:`akke_graph.rebase.shipped`): a project under its own base IRI re-bases only its data.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

import pyoxigraph as ox

from akke_graph.config import Config
from akke_graph.errors import InputError, text
from akke_graph.input_limits import check_rdf
from akke_graph.rebase import shipped
from akke_graph.store import Store, open_store
from akke_graph.store_spec import StoreSpec
from akke_graph.terms import RDF_TYPE, VOID

RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".jsonld": "json-ld"}


@dataclass(frozen=True)
class SourceFile:
    """One parsed file: where it is, which named graph holds it, and whether it is data."""

    path: Path
    display: str
    graph: str
    is_data: bool


@dataclass
class LoadedGraph:
    """The project's dataset in a store, plus the map from named graphs back to their files."""

    config: Config
    store: Store
    files: dict[str, SourceFile] = field(default_factory=dict)

    def files_of(self, node: ox.NamedNode | ox.BlankNode) -> list[SourceFile]:
        """The files in which ``node`` is described (appears as a subject), in load order."""
        if isinstance(node, ox.NamedNode) and node.value in self.files:
            return [self.files[node.value]]
        rows = self.store.select("SELECT DISTINCT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": node})
        graphs = {r["g"].value for r in rows if "g" in r}
        return [f for g, f in self.files.items() if g in graphs]

    @property
    def data_files(self) -> list[SourceFile]:
        return [f for f in self.files.values() if f.is_data]

    def __len__(self) -> int:
        return len(self.store)


def rdf_files(folder: Path) -> list[Path]:
    """RDF files below ``folder``, recursively, in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in RDF_SUFFIXES)


def _expand(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from rdf_files(path)
        elif path.is_file():
            yield path
        else:
            raise InputError(str(path), text("no-such-file"), hint=text("no-such-file.hint"))


def read_rdf(path: Path, display: str) -> tuple[bytes, str]:
    """The bytes and format name of an RDF file, or an :class:`InputError` saying what is wrong."""
    fmt = RDF_SUFFIXES.get(path.suffix)
    if fmt is None:
        raise InputError(display, text("unknown-file-type", suffix=path.suffix),
                         hint=text("unknown-file-type.hint", suffixes=", ".join(sorted(RDF_SUFFIXES))))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(display, text("unreadable-file", reason=exc.strerror)) from None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(display, text("not-utf8"), line=line, hint=text("not-utf8.hint")) from None
    check_rdf(data, fmt, display)
    return data, fmt


def syntax_error(display: str, exc: SyntaxError) -> InputError:
    """Turn a parser error into ``file:line: what is wrong (column N)``."""
    why = str(exc.msg or exc)
    # Oxigraph says "Parser error at line 4 between columns 1 and 5: A dot is expected ..."
    if why.startswith("Parser error") and ": " in why:
        why = why.split(": ", 1)[1]
    if exc.offset:
        why = f"{why} (column {exc.offset})"
    return InputError(display, text("syntax-error", detail=why), line=exc.lineno,
                      hint=text("syntax-error.hint"))


def load_bytes(store: Store, data: bytes, fmt: str, display: str, graph: str) -> None:
    """Parse a file's bytes (read by :func:`read_rdf`) into named graph ``graph`` of ``store``."""
    try:
        store.remove_graph(graph)   # a store on disk keeps the last load: replace, never add twice
        store.load(data, fmt, graph=graph, base_iri=graph)
    except SyntaxError as exc:
        raise syntax_error(display, exc) from None
    except ValueError as exc:
        raise InputError(display, f"cannot be loaded: {exc}") from None


T = TypeVar("T")
R = TypeVar("R")


def read_ahead(items: Iterable[T], read: Callable[[T], R], depth: int = 64) -> Iterator[tuple[T, R]]:
    """``(item, read(item))`` in order, the reads done by a thread up to ``depth`` items ahead:
    Oxigraph parses without holding Python's lock, so reading the next files and naming their
    graphs costs no time beside it (a sixth of a large load). An error in ``read`` is raised
    here, at its item."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead") as pool:
        pending: deque[tuple[T, Future[R]]] = deque()
        try:
            for item in items:
                pending.append((item, pool.submit(read, item)))
                if len(pending) > depth:
                    first, future = pending.popleft()
                    yield first, future.result()
            while pending:
                first, future = pending.popleft()
                yield first, future.result()
        finally:
            for _, future in pending:
                future.cancel()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def load(config: Config, paths: Iterable[Path] | None = None, *,
         store: Store | StoreSpec | str = "oxigraph",
         include_ontology: bool = True) -> LoadedGraph:
    """Load the ontology and either the project's data or the given files/folders.

    With ``paths``, those files are loaded together with the ontology only, so a user can check a
    new file before adding it to ``data/``.
    """
    target = store if isinstance(store, Store) else open_store(store)
    loaded = LoadedGraph(config=config, store=target)
    ontology_files = rdf_files(config.ontology_dir) if include_ontology else []
    data_files = rdf_files(config.data_dir) if paths is None else list(_expand(paths))
    marks = []
    move = shipped(config.base_iri)

    def prepare(item: tuple[Path, bool]) -> tuple[str, str, bytes, str]:
        path, is_data = item
        graph, display = config.graph_iri(path), config.display_path(path)
        data, fmt = read_rdf(path, display)
        return graph, display, data if is_data or not move.active else move.data(data), fmt

    items = [(p, False) for p in ontology_files] + [(p, True) for p in data_files]
    for (path, is_data), (graph, display, data, fmt) in read_ahead(items, prepare):
        if graph in loaded.files:
            first = loaded.files[graph]
            if _same_file(first.path, path):
                continue   # the same file named twice (a folder and a file in it)
            raise InputError(display, f"names the same graph <{graph}> as {first.display}",
                             hint="a file's graph is named after its path without the extension: "
                                  "rename one of the two files")
        load_bytes(target, data, fmt, display, graph)
        if is_data:
            node = ox.NamedNode(graph)
            marks.append(ox.Quad(node, RDF_TYPE, ox.NamedNode(VOID + "Dataset"), node))
        loaded.files[graph] = SourceFile(path=path, display=display, graph=graph, is_data=is_data)
    target.add(marks)
    return loaded
