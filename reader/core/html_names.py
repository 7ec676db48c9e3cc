"""Names from the HTML standard that several core modules need: one list, not a copy each."""

from __future__ import annotations

# Void elements: never have content or an end tag (HTML Living Standard, 13.1.2).
VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
)
