"""Stages: walk the page (drop hidden and unlikely nodes, find the byline, turn text-only divs
into paragraphs), score paragraphs into their ancestors, pick the top candidate, gather its
siblings. A port of Readability.js's _grabArticle, with the text cache instead of re-reading
text, and loops instead of recursion."""

from __future__ import annotations

from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from reader.core.extract.dom import (
    TagMap,
    TagSet,
    TextCache,
    TextFigures,
    attr,
    body_of,
    child_tags,
    has_ancestor,
    has_descendant,
    inner_text,
    is_probably_visible,
    is_text,
    iter_tags,
    match_string,
    next_node,
    walk_down,
)
from reader.core.extract.metadata import parse_dateline, text_similarity
from reader.core.extract.patterns import (
    ALTER_TO_DIV_EXCEPTIONS,
    BYLINE,
    DIV_TO_P_ELEMS,
    MAYBE_CANDIDATE,
    NEGATIVE,
    PHRASING_ELEMS,
    POSITIVE,
    SENTENCE_END,
    SETTINGS_PANEL_TEXT,
    TAGS_TO_SCORE,
    UNLIKELY_CANDIDATES,
    UNLIKELY_ROLES,
)


@dataclass(frozen=True)
class Flags:
    """One rung of the retry ladder: which strict rules are on."""

    strip_unlikely: bool = True
    weight_classes: bool = True
    clean_conditionally: bool = True


LADDER = (
    Flags(),
    Flags(strip_unlikely=False),
    Flags(strip_unlikely=False, weight_classes=False),
    Flags(strip_unlikely=False, weight_classes=False, clean_conditionally=False),
)


@dataclass
class Walk:
    """What the walk found besides the tree changes."""

    to_score: list[Tag] = field(default_factory=list)
    byline: str | None = None
    title_pending: bool = True  # the heading that repeats the title is not yet removed
    dir: str | None = None  # the text direction the article sits in (see _direction)


def class_weight(node: Tag, flags: Flags) -> int:
    """+25/-25 for article-like or furniture-like class and id."""
    if not flags.weight_classes:
        return 0
    weight = 0
    cls, ident = attr(node, "class"), attr(node, "id")
    for value in (cls, ident):
        if value:
            if NEGATIVE.search(value):
                weight -= 25
            if POSITIVE.search(value):
                weight += 25
    return weight


def _is_phrasing(node: object) -> bool:
    if is_text(node):
        return True
    if not isinstance(node, Tag):
        return False
    if node.name in PHRASING_ELEMS:
        return True
    if node.name in ("a", "del", "ins"):
        return all(_is_phrasing(c) for c in node.contents if isinstance(c, Tag) or is_text(c))
    return False


def _is_without_content(node: Tag, cache: TextCache) -> bool:
    if cache.get(node).text:
        return False
    kids = child_tags(node)
    return not kids or all(k.name in ("br", "hr") for k in kids)


def _wrap_phrasing(soup: BeautifulSoup, div: Tag) -> bool:
    """Put runs of inline content directly inside a div into paragraphs; True if any."""
    para: Tag | None = None
    wrapped = False
    for child in list(div.contents):
        if _is_phrasing(child):
            if para is not None:
                para.append(child.extract())
            elif not (is_text(child) and child.isspace()):
                para = soup.new_tag("p")
                child.insert_before(para)
                para.append(child.extract())
                wrapped = True
        elif para is not None:
            while para.contents and is_text(para.contents[-1]) and para.contents[-1].isspace():
                para.contents[-1].extract()
            para = None
    return wrapped


_PANEL_TAGS = frozenset(["div", "section", "header", "ul", "table", "form", "aside", "p"])


def _is_settings_panel(node: Tag, cache: TextCache) -> bool:
    """A view-settings panel: short, and says "select font", "kerning", "font size"..."""
    if cache.get(node).text >= PANEL_TEXT_LIMIT:
        return False
    return len(SETTINGS_PANEL_TEXT.findall(node.get_text(" "))) >= 2


PANEL_TEXT_LIMIT = 600  # a settings panel is a few short rows of options


def walk(
    soup: BeautifulSoup,
    flags: Flags,
    title: str,
    cache: TextCache,
    panels: bool = True,
    *,
    byline: str | None = None,
) -> Walk:
    """One pass over the page: remove what cannot be article, note what to score.

    ``panels`` says whether the page's text mentions view settings at all, so the costlier
    settings-panel test runs only on pages that may have one.
    """
    # A byline the page's metadata already gives: the element that shows it stays in the
    # article, as Readability keeps it; only a byline found nowhere else is taken out of it.
    found = Walk(byline=byline)
    node: Tag | None = body_of(soup)
    while node is not None:
        if _should_drop(node, flags=flags, title=title, panels=panels, found=found, cache=cache):
            node = _remove_and_next(node, cache)
            continue
        if node.name in TAGS_TO_SCORE:
            found.to_score.append(node)
        if node.name == "div":
            node = _div_to_paragraphs(soup, node, found, cache)
        node = next_node(node)
    return found


def _should_drop(
    node: Tag, *, flags: Flags, title: str, panels: bool, found: Walk, cache: TextCache
) -> bool:
    """Hidden, a dialog, the byline, the title repeated, furniture, a settings panel, empty."""
    name = node.name
    # An element without attributes is visible, no dialog, no byline and no furniture by class,
    # id or role: only the title, panel and emptiness rules can drop it (most elements).
    attributed = bool(node.attrs)
    ms = match_string(node) if attributed else " "
    if attributed and (
        not is_probably_visible(node)
        or (attr(node, "aria-modal") == "true" and attr(node, "role") == "dialog")
    ):
        return True
    if attributed and found.byline is None and _is_byline(node, ms):
        found.byline = _byline_text(node)
        return True
    if (
        found.title_pending
        and name in ("h1", "h2")
        and title
        and text_similarity(title, inner_text(node)) > 0.75
    ):
        found.title_pending = False
        return True
    if (
        attributed
        and flags.strip_unlikely
        and name not in ("body", "a", "html")
        and (
            (
                UNLIKELY_CANDIDATES.search(ms)
                and not MAYBE_CANDIDATE.search(ms)
                and not has_ancestor(node, ("table", "code"))
            )
            or attr(node, "role") in UNLIKELY_ROLES
        )
    ):
        return True
    if panels and name in _PANEL_TAGS and _is_settings_panel(node, cache):
        return True
    return name in _EMPTY_DROPPED and _is_without_content(node, cache)


_EMPTY_DROPPED = frozenset(["div", "section", "header", "h1", "h2", "h3", "h4", "h5", "h6"])


def _div_to_paragraphs(soup: BeautifulSoup, node: Tag, found: Walk, cache: TextCache) -> Tag:
    """Inline runs become paragraphs; a div around one paragraph or no blocks becomes one."""
    if _wrap_phrasing(soup, node):
        cache.changed(node)
    kids = child_tags(node)
    if (
        len(kids) == 1
        and kids[0].name == "p"
        and not any(is_text(c) and not c.isspace() for c in node.contents)
        and _link_density(node) < 0.25
    ):
        only = kids[0]
        cache.changed(node.parent)
        node.replace_with(only.extract())
        found.to_score.append(only)
        return only
    if not has_descendant(node, DIV_TO_P_ELEMS):
        node.name = "p"
        cache.changed(node)
        found.to_score.append(node)
    return node


def _link_density(node: Tag) -> float:
    total = len(inner_text(node))
    if not total:
        return 0.0
    # a link inside a link (unclosed <a> tags) would count the same text again and again
    links = sum(
        len(inner_text(a))
        for a in iter_tags(node)
        if a.name == "a" and not has_ancestor(a, "a", max_depth=0)
    )
    return links / total


def _remove_and_next(node: Tag, cache: TextCache) -> Tag | None:
    following = next_node(node, skip_children=True)
    cache.remove(node)
    return following


def _byline_text(node: Tag) -> str:
    """The author's name: a descendant marked itemprop=name if any, else the whole text."""
    for child in walk_down(node):
        if isinstance(child, Tag) and "name" in attr(child, "itemprop"):
            return child.get_text().strip()
    return node.get_text().strip()


def _is_byline(node: Tag, ms: str) -> bool:
    rel, itemprop = attr(node, "rel"), attr(node, "itemprop")
    if rel == "author" or "author" in itemprop or BYLINE.search(ms):
        text = inner_text(node)
        return 0 < len(text) < 100
    return False


def _initial_score(node: Tag, flags: Flags) -> float:
    base = {
        "div": 5,
        "pre": 3,
        "td": 3,
        "blockquote": 3,
        "address": -3,
        "ol": -3,
        "ul": -3,
        "dl": -3,
        "dd": -3,
        "dt": -3,
        "li": -3,
        "form": -3,
        "h1": -5,
        "h2": -5,
        "h3": -5,
        "h4": -5,
        "h5": -5,
        "h6": -5,
        "th": -5,
    }.get(node.name, 0)
    return base + class_weight(node, flags)


def score(to_score: list[Tag], cache: TextCache, flags: Flags) -> TagMap[float]:
    """Give each paragraph's score to its five nearest ancestors, less the further up."""
    scores: TagMap[float] = TagMap()
    items = scores._items  # the TagMap's own store: one look-up and one write per ancestor
    for elem in to_score:
        if elem.parent is None or elem.parent.name is None or elem.parent.name == "[document]":
            continue
        stats = cache.get(elem)
        if stats.text < 25:
            continue
        ancestors: list[Tag] = []
        parent: Tag | None = elem.parent
        while parent is not None and len(ancestors) < 5 and parent.name != "[document]":
            ancestors.append(parent)
            parent = parent.parent
        if not ancestors:
            continue
        content = 1 + (stats.commas + 1) + min(stats.text // 100, 3)
        for level, anc in enumerate(ancestors):
            key = id(anc)
            known = items.get(key)
            start = _initial_score(anc, flags) if known is None else known[1]
            divider = 1 if level == 0 else 2 if level == 1 else level * 3
            items[key] = (anc, start + content / divider)
    for node in scores.tags():
        scores[node] *= 1 - cache.get(node).link_density
    return scores


def _ancestors(node: Tag) -> TagSet:
    out = TagSet()
    parent = node.parent
    while parent is not None:
        out.add(parent)
        parent = parent.parent
    return out


def top_candidate(
    soup: BeautifulSoup, scores: TagMap[float], flags: Flags, n: int
) -> tuple[Tag, bool]:
    """The best-scoring element, moved up to a common ancestor when the runners-up agree."""
    ranked = sorted(scores.tags(), key=lambda t: scores[t], reverse=True)[:n]
    top = ranked[0] if ranked else None
    body = body_of(soup)
    if top is None or top.name in ("body", "html"):
        div = soup.new_tag("div")
        for child in list(body.contents):
            div.append(child.extract())
        body.append(div)
        scores[div] = _initial_score(div, flags)
        return div, True
    top_score = scores[top]
    alternatives = [_ancestors(c) for c in ranked[1:] if scores[c] >= 0.75 * top_score]
    if len(alternatives) >= 3:
        parent = top.parent
        while parent is not None and parent.name not in ("body", "html", "[document]"):
            if sum(parent in a for a in alternatives) >= 3:
                top = parent
                break
            parent = parent.parent
    if top not in scores:
        scores[top] = _initial_score(top, flags)
    last = scores[top]
    threshold = last / 3
    parent = top.parent
    while parent is not None and parent.name not in ("body", "html", "[document]"):
        if parent not in scores:
            parent = parent.parent
            continue
        if scores[parent] < threshold:
            break
        if scores[parent] > last:
            top = parent
            break
        last = scores[parent]
        parent = parent.parent
    parent = top.parent
    while (
        parent is not None
        and parent.name not in ("body", "html", "[document]")
        and len(child_tags(parent)) == 1
    ):
        top = parent
        parent = top.parent
    if top not in scores:
        scores[top] = _initial_score(top, flags)
    return top, False


def _is_lead_or_dateline(sibling: Tag, text: str, link_density: float) -> bool:
    return (sibling.name == "p" and link_density == 0 and 0 < len(text) < 80) and parse_dateline(
        text
    ) is not None


def gather(soup: BeautifulSoup, top: Tag, scores: TagMap[float], cache: TextCache) -> Tag:
    """The top candidate with the siblings that look like more of the same article."""
    article = soup.new_tag("div")
    top_score = scores[top]
    threshold = max(10.0, top_score * 0.2)
    parent = top.parent
    siblings = child_tags(parent) if parent is not None else [top]
    top_class = attr(top, "class")
    for sib in siblings:
        append = sib is top
        if not append:
            bonus = top_score * 0.2 if top_class and attr(sib, "class") == top_class else 0.0
            if sib in scores and scores[sib] + bonus >= threshold:
                append = True
            elif sib.name == "p":
                stats = cache.get(sib)
                text = inner_text(sib)
                density = stats.link_density
                if (
                    (len(text) > 80 and density < 0.25)
                    or (0 < len(text) < 80 and density == 0 and SENTENCE_END.search(text))
                    or _is_lead_or_dateline(sib, text, density)
                ):
                    append = True
        if append:
            if sib.name not in ALTER_TO_DIV_EXCEPTIONS:
                sib.name = "div"
                cache.changed(sib)
            cache.changed(sib.parent)
            article.append(sib.extract())
    return article


def find_article(
    soup: BeautifulSoup,
    flags: Flags,
    title: str,
    n_top: int,
    panels: bool = True,
    *,
    figures: TextFigures | None = None,
    cache: TextCache | None = None,
    byline: str | None = None,
) -> tuple[Tag, Walk]:
    """Walk, score, pick and gather: the article's raw subtree (still to be cleaned).

    ``figures`` carries the text measurements of earlier passes over the same page; ``cache``,
    when given, is the body's text cache, handed on to the cleaning stage afterwards;
    ``byline``, the page's metadata byline (see walk).
    """
    # One bottom-up pass serves the walk (emptiness, panel size) and then the scoring: the
    # walk only removes subtrees (kept in step) and regroups text under the same ancestors.
    if cache is None:
        cache = TextCache(body_of(soup), figures)
    found = walk(soup, flags, title, cache, panels, byline=byline)
    scores = score(found.to_score, cache, flags)
    top, created = top_candidate(soup, scores, flags, n_top)
    if created:  # the body's children moved into a new <div>
        cache.changed(top)
    found.dir = _direction(top)
    return gather(soup, top, scores, cache), found


def _direction(top: Tag) -> str | None:
    """The ``dir`` nearest the top candidate, as Readability looks for it: on its parent, on
    itself, then up the parent's ancestors (``<body dir="rtl">`` under ``<html dir="ltr">``
    is right to left)."""
    parent = top.parent
    nodes: list[Tag] = [parent, top] if isinstance(parent, Tag) else [top]
    ancestor = parent.parent if isinstance(parent, Tag) else None
    while isinstance(ancestor, Tag):
        nodes.append(ancestor)
        ancestor = ancestor.parent
    for node in nodes:
        value = attr(node, "dir").strip().lower()
        if value:
            return value
    return None


__all__ = ["LADDER", "Flags", "class_weight", "find_article", "has_ancestor"]
