"""The values a data-enumerated parameter can take (grlc's ``enumerate`` without a list): those the
query's own triple patterns find for its variable, as grlc lists them.

They are asked for only after an empty answer, to tell a value the data does not hold (a typo in
a theme, say) from a question whose answer is empty: the first is an error that lists the values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Collection, Mapping

import pyoxigraph as ox

from akke_graph.errors import ParameterError
from akke_graph.query.model import Param
from akke_graph.store import Row, Term
from akke_graph.terms import compact

if TYPE_CHECKING:
    from akke_graph.query.model import CannedQuery

SHOWN = 20   # values named in the hint


def enumeration_query(query: "CannedQuery", param: Param) -> str | None:
    """``SELECT DISTINCT ?var`` over the query's triple patterns that mention the parameter's
    variable (those of each basic graph pattern joined, the patterns' UNION); None if none does."""
    from rdflib import Variable
    from rdflib.plugins.sparql import prepareQuery

    variable = Variable(param.variable)
    groups = [[t for t in bgp if variable in t] for bgp in _bgps(prepareQuery(query.body).algebra)]
    groups = [g for g in groups if g]
    if not groups:
        return None
    where = " UNION ".join("{ " + " ".join(" ".join(x.n3() for x in t) + " ." for t in g) + " }"
                           for g in groups)
    return f"SELECT DISTINCT ?{param.variable} WHERE {{ {where} }}"


def _bgps(node: Any) -> list[list[tuple]]:
    """The triple lists of every basic graph pattern in an rdflib query algebra."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: list[list[tuple]] = []
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "BGP":
                found.append(list(node.triples))
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)
    return found[::-1]


def check_choices(query: "CannedQuery", bound: Mapping[str, Term], given: Collection[str],
                  select: Callable[[str], list[Row]]) -> None:
    """Raise :class:`ParameterError` for a data-enumerated parameter the user gave (by name in
    ``given``; a default that finds nothing is the data's business) whose value the data does
    not hold for its variable. Call it after an empty answer; ``select`` runs SELECTs on the
    same store or endpoint."""
    for param in query.params:
        value = bound.get(param.variable)
        if param.enumerate != () or value is None or param.name not in given:
            continue
        sparql = enumeration_query(query, param)
        if sparql is None:
            continue
        held = [row[param.variable] for row in select(sparql) if param.variable in row]
        if value not in held:
            prefixes = query.prefix_map()
            shown = sorted(_short(v, prefixes) for v in held)
            more = f" (and {len(shown) - SHOWN} more)" if len(shown) > SHOWN else ""
            raise ParameterError(
                f"{query.name}: {param.name}={_short(value, prefixes)} does not occur in the data",
                hint=(f"values in the data: {', '.join(shown[:SHOWN])}{more}" if shown
                      else f"the data holds no value for {param.name}"))


def _short(term: Term, prefixes: Mapping[str, str]) -> str:
    """A term as a user may type it back: a CURIE where a known prefix fits, else its value."""
    return compact(term.value, prefixes) if isinstance(term, ox.NamedNode) else term.value
