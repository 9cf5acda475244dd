"""A synthetic national ecosystem graph, deterministic per seed, for scale tests and benchmarks."""
