"""The release leaves the statistics graph out of its dumps and pages, and its catalogue's class
partitions are the counts made when the graph was loaded (one computation for both): as they are
when the release graph is the loaded graph, counted again the same way when removing persons or
re-basing changed it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from akke_graph.load import LoadedGraph, load
from akke_graph.publish.model import build_release_graph
from akke_graph.statistics import entities_per_class
from akke_graph.terms import FOAF, VOID

from .conftest import NEW_BASE, release_text_files
from .test_publish_catalog import catalog_store


def class_partitions(release: Path) -> dict[str, int]:
    store = catalog_store(release / "catalog.ttl")
    rows = store.select(f"""SELECT ?c ?n WHERE {{ ?d <{VOID}classPartition> ?part .
        ?part <{VOID}class> ?c ; <{VOID}entities> ?n }}""")
    return {r["c"].value: int(r["n"].value) for r in rows}


def loaded_classes(loaded: LoadedGraph) -> dict[str, int]:
    assert loaded.statistics is not None
    return {c.value: n for c, n in loaded.statistics.classes.items() if isinstance(c, ox.NamedNode)}


def test_the_catalogue_counts_the_classes_as_the_load_did(release: Path, loaded: LoadedGraph) -> None:
    assert class_partitions(release) == loaded_classes(loaded)


def test_a_changed_release_graph_is_counted_again(anonymous_release: Path, rebased_release: Path,
                                                  loaded: LoadedGraph) -> None:
    anonymous = class_partitions(anonymous_release)
    assert FOAF + "Person" not in anonymous and anonymous != loaded_classes(loaded)
    rebased = class_partitions(rebased_release)
    assert rebased == {c.replace("https://w3id.org/akke/", NEW_BASE): n for c, n in loaded_classes(loaded).items()}


def test_no_file_of_the_release_carries_the_statistics_graph(release: Path) -> None:
    """Only the published statistics queries name it (they read it on an endpoint)."""
    for path, text in release_text_files(release):
        if path.relative_to(release).parts[0] != "queries":
            assert "graph/statistics" not in text, path


def test_the_release_graph_holds_the_files_graphs_and_the_load_counts(config) -> None:
    loaded = load(config)
    statistics = loaded.statistics
    graph = build_release_graph(loaded)
    assert statistics is not None and graph.statistics is statistics
    assert graph.store.graphs() == sorted(loaded.files)
    assert entities_per_class(graph.store) == statistics.classes
