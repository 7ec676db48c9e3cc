"""The view's HTML, built in the core: header, pictures kept or as alt text, the whole page."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.article import Article
from reader.core.present import (
    base_url_of,
    document_html,
    format_date,
    header_html,
    is_local_picture,
    prepare_body,
    reading_time,
    style_sheet,
)


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


def test_header_of_a_bare_article_has_a_title_and_no_meta() -> None:
    assert header_html(Article(reading_minutes=0)) == "<h1>Untitled article</h1>\n<hr/>"


@pytest.mark.parametrize(
    ("src", "base", "local"),
    [
        ("data:image/png;base64,AAAA", None, True),
        ("pic.png", "file:///home/ann/page.html", True),
        (" FILE:///tmp/pic.png", None, True),
        ("pic.png", "https://example.org/a/", False),
        ("https://example.org/pic.png", "file:///home/ann/page.html", False),
        ("pic.png", None, False),
    ],
)
def test_is_local_picture(src: str, base: str | None, local: bool) -> None:
    assert is_local_picture(src, base) is local


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
    assert '<img src="pic.png" alt="P">' in document_html(article, images=True)
    web = Article(html=article.html, source="https://example.org/a.html")
    assert '<span class="alt">[Picture: P]</span>' in document_html(web, images=True)


def test_style_sheet_borders_tables_in_the_colour_given() -> None:
    css = style_sheet("#767676")
    assert "th, td { border: 1px solid #767676; padding: 6px 12px; }" in css
    assert "span.alt {" in css
