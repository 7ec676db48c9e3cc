"""Article extraction: any article page to a clean, safe ``Article``.

Stages, each in its own module: prepare (parse small, real pictures), metadata, find the
article (walk, score, top candidate, siblings), clean inside it, render (absolute URLs, text,
sanitised HTML). A strict pass that yields too little text retries on more relaxed rungs of
the ladder and the longest attempt wins, as in Readability.js.
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass

from bs4 import Tag

from reader.core.article import Article, count_words
from reader.core.characters import without_unsafe_characters
from reader.core.errors import NotAnArticleError
from reader.core.extract.candidates import LADDER, Walk, find_article
from reader.core.extract.clean import prep_article
from reader.core.extract.dom import (
    TagSet,
    TextCache,
    TextFigures,
    attr,
    body_of,
    dead,
    inner_text,
    is_probably_visible,
    iter_tags,
    match_string,
    text_of,
)
from reader.core.extract.metadata import Dateline, Metadata, read_dateline, read_metadata
from reader.core.extract.options import ExtractOptions
from reader.core.extract.patterns import MAYBE_CANDIDATE, UNLIKELY_CANDIDATES, WS_RUN
from reader.core.extract.prepare import Prepared, parse, prepare
from reader.core.extract.render import count_text_words, fix_urls, to_html, to_text
from reader.core.limits import EXTRACT_TIME_BUDGET_SECONDS, MAX_FIELD_CHARS, MAX_TITLE_CHARS, clip
from reader.core.load import Page, find_web_address
from reader.core.sanitize import sanitize_html
from reader.core.urls import absolute_url

__all__ = ["ExtractOptions", "Located", "extract", "extract_html", "is_probably_article", "locate"]

PROBABLY_MIN_SCORE = 20  # isProbablyReaderable's defaults
PROBABLY_MIN_LENGTH = 140
MOSTLY_LINKS = 0.5  # an "article" with more of its text in links than this is a link list


@dataclass
class _Attempt:
    root: Tag
    found: Walk
    length: int
    link_density: float
    cache: TextCache
    rung: int = 0  # 0: made from the first parse, whose every <img> is in its index


def _run_ladder(
    page: Page, meta: Metadata, options: ExtractOptions, prepared: Prepared
) -> _Attempt:
    """From strict to relaxed: stop at the first attempt long enough, else keep the longest."""
    attempts: list[_Attempt] = []
    panels = prepared.panels
    soup = prepared.soup
    deadline = time.monotonic() + EXTRACT_TIME_BUDGET_SECONDS
    figures = TextFigures()  # every pass measures the same texts: once is enough
    for rung, flags in enumerate(LADDER):
        if rung and time.monotonic() > deadline:
            break  # a huge or hostile page: the best attempt so far will do
        if rung:
            soup = prepare(page.html).soup
        # One cache per rung: the cleaning stage reuses the figures of what the walk left alone.
        cache = TextCache(body_of(soup), figures)
        root, found = find_article(
            soup,
            flags,
            meta.title,
            options.top_candidates,
            panels,
            figures=figures,
            cache=cache,
            byline=meta.byline or None,
        )
        prep_article(root, flags, figures, cache=cache)
        stats = cache.get(root)
        attempt = _Attempt(root, found, stats.text, stats.link_density, cache, rung)
        if attempt.length >= options.char_threshold:
            return attempt
        attempts.append(attempt)
    return max(attempts, key=lambda a: a.length)


def _dateline(tags: list[Tag], cache: TextCache) -> tuple[str, str | None] | None:
    """The first short block of the article that is a dateline: its date and place. With no
    place, the place of a wire-service dateline of the same date among the next few blocks
    (a page may give "5 December 2002, 09:30" above its text and
    "BISHKEK, 5 December 2002." as its lead's first words); not from further on, where a
    date is another story's. ``tags`` are the article's elements in document order (fix_urls'
    list: its unwrapped links and dropped pictures are no block this looks at)."""
    first: Dateline | None = None
    looked = 0
    for tag in tags:
        if tag.name not in _DATELINE_TAGS or not (length := cache.get(tag).text):
            continue
        if first is not None:
            looked += 1
            if looked > PLACE_LOOKAHEAD:
                break
        if length <= 90:
            raw = text_of(tag)
            if not _DIGIT.search(raw):
                continue  # every dateline has a day and a year: most short blocks end here
            text = WS_RUN.sub(" ", raw.strip())  # inner_text(tag), from the text at hand
            if not 0 < len(text) <= 80 or (found := read_dateline(text)) is None:
                continue
            if first is None:
                if found.place is not None:
                    return found.date, found.place
                first = found
            elif found.place_first and found.date == first.date:
                return first.date, found.place
    return (first.date, None) if first is not None else None


PLACE_LOOKAHEAD = 6  # blocks (and phrases such as <strong>) after a dateline without a place


_DATELINE_TAGS = frozenset(["p", "div", "span", "time", "li", "h6", "h5", "em", "strong", "small"])
_DIGIT = re.compile(r"\d")


def _excerpt(meta: Metadata, root: Tag) -> str | None:
    if meta.excerpt:
        return meta.excerpt
    para = root.find("p")
    text = inner_text(para) if isinstance(para, Tag) else ""
    return text or None


def _lead_image(
    meta: Metadata, root: Tag, base_url: str | None, imgs: list[Tag] | None
) -> str | None:
    """The page's lead picture, else the first ``<img src>`` of the article.

    ``imgs``, when given, holds every <img> the article can have (no stage makes one): when
    none of them is left with a ``src``, the article has none, without walking it.
    """
    if meta.lead_image:
        return absolute_url(base_url, meta.lead_image) or None
    if imgs is not None and not any(
        not dead(img) and img.attrs.get("src") is not None for img in imgs
    ):
        return None
    for img in iter_tags(root):  # root.find("img", src=True), without bs4's general matcher
        if img.name == "img" and img.attrs.get("src") is not None:
            return attr(img, "src") or None
    return None


def _clipped(text: str | None) -> str | None:
    """A byline, site name or excerpt within ``MAX_FIELD_CHARS`` (a 10 MB meta tag happens),
    without unsafe characters: the page's were taken out before parsing (prepare.parse),
    those a JSON-LD escape spells (``\\u0001``) are taken out here."""
    return clip(without_unsafe_characters(text), MAX_FIELD_CHARS) if text else text


@dataclass(frozen=True)
class Located:
    """An article found in its page and cleaned, not yet written out: :meth:`article` writes
    the whole of it, :meth:`preview` just its beginning (sooner, for a long one)."""

    page: Page
    options: ExtractOptions
    meta: Metadata
    best: _Attempt
    published: str | None
    place: str | None
    images: list[Tag] | None  # every <img> the article can hold, when known (see _lead_image)

    @property
    def length(self) -> int:
        """Characters of text in the article."""
        return self.best.length

    @functools.cached_property
    def text(self) -> str:
        """The article's plain text (render.to_text), worked out once."""
        return to_text(self.best.root)

    @functools.cached_property
    def word_count(self) -> int:
        """Words in the article's text, counted once: from the text when it is made, else
        from the tree (a long article's first part carries the count before the text)."""
        if "text" in self.__dict__:
            return count_words(self.text)
        return count_text_words(self.best.root)

    def article(self) -> Article:
        """The whole article, sanitised."""
        return self._article(sanitize_html(to_html(self.best.root)), self.text)

    def preview(self, chars: int) -> Article:
        """The article with only its first blocks, up to the first block end past ``chars``
        characters of HTML (render.to_html's ``stop_after``), and no text; its word count
        and reading time are the whole article's."""
        return self._article(sanitize_html(to_html(self.best.root, chars)), "")

    def _article(self, html: str, text: str) -> Article:
        meta, root, found = self.meta, self.best.root, self.best.found
        return Article(
            title=clip(without_unsafe_characters(meta.title), MAX_TITLE_CHARS),
            byline=_clipped(meta.byline or found.byline or None),
            site_name=_clipped(meta.site_name),
            published=self.published,
            place=self.place,
            lang=meta.lang,
            dir=found.dir or meta.dir,
            excerpt=_clipped(_excerpt(meta, root)),
            lead_image=_lead_image(meta, root, self.page.base_url, self.images),
            html=html,
            text=text,
            source=self.page.source,
            word_count=self.word_count,
        )


def locate(page: Page, options: ExtractOptions | None = None) -> Located:
    """Find and clean the article in ``page``; raises NotAnArticleError when it holds none."""
    options = options or ExtractOptions()
    prepared = prepare(page.html)
    meta = read_metadata(prepared.soup, prepared.json_ld, prepared.index, options.use_json_ld)
    best = _run_ladder(page, meta, options, prepared)
    name = page.source or "The page"
    if best.length < options.min_text_length or best.link_density > MOSTLY_LINKS:
        raise NotAnArticleError(f"{name} does not look like an article: no body of text was found.")
    root = best.root
    if not options.keep_tables:
        for table in root.find_all("table"):
            if not dead(table):
                table.decompose()
    elements = fix_urls(root, page.base_url, options.keep_images, _link_base(page))
    published, place = meta.published, None
    if found := _dateline(elements, best.cache):
        published = published or found[0]
        place = found[1]
    images = prepared.index["img"] if best.rung == 0 else None  # (see _lead_image)
    return Located(page, options, meta, best, published, place, images)


def _link_base(page: Page) -> str | None:
    """For a page read from a file, the web address it names as its own, if any: its relative
    links (``/wiki/Bridge``) then lead where they led on the web, instead of to files that are
    not there (which the sanitiser drops, leaving the words unlinked); None otherwise."""
    if (page.base_url or "")[:5].lower() != "file:":
        return None
    return find_web_address(page.html)


def extract(page: Page, options: ExtractOptions | None = None) -> Article:
    """The article in ``page``; raises NotAnArticleError when the page holds none."""
    return locate(page, options).article()


def extract_html(
    html: str,
    *,
    base_url: str | None = None,
    source: str | None = None,
    options: ExtractOptions | None = None,
) -> Article:
    """Extract from an HTML string: a convenience for tests and callers without a ``Page``."""
    page = Page(html=html, base_url=base_url or source, source=source, encoding="utf-8")
    return extract(page, options)


def is_probably_article(html_or_page: str | Page) -> bool:
    """A cheap pre-check (Readability's isProbablyReaderable): enough long visible paragraphs."""
    html = html_or_page.html if isinstance(html_or_page, Page) else html_or_page
    soup = parse(html).soup
    nodes: list[Tag] = []
    seen = TagSet()
    for tag in iter_tags(soup):
        candidate: Tag | None = None
        if tag.name in ("p", "pre", "article"):
            candidate = tag
        elif tag.name == "br" and tag.parent is not None and tag.parent.name == "div":
            candidate = tag.parent
        if candidate is not None and candidate not in seen:
            seen.add(candidate)
            nodes.append(candidate)
    score = 0.0
    for node in nodes:
        if not is_probably_visible(node):
            continue
        ms = match_string(node)
        if UNLIKELY_CANDIDATES.search(ms) and not MAYBE_CANDIDATE.search(ms):
            continue
        if node.name == "p" and node.find_parent("li") is not None:
            continue
        length = len(node.get_text().strip())
        if length < PROBABLY_MIN_LENGTH:
            continue
        score += (length - PROBABLY_MIN_LENGTH) ** 0.5
        if score > PROBABLY_MIN_SCORE:
            return True
    return False
