"""The performance suite of akke-graph: a synthetic national graph and the benchmarks run on it.

``python -m benchmarks`` runs the suite; ``python -m akke_graph.synthetic.generate`` writes a synthetic graph.
The generator is also used by the tests (``tests/scale/``), never the timings.
"""
