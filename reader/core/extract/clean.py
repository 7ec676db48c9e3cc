"""Stage: clean inside the article (Readability's _prepArticle): forms, share bars, furniture
headers, link lists and widgets, "read more" links, empty paragraphs; h1 becomes h2."""

from __future__ import annotations

from bs4 import Tag

from reader.core.extract.candidates import Flags, class_weight
from reader.core.extract.dom import (
    TagSet,
    TextCache,
    TextFigures,
    attr,
    child_tags,
    dead,
    has_ancestor,
    has_descendant,
    has_inner_text,
    inner_text,
    iter_tags,
    match_string,
)
from reader.core.extract.patterns import CLEAN_TAGS, HEADINGS, READ_MORE_TEXT, SHARE_ELEMENTS

SHARE_TEXT_LIMIT = 500  # a share widget with more text than this is probably not one


class _Index:
    """The article's elements by name, gathered once; removed ones are skipped on lookup."""

    def __init__(self, root: Tag) -> None:
        #: Every element under the root, in document order as gathered.
        self.in_order: list[Tag] = list(iter_tags(root))
        self.by_name: dict[str, list[Tag]] = {}
        for tag in self.in_order:
            self.by_name.setdefault(tag.name, []).append(tag)

    def __call__(self, names: str | tuple[str, ...]) -> list[Tag]:
        wanted = (names,) if isinstance(names, str) else names
        found: list[Tag] = []
        for name in wanted:
            found.extend(t for t in self.by_name.get(name, ()) if not dead(t))
        return found


def mark_data_tables(tags: _Index) -> TagSet:
    """Tables that hold data (not layout), which cleaning must keep."""
    data = TagSet()
    for table in tags("table"):
        if attr(table, "role") == "presentation" or attr(table, "datatable") == "0":
            continue
        if attr(table, "summary") or table.find(["caption", "thead", "tfoot", "th", "col"]):
            data.add(table)
            continue
        if table.find("table"):
            continue
        rows = table.find_all("tr")
        cols = max((len(r.find_all(["td", "th"], recursive=False)) for r in rows), default=0)
        if len(rows) >= 10 or cols > 4 or len(rows) * cols > 10:
            data.add(table)
    return data


def _in_data_table(node: Tag, data_tables: TagSet) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.name == "table" and parent in data_tables:
            return True
        parent = parent.parent
    return False


def clean_conditionally(
    tags: _Index, name: str, flags: Flags, cache: TextCache, data_tables: TagSet
) -> None:
    """Remove ``name`` elements that look like furniture: link-heavy, image-heavy, empty."""
    if not flags.clean_conditionally:
        return
    for node in reversed(tags(name)):
        if dead(node) or node.parent is None:
            continue
        if _should_remove(node, name, flags, cache, data_tables):
            cache.remove(node)


def _should_remove(
    node: Tag, name: str, flags: Flags, cache: TextCache, data_tables: TagSet
) -> bool:
    stats = cache.get(node)
    is_list = name in ("ul", "ol") or (stats.text > 0 and stats.listed / stats.text > 0.9)
    if name == "table" and node in data_tables:
        return False
    if (data_tables and _in_data_table(node, data_tables)) or has_ancestor(node, "code"):
        return False
    weight = class_weight(node, flags)
    if weight < 0:
        return True
    if stats.commas >= 10:
        return False
    p, img, li, inputs = stats.p, stats.img, stats.li - 100, stats.input
    heading_density = stats.heading / stats.text if stats.text else 0.0
    length = stats.text
    in_figure = has_ancestor(node, "figure")
    remove = (
        (img > 1 and p / img < 0.5 and not in_figure)
        or (not is_list and li > p)
        or (inputs > p // 3)
        or (
            not is_list
            and heading_density < 0.9
            and length < 25
            and (img == 0 or img > 2)
            and not in_figure
        )
        or (not is_list and weight < 25 and stats.link_density > 0.2)
        or (weight >= 25 and stats.link_density > 0.5)
    )
    if is_list and remove:
        if any(len(child_tags(c)) > 1 for c in child_tags(node)):
            return remove
        if img == stats.li:
            return False
    return remove


def _clean_headers(tags: _Index, flags: Flags, cache: TextCache) -> None:
    for head in tags(("h1", "h2")):
        if not dead(head) and head.parent is not None and class_weight(head, flags) < 0:
            cache.remove(head)


def _clean_share(tags: _Index, cache: TextCache) -> None:
    """Remove small share widgets, in document order. The elements gathered before cleaning
    are those of a walk now, but for the removed ones: the stages before only decompose."""
    for node in tags.in_order:
        if dead(node) or not node.attrs or node.parent is None:
            continue  # (no class or id: nothing for the share pattern to match)
        if SHARE_ELEMENTS.search(match_string(node)) and cache.get(node).text < SHARE_TEXT_LIMIT:
            cache.remove(node)


def _clean_read_more(root: Tag, tags: _Index, cache: TextCache) -> None:
    for link in tags("a"):
        if dead(link) or link.parent is None:
            continue
        if READ_MORE_TEXT.match(inner_text(link)):
            target: Tag = link
            parent: Tag | None = link.parent
            while (
                parent is not None and parent is not root and inner_text(parent) == inner_text(link)
            ):
                target, parent = parent, parent.parent
            cache.remove(target)


def _is_empty_paragraph(p: Tag) -> bool:
    return not has_inner_text(p) and not has_descendant(p, _MEDIA)


_MEDIA = frozenset(["img", "picture", "video"])


def prep_article(
    root: Tag, flags: Flags, figures: TextFigures | None = None, *, cache: TextCache | None = None
) -> TextCache:
    """Clean the gathered article in place; return its text figures, kept up to date.

    ``figures`` carries the text measurements of the passes before this one; ``cache``, the
    walk's, lends the figures of every subtree the walk left as it was built.
    """
    if cache is None:
        cache = TextCache(root, figures)
    else:
        cache.build(root, reuse=True)
    tags = _Index(root)
    data_tables = mark_data_tables(tags)
    for name in ("form", "fieldset"):
        clean_conditionally(tags, name, flags, cache, data_tables)
    for tag in tags(CLEAN_TAGS):
        if not dead(tag) and tag.parent is not None:
            cache.remove(tag)
    _clean_share(tags, cache)
    _clean_read_more(root, tags, cache)
    _clean_headers(tags, flags, cache)
    for name in ("table", "ul", "div"):
        clean_conditionally(tags, name, flags, cache, data_tables)
    for head in tags("h1"):
        head.name = "h2"
        cache.changed(head)
    for para in reversed(tags("p")):
        if not dead(para) and _is_empty_paragraph(para):
            cache.remove(para)
    for br in tags("br"):
        nxt = br.next_sibling
        while nxt is not None and not isinstance(nxt, Tag) and str(nxt).isspace():
            nxt = nxt.next_sibling
        if isinstance(nxt, Tag) and nxt.name == "p":
            cache.changed(br.parent)
            br.decompose()
    _unwrap_single_cell_tables(tags, cache)
    for head in tags(HEADINGS):
        if not dead(head) and not has_inner_text(head):
            cache.remove(head)
    return cache


def _unwrap_single_cell_tables(tags: _Index, cache: TextCache) -> None:
    for table in tags("table"):
        if dead(table) or table.parent is None:
            continue
        rows = table.find_all("tr")
        if len(rows) != 1:
            continue
        cells = rows[0].find_all(["td", "th"])
        if len(cells) != 1:
            continue
        cell = cells[0]
        inline = all(c.name not in ("p", "div", "ul", "ol", "table") for c in child_tags(cell))
        cell.name = "p" if inline else "div"
        cache.changed(cell)
        cache.changed(table.parent)
        table.replace_with(cell.extract())
