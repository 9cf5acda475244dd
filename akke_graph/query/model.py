"""What a canned query is: its texts, parameters and kind (read by :mod:`.catalogue`, bound by
:mod:`.params`, run by :mod:`.run` and :mod:`.endpoint`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from akke_graph.terms import XSD, prefix_map

LANGS = ("fi", "en")


@dataclass(frozen=True)
class Param:
    """One parameter of a query: how users name it, its type, and what it defaults to."""

    name: str                      # what users write: ``--param project=...``
    variable: str                  # the SPARQL variable, without ``?``: ``_project_iri``
    type: str                      # ``iri``, ``string``, ``number``, ``xsd:date``, ``string@fi``, ...
    required: bool
    default: str | None = None
    enumerate: tuple[str, ...] | None = None   # allowed values; () = listed from the data
    datatype: str | None = None    # full datatype IRI of a typed literal
    language: str | None = None    # language tag of a language-tagged literal

    @property
    def placeholder(self) -> str:
        """What ``--list`` shows after ``name=``: IRI, TEXT, YYYY-MM-DD, INTEGER, businessId, ..."""
        if self.type == "iri":
            return "IRI"
        if self.language:
            return f"TEXT@{self.language}"
        if self.type in ("string", "number"):
            return "TEXT" if self.type == "string" else "NUMBER"
        datatype = self.datatype or ""
        if datatype.startswith(XSD):
            local = datatype[len(XSD):]
            return {"date": "YYYY-MM-DD", "dateTime": "YYYY-MM-DDThh:mm:ss"}.get(local, local.upper())
        return self.type.split(":", 1)[-1]


@dataclass(frozen=True)
class CannedQuery:
    """One query with what users need to run it: texts in fi/en, parameters, kind."""

    name: str
    path: Path | None
    text: str
    summary: dict[str, str]
    description: dict[str, str]
    tags: tuple[str, ...]
    params: tuple[Param, ...]
    kind: str                                  # select | construct | ask | describe
    variables: tuple[str, ...] = ()            # a SELECT's projected variables, in order
    prefixes: dict[str, str] = field(default_factory=dict)
    endpoint: str | None = None
    ordered: bool = False                      # has ORDER BY: row order is part of the answer
    calls_service: bool = False                # has SERVICE: only an endpoint may run it
    base_iri: str | None = None                # the project's, which the text was moved onto when
                                               # read; None for a query read outside a project

    @property
    def body(self) -> str:
        """The SPARQL without the ``#+`` header lines."""
        return "\n".join(l for l in self.text.splitlines() if not l.startswith("#+")).strip() + "\n"

    def prefix_map(self) -> dict[str, str]:
        """The prefixes parameter values are read and IRIs shown with: the project's prefix map
        (:func:`akke_graph.terms.prefix_map`) and the query's own ``PREFIX`` lines."""
        return {**prefix_map(self.base_iri), **self.prefixes}

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def summary_in(self, lang: str) -> str:
        return _in(self.summary, lang) or self.name

    def description_in(self, lang: str) -> str:
        return _in(self.description, lang)


def _in(texts: Mapping[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), "")


