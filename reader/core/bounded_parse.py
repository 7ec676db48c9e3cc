"""Parsing within the limits: bs4's lxml builder that cannot build an unbounded tree.

A 100,000-deep page, a million sibling elements or one huge attribute would otherwise become
a tree that takes minutes to walk and overflows the stack in bs4's recursive methods. The
builder enforces ``MAX_DEPTH`` (deeper tags are unwrapped: their text is kept, as browsers stop
nesting at 512 levels), ``MAX_ELEMENTS`` (the rest of the page is left out), ``MAX_CHILDREN``
(a full parent is closed and opened again) and the attribute limits as it builds the tree from
lxml's parse events: recorded first and replayed in one loop (the usual way: 36 instead of 58
ms for a 1 MB article), or one callback at a time (the reference, and the way for what the
replay leaves out).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.builder import ParserRejectedMarkup
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import Comment, Doctype
from lxml import etree

from reader.core.limits import (
    MAX_ATTRIBUTE_CHARS,
    MAX_ATTRIBUTES_PER_ELEMENT,
    MAX_CHILDREN,
    MAX_DEPTH,
    MAX_ELEMENTS,
)
from reader.core.sanitize import DROPPED_WITH_CONTENT

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# Parents never cloned when full: a group element holds their further children instead.
_NEVER_SPLIT = frozenset(["html", "head", "body", "table", "frameset"])
_GROUP = {"table": "tbody"}  # the group element, when not a plain <div>
# Kept one level past the depth limit (their insides unwrapped), so a page nested too deep still
# has the paragraphs and headings that scoring and the "is this an article?" check count.
_TEXT_BLOCKS = frozenset("p h1 h2 h3 h4 h5 h6 pre".split())  # noqa: SIM905
# Skipped elements whose text is not page text: it must not leak into the parent as words.
_MUTED = frozenset(DROPPED_WITH_CONTENT - {"head", "title"})
# Skipped elements that separate blocks: a space keeps their words apart.
# (a split string: the list reads as one short paragraph instead of 35 lines)
_SEPARATING = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 "  # noqa: SIM905
    "h6 header hr li main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)

# An element without attributes, for the replay (lxml's own empty mapping is slow to copy).
_NO_ATTRIBUTES: Mapping[str, str] = MappingProxyType({})
# What bs4 counts as white space when it folds a string of nothing else into one space.
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"
# A Tag's links to the tree: set for each new tag, everything else comes from its name's model.
_LINKS = frozenset(
    "attrs contents parent previous_element next_element previous_sibling next_sibling".split()  # noqa: SIM905
)


# The replay's state of a built element: its Tag, contents, element children so far, name,
# attributes, whether it is a group, whether white space is kept in it and its string class.
_Frame = tuple[
    Tag, list[Any], int, str | None, Mapping[str, str], bool, bool, type[NavigableString]
]
# What the replay knows of a tag name: its model (None: bs4 makes the Tag), whether it keeps
# white space, its own string class (None: its parent's).
_Known = tuple[dict[str, Any] | None, bool, type[NavigableString] | None]


class _Full(Exception):
    """Raised inside lxml's callbacks to stop parsing once ``MAX_ELEMENTS`` are built."""


class _Stop(Exception):
    """Raised by the recorder once it holds its fill of events (see _Recorder.cap)."""


class _Special:
    """A comment, processing instruction or doctype met while recording: its class and text."""

    __slots__ = ("kind", "text")

    def __init__(self, kind: type[NavigableString], text: str) -> None:
        self.kind = kind
        self.text = text


if TYPE_CHECKING:  # lxml's target interface exists in its type stubs alone
    _Target = etree.ParserTarget[list[Any]]
else:
    _Target = object


class _Recorder(_Target):
    """lxml's parse events as one flat list, gathered by the cheapest callbacks there are.

    A start is a ``(name, attributes)`` tuple, an end is None, text is the str itself (``data``
    is the list's own append, called from C), anything else a ``_Special``. Past ``cap``
    events the parse stops: a hostile page costs bounded memory (see _replay).
    """

    def __init__(self, cap: int, processing_instruction: type[NavigableString]) -> None:
        self.events: list[Any] = []
        self.data = self.events.append  # type: ignore[method-assign]  # (a C call, no frame)
        self.cap = cap
        self._processing_instruction = processing_instruction

    def start(self, tag: str, attrib: dict[str, str], /) -> None:
        events = self.events
        if len(events) >= self.cap:
            raise _Stop
        events.append((tag, attrib))

    def end(self, tag: str, /) -> None:
        self.events.append(None)

    def comment(self, text: str, /) -> None:
        self.events.append(_Special(Comment, text))

    def pi(self, target: str, data: str, /) -> None:
        # what LXMLTreeBuilderForXML.pi makes of it
        self.events.append(_Special(self._processing_instruction, target + " " + data))

    def doctype(self, name: str | None, pubid: str | None, system: str | None, /) -> None:
        # what LXMLTreeBuilderForXML.doctype makes of it
        text = cast(Any, Doctype)._string_for_name_and_ids(name, pubid, system)
        self.events.append(_Special(Doctype, text))

    def close(self) -> list[Any]:
        return self.events


class _Open:
    """An element the builder kept: its name, attributes and element children so far."""

    __slots__ = ("attrs", "children", "name", "synthetic", "tag")

    def __init__(self, name: str, attrs: dict[str, str], synthetic: bool = False) -> None:
        self.name = name
        self.attrs = attrs
        self.children = 0
        self.synthetic = synthetic
        self.tag: Tag | None = None  # the Tag made by the lean path (None: made by bs4)


class BoundedTreeBuilder(LXMLTreeBuilder):
    """bs4's lxml HTML builder with the element, depth, children and attribute limits enforced.

    lxml reports balanced start and end events (it repairs the markup in C first), so a stack
    of open elements is enough to skip an element and keep its content. A parent that reaches
    ``MAX_CHILDREN`` element children is closed and opened again with the same attributes (for
    ``<body>``, a plain ``<div>`` group is opened instead), so no ``contents`` list grows long.
    """

    active_namespace_prefixes: list[dict[str, str]]  # LXMLTreeBuilderForXML sets these
    huge_tree: bool

    def __init__(
        self,
        *,
        max_depth: int = MAX_DEPTH,
        max_elements: int = MAX_ELEMENTS,
        max_children: int = MAX_CHILDREN,
        max_attribute_chars: int = MAX_ATTRIBUTE_CHARS,
        max_attributes: int = MAX_ATTRIBUTES_PER_ELEMENT,
        lean: bool = True,
        replay: bool = True,
    ) -> None:
        super().__init__(multi_valued_attributes=None)
        #: Make Tags and strings directly (see _make_tag); False: through BeautifulSoup's
        #: handle_starttag, handle_endtag and endData, which build the same tree slower.
        self.lean = lean
        #: Record lxml's events first and build the tree from them in one loop (see _replay);
        #: False: build it from lxml's callbacks one by one. Both build the same tree.
        self.replay = replay
        self.max_depth = max_depth
        self.max_elements = max_elements
        self.max_children = max_children
        self.max_attribute_chars = max_attribute_chars
        self.max_attributes = max_attributes
        self._reset()

    def _reset(self) -> None:
        self._stack: list[_Open | None] = []  # None: a skipped element
        self._kept: list[_Open] = []  # the built ones alone, so the parent is found at once
        self._depth = 0
        self._muted = 0
        self.elements = 0
        #: What was left out or regrouped; all zero for every ordinary page.
        self.skipped_elements = 0
        self.skipped_attributes = 0
        self.splits = 0
        #: True once MAX_ELEMENTS was reached: the rest of the page was left out, text and all.
        self.truncated = False
        #: How the tree was built: "replay" (from recorded events) or "callbacks" (see feed).
        self.path = "callbacks"
        # name -> the __dict__ of a Tag of that name as bs4 makes it, links aside (_model).
        self._models: dict[str, dict[str, Any] | None] = {}
        self._lean_on = False  # the lean path is used for this feed (see feed)
        self._attribute_dict: type[dict[str, str]] = dict  # bs4's attribute dict (_model)

    def feed(self, markup: str | bytes) -> None:
        """Parse ``markup``, counting afresh; stop at the element limit (bs4 closes the rest)."""
        self._reset()
        soup = self.soup
        lean = bool(
            self.lean
            and soup is not None
            and soup.parse_only is None
            and not soup.element_classes
            and _strings_as_expected()
        )
        if lean and self.replay and soup is not None and len(self.nsmaps) == 1:
            events, complete = self._record(markup)
            if self._replay(soup, events, complete):
                self.path = "replay"
                return
            soup.reset()  # something the replay does not handle: start over, one by one
            self.initialize_soup(soup)
            self._reset()
        self._lean_on = lean
        with contextlib.suppress(_Full):
            super().feed(markup)

    # --- the lean path: the tree BeautifulSoup builds, made without its general machinery ---
    #
    # For a tree built in document order, BeautifulSoup's handle_starttag, handle_endtag and
    # endData come down to a few links: the new node's parent is the open tag, its previous
    # element the node made last, its previous sibling the open tag's last child. Doing that
    # here, and filling each Tag's other fields from a model Tag bs4 made for its name, builds
    # the same tree in about half the parse time (83 -> 40 ms for a 1 MB article). What the
    # lean path does not know (namespaces, <meta>'s charset, an unexpected bs4) goes through
    # bs4 as before; tests/robustness/test_bounded_parse.py compares the two trees link by link.

    def _model(self, name: str) -> dict[str, Any] | None:
        """The fields bs4 gives a new Tag called ``name`` (links aside), None when they are
        not the ones the lean path knows how to fill."""
        soup = self.soup
        assert soup is not None
        namespaces = self.active_namespace_prefixes[-1]
        made = Tag(soup, self, name, None, None, None, None, None, namespaces=namespaces)
        fields = dict(made.__dict__)
        usable = fields.keys() >= _LINKS and made.attrs == {} and made.contents == []
        self._models[name] = model = fields if usable else None
        if usable:
            self._attribute_dict = type(made.attrs)
        return model

    def _make_tag(self, soup: Any, model: dict[str, Any], name: str, attrs: dict[str, str]) -> Tag:
        """BeautifulSoup.handle_starttag for a tag without namespace, made from ``model``."""
        if soup.current_data:
            self._flush_text(soup)
        tag = Tag.__new__(Tag)
        fields = tag.__dict__
        fields.update(model)
        fields["attrs"] = self._attribute_dict(attrs)  # plain strings: stored as they are
        fields["contents"] = []
        _link(soup, tag)
        soup.tagStack.append(tag)  # BeautifulSoup.pushTag
        soup.currentTag = tag
        soup.open_tag_counter[name] += 1
        if name in self.preserve_whitespace_tags:
            soup.preserve_whitespace_tag_stack.append(tag)
        if name in self.string_containers:
            soup.string_container_stack.append(tag)
        return tag

    def _close_made(self, soup: Any, tag: Tag) -> None:
        """BeautifulSoup.handle_endtag for the open tag the lean path made."""
        if soup.current_data:
            self._flush_text(soup)
        stack = soup.tagStack
        stack.pop()  # BeautifulSoup.popTag
        soup.currentTag = stack[-1]
        soup.open_tag_counter[tag.name] -= 1
        keeping = soup.preserve_whitespace_tag_stack
        if keeping and keeping[-1] is tag:
            keeping.pop()
        containers = soup.string_container_stack
        if containers and containers[-1] is tag:
            containers.pop()

    def _flush_text(self, soup: Any) -> None:
        """BeautifulSoup.endData: the text gathered so far becomes one string in the tree."""
        data = soup.current_data
        soup.current_data = []
        kind = NavigableString
        if soup.string_container_stack:  # script, style, template...: their own string class
            kind = self.string_containers.get(soup.string_container_stack[-1].name, kind)
        string = _string(data, bool(soup.preserve_whitespace_tag_stack), kind)
        _link(soup, string)

    # --- the replay: lxml's events recorded first, the tree built from them in one loop ---
    #
    # The lean path above spends its time in the Python work done for each of lxml's calls
    # (start, end and data), not in the calls themselves: recording them costs little more
    # than lxml's own parse. Replaying them in one loop keeps the state in local variables
    # (the open element, its contents, counts) instead of bs4's stacks and _Open entries, and
    # builds the same tree in 60% of the time (36 instead of 58 ms for a 1 MB article; lxml's
    # parse alone takes 7). lxml's own tree cannot stand in for the events: it drops the white
    # space after </html>, puts the doctype first and reads <option selected> as "selected".
    # tests/robustness/test_bounded_replay.py compares the two paths' trees link by link.

    def _record(self, markup: str | bytes) -> tuple[list[Any], bool]:
        """lxml's events for ``markup`` and whether they are all there (not cut at the cap)."""
        assert self.soup is not None
        # Enough for MAX_ELEMENTS built elements with their text and ends, or a page with
        # many skipped ones; a page past it that was not cut short is built one by one.
        recorder = _Recorder(8 * self.max_elements + 1000, self.processing_instruction_class)
        parser = etree.HTMLParser(
            target=recorder,
            recover=True,
            huge_tree=self.huge_tree,
            encoding=self.soup.original_encoding,
        )
        try:
            parser.feed(markup)
            parser.close()
        except _Stop:
            return recorder.events, False
        except (UnicodeDecodeError, LookupError, etree.ParserError) as e:
            raise ParserRejectedMarkup(e) from e  # as LXMLTreeBuilder.feed does
        return recorder.events, True

    def _replay(self, soup: BeautifulSoup, events: list[Any], complete: bool) -> bool:
        """Build the tree ``events`` describe, as start, end and data build it one call each.

        False when the page needs what only that path does (a namespace, an odd split, events
        cut short before the element limit): the caller then builds it that way. One long
        loop on purpose: its state lives in local variables, which is what makes it fast.
        """
        max_depth, max_children = self.max_depth, self.max_children
        max_elements, max_chars = self.max_elements, self.max_attribute_chars
        max_attributes = self.max_attributes
        known: dict[str, _Known] = {}
        seen: dict[str, int] = {}  # names built, in order: bs4's open_tag_counter at the end
        new_tag, new_string = Tag.__new__, str.__new__
        attribute_dict = self._attribute_dict
        # The innermost element built, which takes what comes next, and its state (a _Frame):
        parent: Tag = soup  # (the document itself at first)
        contents = soup.contents
        children = 0  # its element children so far, for MAX_CHILDREN
        pname: str | None = None  # its name (None: the document)
        pattrs: Mapping[str, str] = _NO_ATTRIBUTES  # its attributes, for its twin if it is split
        synthetic = False  # a group made to hold a full parent's further children
        keep_spaces = False  # inside pre or textarea: white space is not folded
        kind: type[NavigableString] = NavigableString  # its strings' class (script: Script...)
        # Per open element: the _Frame it was opened in, or its name if it was skipped.
        stack: list[Any] = []
        depth = muted = elements = skipped = skipped_attributes = splits = 0
        truncated = False
        last: Any = None  # the node made last
        pending: list[str] = []  # text not yet made into a string
        for item in events:
            cls = item.__class__
            if cls is str:
                if not muted:
                    pending.append(item)
                continue
            closing: Any = None  # the frame an end goes back to, once the text is made
            if item is None:  # an end
                while synthetic and stack and stack[-1].__class__ is tuple:  # groups end too
                    if pending:
                        last = _attach(_string(pending, keep_spaces, kind), parent, contents, last)
                        pending = []
                    parent, contents, children, pname, pattrs, synthetic, keep_spaces, kind = (
                        stack.pop()
                    )
                    depth -= 1
                if not stack:
                    continue
                closing = stack.pop()
                if closing.__class__ is str:  # a skipped element
                    if closing in _MUTED:
                        muted = max(0, muted - 1)
                    elif closing in _SEPARATING and not muted:
                        pending.append(" ")
                    continue
            elif cls is not tuple:  # a comment, processing instruction or doctype
                if cls is not _Special:
                    return False
                if pending:
                    last = _attach(_string(pending, keep_spaces, kind), parent, contents, last)
                    pending = []
                last = _attach(_string([item.text], keep_spaces, item.kind), parent, contents, last)
                continue
            else:
                name, attrib = item
                if elements >= max_elements:
                    truncated = True
                    break
                if depth >= max_depth and _unwrapped(depth, name, max_depth):
                    stack.append(name)
                    skipped += 1
                    if name in _MUTED:
                        muted += 1
                    elif name in _SEPARATING and not muted:
                        pending.append(" ")
                    continue
            # The text before this end or start: _string and _attach, inline (they make most
            # of the strings, and a call each costs ~3 ms at 1 MB).
            if pending:
                text = pending[0] if len(pending) == 1 else "".join(pending)
                pending = []
                if not keep_spaces and not text.strip(_ASCII_SPACES):
                    text = "\n" if "\n" in text else " "
                string = new_string(kind, text)
                fields = string.__dict__
                fields["hidden"] = False
                fields["parent"] = parent
                fields["previous_element"] = last
                if last is not None:
                    last.next_element = string
                fields["next_element"] = None
                previous = contents[-1] if contents else None
                fields["previous_sibling"] = previous
                if previous is not None:
                    previous.next_sibling = string
                fields["next_sibling"] = None
                contents.append(string)
                last = string
            if closing is not None:
                parent, contents, children, pname, pattrs, synthetic, keep_spaces, kind = closing
                depth -= 1
                continue
            if children >= max_children and pname is not None:  # a full parent: make room
                splits += 1
                frame: _Frame = (
                    parent,
                    contents,
                    children,
                    pname,
                    pattrs,
                    synthetic,
                    keep_spaces,
                    kind,
                )
                frame, last, depth, opened = self._room(
                    frame, stack, last=last, depth=depth, seen=seen
                )
                parent, contents, children, pname, pattrs, synthetic, keep_spaces, kind = frame
                elements += opened
            if attrib:
                if len(attrib) <= max_attributes and max(map(len, attrib.values())) <= max_chars:
                    kept: Mapping[str, str] = attrib
                else:
                    kept = _kept_attributes(attrib, max_chars, max_attributes)
                    skipped_attributes += len(attrib) - len(kept)
                if _namespaced(kept):
                    return False
            else:
                kept = _NO_ATTRIBUTES
            children += 1  # (the document's count too, which is never looked at)
            about = known.get(name)
            if about is None:
                if name.startswith("{"):
                    return False
                about = known[name] = self._known(name)
                attribute_dict = self._attribute_dict
                seen.setdefault(name, 0)
            model, keeps, container = about
            if model is not None:  # what _make_tag does, inline
                tag = new_tag(Tag)
                fields = tag.__dict__
                fields.update(model)
                fields["attrs"] = attribute_dict(kept) if kept else attribute_dict()
                kids: list[Any] = []
                fields["contents"] = kids
                fields["parent"] = parent
                fields["previous_element"] = last
                if last is not None:
                    last.next_element = tag
                fields["next_element"] = None
                previous = contents[-1] if contents else None
                fields["previous_sibling"] = previous
                if previous is not None:
                    previous.next_sibling = tag
                fields["next_sibling"] = None
                contents.append(tag)
            else:
                tag = self._bs4_tag(name, kept, parent, last, always=name == "meta")
                kids = tag.contents
            last = tag
            stack.append((parent, contents, children, pname, pattrs, synthetic, keep_spaces, kind))
            parent, contents, children, pname, pattrs, synthetic = tag, kids, 0, name, kept, False
            if keeps:
                keep_spaces = True
            if container is not None:
                kind = container
            depth += 1
            elements += 1
        if not (complete or truncated):
            return False
        if pending:  # what BeautifulSoup._feed's endData makes of the text left over
            last = _attach(_string(pending, keep_spaces, kind), parent, contents, last)
        cast(Any, soup)._most_recent_element = last
        soup.open_tag_counter = Counter(seen)
        self.elements, self.skipped_elements, self.splits = elements, skipped, splits
        self.skipped_attributes, self.truncated = skipped_attributes, truncated
        return True

    def _room(
        self, frame: _Frame, stack: list[Any], *, last: Any, depth: int, seen: dict[str, int]
    ) -> tuple[_Frame, Any, int, int]:
        """_make_room for the replay: ``frame`` is the full parent's. The frame of the element
        to take the next child, the node made last, the depth and the elements opened."""
        pname, pattrs, synthetic = frame[3], frame[4], frame[5]
        if synthetic or pname in _NEVER_SPLIT:
            if synthetic:  # close it: the next group goes where it was
                if stack[-1].__class__ is not tuple:  # (as below: it takes one child more)
                    return frame, last, depth, 0
                frame = stack.pop()
                depth -= 1
            if depth >= self.max_depth:
                return frame, last, depth, 0
            name, attrs, group = _GROUP.get(str(pname), "div"), _NO_ATTRIBUTES, True
        elif stack and stack[-1].__class__ is tuple:  # close it and open its twin
            frame = stack.pop()
            depth -= 1
            name, attrs, group = str(pname), pattrs, False
        else:  # (the open element above it was skipped: it takes one child more)
            return frame, last, depth, 0
        tag = self._bs4_tag(name, attrs, frame[0], last, always=True)
        seen.setdefault(name, 0)
        stack.append(frame)
        keep_spaces = frame[6] or name in self.preserve_whitespace_tags
        kind = self.string_containers.get(name, frame[7])
        return (tag, tag.contents, 0, name, attrs, group, keep_spaces, kind), tag, depth + 1, 1

    def _known(self, name: str) -> _Known:
        """What the replay needs to know of a tag name: the model for its Tags (None: bs4 makes
        them, as for <meta> and its charset), whether it keeps white space, its string class."""
        model = None
        if name != "meta":
            model = self._models[name] if name in self._models else self._model(name)
        return model, name in self.preserve_whitespace_tags, self.string_containers.get(name)

    def _bs4_tag(
        self, name: str, attrs: Mapping[str, str], parent: Tag, last: Any, *, always: bool
    ) -> Tag:
        """BeautifulSoup.handle_starttag's Tag, put last in ``parent``: the attributes given to
        the Tag (``always``, as _open and <meta> give them) or added after, as start does."""
        soup = self.soup
        namespaces = self.active_namespace_prefixes[-1]
        given = dict(attrs) if always or not attrs else None
        tag = Tag(soup, self, name, None, None, given, parent, last, namespaces=namespaces)
        if given is None:
            tag.attrs.update(attrs)
        parent.contents.append(tag)
        return tag

    def _parent(self) -> _Open | None:
        """The innermost element built (skipped ones above it can be thousands deep)."""
        return self._kept[-1] if self._kept else None

    def _open(self, name: str, attrs: dict[str, str], synthetic: bool = False) -> None:
        entry = _Open(name, attrs, synthetic)
        self._stack.append(entry)
        self._kept.append(entry)
        self._depth += 1
        self.elements += 1
        soup = self.soup
        if (
            soup is None
            or name.startswith("{")
            or len(self.nsmaps) > 1
            or any(key.startswith("{") for key in attrs)
        ):
            super().start(name, dict(attrs))  # a "{ns}name": lxml's namespace handling
            return
        # What LXMLTreeBuilder.start ends in for an HTML tag without namespaces, minus its two
        # copies of the attributes: the Tag copies them into its own dict (bs4 only keeps the
        # given one when it splits multi-valued attributes, which this builder turns off).
        soup.handle_starttag(name, None, None, attrs, namespaces=self.active_namespace_prefixes[-1])

    def _close_top(self) -> None:
        entry = self._stack.pop()
        assert entry is not None
        self._kept.pop()
        self._depth -= 1
        name = entry.name
        soup = self.soup
        if entry.tag is not None and soup is not None and soup.currentTag is entry.tag:
            self._close_made(soup, entry.tag)
            return
        if soup is None or name.startswith("{") or len(self.nsmaps) > 1:
            super().end(name)
            return
        soup.handle_endtag(name)  # LXMLTreeBuilder.end's path for a tag without namespace

    def _make_room(self) -> None:
        """Give the next child a parent with room, splitting the current one when it is full."""
        parent = self._parent()
        if parent is None or parent.children < self.max_children:
            return
        self.splits += 1
        if parent.synthetic or parent.name in _NEVER_SPLIT:
            if parent.synthetic:
                if not (self._stack and self._stack[-1] is parent):
                    return  # (an open element above it was skipped: it takes one child more)
                self._close_top()
            if self._depth < self.max_depth:
                self._open(_GROUP.get(parent.name, "div"), {}, synthetic=True)
            return
        if self._stack and self._stack[-1] is parent:
            self._close_top()
            self._open(parent.name, parent.attrs)

    def start(
        self,
        tag: str | bytes,
        attrib: Mapping[str | bytes, str | bytes],
        nsmap: Mapping[str | None, str] | None = None,
    ) -> None:
        """Build the element if it is within the limits, else remember it was skipped."""
        name = tag if isinstance(tag, str) else tag.decode("utf-8", "replace")
        if self.elements >= self.max_elements and not self.truncated:
            self.truncated = True
            raise _Full  # lxml stops parsing and hands the exception back from feed()
        if _unwrapped(self._depth, name, self.max_depth) or self.truncated:
            self._stack.append(None)
            self.skipped_elements += 1
            if name in _MUTED:
                self._muted += 1
            elif name in _SEPARATING:
                self.data(" ")
            return
        stack = self._stack
        parent = stack[-1] if stack else None
        if parent is None or parent.children >= self.max_children:
            self._make_room()  # (the top may also be a skipped element: then look further)
            parent = self._parent()
        kept: dict[str, str] = {}
        if attrib:
            kept = _kept_attributes(attrib, self.max_attribute_chars, self.max_attributes)
            self.skipped_attributes += len(attrib) - len(kept)
        namespaced = name.startswith("{") or _namespaced(kept)
        if parent is not None:
            parent.children += 1
        # lxml's HTML parser reports no namespaces (``nsmap`` is empty): what _open does, inline
        # for the usual tag (a call less per element, the attributes checked in the loop above).
        soup = self.soup
        if soup is None or namespaced or len(self.nsmaps) > 1:
            self._open(name, kept)
            return
        entry = _Open(name, kept)
        stack.append(entry)
        self._kept.append(entry)
        self._depth += 1
        self.elements += 1
        if self._lean_on and name != "meta":  # (a <meta>'s charset is looked at as it is made)
            model = self._models[name] if name in self._models else self._model(name)
            if model is not None:
                entry.tag = self._make_tag(soup, model, name, kept)
                return
        namespaces = self.active_namespace_prefixes[-1]
        if not kept or name == "meta":
            soup.handle_starttag(name, None, None, kept, namespaces=namespaces)
            return
        # The attributes go in with one C-level update instead of one Python __setitem__ call
        # each: the values are plain strings, which bs4's attribute dict stores as they are.
        made = soup.handle_starttag(name, None, None, None, namespaces=namespaces)
        if made is not None:
            made.attrs.update(kept)

    def end(self, tag: str | bytes) -> None:
        """Close the element if it was built (and any group opened inside it)."""
        stack = self._stack
        top = stack[-1] if stack else None
        if top is not None and not top.synthetic:  # the usual case: _close_top, inline
            stack.pop()
            self._kept.pop()
            self._depth -= 1
            name = top.name
            soup = self.soup
            made = top.tag
            if made is not None and soup is not None and soup.currentTag is made:
                self._close_made(soup, made)
            elif soup is None or name.startswith("{") or len(self.nsmaps) > 1:
                super().end(name)
            else:
                soup.handle_endtag(name)
            return
        while self._stack and self._stack[-1] is not None and self._stack[-1].synthetic:
            self._close_top()
        if not self._stack:
            return
        if self._stack[-1] is not None:
            self._close_top()
            return
        self._stack.pop()
        name = tag if isinstance(tag, str) else tag.decode("utf-8", "replace")
        if name in _MUTED:
            self._muted = max(0, self._muted - 1)
        elif name in _SEPARATING:
            self.data(" ")

    def data(self, data: str | bytes) -> None:
        """Text, unless it belongs to a skipped script, style or similar element."""
        if not self._muted and not self.truncated:
            soup = self.soup
            if soup is not None and isinstance(data, str):
                soup.current_data.append(data)  # what BeautifulSoup.handle_data does, less a call
            else:
                super().data(data)


def _unwrapped(depth: int, name: str, max_depth: int) -> bool:
    """Whether an element opened ``depth`` levels deep is skipped (its text kept): past the
    depth limit, except a paragraph, heading or pre right at it."""
    return depth >= max_depth and (depth > max_depth or name not in _TEXT_BLOCKS)


def _kept_attributes(
    attrib: Mapping[str | bytes, str | bytes], max_chars: int, max_attributes: int
) -> dict[str, str]:
    """The first ``max_attributes`` attributes whose values fit in ``max_chars``."""
    kept: dict[str, str] = {}
    for key, value in attrib.items():
        k = key if isinstance(key, str) else key.decode("utf-8", "replace")
        v = value if isinstance(value, str) else value.decode("utf-8", "replace")
        if len(v) <= max_chars and len(kept) < max_attributes:
            kept[k] = v
    return kept


def _namespaced(attrs: Mapping[str, str]) -> bool:
    """Whether an attribute name is lxml's "{namespace}name" (a NamespacedAttribute in bs4)."""
    # max() first: one pass in C, true only when some name sorts at or after "{"
    return bool(attrs) and max(attrs) >= "{" and any(key.startswith("{") for key in attrs)


def _link(soup: Any, node: Any) -> None:
    """Put ``node`` last in the open tag, made after the node made last: the links
    BeautifulSoup's object setup gives a node parsed in document order."""
    parent = soup.currentTag
    soup._most_recent_element = _attach(node, parent, parent.contents, soup._most_recent_element)


def _attach(node: Any, parent: Any, siblings: list[Any], last: Any) -> Any:
    """Put ``node`` last in ``parent`` (whose contents are ``siblings``), right after ``last``,
    the node made before it; return it (it is now the node made last)."""
    fields = node.__dict__
    fields["parent"] = parent
    fields["previous_element"] = last
    if last is not None:
        last.next_element = node
    fields["next_element"] = None
    previous = siblings[-1] if siblings else None
    fields["previous_sibling"] = previous
    if previous is not None:
        previous.next_sibling = node
    fields["next_sibling"] = None
    siblings.append(node)
    return node


def _string(pieces: list[str], keep_spaces: bool, kind: type[NavigableString]) -> Any:
    """BeautifulSoup.endData's string from the text gathered in ``pieces``, not yet linked."""
    text = pieces[0] if len(pieces) == 1 else "".join(pieces)
    if not keep_spaces and not text.strip(_ASCII_SPACES):
        text = "\n" if "\n" in text else " "  # white space alone folds to one character
    string = str.__new__(kind, text)
    string.__dict__["hidden"] = False
    return string


_STRING_FIELDS = frozenset(
    ["hidden", "parent", "previous_element", "next_element", "previous_sibling", "next_sibling"]
)


@functools.cache
def _strings_as_expected() -> bool:
    """True when this bs4's strings carry exactly the fields the lean path sets."""
    return set(NavigableString("x").__dict__) == _STRING_FIELDS


def bounded_soup(html: str) -> BeautifulSoup:
    """Parse ``html`` with lxml into bs4 within the element, depth and attribute limits.

    An XML declaration is dropped first: every page is read as HTML on purpose (an RSS feed
    too), and bs4 would otherwise warn about it on stderr.
    """
    return BeautifulSoup(_XML_DECLARATION.sub("", html, count=1), builder=BoundedTreeBuilder())
