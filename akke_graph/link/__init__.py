"""Links from the graph to national registries: suggest candidates, accept reviewed ones, check them.

The release imports :func:`mappings_sssom` to carry the accepted links as an SSSOM file.
"""

from akke_graph.link.export import mappings_sssom

__all__ = ["mappings_sssom"]
