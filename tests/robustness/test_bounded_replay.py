"""The replay builds the tree the callbacks build, link by link: on every corpus page, every
page among our tests, and hostile shapes that reach each limit (see reader.core.bounded_parse).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.robustness import article_html, deep_nesting, siblings, unclosed_tags
from reader.core.bounded_parse import BoundedTreeBuilder
from reader.core.extract import extract_html
from reader.core.extract.prepare import cut_source
from reader.core.limits import MAX_CHILDREN, MAX_DEPTH
from reader.core.load import load_path
from tests.robustness.trees import first_difference, outcome, parsed

REPO = Path(__file__).resolve().parents[2]
_corpus_env = os.environ.get("READER_CORPUS")
CORPUS = Path(_corpus_env) if _corpus_env else REPO.parent / "shared" / "corpus" / "readability"
CORPUS_PAGES = sorted(CORPUS.glob("*/source.html")) if CORPUS.is_dir() else []
OUR_PAGES = sorted(REPO.glob("tests/**/*.html"))
# Limits small enough for every page to reach each of them, often and in combination.
TINY = {
    "max_depth": 4,
    "max_children": 3,
    "max_elements": 400,
    "max_attributes": 2,
    "max_attribute_chars": 12,
}


def assert_replayed_alike(html: str, path: str = "replay", **limits: int) -> None:
    """The default builder builds ``html`` exactly as the callbacks do, and on ``path`` (any
    path when it is empty)."""
    rows, used = outcome(html, **limits)
    reference, _ = outcome(html, replay=False, **limits)
    difference = first_difference(rows, reference)
    assert difference is None, difference
    assert used == path or not path


@pytest.mark.slow
@pytest.mark.parametrize(
    "page", CORPUS_PAGES or [None], ids=[p.parent.name for p in CORPUS_PAGES] or ["corpus"]
)
def test_every_corpus_page_is_replayed_alike(page: Path | None) -> None:
    if page is None:
        pytest.skip(f"corpus not found at {CORPUS}: set READER_CORPUS to check its pages")
    assert_replayed_alike(load_path(page).html)


@pytest.mark.parametrize("page", OUR_PAGES, ids=[str(p.relative_to(REPO)) for p in OUR_PAGES])
def test_every_page_of_ours_is_replayed_alike(page: Path) -> None:
    html = load_path(page).html
    assert_replayed_alike(html)
    assert_replayed_alike(cut_source(html)[0])  # what extraction parses
    assert_replayed_alike(html, "", **TINY)


_DEEP = "<div>" * (MAX_DEPTH + 5)
_DEEP_TAIL = "<p>kept</p><script>var secret = 1;</script><style>p{}</style><div><script>x"
# name -> (the page, the path the default builder takes)
HOSTILE: dict[str, tuple[Callable[[], str], str]] = {
    "100,000-deep nesting": (lambda: deep_nesting(100_000).decode(), "replay"),
    "100,000-deep unclosed b": (
        lambda: deep_nesting(100_000, "b", closed=False).decode(),
        "replay",
    ),
    "30,000 siblings": (lambda: siblings(30_000).decode(), "replay"),
    "70,000 elements": (lambda: siblings(70_000).decode(), "replay"),
    "200,000 unclosed tags": (lambda: unclosed_tags(200_000).decode(), "replay"),
    # more events than the recording keeps, the element limit not reached: built one by one
    "250,000 skipped elements": (lambda: _DEEP + "<b>.</b>" * 250_000, "callbacks"),
    "2 MiB attribute": (
        lambda: f"<p data-big='{'v' * 2 * 2**20}' id=keep>t</p><div data-x='{'w' * 2**20}'>",
        "replay",
    ),
    "100 attributes": (
        lambda: "<p " + " ".join(f"a{i}={i}" for i in range(100)) + ">t</p><b a=1 b=2>",
        "replay",
    ),
    "script and style past the depth limit": (lambda: _DEEP + _DEEP_TAIL, "replay"),
    "skipped blocks inside skipped script": (
        lambda: _DEEP + "<p>a</p><script><div>b</div><li>c</script><div>d<hr>e</div>",
        "replay",
    ),
    "comments, doctype, CDATA and entities": (
        lambda: (
            "<!-- first --><!DOCTYPE html><!----><html><body><!-- \n -->"
            "<p>a &amp; b &lt;c&gt; &nbsp; &foo; &#x41;&#0;</p><![CDATA[c]]><?php echo 1 ?>"
            "<pre><!-- --><!---->x</pre></body></html>\n<!-- after -->\n \n<!-- last -->"
        ),
        "replay",
    ),
    "white space alone, kept in pre and textarea": (
        lambda: (
            "<pre>  \n  </pre><pre> <b> </b> x </pre><textarea>\n\n</textarea>"
            "<p> </p><div>\n \n</div><p>\t<i>\r\n</i>\x0c</p>"
        ),
        "replay",
    ),
    "template, ruby and other string kinds": (
        lambda: (
            "<template><p>t</p> <b>u</b><script>s</script></template>"
            "<ruby>a<rt> </rt><rp>(</rp></ruby><style> </style><script>\n</script>"
        ),
        "replay",
    ),
    "table over the children limit": (
        lambda: "<table>" + "<tr><td>c</td></tr>\n" * 3500 + "</table><p>after</p>",
        "replay",
    ),
    "body over the children limit": (lambda: "<body>" + "<p>x</p>\n" * 5000, "replay"),
    # a table at the depth limit takes no group; one just above it, a <tbody> and then a <div>
    "full table at the depth limit": (
        lambda: "<div>" * (MAX_DEPTH - 3) + "<table class=t>" + "<p>c</p>" * 1500 + "</table>",
        "replay",
    ),
    "full table above the depth limit": (
        lambda: "<div>" * (MAX_DEPTH - 4) + "<table class=t>" + "<p>c</p>" * 2500 + "</table>",
        "replay",
    ),
    "list over the children limit": (
        lambda: "<ul class=big id=u>" + "<li>i</li> " * 3500 + "</ul><pre>" + "<b>b</b>" * 1500,
        "replay",
    ),
    "text blocks at the depth limit": (
        lambda: (
            _DEEP + "<p>deep <b>words</b> <p>more</p></p><h2>h <i>i</i></h2>"
            "<pre> p <pre>q</pre></pre><div><p>in div</p></div>"
        ),
        "replay",
    ),
    "text blocks under many skipped elements": (
        lambda: "<div id=top><b>" + "<b>x " * 3000 + "<p>one</p><i>y</i><p>two</p></div>",
        "replay",
    ),
    "meta charset and content": (
        lambda: article_html(head="<meta http-equiv=content-type content='text/html; charset=x'>"),
        "replay",
    ),
    "after the html element": (
        lambda: "<html><body>x</body></html>\n tail <p>more</p>\n<!-- c -->\n",
        "replay",
    ),
    "doctype in the middle": (lambda: "<p>a</p><!DOCTYPE html><p>b", "replay"),
    "comment alone": (lambda: "<!-- only -->", "replay"),
    "boolean attributes": (
        lambda: "<select><option selected>a<option selected=selected>b</select><input disabled>",
        "replay",
    ),
    "braces in tag names": (lambda: "<p>a</p><{urn:x}p>x</{urn:x}p><a{b}c>y</a{b}c>", "replay"),
    # lxml's "{namespace}name": bs4's namespace handling, so the callbacks build the page
    "namespaced attribute": (lambda: "<p>a</p><p {urn:y}a=1 b=2>y</p>", "callbacks"),
    "prefixed names": (
        lambda: "<p xml:lang=en xmlns:x=urn:x x:y=1>y</p><svg><circle r=1/></svg><math><mi>",
        "replay",
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_hostile_shapes_are_replayed_alike(shape: str) -> None:
    page, path = HOSTILE[shape]
    assert_replayed_alike(page(), path)


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_hostile_shapes_within_tiny_limits_are_replayed_alike(shape: str) -> None:
    html = HOSTILE[shape][0]()
    if len(html) > 200_000:
        html = html[:100_000] + html[-100_000:]  # the tiny limits are reached long before
    # (a path of either kind: the recording holds fewer events when the element limit is low)
    assert_replayed_alike(html, "", **TINY)


def test_a_full_group_under_a_skipped_element_takes_one_child_more() -> None:
    # The group <div> is full and the open element above it was skipped: the group cannot be
    # closed there, so it takes the child (as a full parent does in that case). Once, both
    # paths raised here and extraction failed on such a page.
    html = "<body><i>1</i><i>2</i><p>a</p><span><p>b</p><p>c</p></span></body>"
    assert_replayed_alike(html, max_depth=3, max_children=2)
    soup, _ = parsed(html, max_depth=3, max_children=2)
    group = soup.body.find_all("div")[-1]  # type: ignore[union-attr]
    assert [p.get_text() for p in group.find_all("p")] == ["a", "b", "c"]


def test_a_full_group_under_skipped_elements_at_the_real_limits_is_extracted() -> None:
    # The shape above at the real limits: a table at the depth limit's edge, full of
    # paragraphs, then paragraphs inside sections skipped for their depth, until the group
    # holding the table's further children is full too.
    deep = "<div>" * (MAX_DEPTH - 4)  # html, body and these: the table is one level short
    text = "A paragraph of a page nested too deep, {} of them."
    full = "".join(f"<p>{text.format(i)}</p>" for i in range(MAX_CHILDREN))
    rest = "".join(f"<section><p>{text.format(i)}</p></section>" for i in range(MAX_CHILDREN, 2100))
    html = f"<html><body>{deep}<table>{full}{rest}</table></body></html>"
    article = extract_html(html)
    assert text.format(2099) in article.text


def test_empty_pages_are_replayed_alike() -> None:
    assert_replayed_alike("")
    assert_replayed_alike(" \n ")
    assert_replayed_alike("x")


def test_the_callbacks_build_the_page_when_the_replay_is_off() -> None:
    assert outcome(article_html(), replay=False)[1] == "callbacks"
    assert outcome(article_html(), lean=False)[1] == "callbacks"  # the replay is lean only
    assert BoundedTreeBuilder().replay
