"""Canned and ad-hoc SPARQL queries: what a query is (:mod:`.model`), the catalogue of
``queries/*.rq`` (:mod:`.catalogue`), parameters (:mod:`.params`), running on the embedded store
(:mod:`.run`) or on any SPARQL 1.1 endpoint (:mod:`.endpoint`), and answers (:mod:`.results`)."""

from akke_graph.query.catalogue import (
                                        catalogue_text,
                                        find_query,
                                        load_queries,
                                        parse_query,
                                        queries_as_rdf,
                                        read_query_file,
)
from akke_graph.query.endpoint import run_remote
from akke_graph.query.model import CannedQuery, Param
from akke_graph.query.results import QueryResult
from akke_graph.query.run import run_query

__all__ = ["CannedQuery", "Param", "QueryResult", "catalogue_text", "find_query", "load_queries",
           "parse_query", "queries_as_rdf", "read_query_file", "run_query", "run_remote"]
