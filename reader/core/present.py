"""The HTML the article view shows: a header (title, byline, date and place, reading time)
and the already-sanitised body, with pictures kept, or replaced by their alt text.

Plain Python so the view only hands an :class:`Article` over and shows what comes back. The style
sheet for the classes this HTML uses (``p.meta``, ``span.alt``) lives here too, beside the markup
it styles, so renaming a class is a change to one file.
"""

from __future__ import annotations

import functools
import math
import re
from datetime import datetime
from pathlib import Path

from reader.core.article import Article
from reader.core.html_names import PART_ENDS, START_TAG_ATTRIBUTE, VOID_ELEMENTS
from reader.core.urls import absolute_url, local_file_path

# html.escape's replacements, without importing the html module: its import loads the 2,231
# named entities of html.entities (~10M instructions, ~2.5 ms of every start before the first
# paint), which only unescaping needs (see _unescape).
_ESCAPE_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def _escape(text: str, *, quote: bool = True) -> str:
    """Exactly ``html.escape(text, quote)``."""
    return text.translate(_ESCAPE if quote else _ESCAPE_TEXT)


def _unescape(text: str) -> str:
    """Exactly ``html.unescape(text)``; the html module is imported only for a text that has a
    character reference in it."""
    if "&" not in text:
        return text
    import html

    return html.unescape(text)


# Pictures are read off the body with the HTML start-tag syntax itself rather than a parser:
# loading lxml into the window's process cost ~30 ms of every start. A value may be in double
# quotes, single quotes or none, and a quoted value may hold ">" (our sanitiser's output, the
# usual body, always double-quotes and escapes it).
_IN_TAG = r"""((?:[^>"']|"[^"]*"|'[^']*')*)"""  # a start tag's attributes, quotes and all
_IMG_TAG = re.compile(rf"<img\b{_IN_TAG}>", re.I)
_SIZE_ATTRIBUTES = frozenset({"width", "height"})
# Block elements the sanitiser keeps but Qt's rich text does not know: it would run them inline,
# so a figure's picture joined the paragraph before it, spaced like a line of that paragraph.
_QT_BLOCKS = {
    "figure": "div",
    "figcaption": "p",
    "section": "div",
    "details": "div",
    "summary": "p",
}
_UNKNOWN_BLOCK_TAG = re.compile(r"<(/?)(" + "|".join(_QT_BLOCKS) + r")\b", re.I)
_PRE_START = re.compile("<pre", re.I)


@functools.cache
def _pre_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A <pre> element; inside it, a tag or comment (kept as written: an attribute value may
    hold a line break) or a line break; and a last <br> before closing tags only. Compiled for
    the first article with preformatted text (~0.5 ms), not at every start. (A <pre> nested in
    another, which HTML allows and pages next to never have, ends the match: the outer one's
    tail keeps a block per line, as before.)"""
    return (
        re.compile(rf"(<pre\b{_IN_TAG}>)(.*?)(</pre\s*>)", re.I | re.S),
        re.compile(rf"({_ANY_TAG.pattern})|\r?\n", re.S),
        re.compile(r"<br>((?:</[a-zA-Z][a-zA-Z0-9]*\s*>)*)\Z"),
    )


# A long article is shown in two steps (first_part): a first part for the first paint, then
# the whole. Setting 1 MB of HTML in a QTextDocument and formatting its blocks takes ~150 ms.
LONG_DOCUMENT_CHARS = 150_000
# ~14,000 characters of text: 2 screenfuls at 100% on a 2160 px tall screen, 8 in the default
# window; the whole follows right after the first paint. Each 1,000 characters more cost the
# first paint ~2M instructions (30,000 cost a cold 1 MB start ~28M more, bench/gui.py).
FIRST_PART_CHARS = 16_000
_ANY_TAG = re.compile(rf"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*){_IN_TAG}>", re.S)


def format_date(published: str | None) -> str | None:
    """ISO date or date-time as "5 December 2002"; anything else is shown as given."""
    if not published:
        return None
    try:
        when = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return published
    return f"{when.day} {when:%B %Y}"


def progress(fraction: float, minutes: int) -> str:
    """ "42% read · about 3 minutes left": ``fraction`` of the article is above the view's
    bottom, in an article of ``minutes`` to read (the header's reading time)."""
    if fraction >= 1:
        return "End of the article"
    fraction = max(0.0, fraction)
    read = f"{math.floor(fraction * 100)}% read"
    left = math.ceil(minutes * (1 - fraction))
    if minutes <= 0 or left <= 0:
        return read
    return f"{read} · about {left} minute{'' if left == 1 else 's'} left"


def reading_time(minutes: int) -> str | None:
    """ "About 4 minutes to read" (None for an empty article)."""
    if minutes <= 0:
        return None
    return "About 1 minute to read" if minutes == 1 else f"About {minutes} minutes to read"


def header_html(article: Article) -> str:
    """Title, byline, date and place, and reading time, each escaped."""
    parts = [f"<h1>{_escape(article.title or 'Untitled article')}</h1>"]
    meta: list[str] = []
    if article.byline and not _opens_with(article, article.byline):
        meta.append(_escape(article.byline))
    when = ", ".join(x for x in (format_date(article.published), article.place) if x)
    if when:
        meta.append(_escape(when))
    if article.site_name and _folded(article.site_name) != _folded(article.byline or ""):
        meta.append(_escape(article.site_name))  # not twice: "BBC News" is often both
    if minutes := reading_time(article.reading_minutes):
        meta.append(minutes)
    if meta:
        parts.append(f'<p class="meta">{"<br/>".join(meta)}</p>')
    parts.append("<hr/>")
    return "\n".join(parts)


OPENING_CHARS = 300  # the article's first lines, where a page shows its byline


def _opens_with(article: Article, words: str) -> bool:
    """The article's first lines already say ``words``: a byline the page shows ("By Maria
    Holm, culture reporter"), kept in the article as Readability keeps it when the metadata
    names the author too. The header need not say it again (nor a screen reader twice)."""
    if article.text:
        start = article.text[:OPENING_CHARS]
    else:  # a long article's first part comes without its text
        shown = _unescape(_ANY_TAG.sub(" ", article.html[: OPENING_CHARS * 4]))
        start = " ".join(shown.split())[:OPENING_CHARS]
    return _folded(words) in _folded(start)


def _folded(text: str) -> str:
    """``text`` compared as a reader sees it: case and runs of white space ignored."""
    return " ".join(text.split()).casefold()


def is_local_picture(src: str, base_url: str | None) -> bool:
    """True when a picture can be shown without the network: data:, or a file here that is
    there. A page saved without its pictures (or naming them from its site's root) shows
    their alt text, as for a picture on the web, rather than a blank where each one was."""
    resolved = absolute_url(base_url, src)
    if resolved[:5].lower() == "data:":
        return True
    path = local_file_path(resolved)
    try:
        return path is not None and path.is_file()
    except OSError:  # a name too long for the file system, say
        return False


def prepare_body(body: str, *, images: bool, base_url: str | None) -> str:
    """Body HTML for the view: each picture that is off, or remote, becomes its alt text.

    Width and height attributes go too: the view fits each picture to the column itself.
    """
    if "<img" not in body.lower():
        return body

    def picture(m: re.Match[str]) -> str:
        attributes = [
            (name.lower(), _unescape(double or single or bare))
            for name, double, single, bare in START_TAG_ATTRIBUTE.findall(m[1])
        ]
        found: dict[str, str] = {}
        for name, value in attributes:
            found.setdefault(name, value)  # as HTML: the first of a repeated attribute counts
        src = found.get("src", "")
        if images and src and is_local_picture(src, base_url):
            kept = "".join(
                f' {name}="{_escape(value)}"'
                for name, value in attributes
                if name not in _SIZE_ATTRIBUTES
            )
            return f"<img{kept}>"
        alt = found.get("alt", "").strip()
        label = f"[Picture: {alt}]" if alt else "[Picture]"
        return f'<span class="alt">{_escape(label, quote=False)}</span>'

    return _IMG_TAG.sub(picture, body)


def base_url_of(article: Article) -> str | None:
    """The URL relative links and pictures resolve against: the page URL or the file's URI."""
    if not article.source:
        return None
    if "://" in article.source:
        return article.source
    return Path(article.source).resolve().as_uri()


def as_qt_blocks(body: str) -> str:
    """``body`` with the block elements Qt does not know written as ones it does, and each
    ``<pre>`` as one block: Qt makes a block of each of its lines, and the view spaces blocks
    as paragraphs, so code read double-spaced with a paragraph's gap after every line. Its
    line breaks become ``<br>`` (a line break within the block); spaces are kept."""
    body = _UNKNOWN_BLOCK_TAG.sub(lambda m: f"<{m[1]}{_QT_BLOCKS[m[2].lower()]}", body)
    if _PRE_START.search(body) is None:
        return body
    return _pre_patterns()[0].sub(_pre_as_one_block, body)


def _pre_as_one_block(pre: re.Match[str]) -> str:
    _, tag_or_newline, last_break = _pre_patterns()
    inner = pre[3]
    if inner.startswith(("\r\n", "\n")):  # dropped by HTML parsers, Qt's too
        inner = inner[inner.index("\n") + 1 :]
    inner = tag_or_newline.sub(lambda m: m[1] or "<br>", inner)
    # The line break that ends the last line (before </code></pre>, say) starts no new line
    # in a browser; in Qt a <br> there would add an empty one.
    return pre[1] + last_break.sub(r"\1", inner, count=1) + pre[4]


_NO_BREAK_SPACE = re.compile(r"&nbsp;|&#0*160;|&#[xX]0*[aA]0;|\xa0")
_TABLE_TAG = re.compile(r"<(/?)table\b", re.I)


def breakable_tables(body: str) -> str:
    """``body`` with the no-break spaces inside its tables made plain spaces. A page joins a
    cell's words with them to keep a label on one line in its own wide layout; in the
    reader's column a table's words must wrap between them, or the table breaks a word in two
    ("Technology GUI Ox|yd") where it has no room for the joined words (see the view's
    fitting of tables). The text outside tables keeps them ("10 km" stays on one line)."""
    if "<table" not in body:  # (the sanitiser writes tag names in lower case) 0.1 ms a MB
        return body
    parts: list[str] = []
    depth = done = 0
    for tag in _TABLE_TAG.finditer(body):
        if not tag[1]:  # <table
            if depth == 0:
                parts.append(body[done : tag.start()])
                done = tag.start()
            depth += 1
        elif depth > 0:  # </table>
            depth -= 1
            if depth == 0:
                end = body.find(">", tag.end()) + 1 or len(body)
                parts.append(_NO_BREAK_SPACE.sub(" ", body[done:end]))
                done = end
    rest = body[done:]
    parts.append(_NO_BREAK_SPACE.sub(" ", rest) if depth > 0 else rest)
    return "".join(parts)


def document_html(article: Article, *, images: bool) -> str:
    """The whole page for the view, with an explicit body so the default stylesheet applies."""
    body = prepare_body(article.html, images=images, base_url=base_url_of(article))
    body = breakable_tables(as_qt_blocks(body))
    attrs = ""
    if article.lang:
        attrs += f' lang="{_escape(article.lang)}"'
    if article.dir in ("ltr", "rtl"):
        attrs += f' dir="{article.dir}"'
    return f"<html><body><div{attrs}>\n{header_html(article)}\n{body}\n</div></body></html>"


def first_part(document: str, min_chars: int = FIRST_PART_CHARS) -> str | None:
    """The beginning of a long ``document`` (see :func:`document_html`) to show first: up to
    the end of the first block that ends past ``min_chars``, with the elements still open
    there closed (never inside a table, whose columns Qt sizes from all its rows), so it
    lays out as the top of the whole does. None for a document shorter than
    LONG_DOCUMENT_CHARS, or with no block end after ``min_chars``."""
    if len(document) <= LONG_DOCUMENT_CHARS:
        return None
    still_open: list[str] = []
    for tag in _ANY_TAG.finditer(document):
        if tag[2] is None:  # a comment
            continue
        closing, name = tag[1], tag[2].lower()
        if name in VOID_ELEMENTS or tag[3].rstrip().endswith("/"):
            continue
        if not closing:
            still_open.append(name)
            continue
        if name in still_open:
            while still_open.pop() != name:
                pass
        # Qt sizes a table's columns from all its rows: a table is cut whole or not at all.
        if tag.end() >= min_chars and name in PART_ENDS and "table" not in still_open:
            return document[: tag.end()] + "".join(f"</{t}>" for t in reversed(still_open))
    return None


def style_sheet(border: str) -> str:
    """The view's default stylesheet; ``border`` is the scheme's border colour for tables.

    Preformatted text keeps its spaces and line breaks but wraps its long lines, as Firefox's
    Reader View does: a line of code or an RFC's 72 columns must not make the reader scroll
    sideways at a large size. A table keeps 1 px from each side of the column, where Qt draws
    the outer half of its collapsed borders, so a table as wide as the column stays inside it.
    """
    return f"""
h1 {{ font-weight: bold; }}
p.meta {{ margin-top: 0; margin-bottom: 0; }}
span.alt {{ font-style: normal; font-weight: bold; }}
pre {{ white-space: pre-wrap; }}
table {{ border-collapse: collapse; margin: 8px 1px; }}
th, td {{ border: 1px solid {border}; padding: 6px 12px; }}
th {{ font-weight: bold; text-align: left; }}
"""
