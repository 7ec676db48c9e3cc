"""Names from the HTML standard that several core modules need: one list, not a copy each."""

from __future__ import annotations

import re

# Void elements: never have content or an end tag (HTML Living Standard, 13.1.2).
VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()  # noqa: SIM905
)

# Block ends where the beginning of a long article may stop (present.first_part, the
# extractor's preview): never inside a table, whose columns Qt sizes from all its rows.
PART_ENDS = frozenset(
    "blockquote dd div dl h1 h2 h3 h4 h5 h6 li ol p pre table ul".split()  # noqa: SIM905
)

# One attribute of a start tag, by the HTML syntax (13.1.2.3): its name, then its value in double
# quotes, single quotes or none (groups 2 to 4; all empty for an attribute without a value).
# For reading a few attributes off HTML text without a parser (present.py, load.py).
START_TAG_ATTRIBUTE = re.compile(
    r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?"""
)
