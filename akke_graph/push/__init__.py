"""Pushing the validated graph into any SPARQL 1.1 store, atomically from a reader's view
(:mod:`.run` decides how; :mod:`.upload` and :mod:`.delta` send; :mod:`.client` asks the store,
over :mod:`akke_graph.sparql_http`)."""

from akke_graph.push.client import PASSWORD_ENV, PushTarget
from akke_graph.push.run import PushReport, push, push_store

__all__ = ["PASSWORD_ENV", "PushTarget", "PushReport", "push", "push_store"]
