"""pyshacl's datatype and order checks on dates made to follow XSD 1.1, as Oxigraph (and so the
native engine) does.

rdflib reads ``xsd:date`` and ``xsd:dateTime`` into Python's ``date`` and ``datetime``, which hold
no year 0, negative year or year past 9999 (valid in XSD 1.1), take time zones past ±14:00 and do
not know that a date with a time zone and one without can be unordered. pyshacl then calls valid
dates ill-formed, misses ill-formed ones, and its ``sh:lessThan``/``sh:lessThanOrEquals`` crash
with a ``TypeError`` on values Python cannot compare. The components below replace pyshacl's for
these parameters: dates are judged by :mod:`akke_graph.shacl.xsd`, any other pair is left to
pyshacl, and a pair it cannot compare is a result, as SHACL says ("or where the two values cannot
be compared").
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable

from akke_graph.shacl.xsd import TEMPORAL, local_name, temporal_order, well_formed
from akke_graph.terms import from_rdflib


def _temporal(node: Any) -> bool:
    from rdflib import Literal

    return isinstance(node, Literal) and node.datatype is not None and local_name(str(node.datatype)) in TEMPORAL


def _compare(component: Any, values: Any, others: Any, datagraph: Any, focus: Any,
             holds: Callable[[int], bool], original: Callable[..., tuple[bool, list]]) -> tuple[bool, list]:
    non_conformant, reports = False, list[Any]()
    for value in values:
        for other in others:
            if _temporal(value) or _temporal(other):
                order = temporal_order(from_rdflib(value), from_rdflib(other)) if (
                    _temporal(value) and _temporal(other)) else None
                ok = order is not None and holds(order)
            else:
                try:
                    nc, found = original({value}, {other}, datagraph, focus)
                except TypeError:   # values Python cannot compare: SHACL makes that a result
                    ok = False
                else:
                    non_conformant, reports = non_conformant or nc, reports + found
                    continue
            if not ok:
                non_conformant = True
                reports.append(component.make_v_result(datagraph, focus, value_node=value))
    return non_conformant, reports


@lru_cache(maxsize=None)
def install() -> None:
    """Put the XSD-following components in pyshacl's map of constraint parameters (once)."""
    from pyshacl import constraints
    from pyshacl.constraints.core.property_pair_constraints import (
        LessThanConstraintComponent, LessThanOrEqualsConstraintComponent)
    from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent
    from rdflib import Literal

    class XsdLessThan(LessThanConstraintComponent):
        def _compare_lt(self, values: Any, others: Any, datagraph: Any, focus: Any) -> tuple[bool, list]:
            return _compare(self, values, others, datagraph, focus, lambda order: order < 0, super()._compare_lt)

    class XsdLessThanOrEquals(LessThanOrEqualsConstraintComponent):
        def _compare_ltoe(self, values: Any, others: Any, datagraph: Any, focus: Any) -> tuple[bool, list]:
            return _compare(self, values, others, datagraph, focus, lambda order: order <= 0,
                            super()._compare_ltoe)

    class XsdDatatype(DatatypeConstraintComponent):
        def evaluate(self, executor: Any, target_graph: Any, focus_value_nodes: dict, _evaluation_path: list) -> Any:
            if local_name(str(self.datatype_rule)) not in TEMPORAL:
                return super().evaluate(executor, target_graph, focus_value_nodes, _evaluation_path)
            reports = [self.make_v_result(target_graph, focus, value_node=v)
                       for focus, values in focus_value_nodes.items() for v in values
                       if not (isinstance(v, Literal) and v.datatype == self.datatype_rule
                               and well_formed(from_rdflib(v)))]
            return not reports, reports

    for component in (XsdLessThan, XsdLessThanOrEquals, XsdDatatype):
        for parameter in component.constraint_parameters():
            constraints.CONSTRAINT_PARAMETERS_MAP[parameter] = component
