"""Serving the validated graph over SPARQL and the release as linked data, at one URL
(:mod:`.service` runs it; :mod:`.handler` answers; :mod:`.upstream` owns Oxigraph;
:mod:`.linked_data` serves the release folder)."""

from akke_graph.serve.service import SparqlService, StopSignals, serve_until_stopped

__all__ = ["SparqlService", "StopSignals", "serve_until_stopped"]
