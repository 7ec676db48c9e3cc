"""Names from the HTML standard that several core modules need: one list, not a copy each."""

from __future__ import annotations

# Void elements: never have content or an end tag (HTML Living Standard, 13.1.2).
VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
)

# Block ends where the beginning of a long article may stop (present.first_part, the
# extractor's preview): never inside a table, whose columns Qt sizes from all its rows.
PART_ENDS = frozenset(
    "blockquote dd div dl h1 h2 h3 h4 h5 h6 li ol p pre table ul".split()  # noqa: SIM905
)
