"""The online half of ``link check``: ask the registries whether each stored link still holds."""

from __future__ import annotations

from typing import Any, Callable

from akke_graph.link import graph as g
from akke_graph.names import normalise_name
from akke_graph.load import LoadedGraph
from akke_graph.registries import ytunnus
from akke_graph.registries.prh import REGISTRY as PRH_REGISTRY
from akke_graph.registries.prh import PrhClient
from akke_graph.registries.wikidata import REGISTRY as WD_REGISTRY
from akke_graph.registries.wikidata import WD, WikidataClient


def _our_names(loaded: LoadedGraph, orgs: list[str]) -> dict[str, tuple[str, bool]]:
    """Each organisation's name to compare: its legal name (True) or its Finnish label (False)."""
    if not orgs:
        return {}
    rows = loaded.store.select(g.PREFIXES + f"""
        SELECT ?org ?legal ?label WHERE {{
            VALUES ?org {{ {g.values(sorted(set(orgs)))} }}
            OPTIONAL {{ ?org <http://www.w3.org/ns/regorg#legalName> ?legal }}
            OPTIONAL {{ ?org skos:prefLabel ?label . FILTER(LANG(?label) = "fi") }}
        }}""")
    out: dict[str, tuple[str, bool]] = {}
    for r in rows:
        if "legal" in r:
            out[r["org"].value] = (r["legal"].value, True)
        elif "label" in r and r["org"].value not in out:
            out[r["org"].value] = (r["label"].value, False)
    return out


def check_online(loaded: LoadedGraph, report: Any, name: Callable[[str], str], ids: list[g.Link],
                 *, prh: PrhClient | None = None, wikidata: WikidataClient | None = None) -> None:
    """Add findings for business IDs that are gone, ceased or renamed and Wikidata items that are
    gone or redirected."""
    valid = [link for link in ids if link.subject and link.notation and ytunnus.is_valid(link.notation)]
    names = _our_names(loaded, [link.subject for link in valid])
    if valid:
        client = prh or PrhClient()
        try:
            for link in valid:
                company = client.by_business_id(link.notation or "")
                where = g.file_of(loaded, link.graph)
                subject = name(link.subject)
                if company is None:
                    report.add("error", "not_found", where, subject=subject, value=link.notation,
                               registry=PRH_REGISTRY)
                    continue
                if company.ceased:
                    report.add("error", "ceased", where, subject=subject, value=link.notation,
                               date=company.end_date)
                ours, legal = names.get(link.subject, ("", False))
                current = {normalise_name(n) for n in company.current_names}
                if ours and normalise_name(ours) not in current:
                    former = normalise_name(ours) in {normalise_name(n) for n in company.former_names}
                    report.add("error" if legal or former else "warning", "renamed", where,
                               subject=subject, value=link.notation, theirs=company.name, ours=ours,
                               former=" (a former name)" if former else "")
        finally:
            if prh is None:
                client.close()
    items = sorted({link.object for link in g.links(loaded) if link.object.startswith(WD)})
    if items:
        found = (wikidata or WikidataClient()).items(items)
        linked_from: dict[str, tuple[str, str]] = {}
        for link in g.links(loaded):
            linked_from.setdefault(link.object, (link.subject, g.file_of(loaded, link.graph)))
        for item in items:
            subject, where = linked_from[item]
            entry = found.get(item)
            if entry is None:
                report.add("error", "not_found", where, subject=name(subject), value=name(item),
                           registry=WD_REGISTRY)
            elif entry.redirect:
                report.add("error", "redirected", where, subject=name(subject), value=name(item),
                           target=name(entry.redirect))
    report.counts["checked online"] = len(valid) + len(items)
