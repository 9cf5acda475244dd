"""Clients and identifiers of the national registries the graph links to: the business ID
(:mod:`ytunnus`), the trade register (:mod:`prh`), Wikidata (:mod:`wikidata`), the municipality and
region code lists (:mod:`codes`) and the General Finnish Ontology YSO (:mod:`yso`)."""
