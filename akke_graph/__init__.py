"""akke-graph: a linked-data knowledge graph of Finland's regional innovation ecosystems."""

__version__ = "0.1.0"
