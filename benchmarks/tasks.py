"""The jobs the benchmarks time, each run in a fresh process by :mod:`benchmarks.harness`:

    python -m benchmarks.tasks TASK PROJECT_DIR [OUT_DIR]

Every task does one job the plain way (rdflib + pyshacl) or the project's way (akke_graph) and
prints one JSON line per finished step (``{"step": name, "seconds": s, ...}``), flushed at once,
so that a run killed at its time limit still tells how far it got.
"""

from __future__ import annotations

import json
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

DUMPS = (("nt", "nt"), ("json-ld", "jsonld"), ("turtle", "ttl"))   # rdflib's Turtle writer last: slowest
QUERY_RUNS = 21
QUERY_BUDGET = 5.0   # seconds of timed runs per query, after the warm-up

# The least some canned queries must read, timed in the same process as the queries: a count
# returns one row, so each time is the engine reading those rows and nothing else.
# slug: (what is read, the query without its prefixes (see floor_query), the canned queries that
# must read it, or STATISTICS: the counting at load, whose result the statistics queries read)
STATISTICS = "the statistics at load"
FLOORS: dict[str, tuple[str, str, str]] = {
    "quads": ("every quad", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", STATISTICS),
    "types": ("every rdf:type row", "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class }",
              f"entities-without-english-label, {STATISTICS}"),
    "labels": ("every name, title and label",
               "SELECT (COUNT(*) AS ?n) WHERE { { ?s skos:prefLabel ?l } UNION { ?s dcterms:title ?l } "
               "UNION { ?s rdfs:label ?l } }", "entities-without-english-label"),
    "work-package-roles": ("every work package's associations and their roles",
                           "SELECT (COUNT(*) AS ?n) WHERE { ?w a akke:WorkPackage ; "
                           "prov:qualifiedAssociation ?a . ?a prov:hadRole ?r }", "work-packages-without-contact"),
}
TIMED = ("query ", "floor ")   # how the query tasks name their steps; the suite's skip list holds these names


def floor_query(slug: str) -> str:
    """A floor's query with the package's prefixes declared (from akke_graph.terms, imported here
    rather than with this module, which every task imports)."""
    from akke_graph.synthetic.model import BASE
    from akke_graph.terms import prefix_map

    prefixes = prefix_map(BASE)   # the synthetic graphs' base
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + FLOORS[slug][1]


def emit(**fields: object) -> None:
    print(json.dumps(fields), flush=True)


class Steps:
    """Times consecutive steps and reports each as it ends."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def done(self, step: str, **extra: object) -> None:
        now = time.perf_counter()
        emit(step=step, seconds=round(now - self.last, 4), **extra)
        self.last = now


# --- The plain way: rdflib and pyshacl --------------------------------------------------------

def plain_parse(project: Path, steps: Steps, dataset: bool = False):
    """One rdflib Graph, ``Graph.parse`` per file (``<>`` is the file's graph, as for the loader,
    which also marks each data file as a void:Dataset). A Graph rather than a Dataset: pyshacl is
    about twice as slow on a Dataset's union; with ``dataset``, a Dataset with a named graph per
    file and their union as default graph, for queries that ask ``GRAPH ?g``."""
    import rdflib

    from akke_graph.config import load_config
    from akke_graph.load import rdf_files

    config = load_config(project)
    steps.done("import")
    graph = rdflib.Dataset(default_union=True) if dataset else rdflib.Graph()
    void_dataset = rdflib.URIRef("http://rdfs.org/ns/void#Dataset")
    for folder, is_data in ((config.ontology_dir, False), (config.data_dir, True)):
        for path in rdf_files(folder):
            iri = config.graph_iri(path)
            target = graph.graph(rdflib.URIRef(iri)) if dataset else graph
            target.parse(path, format="turtle", publicID=iri)
            if is_data:
                target.add((rdflib.URIRef(iri), rdflib.RDF.type, void_dataset))
    steps.done("parse", triples=len(graph))
    return graph, config


def plain_shapes(config):
    import rdflib

    from akke_graph.load import rdf_files

    shapes = rdflib.Graph()
    for path in rdf_files(config.shapes_dir):
        shapes.parse(path, format="turtle")
    return shapes


def plain_validate(graph, config, steps: Steps) -> None:
    import pyshacl
    from rdflib import RDF, URIRef

    shapes = plain_shapes(config)
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes, advanced=True)
    results = report.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#ValidationResult"))
    steps.done("validate", conforms=bool(conforms), results=sum(1 for _ in results))


def plain_dumps(graph, out: Path, steps: Steps) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for fmt, suffix in DUMPS:
        graph.serialize(destination=str(out / f"dump.{suffix}"), format=fmt)
        steps.done(f"dump {fmt}", bytes=(out / f"dump.{suffix}").stat().st_size)


def task_plain_parse(project: Path, out: Path | None) -> None:
    plain_parse(project, Steps())


def task_plain_validate(project: Path, out: Path | None) -> None:
    steps = Steps()
    graph, config = plain_parse(project, steps)
    plain_validate(graph, config, steps)


def task_plain_dumps(project: Path, out: Path | None) -> None:
    steps = Steps()
    graph, _ = plain_parse(project, steps)
    plain_dumps(graph, out, steps)


def task_plain_pipeline(project: Path, out: Path | None) -> None:
    steps = Steps()
    graph, config = plain_parse(project, steps)
    plain_validate(graph, config, steps)
    plain_dumps(graph, out, steps)


def task_plain_queries(project: Path, out: Path | None, skip: set[str] = frozenset(), limit: int = 0) -> None:
    """Each canned query on the rdflib Graph, parameters bound as rdflib terms."""
    from akke_graph.query.params import bind
    from akke_graph.query import load_queries
    from akke_graph.terms import to_rdflib

    steps = Steps()
    graph, config = plain_parse(project, steps, dataset=True)

    def once(query, bindings) -> int:
        result = graph.query(query.text, initBindings=bindings)
        return len(list(result)) if result.type != "ASK" else 1

    for query in load_queries(config):
        if f"query {query.name}" not in skip:
            bindings = {k: to_rdflib(v) for k, v in bind(query, query_params(query)).items()}
            time_query(steps, f"query {query.name}", lambda q=query, b=bindings: once(q, b), limit)


def time_query(steps: Steps, step: str, run: Callable[[], int], limit: int) -> None:
    """One warm-up, then the median of up to QUERY_RUNS runs within a few seconds.

    The process dies by SIGALRM (default action) when one run outlasts ``limit`` seconds: the
    benchmark then knows, from the ``running`` line, which query that was, and goes on without it.
    """
    def timed() -> tuple[float, int]:
        signal.alarm(limit)
        started = time.perf_counter()
        rows = run()
        seconds = time.perf_counter() - started
        signal.alarm(0)
        return seconds, rows

    emit(running=step)
    try:
        timed()
    except Exception as exc:  # noqa: BLE001 - an engine that cannot run a query: say so, go on
        steps.done(step, error=f"{type(exc).__name__}: {exc}"[:300])
        return
    times: list[float] = []
    while len(times) < QUERY_RUNS and (not times or sum(times) < QUERY_BUDGET):
        seconds, rows = timed()
        times.append(seconds)
    steps.done(step, p50=round(statistics.median(times), 5),
               p90=round(sorted(times)[int(0.9 * len(times))], 5), runs=len(times), rows=rows)


# --- The project's way: akke_graph on Oxigraph -------------------------------------------------

def project_load(project: Path, steps: Steps):
    from akke_graph.config import load_config
    from akke_graph.load import load

    config = load_config(project)
    steps.done("import")
    loaded = load(config)
    steps.done("load", triples=len(loaded))
    if loaded.statistics is not None:   # counted within the load: its share of it
        emit(step="statistics", seconds=round(loaded.statistics.seconds, 4))
    return loaded


def project_validate(loaded, steps: Steps) -> None:
    from akke_graph.shacl.validate import validate_graph

    report = validate_graph(loaded)
    steps.done("validate", conforms=report.conforms, results=len(report.results))


def task_project_parse(project: Path, out: Path | None) -> None:
    project_load(project, Steps())


def task_project_validate(project: Path, out: Path | None) -> None:
    steps = Steps()
    project_validate(project_load(project, steps), steps)


def task_project_dumps(project: Path, out: Path | None) -> None:
    steps = Steps()
    loaded = project_load(project, steps)
    out.mkdir(parents=True, exist_ok=True)
    for fmt, suffix in DUMPS:
        (out / f"dump.{suffix}").write_bytes(loaded.store.dump(fmt))
        steps.done(f"dump {fmt}", bytes=(out / f"dump.{suffix}").stat().st_size)


def task_project_pipeline(project: Path, out: Path | None) -> None:
    """Validate and write the release dumps the way ``publish`` does (stable order, JSON-LD
    context; the validation running beside the dumps), in one process."""
    from akke_graph.publish.dumps import write_dumps
    from akke_graph.publish.jobs import Beside
    from akke_graph.publish.model import build_release_graph
    from akke_graph.shacl.validate import require_conformant

    steps = Steps()
    loaded = project_load(project, steps)
    graph = build_release_graph(loaded)
    validation = Beside(require_conformant, loaded)
    paths = write_dumps(graph, out, "benchmark")
    steps.done("dumps", bytes=sum(p.stat().st_size for p in paths))
    validation.result()
    steps.done("validate")


def task_project_queries(project: Path, out: Path | None, skip: set[str] = frozenset(), limit: int = 0) -> None:
    """Each canned query, warm, through the same path as ``akke-graph query``."""
    from akke_graph.query import load_queries, run_query

    steps = Steps()
    loaded = project_load(project, steps)

    def once(query, params) -> int:
        result = run_query(loaded, query, params)
        return {"select": len(result.rows or []), "ask": 1}.get(query.kind, len(result.triples or []))

    for query in load_queries(loaded.config):
        if f"query {query.name}" not in skip:
            time_query(steps, f"query {query.name}", lambda q=query, p=query_params(query): once(q, p), limit)
    for slug in FLOORS:
        if f"floor {slug}" not in skip:
            time_query(steps, f"floor {slug}", lambda t=floor_query(slug): len(loaded.store.select(t)), limit)


def query_params(query) -> dict[str, str]:
    """Parameters that find something in the synthetic graph (defaults name the Turku data)."""
    from akke_graph.synthetic import model
    from akke_graph.synthetic.generate import DEFAULT_SEED

    p = model.plan(10_000, DEFAULT_SEED)   # organisation names do not depend on the size
    by_name = {
        "project": model.ID + "project/turku-project-1",
        "entity": model.ID + "project/turku-project-1",
        "organisation": model.organisation(p, 2, 0).iri,
        "theme": model.ID + "theme/ict",
        "authority": model.funding_authority(2),
        "agreement": model.ID + "agreement/turku",
        "name": "Turun kaupunki",
        "date": "2023-06-01",
    }
    return {p.name: by_name[p.name] for p in query.params if p.name in by_name}


TASKS: dict[str, Callable[[Path, Path | None], None]] = {
    name.removeprefix("task_").replace("_", "-"): fn for name, fn in globals().items() if name.startswith("task_")}


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in TASKS:
        print(f"usage: python -m benchmarks.tasks {{{','.join(TASKS)}}} PROJECT_DIR [OUT_DIR] "
              "[SKIP,STEPS LIMIT_S]", file=sys.stderr)
        return 2
    task, project, out = TASKS[argv[0]], Path(argv[1]), Path(argv[2]) if len(argv) > 2 else None
    if argv[0].endswith("queries"):
        skip = set(argv[3].split(",")) if len(argv) > 3 and argv[3] else set()
        task(project, out, skip, int(argv[4]) if len(argv) > 4 else 0)
    else:
        task(project, out)
    emit(done=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
