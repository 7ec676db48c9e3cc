"""Clean article HTML to Markdown (GitHub flavour), for ``reader extract --format markdown``.

The input is the extractor's sanitised HTML, so only the allowlisted tags need a rendering; any
other tag passes its content through. Nesting is walked by recursion bounded at ``MAX_DEPTH``:
deeper subtrees come out as their plain text, so a hostile page cannot exhaust the stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from reader.core.article import Article

MAX_DEPTH = 80  # nesting beyond this is flattened to text; real articles stay far below it
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Tags that start their own Markdown block; everything else is inline content.
_BLOCKS = frozenset(
    [
        *_HEADINGS,
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "ul",
    ]
)
_SKIPPED = frozenset(["script", "style", "template", "head", "title", "noscript", "iframe"])
_WS_RE = re.compile(r"\s+")
_SPACES_RE = re.compile(r" {2,}")  # left by emphasis that had spaces inside its marks
_ESCAPE_RE = re.compile(r"([\\`*_\[\]<>|])")
# Text at the start of a block that Markdown would read as syntax.
_BLOCK_START_RE = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s)|[-=]+\s*$|~~~|(\d+)([.)])(?=\s|$))")
_HARD_BREAK = "\\\n"
_ISO_DATE_RE = re.compile(r"\d{4}-\d\d-\d\d")


def _attr(tag: Tag, name: str) -> str:
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value.strip() if isinstance(value, str) else ""


def _escape(text: str) -> str:
    return _ESCAPE_RE.sub(r"\\\1", text)


def _escape_block_start(text: str) -> str:
    """Keep a paragraph that begins like "1. " or "# " from turning into a list or heading."""
    m = _BLOCK_START_RE.match(text)
    if not m:
        return text
    if m.group(2):  # "1." -> "1\." keeps the number and stops the list
        return f"{m.group(2)}\\{m.group(3)}{text[m.end() :]}"
    return "\\" + text


def _url(url: str) -> str:
    """A link target that survives spaces and parentheses."""
    if any(c in url for c in " ()<>"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _wrap(inner: str, mark: str) -> str:
    """``**x**`` with the spaces moved outside the marks, where Markdown needs them."""
    core = inner.strip()
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{core}{mark}{trail}"


def _indent(text: str, first: str, rest: str, blank: str = "") -> str:
    """Prefix the first line with ``first``, later ones with ``rest``, empty ones with ``blank``."""
    lines = text.split("\n")
    out = [first + lines[0]]
    out.extend(rest + line if line else blank for line in lines[1:])
    return "\n".join(out)


class _Renderer:
    """Turns a parsed tree into Markdown blocks; one instance per conversion."""

    def blocks(self, parent: Tag, depth: int) -> list[str]:
        """Markdown blocks of ``parent``'s children: inline runs become paragraphs."""
        if depth > MAX_DEPTH:
            text = _WS_RE.sub(" ", parent.get_text(" ")).strip()
            return [_escape_block_start(_escape(text))] if text else []
        out: list[str] = []
        run: list[str] = []
        for child in parent.children:
            if isinstance(child, Tag) and child.name in _BLOCKS:
                self._flush(run, out)
                out.extend(self.block(child, depth + 1))
            else:
                run.append(self.inline(child, depth + 1))
        self._flush(run, out)
        return out

    @staticmethod
    def _flush(run: list[str], out: list[str]) -> None:
        text = "".join(run)
        run.clear()
        # Trim each line (hard breaks keep their backslash) and drop empty ones.
        lines = [_SPACES_RE.sub(" ", line).strip(" ") for line in text.strip().split("\n")]
        para = "\n".join(line for line in lines if line and line != "\\")
        if para.endswith("\\") and (len(para) - len(para.rstrip("\\"))) % 2:
            para = para[:-1].rstrip()  # a hard break with nothing after it
        if para:
            out.append(_escape_block_start(para))

    def block(self, tag: Tag, depth: int) -> list[str]:
        """One block element as zero or more Markdown blocks."""
        name = tag.name
        if name in _HEADINGS:
            text = self.inline_children(tag, depth).replace(_HARD_BREAK, " ")
            text = _WS_RE.sub(" ", text).strip()
            return [f"{'#' * _HEADINGS[name]} {text}"] if text else []
        if name in ("ul", "ol"):
            return self._list(tag, depth)
        if name == "blockquote":
            inner = "\n\n".join(self.blocks(tag, depth))
            return [_indent(inner, "> ", "> ", ">")] if inner else []
        if name == "pre":
            return [self._pre(tag)]
        if name == "table":
            return self._table(tag, depth)
        if name == "hr":
            return ["---"]
        if name == "dt":
            text = self.inline_children(tag, depth).strip()
            return [_wrap(text, "**")] if text else []
        return self.blocks(tag, depth)

    def _list(self, tag: Tag, depth: int) -> list[str]:
        ordered = tag.name == "ol"
        start = _attr(tag, "start")
        number = int(start) if start.lstrip("-").isdigit() else 1
        items: list[str] = []
        for child in tag.children:
            if isinstance(child, Tag) and child.name in ("ul", "ol"):  # a list nested loosely
                if items:
                    nested = "\n\n".join(self._list(child, depth + 1))
                    pad = "   " if ordered else "  "
                    items[-1] += "\n" + _indent(nested, pad, pad)
                continue
            if isinstance(child, Tag) and child.name == "li":
                body_blocks = self.blocks(child, depth + 1)
            else:
                text = self.inline(child, depth + 1).strip()
                body_blocks = [text] if text else []
            if not body_blocks:
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1 if ordered else 0
            body = _join_item(body_blocks)
            items.append(_indent(body, marker, " " * len(marker)))
        return ["\n".join(items)] if items else []

    @staticmethod
    def _pre(tag: Tag) -> str:
        text = tag.get_text().strip("\n")
        longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
        fence = "`" * (longest + 1)
        lang = ""
        code = tag.find("code")
        for cls in (_attr(code, "class") if isinstance(code, Tag) else _attr(tag, "class")).split():
            if cls.startswith(("language-", "lang-")):
                lang = cls.split("-", 1)[1]
                break
        return f"{fence}{lang}\n{text}\n{fence}"

    def _table(self, tag: Tag, depth: int) -> list[str]:
        rows: list[list[str]] = []
        header_row = False
        for tr in _own_rows(tag):
            cells: list[str] = []
            for cell in tr.find_all(("td", "th"), recursive=False):
                text = self.inline_children(cell, depth + 1)
                text = _WS_RE.sub(" ", text.replace(_HARD_BREAK, " ")).strip()
                cells.append(text)
                span = _attr(cell, "colspan")
                cells.extend([""] * (min(int(span), 50) - 1 if span.isdigit() and span else 0))
            if not rows:
                header_row = tr.find("th", recursive=False) is not None
            if any(cells):
                rows.append(cells)
        if not rows:
            return []
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if not header_row:  # GFM needs a header row: an empty one keeps the data as data
            rows.insert(0, [""] * width)
        lines = ["| " + " | ".join(r) + " |" for r in rows]
        lines.insert(1, "|" + "|".join(["---"] * width) + "|")
        caption = tag.find("caption", recursive=False)
        out = [] if not isinstance(caption, Tag) else self.blocks(caption, depth)
        return [*out, "\n".join(lines)]

    def inline_children(self, tag: Tag, depth: int) -> str:
        """Inline Markdown of all children, block children flattened to spaced text."""
        return "".join(self.inline(c, depth + 1) for c in tag.children)

    def inline(self, node: object, depth: int) -> str:
        """One inline node as Markdown text."""
        if isinstance(node, NavigableString):
            if isinstance(node, PreformattedString):  # comments, CDATA, doctypes
                return ""
            return _escape(_WS_RE.sub(" ", str(node)))
        if not isinstance(node, Tag) or node.name in _SKIPPED:
            return ""
        if depth > MAX_DEPTH:
            return _escape(_WS_RE.sub(" ", node.get_text(" ")))
        name = node.name
        if name == "br":
            return _HARD_BREAK
        if name == "img":
            src = _attr(node, "src")
            alt = _WS_RE.sub(" ", _attr(node, "alt"))
            return f"![{_escape(alt)}]({_url(src)})" if src else ""
        if name == "code":
            text = _WS_RE.sub(" ", node.get_text())
            return _code_span(text) if text.strip() else text
        inner = self.inline_children(node, depth)
        if name in ("strong", "b"):
            return _wrap(inner, "**")
        if name in ("em", "i", "cite", "dfn"):
            return _wrap(inner, "*")
        if name in ("del", "s", "strike"):
            return _wrap(inner, "~~")
        if name == "a":
            href = _attr(node, "href")
            text = inner.strip()
            if not href or (href.startswith("#") and not text):
                return inner
            return f"[{text or _escape(href)}]({_url(href)})"
        if name in _BLOCKS:  # a block inside inline content (a div in a link): keep it spaced
            return f" {inner} "
        return inner


def _own_rows(table: Tag) -> Iterable[Tag]:
    """The table's rows, not those of tables nested inside its cells."""
    for child in table.children:
        if not isinstance(child, Tag):
            continue
        if child.name == "tr":
            yield child
        elif child.name in ("thead", "tbody", "tfoot"):
            yield from (tr for tr in child.children if isinstance(tr, Tag) and tr.name == "tr")


def _join_item(blocks: list[str]) -> str:
    """A list item's blocks: a nested list hugs its text; other blocks get a blank line."""
    out = blocks[0]
    for block in blocks[1:]:
        nested = block.startswith(("- ", "1. ")) or re.match(r"\d+\. ", block)
        out += ("\n" if nested else "\n\n") + block
    return out


def html_to_markdown(html: str) -> str:
    """GitHub-flavoured Markdown for an HTML fragment or page, ending in one newline."""
    soup = BeautifulSoup(html, "lxml")
    root = soup.body if soup.body is not None else soup
    blocks = _Renderer().blocks(root, 0)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def article_to_markdown(article: Article) -> str:
    """The article as Markdown: ``# Title``, a byline and date line, then the body."""
    parts: list[str] = []
    title = _WS_RE.sub(" ", article.title).strip()
    if title:
        parts.append(f"# {_escape(title)}")
    date = article.published or ""
    if _ISO_DATE_RE.match(date):
        date = date[:10]  # the day is what a reader wants; the time zone is noise here
    meta = [
        _escape(_WS_RE.sub(" ", value).strip())
        for value in (article.byline, date)
        if value and value.strip()
    ]
    if meta:
        parts.append("*" + " · ".join(meta) + "*")
    body = html_to_markdown(article.html).strip("\n")
    if title and body.startswith(f"# {_escape(title)}"):  # the article repeats its own title
        body = body[len(f"# {_escape(title)}") :].lstrip("\n")
    if body:
        parts.append(body)
    return "\n\n".join(parts) + "\n" if parts else ""
