"""Markdown conversion: each construct the clean article may hold, and the article header."""

from __future__ import annotations

import pytest

from reader.core.article import Article
from reader.core.convert import MAX_DEPTH, article_to_markdown, html_to_markdown


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<h1>Top</h1>", "# Top"),
        ("<h3>Deep <em>one</em></h3>", "### Deep *one*"),
        ("<h2>Two<br>lines</h2>", "## Two lines"),
        ("<p>Plain   text\n over lines</p>", "Plain text over lines"),
        ("<p>A <strong>bold</strong> and <b>b</b> word</p>", "A **bold** and **b** word"),
        ("<p>An <em>em</em> and <i>i</i></p>", "An *em* and *i*"),
        ("<p>Space<strong> inside </strong>marks</p>", "Space **inside** marks"),
        ("<p>See <a href='https://x.org/a'>this</a>.</p>", "See [this](https://x.org/a)."),
        ("<p><a href='https://x.org/a b'>sp</a></p>", "[sp](<https://x.org/a b>)"),
        ("<p><a>no target</a></p>", "no target"),
        ("<p><img src='p.png' alt='A cat'></p>", "![A cat](p.png)"),
        ("<p><img alt='no source'></p>", ""),
        ("<p><a href='u'><img src='p.png' alt='z'></a></p>", "[![z](p.png)](u)"),
        ("<p>Use <code>ls -l</code> here</p>", "Use `ls -l` here"),
        ("<p><code>a`b</code></p>", "``a`b``"),
        ("<p>one<br>two</p>", "one\\\ntwo"),
        ("<p>5 * 3 = [x] with_under</p>", "5 \\* 3 = \\[x\\] with\\_under"),
        ("<p>1. not a list</p>", "1\\. not a list"),
        ("<p># not a heading</p>", "\\# not a heading"),
        ("<p>- not an item</p>", "\\- not an item"),
        ("<hr>", "---"),
        ("<p>a</p><hr><p>b</p>", "a\n\n---\n\nb"),
        ("<p>first</p>\n\n<p>second</p>", "first\n\nsecond"),
        ("<div>loose text<p>para</p>tail</div>", "loose text\n\npara\n\ntail"),
        ("<p>x<!-- hidden --></p><script>var a;</script>", "x"),
    ],
)
def test_constructs(html: str, markdown: str) -> None:
    assert html_to_markdown(html).rstrip("\n") == markdown


def test_lists_nest_and_number_from_start() -> None:
    html = (
        "<ul><li>one<ul><li>nested <b>b</b></li><li>again</li></ul></li><li>two</li></ul>"
        "<ol start='3'><li>three</li><li>four<ol><li>inner</li></ol></li></ol>"
    )
    assert html_to_markdown(html) == (
        "- one\n  - nested **b**\n  - again\n- two\n\n3. three\n4. four\n   1. inner\n"
    )


def test_list_item_with_paragraphs_keeps_them_in_the_item() -> None:
    html = "<ul><li><p>first</p><p>more</p></li><li>next</li></ul>"
    assert html_to_markdown(html) == "- first\n\n  more\n- next\n"


def test_blockquote_prefixes_every_line_including_nested_blocks() -> None:
    html = "<blockquote><p>one</p><p>two</p><blockquote><p>deep</p></blockquote></blockquote>"
    assert html_to_markdown(html) == "> one\n>\n> two\n>\n> > deep\n"


def test_pre_is_fenced_verbatim_with_its_language() -> None:
    code = "def f(x):\n    return x * 2  # [not] *markdown*\n"
    html = f"<pre><code class='language-python'>{code}</code></pre>"
    assert html_to_markdown(html) == f"```python\n{code.rstrip()}\n```\n"


def test_pre_holding_a_fence_gets_a_longer_fence() -> None:
    html = "<pre>```\ninner\n```</pre>"
    assert html_to_markdown(html) == "````\n```\ninner\n```\n````\n"


def test_table_becomes_a_pipe_table_padded_to_its_widest_row() -> None:
    html = (
        "<table><thead><tr><th>Name</th><th>Note</th></tr></thead>"
        "<tbody><tr><td>a|b</td><td>x<br>y</td></tr><tr><td colspan='2'>wide</td></tr>"
        "<tr><td>1</td><td>2</td><td>3</td></tr></tbody></table>"
    )
    assert html_to_markdown(html) == (
        "| Name | Note |  |\n|---|---|---|\n| a\\|b | x y |  |\n| wide |  |  |\n| 1 | 2 | 3 |\n"
    )


def test_table_without_header_cells_gets_an_empty_header() -> None:
    html = "<table><tr><td>1</td><td>2</td></tr></table>"
    assert html_to_markdown(html) == "|  |  |\n|---|---|\n| 1 | 2 |\n"


def test_figure_keeps_picture_and_caption() -> None:
    html = "<figure><img src='https://x.org/p.jpg' alt='Harbour'><figcaption>At dawn</figcaption>"
    assert html_to_markdown(html) == "![Harbour](https://x.org/p.jpg)\n\nAt dawn\n"


def test_deep_nesting_is_flattened_not_a_recursion_error() -> None:
    depth = MAX_DEPTH * 20
    html = "<div>" * depth + "<p>bottom <b>text</b></p>" + "</div>" * depth
    assert html_to_markdown(html).strip() == "bottom text"
    nested = "<blockquote>" * 300 + "deep" + "</blockquote>" * 300
    assert "deep" in html_to_markdown(nested)


def test_empty_input_gives_empty_output() -> None:
    assert html_to_markdown("") == ""
    assert html_to_markdown("<div> </div>") == ""


def test_article_has_title_and_metadata_line_on_top() -> None:
    article = Article(
        title="Snow in  Bishkek",
        byline="Aida K.",
        published="2002-12-05T09:30:00+06:00",
        html="<p>Body text.</p>",
        text="Body text.",
    )
    assert (
        article_to_markdown(article)
        == "# Snow in Bishkek\n\n*Aida K. · 2002-12-05*\n\nBody text.\n"
    )


def test_article_without_metadata_and_repeated_title() -> None:
    article = Article(title="Same", html="<h1>Same</h1><p>Body.</p>", text="Same\n\nBody.")
    assert article_to_markdown(article) == "# Same\n\nBody.\n"


def test_article_metadata_is_escaped() -> None:
    article = Article(title="A *star*", byline="_me_", html="<p>x</p>", text="x")
    assert article_to_markdown(article) == "# A \\*star\\*\n\n*\\_me\\_*\n\nx\n"
