"""Stage 1, prepare: parse a small tree and make lazy pictures real.

Scripts, styles, SVG and comments are cut from the source text before parsing (JSON-LD is
harvested first), so bs4 never builds nodes for them; that is most of a modern page's bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import PageElement

from reader.core.bounded_parse import bounded_soup
from reader.core.characters import without_unsafe_markup
from reader.core.extract.dom import (
    attr,
    child_tags,
    dead,
    is_text,
    next_tag,
)
from reader.core.extract.patterns import (
    DROP_TAGS,
    IMAGE_URL,
    LAZY_SRC_ATTRS,
    LAZY_SRCSET_ATTRS,
    PLACEHOLDER_SRC,
    SETTINGS_PANEL_HINTS,
    SETTINGS_PANEL_TEXT,
    SRCSET_URL,
    LazyPattern,
)

# The tag name ends where the HTML tokenizer ends it (space, "/" or ">"), not at any \b:
# "<script<style>" is one unknown tag to a browser and to lxml, not a script.
_CUT = re.compile(
    r"<!--.*?-->|<(script|style|svg|template)(?=[\s/>])([^>]*)>(.*?)</\1\s*>",
    re.I | re.S,
)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
# A tag by one of these names hides what follows it (raw text, or dropped with its content).
_SWALLOWING = frozenset(
    [*DROP_TAGS, "textarea", "title", "xmp", "noembed", "noframes", "noscript", "plaintext"]
)
_LD_JSON = LazyPattern(r"""type\s*=\s*["']?application/ld\+json""", re.I)


@dataclass
class Prepared:
    """The parsed page and what was harvested before its scripts were dropped."""

    soup: BeautifulSoup
    json_ld: list[str]
    panels: bool = False  # the text mentions view settings ("Select font", "Kerning"...)
    index: dict[str, list[Tag]] = field(default_factory=dict)  # elements by name, see INDEXED


def cut_source(html: str) -> tuple[str, list[str]]:
    """Remove comments, scripts, styles, SVG and templates; return JSON-LD blocks aside.

    A cut never joins its two sides into new markup: ``<scr<script>x</script>ipt>`` must not
    become a live ``<script>`` that swallows the rest of the page.
    """
    json_ld: list[str] = []
    out: list[str] = []
    done = 0  # end of the last cut: the tokenizer is back in text there
    search = 0
    while (match := _CUT.search(html, search)) is not None:
        start = match.start()
        opened = html.rfind("<", done, start)
        if opened > html.rfind(">", done, start):
            name = _TAG_NAME.match(html, opened, start)
            if name and name.group(1).lower() in _SWALLOWING:
                search = start + 1  # "<script<style>": one unknown tag, as browsers read it
                continue
            # Inside a tag ("<scr<script>") or after a bare "<": a space keeps the two sides
            # apart, so "<scr" and "ipt>" cannot meet as "<script>".
            out.append(html[done:start] + " ")
        else:
            out.append(html[done:start])
        if match.group(1) and match.group(1).lower() == "script" and _LD_JSON.search(match[2]):
            json_ld.append(match.group(3))
        done = search = match.end()
    out.append(html[done:])
    return "".join(out), json_ld


def parse(html: str) -> Prepared:
    """Cut and parse ``html`` with lxml, then drop what can never be article content."""
    cut, json_ld = cut_source(html)
    # Without the characters no reader sees, as they are or spelled (reader.core.characters).
    cut = without_unsafe_markup(cut)
    soup = bounded_soup(cut)  # depth, element and children limits: see reader.core.limits
    index: dict[str, list[Tag]] = {name: [] for name in INDEXED}
    doomed: list[PageElement] = []
    for node in soup.descendants:
        if type(node) is NavigableString:
            continue  # (most nodes: told apart at once, before the isinstance tests)
        if isinstance(node, Tag):
            name = node.name
            if name in _DROP:
                doomed.append(node)
            elif name in index:
                index[name].append(node)
        elif isinstance(node, Comment):
            doomed.append(node)
    for element in doomed:
        if not dead(element):  # an ancestor may already be gone
            if isinstance(element, Tag):
                element.decompose()
            else:
                element.extract()
    for name in _PREPARED_AWAY:
        index[name] = [t for t in index[name] if not dead(t)]
    return Prepared(soup=soup, json_ld=json_ld, panels=_mentions_settings(cut), index=index)


_DROP = frozenset(DROP_TAGS)
# Elements indexed by the one pass after parsing: for this stage and for metadata.
INDEXED = ("noscript", "picture", "img", "source", "br", "font", "meta", "title", "h1", "h2")
_PREPARED_AWAY = INDEXED


def _mentions_settings(html: str) -> bool:
    """Whether the page may hold a view-settings panel (substring checks, then the pattern)."""
    if _hints_in(html) < 2:
        return False
    return len(SETTINGS_PANEL_TEXT.findall(html)) >= 2


def _hints_in(html: str) -> int:
    """How many hints ``html.lower()`` holds, without lowering text within Latin-1 as ``str``.

    ``str.lower`` takes its slow per-character path on any text beyond ASCII (7 ms for 1 MB
    with one "·"). ``bytes.lower`` on the Latin-1 bytes of such text answers alike for an ASCII
    hint (no Latin-1 character lowers to ASCII or changes length); a hint beyond Latin-1
    cannot be in it at all.
    """
    try:
        raw = html.encode("latin-1")  # a copy of the characters when all are within Latin-1
    except UnicodeEncodeError:
        low = html.lower()
        return sum(hint in low for hint in SETTINGS_PANEL_HINTS)
    low_bytes = raw.lower()
    found = sum(hint in low_bytes for hint in _ASCII_HINTS)
    if _LATIN1_HINTS:  # none today: the others are Cyrillic
        low = html.lower()
        found += sum(hint in low for hint in _LATIN1_HINTS)
    return found


_ASCII_HINTS = tuple(hint.encode("ascii") for hint in SETTINGS_PANEL_HINTS if hint.isascii())
_LATIN1_HINTS = tuple(
    hint for hint in SETTINGS_PANEL_HINTS if not hint.isascii() and max(hint) < "\u0100"
)


def _best_from_srcset(srcset: str) -> str:
    """The largest candidate of a srcset (the last one, by convention)."""
    urls = [m.group(1) for m in SRCSET_URL.finditer(srcset) if m.group(1)]
    return urls[-1].rstrip(",") if urls else ""


def fix_lazy_image(img: Tag) -> None:
    """Point ``src`` at the real picture when the page loads it lazily."""
    src = attr(img, "src").strip()
    placeholder = not src or bool(PLACEHOLDER_SRC.search(src))
    if placeholder:
        for name in LAZY_SRC_ATTRS:
            value = attr(img, name).strip()
            if value:
                img["src"] = value
                return
        for name in LAZY_SRCSET_ATTRS:
            best = _best_from_srcset(attr(img, name))
            if best:
                img["src"] = best
                return
        for name, value in list(img.attrs.items()):
            text = value if isinstance(value, str) else ""
            if name.startswith("data-") and IMAGE_URL.search(text.strip()):
                img["src"] = text.strip()
                return


def _unwrap_picture(picture: Tag) -> None:
    """Give a <picture>'s <img> a src from its <source> elements when it lacks one."""
    imgs = picture.find_all("img")
    if imgs and not attr(imgs[0], "src").strip():
        for source in picture.find_all("source"):
            best = _best_from_srcset(attr(source, "srcset") or attr(source, "data-srcset"))
            if best:
                imgs[0]["src"] = best
                break
    for source in picture.find_all("source"):
        source.unwrap()  # lxml nests the <img> inside a <source>: keep the children


def _unwrap_noscript(noscript: Tag) -> None:
    """Replace a lazy placeholder with the real picture its <noscript> copy holds."""
    imgs = noscript.find_all("img")
    if not imgs or noscript.get_text().strip():
        noscript.decompose()
        return
    prev = noscript.previous_sibling
    while prev is not None and is_text(prev) and prev.isspace():
        prev = prev.previous_sibling
    if isinstance(prev, Tag):
        placeholder: Tag | None = prev if prev.name == "img" else None
        inner = prev.find("img")
        if placeholder is None and len(child_tags(prev)) == 1 and isinstance(inner, Tag):
            placeholder = inner
        if placeholder is not None:
            alt = attr(placeholder, "alt")
            if alt and not attr(imgs[0], "alt"):
                imgs[0]["alt"] = alt
            placeholder.decompose()
    noscript.unwrap()


def fix_images(found: dict[str, list[Tag]]) -> None:
    """Noscript copies, <picture> sources and lazy attributes become plain ``<img src>``."""
    for noscript in found["noscript"]:
        if not dead(noscript) and noscript.parent is not None:
            _unwrap_noscript(noscript)
    for picture in found["picture"]:
        if not dead(picture):
            _unwrap_picture(picture)
    for img in found["img"]:
        if not dead(img):
            fix_lazy_image(img)
    for source in found["source"]:
        if not dead(source) and source.parent is not None:
            source.unwrap()


def replace_brs(soup: BeautifulSoup, brs: list[Tag]) -> None:
    """Two or more <br> in a row end a paragraph: wrap the text that follows in a <p>."""
    for br in brs:
        if dead(br) or br.parent is None:
            continue
        following = br.next_sibling
        replaced = False
        while following is not None:
            if is_text(following) and following.isspace():
                following = following.next_sibling
                continue
            if isinstance(following, Tag) and following.name == "br":
                after = following.next_sibling
                following.decompose()
                replaced = True
                following = after
                continue
            break
        if not replaced:
            continue
        para = soup.new_tag("p")
        br.replace_with(para)
        node = para.next_sibling
        while node is not None:
            if isinstance(node, Tag) and node.name == "br":
                nxt = next_tag(node)
                if nxt is not None and nxt.name == "br":
                    break
            if isinstance(node, Tag) and node.name in _BR_STOP:
                break
            after = node.next_sibling
            para.append(node.extract())
            node = after
        while para.contents and (
            (is_text(para.contents[-1]) and para.contents[-1].isspace())
            or (isinstance(para.contents[-1], Tag) and para.contents[-1].name == "br")
        ):
            para.contents[-1].extract()
        if para.parent is not None and para.parent.name == "p":
            para.parent.name = "div"


_BR_STOP = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "div",
        "dl",
        "fieldset",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)


def prepare(html: str) -> Prepared:
    """The whole stage: parse small, fix pictures, turn <br><br> runs and <font> into markup."""
    prepared = parse(html)
    found = prepared.index
    fix_images(found)
    replace_brs(prepared.soup, found["br"])
    for font in found["font"]:
        font.name = "span"
    # A <noscript> dropped above takes its <meta> or <title> with it: metadata must not see them.
    for name in INDEXED:
        found[name] = [t for t in found[name] if not dead(t)]
    return prepared
