"""The view's HTML, built in the core: header, pictures kept or as alt text, the whole page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core import present
from reader.core.article import Article
from reader.core.present import (
    as_qt_blocks,
    base_url_of,
    document_html,
    format_date,
    header_html,
    is_local_picture,
    prepare_body,
    reading_time,
    style_sheet,
)
from reader.core.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("2002-12-05", "5 December 2002"),
        ("2024-03-01T08:30:00Z", "1 March 2024"),
        ("2024-03-01T08:30:00+02:00", "1 March 2024"),
        ("last Tuesday", "last Tuesday"),
        (None, None),
        ("", None),
    ],
)
def test_format_date(published: str | None, shown: str | None) -> None:
    assert format_date(published) == shown


@pytest.mark.parametrize(
    ("minutes", "said"),
    [(0, None), (-1, None), (1, "About 1 minute to read"), (4, "About 4 minutes to read")],
)
def test_reading_time(minutes: int, said: str | None) -> None:
    assert reading_time(minutes) == said


def test_header_escapes_every_field_and_joins_the_meta_lines() -> None:
    article = Article(
        title="Bridges <&> boats",
        byline="By <b>Ann</b>",
        published="2002-12-05",
        place="Bishkek",
        site_name="The Harbour & Co",
        reading_minutes=3,
    )
    assert header_html(article) == (
        "<h1>Bridges &lt;&amp;&gt; boats</h1>\n"
        '<p class="meta">By &lt;b&gt;Ann&lt;/b&gt;<br/>5 December 2002, Bishkek<br/>'
        "The Harbour &amp; Co<br/>About 3 minutes to read</p>\n<hr/>"
    )


def test_header_names_a_site_that_is_also_the_byline_once() -> None:
    article = Article(title="T", byline="BBC News", site_name="BBC  news", reading_minutes=0)
    assert header_html(article) == '<h1>T</h1>\n<p class="meta">BBC News</p>\n<hr/>'
    article = Article(title="T", byline="Ann Lee", site_name="BBC News", reading_minutes=0)
    assert header_html(article) == '<h1>T</h1>\n<p class="meta">Ann Lee<br/>BBC News</p>\n<hr/>'


@pytest.mark.parametrize("with_text", [True, False])  # a long article's first part has no text
def test_header_leaves_out_a_byline_the_article_opens_with(with_text: bool) -> None:
    """The page's own byline line stays in the article when its metadata names the author
    (as Readability keeps it): the header does not say the name a second time."""
    html = "<p>By Maria Holm, culture reporter</p><p>For six weeks this autumn&hellip;</p>"
    text = "By Maria Holm, culture reporter\n\nFor six weeks this autumn…"
    article = Article(
        title="T", byline="Maria  HOLM", html=html, text=text if with_text else "", word_count=400
    )
    assert "Maria" not in header_html(article)
    later = f"<p>{'Words of the article. ' * 40}</p><p>Maria Holm</p>"
    far = Article(title="T", byline="Maria Holm", html=later, text="" if not with_text else later)
    assert "Maria Holm" in header_html(far)  # only far into it: the header names her


def test_header_of_a_bare_article_has_a_title_and_no_meta() -> None:
    assert header_html(Article(reading_minutes=0)) == "<h1>Untitled article</h1>\n<hr/>"


@pytest.mark.parametrize(
    ("src", "base", "local"),
    [
        ("data:image/png;base64,AAAA", None, True),
        ("pic.png", "{here}/page.html", True),
        ("pics/my%20pic.png", "{here}/page.html", True),
        (" FILE://{here}/pic.png", None, True),
        ("file://localhost{here}/pic.png", None, True),
        ("missing.png", "{here}/page.html", False),  # saved without its pictures
        ("/static/pic.png", "{here}/page.html", False),  # named from its site's root
        ("pics", "{here}/page.html", False),  # a folder
        ("pic.png", "https://example.org/a/", False),
        ("https://example.org/pic.png", "{here}/page.html", False),
        ("pic.png", None, False),
        ("//upload.example.org/a.png", "{here}/page.html", False),
        ("file://upload.example.org/a.png", None, False),  # kept by an older extraction
    ],
)
def test_is_local_picture(src: str, base: str | None, local: bool, tmp_path: Path) -> None:
    (tmp_path / "pic.png").write_bytes(b"\x89PNG")
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "my pic.png").write_bytes(b"\x89PNG")
    here = tmp_path.as_uri().removeprefix("file://")
    base = base.replace("{here}", "file://" + here) if base else None
    assert is_local_picture(src.replace("{here}", here), base) is local


def test_body_without_pictures_is_returned_as_given() -> None:
    body = "<p>Tea &amp; <em>cake</em></p>"
    assert prepare_body(body, images=True, base_url=None) is body


def test_remote_pictures_become_their_alt_text_and_local_ones_lose_their_size() -> None:
    body = (
        'Lead &lt;text&gt; <p>A <img src="https://example.org/a.png" alt=" Harbour "> tail</p>'
        '<p><img src="data:image/png;base64,AAAA" width="900" height="600" alt="x"></p>'
        '<p><img src="https://example.org/b.png">after</p>'
    )
    out = prepare_body(body, images=True, base_url="https://example.org/")
    assert out == (
        "Lead &lt;text&gt; "
        '<p>A <span class="alt">[Picture: Harbour]</span> tail</p>'
        '<p><img src="data:image/png;base64,AAAA" alt="x"></p>'
        '<p><span class="alt">[Picture]</span>after</p>'
    )


def test_pictures_off_turns_local_pictures_into_alt_text_too() -> None:
    body = '<p><img src="data:image/png;base64,AAAA" alt="Map"></p>'
    out = prepare_body(body, images=False, base_url=None)
    assert out == '<p><span class="alt">[Picture: Map]</span></p>'


def test_base_url_is_the_page_url_or_the_files_uri(tmp_path: Path) -> None:
    assert base_url_of(Article(source="https://example.org/a")) == "https://example.org/a"
    assert base_url_of(Article(source=None)) is None
    page = tmp_path / "page.html"
    assert base_url_of(Article(source=str(page))) == page.resolve().as_uri()


def test_document_carries_language_and_a_known_direction_only() -> None:
    html = document_html(
        Article(title="T", html="<p>Body</p>", lang='ar"x', dir="rtl", reading_minutes=0),
        images=True,
    )
    assert html == (
        '<html><body><div lang="ar&quot;x" dir="rtl">\n'
        "<h1>T</h1>\n<hr/>\n<p>Body</p>\n</div></body></html>"
    )
    sideways = document_html(Article(title="T", dir="sideways"), images=True)
    assert "dir=" not in sideways


def test_document_resolves_pictures_against_the_articles_source(tmp_path: Path) -> None:
    article = Article(html='<p><img src="pic.png" alt="P"></p>', source=str(tmp_path / "a.html"))
    assert '<span class="alt">[Picture: P]</span>' in document_html(article, images=True)
    (tmp_path / "pic.png").write_bytes(b"\x89PNG")  # the picture saved beside the page
    assert '<img src="pic.png" alt="P">' in document_html(article, images=True)
    web = Article(html=article.html, source="https://example.org/a.html")
    assert '<span class="alt">[Picture: P]</span>' in document_html(web, images=True)


def test_style_sheet_borders_tables_in_the_colour_given() -> None:
    css = style_sheet("#767676")
    assert "th, td { border: 1px solid #767676; padding: 6px 12px; }" in css
    assert "span.alt {" in css


def _oracle(body: str, *, images: bool, base_url: str | None) -> list[tuple[str, ...]]:
    """What prepare_body must do, done with an HTML parser: each picture in document order as
    ("img", src, alt, size attributes left) or ("alt", label)."""
    import lxml.html

    root = lxml.html.fragment_fromstring(body, create_parent="div")
    out: list[tuple[str, ...]] = []
    for img in root.iter("img"):
        src = img.get("src") or ""
        if images and src and is_local_picture(src, base_url):
            out.append(("img", src, img.get("alt") or "", ""))
        else:
            alt = (img.get("alt") or "").strip()
            out.append(("alt", f"[Picture: {alt}]" if alt else "[Picture]"))
    return out


def _shown(html_text: str) -> list[tuple[str, ...]]:
    import lxml.html

    root = lxml.html.fragment_fromstring(html_text, create_parent="div")
    out: list[tuple[str, ...]] = []
    for node in root.iter("img", "span"):
        if node.tag == "img":
            size = " ".join(a for a in ("width", "height") if node.get(a) is not None)
            out.append(("img", node.get("src") or "", node.get("alt") or "", size))
        elif node.get("class") == "alt":
            out.append(("alt", node.text_content()))
    return out


_ATTRIBUTE_TEXT = st.text(
    alphabet=st.sampled_from(list("ab <>&\"'=/x\u00e9\u0436 \n")), max_size=12
)


@settings(max_examples=200, deadline=None)
@given(
    pictures=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    "data:image/png;base64,AAAA",
                    "file:///tmp/a%20b.png",
                    "https://example.org/p.png",
                    "pics/rel.png",
                    "",
                ]
            ),
            _ATTRIBUTE_TEXT,
            st.booleans(),
        ),
        min_size=1,
        max_size=4,
    ),
    text=_ATTRIBUTE_TEXT,
    images=st.booleans(),
    base_url=st.sampled_from([None, "https://example.org/a/", "file:///tmp/page.html"]),
)
def test_pictures_in_any_sanitised_body_match_what_a_parser_sees(
    pictures: list[tuple[str, str, bool]], text: str, images: bool, base_url: str | None
) -> None:
    parts = []
    for src, alt, sized in pictures:
        size = ' width="640" height="480"' if sized else ""
        parts.append(
            f'<p>{html.escape(text)}<img src="{html.escape(src)}" alt="{html.escape(alt)}"{size}>'
            f"{html.escape(text)}</p>"
        )
    body = sanitize_html("".join(parts))
    shown = prepare_body(body, images=images, base_url=base_url)
    assert _shown(shown) == _oracle(body, images=images, base_url=base_url)


def test_block_elements_qt_does_not_know_become_ones_it_does() -> None:
    body = (
        '<p>Before.</p><figure class="wide"><img src="data:image/png;base64,AAAA" alt="x">'
        "<figcaption>The <em>caption</em>.</figcaption></figure>"
        "<section><p>In a section.</p></section>"
        "<details><summary>More</summary><p>Hidden.</p></details>"
        "<p>Figures &lt;figure&gt; stay words.</p>"
    )
    assert as_qt_blocks(body) == (
        '<p>Before.</p><div class="wide"><img src="data:image/png;base64,AAAA" alt="x">'
        "<p>The <em>caption</em>.</p></div>"
        "<div><p>In a section.</p></div>"
        "<div><p>More</p><p>Hidden.</p></div>"
        "<p>Figures &lt;figure&gt; stay words.</p>"
    )
    assert "<figure" not in document_html(Article(html=body), images=True)


def test_preformatted_text_is_one_block_with_its_line_breaks() -> None:
    body = (
        '<p>Before.</p><pre class="code">\nfirst line\n    indented <a title="two\nlines">x</a>'
        "\r\n\nlast</pre><PRE>a\nb\n</PRE><pre><code>c\n</code>\n</pre><p>After\nwords.</p>"
    )
    assert as_qt_blocks(body) == (
        '<p>Before.</p><pre class="code">first line<br>    indented <a title="two\nlines">x</a>'
        "<br><br>last</pre><PRE>a<br>b</PRE><pre><code>c<br></code></pre><p>After\nwords.</p>"
    )


def test_preformatted_text_becomes_one_block_in_qt(qapp: object) -> None:
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setDefaultStyleSheet(style_sheet("#767676"))
    doc.setHtml(as_qt_blocks("<p>Before.</p><pre>\nfor x in y:\n    print(x)\n</pre><p>After.</p>"))
    texts = []
    block = doc.begin()
    while block.isValid():
        texts.append(block.text())
        block = block.next()
    assert texts == ["Before.", "for x in y:\u2028    print(x)", "After."]


def _quoted(value: str, style: str) -> str:
    if style == "single":
        return "'" + value.replace("&", "&amp;").replace("'", "&#39;") + "'"
    if style == "bare" and value and not any(c in value for c in " \"'=<>`\n&"):
        return value
    return '"' + html.escape(value) + '"'


@settings(max_examples=200, deadline=None)
@given(
    src=st.sampled_from(["data:image/png;base64,AAAA", "https://example.org/p.png", "a.png"]),
    alt=_ATTRIBUTE_TEXT,
    style=st.sampled_from(["double", "single", "bare"]),
    upper=st.booleans(),
    images=st.booleans(),
)
def test_pictures_written_any_way_html_allows_match_what_a_parser_sees(
    src: str, alt: str, style: str, upper: bool, images: bool
) -> None:
    """Bodies that did not come through our sanitiser (an Article made by hand) still work."""
    tag = "IMG" if upper else "img"
    body = f"<p>x<{tag} alt={_quoted(alt, style)} src={_quoted(src, style)} width=5>y</p>"
    shown = prepare_body(body, images=images, base_url=None)
    assert _shown(shown) == _oracle(body, images=images, base_url=None)


def _long_document(paragraphs: int = 4000) -> str:
    items = "".join(
        f"<li><p>Item {n} of the list, with a <b>bold</b> word.</p></li>" for n in range(paragraphs)
    )
    page = f'<div class="page"><ul>{items}</ul></div>'
    return f'<html><body><div lang="en">\n<h1>Title</h1>\n{page}\n</div></body></html>'


def test_a_short_document_has_no_first_part() -> None:
    assert present.first_part("<html><body><p>Short.</p></body></html>") is None
    assert present.first_part(_long_document(50)) is None  # under LONG_DOCUMENT_CHARS


def test_the_first_part_is_the_beginning_with_its_open_elements_closed() -> None:
    document = _long_document()
    assert len(document) > present.LONG_DOCUMENT_CHARS
    part = present.first_part(document, 5_000)
    assert part is not None
    cut = part.index("</li>", 5_000 - len("</li>")) + len("</li>")
    assert document.startswith(part[:cut])  # the same beginning, cut after a block's end
    assert len(part[:cut]) >= 5_000
    assert part[cut:] == "</ul></div></div></body></html>"  # what was open there, closed
    assert len(part) < len(document) // 10


def test_void_and_self_closed_elements_do_not_stay_open() -> None:
    block = '<p>Words<br>and a picture <img src="a.png" alt="a > b"> and <span/>more.</p>'
    document = f"<html><body><div>{block * 4000}</div></body></html>"
    part = present.first_part(document, 10_000)
    assert part is not None
    assert part.endswith("</p></div></body></html>")
    assert part.count("<p>") == part.count("</p>")


def test_a_table_is_never_cut_and_comments_are_not_read_as_tags() -> None:
    rows = "".join(f"<tr><td><p>Row {n}</p></td><td>x</td></tr>" for n in range(3000))
    table = f"<table>{rows}</table>"
    document = f"<html><body><div><!-- <section> --><p>Intro.</p>{table}<p>After.</p>"
    document += "<p>More text after the table.</p>" * 2000 + "</div></body></html>"
    part = present.first_part(document, 1_000)
    assert part is not None
    assert part.endswith("</table></div></body></html>")  # the whole table, then closed
    assert rows in part
    assert "</section>" not in part


_BLOCK_TAGS = ("div", "p", "ul", "li", "blockquote", "h2", "pre", "table", "tr", "td", "span")


@st.composite
def _nested_html(draw: st.DrawFn, depth: int = 0) -> str:
    """Nested elements, words and pictures, as our sanitised article HTML has them."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "img", "comment", "element", "element"]))
        if kind == "text" or depth >= 4:
            parts.append(html.escape(draw(st.text("abc <>&", min_size=1, max_size=12))))
        elif kind == "img":
            parts.append('<img src="p.png" alt="a > b">')
        elif kind == "comment":
            parts.append("<!-- <section> -->")
        else:
            tag = draw(st.sampled_from(_BLOCK_TAGS))
            parts.append(f"<{tag}>{draw(_nested_html(depth + 1))}</{tag}>")
    return "".join(parts)


def _visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<!--.*?-->|<[^>]+>", "", markup, flags=re.S))


@settings(max_examples=150, deadline=None)
@given(_nested_html(), st.integers(0, 400))
def test_the_first_part_is_a_prefix_of_the_text_with_every_element_closed(
    body: str, min_chars: int
) -> None:
    document = f"<html><body><div>{body * 3}</div></body></html>"
    lowered = present.LONG_DOCUMENT_CHARS
    try:
        present.LONG_DOCUMENT_CHARS = 0  # every document counts as long here
        part = present.first_part(document, min_chars)
    finally:
        present.LONG_DOCUMENT_CHARS = lowered
    if part is None:
        return
    assert _visible_text(document).startswith(_visible_text(part))
    for tag in _BLOCK_TAGS:
        assert len(re.findall(f"<{tag}>", part)) == len(re.findall(f"</{tag}>", part)), tag
    assert "<table>" not in part or part.count("</table>") == part.count("<table>")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab &<>\"';#x9e"), max_size=40) | st.text(max_size=40))
def test_escape_and_unescape_are_the_standard_librarys(text: str) -> None:
    assert present._escape(text) == html.escape(text)
    assert present._escape(text, quote=False) == html.escape(text, quote=False)
    for escaped in (text, html.escape(text), text + "&eacute;&#233;&#xe9;&notanentity;&lt"):
        assert present._unescape(escaped) == html.unescape(escaped)


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (
            (
                "<p>10&nbsp;km</p><table><tr><td>Graphics&nbsp;settings<i>&#160;<b>Oxyd</b></i>"
                "</td></tr></table><p>12\xa0March</p>"
            ),
            (
                "<p>10&nbsp;km</p><table><tr><td>Graphics settings<i> <b>Oxyd</b></i>"
                "</td></tr></table><p>12\xa0March</p>"
            ),
        ),
        (  # a table in a table: the outer one's end ends the change
            (
                "<table><tr><td><TABLE><tr><td>a&nbsp;b</td></tr></TABLE>c&#xA0;d</td></tr>"
                "</table>e&nbsp;f"
            ),
            "<table><tr><td><TABLE><tr><td>a b</td></tr></TABLE>c d</td></tr></table>e&nbsp;f",
        ),
        ("<table><tr><td>left&nbsp;open", "<table><tr><td>left open"),
        ("<p>no&nbsp;table</p>", "<p>no&nbsp;table</p>"),
        ("<table><tr><td>no space to change</td></tr></table>", None),
    ],
)
def test_no_break_spaces_in_tables_become_spaces(body: str, shown: str | None) -> None:
    assert present.breakable_tables(body) == (body if shown is None else shown)


def test_the_view_gets_tables_whose_words_can_wrap() -> None:
    article = Article(
        title="Tables", html="<p>5&nbsp;km</p><table><tr><td>Map&nbsp;generator</td></tr></table>"
    )
    document = present.document_html(article, images=True)
    assert "Map generator" in document
    assert "5&nbsp;km" in document


def test_progress_says_how_much_is_read_and_what_is_left() -> None:
    assert present.progress(0.0, 8) == "0% read · about 8 minutes left"
    assert present.progress(0.42, 5) == "42% read · about 3 minutes left"
    assert present.progress(0.9, 5) == "90% read · about 1 minute left"
    assert present.progress(0.999, 5) == "99% read · about 1 minute left"
    assert present.progress(1.0, 5) == "End of the article"
    assert present.progress(0.5, 0) == "50% read"  # no reading time known
    assert present.progress(-0.1, 3) == "0% read · about 3 minutes left"
