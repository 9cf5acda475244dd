"""SHACL validation: a native engine compiling shapes to SPARQL on the store, and pyshacl as the
reference engine, both producing the same :class:`~akke_graph.shacl.outcome.ValidationResult`."""
