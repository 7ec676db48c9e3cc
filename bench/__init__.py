"""Benchmarks: extraction quality and speed beside peer extractors, printed as figures."""
