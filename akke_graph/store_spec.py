"""Which embedded store a command uses, parsed once from ``--store``: ``memory`` (rdflib),
``oxigraph`` (in memory) or ``oxigraph:DIR`` (on disk in DIR). :func:`akke_graph.store.open_store`
opens it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from akke_graph.errors import ConfigError

KINDS = ("memory", "oxigraph")
METAVAR = "memory|oxigraph[:DIR]"


@dataclass(frozen=True)
class StoreSpec:
    """An embedded store: its kind, and for Oxigraph on disk the folder."""

    kind: Literal["memory", "oxigraph"] = "oxigraph"
    folder: Path | None = None

    @classmethod
    def parse(cls, text: str) -> "StoreSpec":
        """``memory``, ``oxigraph`` or ``oxigraph:DIR``; a :class:`ConfigError` says what is wrong."""
        kind, sep, folder = text.partition(":")
        if kind == "memory" and not sep:
            return cls("memory")
        if kind == "oxigraph" and not sep:
            return cls("oxigraph")
        if kind == "oxigraph" and folder:
            return cls("oxigraph", Path(folder)).checked()
        raise ConfigError(f"unknown store {text[:100]!r}", hint=f"use {METAVAR}")

    def checked(self) -> "StoreSpec":
        """This spec, if its folder can be a store folder: not a file, under no file."""
        if self.folder is None:
            return self
        if self.folder.exists() and not self.folder.is_dir():
            raise ConfigError(f"the store folder {self.folder} is a file",
                              hint="give a folder (new or one an earlier run wrote)")
        parent = self.folder
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if parent.exists() and not parent.is_dir():
            raise ConfigError(f"the store folder {self.folder} cannot be made: {parent} is a file")
        return self

    def __str__(self) -> str:
        return f"oxigraph:{self.folder}" if self.folder is not None else self.kind
