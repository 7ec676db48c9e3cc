"""The explicit limits that keep hostile or broken pages bounded in time and memory.

Every limit is a named constant here (documented in the README's "Limits" section) so they can
be read, tested and tuned in one place. They are enforced where the page first takes shape:
``load`` refuses oversized input, ``bounded_parse.BoundedTreeBuilder`` stops bs4 from building
more than ``MAX_ELEMENTS`` elements, nesting deeper than ``MAX_DEPTH`` or keeping more than
``MAX_CHILDREN`` under one parent, and extraction clips its metadata and stops retrying once its
time budget is spent. This module imports nothing heavy, so ``load`` can use it freely.
"""

from __future__ import annotations

MAX_INPUT_BYTES = 64 * 1024 * 1024
"""Largest page we read, as stored and again once unpacked: no article is anywhere near this."""

MAX_DEPTH = 256
"""Deepest element nesting kept. Real pages stay under 60 levels; a 100,000-deep page would
make every walk of the tree slow and bs4's own recursive methods overflow the stack. Deeper
tags are unwrapped with their text kept; a paragraph, heading or pre at the limit itself is kept
(one level more) with its insides unwrapped, so the page's paragraphs still count."""

MAX_ELEMENTS = 60_000
"""Most elements built for one page. The largest of our 130 corpus pages has 10,000 and a very
long article about 30,000; extraction costs about 150 microseconds an element, so this keeps a
page to about 10 s, where a million sibling elements would take minutes. The rest of a page
past the limit is left out."""

MAX_CHILDREN = 1000
"""Most element children under one parent before it is split in two (a list of 5,000 items
becomes five lists). Removing a child costs bs4 a scan of its siblings, so without this a page
of 30,000 sibling boxes takes minutes to clean."""

MAX_ATTRIBUTE_CHARS = 1024 * 1024
"""Longest attribute value kept (1 MiB, enough for an inline picture); longer ones are dropped."""

MAX_ATTRIBUTES_PER_ELEMENT = 64
"""Most attributes kept on one element; the rest are dropped."""

MAX_TITLE_CHARS = 500
"""Longest title kept; a longer one is cut at a word and ends with an ellipsis."""

MAX_FIELD_CHARS = 2000
"""Longest byline, site name or excerpt kept; cut like the title."""

EXTRACT_TIME_BUDGET_SECONDS = 15.0
"""After this long, extraction stops retrying on more relaxed passes and keeps its best
attempt, so one page's worst case stays well under the 30-second target."""


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word when there is one, with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"
