"""Helpers for the hostile-input tests: the allowlist check every output must pass."""

from __future__ import annotations

from bench.robustness import active_content


def assert_inert(html: str) -> None:
    """Fail when ``html`` holds anything outside the sanitiser's allowlist."""
    problems = active_content(html)
    assert not problems, f"active or unexpected content survived: {problems[:5]}"
