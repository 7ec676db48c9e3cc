"""Two parsed trees compared link by link: the tree builder's paths must build the same tree."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bs4 import BeautifulSoup, PageElement

from reader.core.bounded_parse import BoundedTreeBuilder

#: What the builder counts while it parses; each path must count alike.
COUNTERS = ("elements", "skipped_elements", "skipped_attributes", "splits", "truncated")


def parsed(html: str, **options: Any) -> tuple[BeautifulSoup, BoundedTreeBuilder]:
    """``html`` parsed by a BoundedTreeBuilder made with ``options``, and the builder."""
    builder = BoundedTreeBuilder(**options)
    return BeautifulSoup(html, builder=builder), builder


def tree_rows(soup: BeautifulSoup, builder: BoundedTreeBuilder) -> list[object]:
    """Every node in document order (the soup first) as a row: its class, its text (a string)
    and every field it holds, a node given as its number and a list item by item; then the
    builder's counts. Equal rows mean the same tree, link by link, and the same soup state."""
    nodes: list[PageElement] = [soup, *soup.descendants]
    number = {id(node): i for i, node in enumerate(nodes)}

    def value(key: str, held: object) -> object:
        if isinstance(held, PageElement):
            return ("node", number.get(id(held), "not in the tree"))
        if isinstance(held, Counter):  # open_tag_counter: its order too
            return ("counter", list(held.items()))
        if key == "attrs" and isinstance(held, dict):  # classes too (<meta>'s charset) and order
            return (type(held), [(k, type(v), v) for k, v in held.items()])
        if isinstance(held, list):  # contents, bs4's stacks
            return [value("", item) for item in held]
        return held

    rows: list[object] = []
    for node in nodes:
        fields = sorted(
            (key, value(key, held)) for key, held in vars(node).items() if key != "builder"
        )
        text = str(node) if isinstance(node, str) else None
        rows.append((type(node), text, fields))
    rows.append(("counts", *(getattr(builder, name) for name in COUNTERS)))
    return rows


def first_difference(one: list[object], other: list[object]) -> str | None:
    """None when the rows are equal, else where they first differ (short enough to read)."""
    for i, (a, b) in enumerate(zip(one, other, strict=False)):
        if a != b:
            return f"node {i}:\n  {str(a)[:600]}\n  {str(b)[:600]}"
    if len(one) != len(other):
        return f"{len(one)} rows against {len(other)}"
    return None


def outcome(html: str, **options: Any) -> tuple[list[object], str]:
    """The rows of ``html`` parsed with ``options`` and the path that built it; for a page
    the parse refuses (or fails on), the exception in place of the rows."""
    try:
        soup, builder = parsed(html, **options)
    except Exception as e:  # both paths must fail alike, too
        return [("raised", type(e), str(e))], "raised"
    return tree_rows(soup, builder), builder.path


def difference(html: str, options: dict[str, Any], reference: dict[str, Any]) -> str | None:
    """Where the tree built with ``options`` first differs from the one built with
    ``reference`` (None: identical, link by link, or both raised the same exception)."""
    return first_difference(outcome(html, **options)[0], outcome(html, **reference)[0])
