"""The beginning of a long article, written before the whole (Located.preview, to_html's
stop_after): the whole's first blocks, cut at a block end outside tables and closed, with the
whole's word count; the whole itself is what extract gives."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from reader.core.extract import extract_html, locate
from reader.core.extract.render import to_html
from reader.core.load import Page

SENTENCE = "the river rose through the village all night long and nobody slept"


def _paragraph(n: int) -> str:
    return f"<p>Paragraph {n}: {SENTENCE}, said the <em>keeper</em> of the mill.</p>"


def _root(body: str) -> Tag:
    root = BeautifulSoup(f"<div>{body}</div>", "lxml").find("div")
    assert isinstance(root, Tag)
    return root


def _closing(html: str) -> list[str]:
    """The end tags that close what is open at the end of ``html`` (a well-formed prefix)."""
    still_open: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-z0-9]+)[^>]*>", html):
        if closing:
            assert still_open.pop() == name
        elif name not in ("br", "img", "hr"):
            still_open.append(name)
    return still_open


def test_the_beginning_is_the_wholes_first_blocks_closed_at_the_first_block_end_past_the_mark() -> (
    None
):
    root = _root("<section>" + "".join(_paragraph(n) for n in range(200)) + "</section>")
    whole = to_html(root)
    part = to_html(root, stop_after=2000)
    cut = next(end.end() for end in re.finditer("</p>", whole) if end.end() >= 2000)
    assert part == whole[:cut] + "</section></div>"  # its first blocks, then what was open
    assert _closing(part) == []
    assert len(whole) > 10 * len(part)


def test_a_table_is_never_cut() -> None:
    rows = "".join(f"<tr><td>{n}</td><td>{SENTENCE}</td></tr>" for n in range(40))
    body = _paragraph(0) + f"<table><tbody>{rows}</tbody></table>" + _paragraph(1) + _paragraph(2)
    root = _root(body)
    part = to_html(root, stop_after=len(_paragraph(0)) + 50)  # the mark falls in the table
    assert part.endswith("</table></div>")
    assert part.count("<tr>") == 40
    assert "Paragraph 1" not in part


def test_without_a_mark_or_short_of_it_the_whole_is_written() -> None:
    root = _root("".join(_paragraph(n) for n in range(5)))
    assert to_html(root, stop_after=10**9) == to_html(root)


def _long_page(paragraphs: int) -> Page:
    body = "".join(_paragraph(n) for n in range(paragraphs))
    html = (
        "<html><head><title>A long night | The Valley News</title>"
        '<meta name="author" content="Ingrid Dahl"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>A long night</h1>{body}</article>"
        "<footer>The Valley News</footer></body></html>"
    )
    return Page(html=html, base_url=None, source="/tmp/long.html", encoding="utf-8")


def test_the_preview_has_the_wholes_fields_and_word_count_and_its_first_blocks() -> None:
    page = _long_page(600)
    located = locate(page)
    preview = located.preview(3000)
    whole = located.article()
    assert whole == extract_html(page.html, source=page.source)  # the same as extract gives
    assert preview.text == ""
    assert preview.word_count == whole.word_count > 10_000
    assert preview.reading_minutes == whole.reading_minutes
    for name in ("title", "byline", "published", "place", "lang", "dir", "excerpt", "source"):
        assert getattr(preview, name) == getattr(whole, name)
    assert 3000 <= len(preview.html) < len(whole.html) // 20
    shown = BeautifulSoup(preview.html, "lxml").get_text(" ")
    assert "Paragraph 0:" in shown
    last = max(int(n) for n in re.findall(r"Paragraph (\d+):", shown))
    assert whole.text.index(f"Paragraph {last}:") < whole.text.index(f"Paragraph {last + 1}:")
    assert f"Paragraph {last + 1}:" not in shown
