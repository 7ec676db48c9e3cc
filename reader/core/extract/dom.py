"""Small, iterative tree helpers over bs4, and the text-length cache scoring relies on.

Nothing here recurses: a page nested 100,000 levels deep is walked with loops. Text lengths,
link lengths and comma counts are computed once, bottom-up, and kept up to date when a subtree
is removed, so no subtree's text is gathered twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeGuard, TypeVar, cast

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import PageElement

from reader.core.extract.patterns import HEADINGS, OTHER_COMMAS, WS_RUN


def is_text(node: object) -> TypeGuard[NavigableString]:
    """True for a plain text node (not a comment, CDATA or doctype)."""
    return type(node) is NavigableString


def is_blank(node: object) -> bool:
    """True for a text node of whitespace only."""
    return type(node) is NavigableString and node.isspace()


def body_of(soup: BeautifulSoup) -> Tag:
    """The <body>, or the document itself for a fragment without one."""
    for tag in iter_tags(soup):  # soup.find("body"), without bs4's general matcher
        if tag.name == "body":
            return tag
    return soup


def dead(node: PageElement) -> bool:
    """True once ``node`` was decomposed (bs4's own property searches the subtree for it)."""
    return "_decomposed" in node.__dict__


def walk_down(node: Tag) -> Iterator[PageElement]:
    """Everything under ``node`` in document order, lazily: bs4's ``descendants`` first seeks
    the subtree's last node, which costs the whole depth before the first item."""
    stack: list[PageElement] = list(reversed(node.contents))
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, Tag) and item.contents:
            stack.extend(reversed(item.contents))


def has_descendant(node: Tag, names: frozenset[str]) -> bool:
    """True when any element under ``node`` has one of ``names``; stops at the first."""
    return any(isinstance(d, Tag) and d.name in names for d in walk_down(node))


def first_tag(node: Tag) -> Tag | None:
    """The first child element."""
    for child in node.contents:
        if isinstance(child, Tag):
            return child
    return None


def next_tag(node: PageElement) -> Tag | None:
    """The next sibling element."""
    sib = node.next_sibling
    while sib is not None and not isinstance(sib, Tag):
        sib = sib.next_sibling
    return sib


def child_tags(node: Tag) -> list[Tag]:
    """The element children, as a list safe to mutate the tree under."""
    return [c for c in node.contents if isinstance(c, Tag)]


def next_node(node: Tag, skip_children: bool = False) -> Tag | None:
    """The next element in document order (optionally skipping ``node``'s subtree)."""
    if not skip_children:
        child = first_tag(node)
        if child is not None:
            return child
    current: Tag | None = node
    while current is not None:
        sib = next_tag(current)
        if sib is not None:
            return sib
        current = current.parent
    return None


def iter_tags(root: Tag) -> Iterator[Tag]:
    """Every element under ``root`` in document order (bs4's descendants are iterative), lazily.

    A C-level filter over bs4's generator: no second Python generator step per node.
    """
    return cast(Iterator[Tag], filter(_IS_TAG, root.descendants))


_IS_TAG = Tag.__instancecheck__  # isinstance(node, Tag), as a C callable


def has_ancestor(node: Tag, names: str | tuple[str, ...], max_depth: int = 3) -> bool:
    """True when an ancestor within ``max_depth`` levels (all when < 1) has one of ``names``."""
    wanted = (names,) if isinstance(names, str) else names
    depth = 0
    parent = node.parent
    while parent is not None:
        if max_depth > 0 and depth >= max_depth:
            return False
        if parent.name in wanted:
            return True
        parent = parent.parent
        depth += 1
    return False


def match_string(node: Tag) -> str:
    """Class names and id joined, what the class/id patterns are tested against."""
    attrs = node.attrs  # (Tag.get is a Python wrapper around this dict's get)
    classes = attrs.get("class")
    cls = " ".join(classes) if isinstance(classes, list) else (classes or "")
    ident = attrs.get("id")
    return f"{cls} {ident if isinstance(ident, str) else ''}"


def attr(node: Tag, name: str) -> str:
    """An attribute as one string ('' when absent)."""
    value = node.attrs.get(name)
    if value is None:
        return ""
    return " ".join(value) if isinstance(value, list) else value


def text_of(node: Tag) -> str:
    """``node.get_text()``, at once for an element holding one text node or none (most short
    ones: a link, an emphasis), without bs4's generator over the subtree."""
    contents = node.contents
    if len(contents) <= 1 and node.interesting_string_types is _MAIN_STRING_TYPES:
        if not contents:
            return ""
        only = contents[0]
        if type(only) is NavigableString:
            return _plain(only)
    return node.get_text()


# What bs4 gives an element's get_text to look for, unless it holds script, style...; and
# str's own copy: a NavigableString handed on would keep its whole tree alive.
_MAIN_STRING_TYPES: object = getattr(Tag, "MAIN_CONTENT_STRING_TYPES", object())  # (not in stubs)
_plain = str.__str__


def inner_text(node: Tag) -> str:
    """Trimmed text with whitespace runs collapsed (Readability's getInnerText)."""
    return WS_RUN.sub(" ", text_of(node).strip())


def has_inner_text(node: Tag) -> bool:
    """``inner_text(node) != ""``, stopping at the first string that is not whitespace."""
    return any(s and not s.isspace() for s in node.strings)


def text_length(text: str) -> int:
    """Length of ``text`` once whitespace runs are collapsed (str.split is faster than re)."""
    if text.isprintable() and "  " not in text:
        # No white space but single spaces (the space is the one printable white space
        # character): nothing collapses, so no need to split into words (most texts).
        return 0 if text == " " else len(text)
    words = text.split()
    if not words:
        return 0  # whitespace alone: trimmed away, and 0 means "no text" to the walk
    return (
        sum(map(len, words))
        + len(words)
        - 1
        + (1 if _char_at(text, 0).isspace() else 0)
        + (1 if _char_at(text, -1).isspace() else 0)
    )


# str's own indexing: bs4's NavigableString overrides ``[]`` with a Python-level check.
_char_at = str.__getitem__


def count_commas(text: str) -> int:
    """Commas in any script (Latin, Arabic, full-width...)."""
    n = text.count(",")
    return n if text.isascii() else n + len(OTHER_COMMAS.findall(text))


def is_probably_visible(node: Tag) -> bool:
    """False for elements hidden by style, the hidden attribute or aria-hidden."""
    attrs = node.attrs
    if "style" not in attrs and "hidden" not in attrs and "aria-hidden" not in attrs:
        return True  # (most elements: none of the three checks below can say hidden)
    style = attr(node, "style").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return False
    if node.has_attr("hidden"):
        return False
    return not (attr(node, "aria-hidden") == "true" and "fallback-image" not in attr(node, "class"))


def has_text(node: Tag) -> bool:
    """True when any text under ``node`` is not whitespace; stops at the first hit."""
    return any(is_text(s) and not s.isspace() for s in walk_down(node))


V = TypeVar("V")


class TagMap(Generic[V]):
    """Values by tag identity that keep their tags alive.

    Every per-tag figure lives in one of these, never in a dict keyed by a bare ``id(tag)``:
    a removed tag is freed at once and CPython gives its id to the next tag created (the walk
    makes new <p> right after dropping hidden blocks), which would inherit the stale value.
    Holding the tag makes its id unique for as long as the value is kept.
    """

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: dict[int, tuple[Tag, V]] = {}

    def __contains__(self, tag: Tag) -> bool:
        return id(tag) in self._items

    def __getitem__(self, tag: Tag) -> V:
        return self._items[id(tag)][1]

    def __setitem__(self, tag: Tag, value: V) -> None:
        self._items[id(tag)] = (tag, value)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, tag: Tag) -> V | None:
        """The value for ``tag``, or None."""
        found = self._items.get(id(tag))
        return None if found is None else found[1]

    def tags(self) -> list[Tag]:
        """The tags holding a value, in insertion order."""
        return [tag for tag, _ in self._items.values()]


class TagSet:
    """A set of tags by identity that keeps them alive (see ``TagMap`` for why)."""

    __slots__ = ("_map",)

    def __init__(self) -> None:
        self._map: TagMap[None] = TagMap()

    def __contains__(self, tag: Tag) -> bool:
        return tag in self._map

    def __len__(self) -> int:
        return len(self._map)

    def add(self, tag: Tag) -> None:
        """Put ``tag`` in the set."""
        self._map[tag] = None


class Stats:
    """Text length, weighted link-text length, commas and counts under one element."""

    __slots__ = ("commas", "heading", "img", "input", "li", "link", "listed", "p", "text")

    def __init__(self) -> None:
        self.text = 0
        self.link = 0.0
        self.commas = 0
        self.heading = 0
        self.listed = 0
        self.p = 0
        self.img = 0
        self.li = 0
        self.input = 0

    def add(self, other: Stats, sign: int = 1) -> None:
        """Add (or with sign -1, subtract) another element's figures."""
        self.text += sign * other.text
        self.link += sign * other.link
        self.commas += sign * other.commas
        self.heading += sign * other.heading
        self.listed += sign * other.listed
        self.p += sign * other.p
        self.img += sign * other.img
        self.li += sign * other.li
        self.input += sign * other.input

    @property
    def link_density(self) -> float:
        """Share of the text that sits inside links."""
        return self.link / self.text if self.text else 0.0


_COUNTED = {"p": "p", "img": "img", "li": "li", "input": "input"}


class TextFigures:
    """Collapsed length and comma count of each distinct text, worked out once per extraction.

    Keyed by the text itself (a text node never changes), so a rebuilt cache, the cleaning
    stage's cache and every rung of the retry ladder look a string up instead of measuring it.
    The keys are plain copies: a text node as a key would keep its whole tree alive.
    """

    __slots__ = ("known",)

    def __init__(self) -> None:
        #: What is measured so far (``TextCache.build`` reads it directly: a call less a text).
        self.known: dict[str, tuple[int, int]] = {}

    def __call__(self, text: str) -> tuple[int, int]:
        """``(text_length(text), count_commas(text))``."""
        found = self.known.get(text)
        if found is None:
            found = self.known[str(text)] = (text_length(text), count_commas(text))
        return found


class TextCache:
    """Stats for every element under a root, computed in one bottom-up pass.

    A build with ``reuse`` (a missing tag asked for, or the cleaning stage's root) keeps the
    figures of every subtree left as it was built: whoever changes the tree other than through
    :meth:`remove` calls :meth:`changed`, so only the changed parts are measured again.
    """

    def __init__(self, root: Tag, figures: TextFigures | None = None) -> None:
        self._stats: TagMap[Stats] = TagMap()
        #: Tags whose figures are kept in step (or left behind) since their tree changed, and
        #: so are not what a fresh build gives: never reused by a build.
        self._stale: TagSet = TagSet()
        self._figures = figures or TextFigures()
        self.build(root)

    def build(self, root: Tag, *, reuse: bool = False) -> None:
        """(Re)compute the figures of ``root`` and everything under it.

        With ``reuse``, a subtree whose figures are fresh keeps them (they depend on nothing
        but the subtree) and still adds them to its parent's in its turn: the same sums in the
        same order, as the extraction's digests and a check against fresh builds confirm.
        """
        items = self._stats._items  # the TagMap's own store: one dict write per tag
        stale = self._stale._map._items
        known = self._figures.known
        order: list[Tag] = []
        made: list[Stats | None] = []  # None: a fresh subtree, reused
        index: dict[int, Stats] = {}
        # Parents before children: each element's own texts are measured as its children are
        # listed (one pass over its contents); the sums of its children come in the next loop.
        stack: list[Tag] = [root]
        while stack:
            tag = stack.pop()
            order.append(tag)
            key = id(tag)
            if reuse and tag is not root and key in items and key not in stale:
                made.append(None)
                index[key] = items[key][1]
                continue
            own = Stats()
            made.append(own)
            index[key] = own
            items[key] = (tag, own)
            stale.pop(key, None)
            text = commas = 0
            kids: list[Tag] = []
            for child in tag.contents:
                if type(child) is NavigableString:
                    found = known.get(child)
                    if found is None:  # TextFigures.__call__, inline: once per distinct text
                        found = known[_plain(child)] = (text_length(child), count_commas(child))
                    text += found[0]
                    commas += found[1]
                elif isinstance(child, Tag):
                    kids.append(child)
            own.text = text
            own.commas = commas
            if kids:
                kids.reverse()
                stack.extend(kids)
        # Children before parents; each adds its figures to its parent's (zeros skipped: adding
        # them changes nothing, and the link sums keep their order).
        for tag, made_own in zip(reversed(order), reversed(made), strict=True):
            if made_own is None:
                own = index[id(tag)]
            else:
                own = made_own
                name = tag.name
                if name == "a":
                    href = attr(tag, "href")
                    own.link = own.text * (0.3 if href.startswith("#") and len(href) > 1 else 1.0)
                elif name in HEADINGS:
                    own.heading = own.text
                elif name in ("ul", "ol"):
                    own.listed = own.text
                counted = _COUNTED.get(name)
                if counted:
                    setattr(own, counted, getattr(own, counted) + 1)
            if tag is root or tag.parent is None:
                continue
            parent = index.get(id(tag.parent))
            if parent is None:
                continue
            if own.text or own.commas:
                parent.text += own.text
                parent.commas += own.commas
            if own.link:
                parent.link += own.link
            if own.heading or own.listed:
                parent.heading += own.heading
                parent.listed += own.listed
            if own.p or own.img or own.li or own.input:
                parent.p += own.p
                parent.img += own.img
                parent.li += own.li
                parent.input += own.input

    def get(self, tag: Tag) -> Stats:
        """The figures of ``tag``, computing them on first request."""
        known = self._stats._items.get(id(tag))  # the TagMap's store: a Python call less
        if known is None:
            self.build(tag, reuse=True)
            return self._stats[tag]
        return known[1]

    def changed(self, tag: Tag | None) -> None:
        """Note that ``tag``'s subtree changed (children moved, a rename...): no build reuses
        the figures of ``tag`` or of its ancestors any more."""
        stale = self._stale._map._items  # the TagSet's own store: one dict write per tag
        while tag is not None:
            stale[id(tag)] = (tag, None)
            tag = tag.parent

    def remove(self, tag: Tag) -> None:
        """Take ``tag`` out of the tree and its figures out of every ancestor's."""
        own = self._stats.get(tag)
        if own is not None:
            parent = tag.parent
            while parent is not None:
                pst = self._stats.get(parent)
                if pst is None:
                    break
                pst.add(own, -1)
                parent = parent.parent
        self.changed(tag.parent)
        tag.decompose()


def drop_comments(root: Tag) -> None:
    """Remove HTML comments left in the tree."""
    for node in [n for n in root.descendants if isinstance(n, Comment)]:
        node.extract()
