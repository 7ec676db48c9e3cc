"""Extracting the same hostile page again and again holds no memory once it is done."""

from __future__ import annotations

import gc
import tracemalloc

from bench.robustness import deep_nesting, injections
from reader.core.extract import extract
from reader.core.load import load_bytes


def _held_after(rounds: int, data: bytes) -> int:
    for _ in range(rounds):
        extract(load_bytes(data, source="page.html"))
    gc.collect()
    current, _ = tracemalloc.get_traced_memory()
    return current


def test_repeated_extraction_does_not_grow_memory() -> None:
    data = injections() + deep_nesting(2000)
    tracemalloc.start()
    try:
        _held_after(3, data)  # warm-up: caches, compiled patterns, imports
        first = _held_after(1, data)
        after = _held_after(20, data)
    finally:
        tracemalloc.stop()
    assert after - first < 512 * 1024, f"{(after - first) // 1024} KiB kept after 20 more rounds"
