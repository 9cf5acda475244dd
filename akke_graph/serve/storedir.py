"""Writing the graph to files and into an Oxigraph store folder for the server."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from akke_graph.errors import ServeError
from akke_graph.oxigraph_server import bulk_load
from akke_graph.store import Store


def _is_store_folder(folder: Path) -> bool:
    """An Oxigraph (RocksDB) store folder, or an empty one: safe to replace."""
    if not folder.exists():
        return True
    if not folder.is_dir():
        return False
    names = {p.name for p in folder.iterdir()}
    return not names or {"CURRENT", "IDENTITY"} <= names


def build_store(store: Store, location: Path) -> None:
    """Bulk-load ``store`` into a fresh Oxigraph folder and put it at ``location`` whole: it is
    built beside it and renamed into place, so a failed load leaves the old folder untouched."""
    location = location.resolve()
    if not _is_store_folder(location):
        raise ServeError(f"{location} exists and is not an Oxigraph store folder",
                         hint="give --store-dir an empty or new folder, or one an earlier "
                              "akke-graph serve wrote")
    location.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{location.name}.", dir=location.parent) as tmp:
        work = Path(tmp)
        dump = work / "graph.nq"
        store.dump_to(dump, "nquads")
        fresh = work / "store"
        bulk_load(fresh, dump)
        dump.unlink()
        old = work / "old"
        if location.exists():
            os.replace(location, old)
        os.replace(fresh, location)
        shutil.rmtree(old, ignore_errors=True)
