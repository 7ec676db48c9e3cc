"""The bounded tree builder: limits hold on hostile trees; ordinary pages parse as before."""

from __future__ import annotations

import sys

import pytest
from bs4 import BeautifulSoup, Tag

from bench.robustness import PARAGRAPH, article_html, deep_nesting, siblings
from reader.core.bounded_parse import BoundedTreeBuilder, bounded_soup
from reader.core.limits import MAX_CHILDREN, MAX_DEPTH, MAX_ELEMENTS
from tests.robustness import trees


def _depth(soup: BeautifulSoup) -> int:
    deepest = 0
    for node in soup.descendants:
        if isinstance(node, Tag):
            n, parent = 0, node.parent
            while parent is not None:
                n, parent = n + 1, parent.parent
            deepest = max(deepest, n)
    return deepest


def test_an_ordinary_page_parses_exactly_as_bs4_with_lxml_does() -> None:
    html = article_html(head="<meta name=description content='Boats'>") + "<table><tr><td>a"
    plain = BeautifulSoup(html, "lxml", multi_valued_attributes=None)
    assert str(bounded_soup(html)) == str(plain)


def test_100000_deep_nesting_is_capped_and_its_text_kept() -> None:
    builder = BoundedTreeBuilder()
    soup = BeautifulSoup(deep_nesting(100_000).decode(), builder=builder)
    # Paragraphs at the limit are kept one level past it (their insides unwrapped).
    assert _depth(soup) <= MAX_DEPTH + 1
    assert len(soup.find_all("p")) == 3
    assert builder.skipped_elements > 99_000
    assert PARAGRAPH.strip() in " ".join(soup.get_text().split())
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)  # Python's default: bs4's own methods must fit in it
    try:
        assert "harbour master" in str(soup)
        copy = soup.find("div")
        assert isinstance(copy, Tag)
        copy.decompose()
    finally:
        sys.setrecursionlimit(limit)


def test_siblings_past_the_element_limit_are_left_out_and_the_article_kept() -> None:
    builder = BoundedTreeBuilder()
    soup = BeautifulSoup(siblings(2 * MAX_ELEMENTS).decode(), builder=builder)
    assert builder.elements == MAX_ELEMENTS
    assert builder.truncated
    assert len(soup.find_all(True)) == MAX_ELEMENTS
    article = soup.find("article")
    assert isinstance(article, Tag)
    assert PARAGRAPH.strip() in article.get_text()


def test_a_full_parent_is_split_and_keeps_its_children_in_order() -> None:
    items = "".join(f"<li class=x>item {i}</li>" for i in range(2500))
    soup = bounded_soup(f"<ul class=big>{items}</ul><table>{'<tr><td>c</td></tr>' * 1500}</table>")
    lists = soup.find_all("ul")
    assert len(lists) == 3
    assert all(t.get("class") == "x" for t in soup.find_all("li"))
    assert all(len(u.find_all("li", recursive=False)) <= MAX_CHILDREN for u in lists)
    assert all(ul.get("class") == "big" for ul in lists)
    assert [li.get_text() for li in soup.find_all("li")] == [f"item {i}" for i in range(2500)]
    assert len(soup.find_all("tr")) == 1500
    # a table keeps its first rows and takes the rest in <tbody> groups of at most the limit
    assert all(len(t.contents) <= MAX_CHILDREN + 1 for t in soup.find_all(["tbody", "table"]))
    assert len(soup.find_all("tbody")) == 1


def test_body_with_many_children_is_grouped_not_cloned() -> None:
    soup = bounded_soup("<body>" + "<p>x</p>" * 2500 + "</body>")
    assert len(soup.find_all("body")) == 1
    body = soup.find("body")
    assert isinstance(body, Tag)
    assert len(body.contents) <= MAX_CHILDREN + 2  # its first children, then two groups
    assert len(body.find_all("div", recursive=False)) == 2
    assert len(soup.find_all("p")) == 2500


def test_huge_and_numerous_attributes_are_dropped() -> None:
    value = "v" * (2 * 1024 * 1024)
    many = " ".join(f"a{i}=1" for i in range(500))
    builder = BoundedTreeBuilder()
    soup = BeautifulSoup(f"<p data-big='{value}' id=keep {many}>t</p>", builder=builder)
    p = soup.find("p")
    assert isinstance(p, Tag)
    assert "data-big" not in p.attrs
    assert p.get("id") == "keep"
    assert len(p.attrs) <= 64
    assert builder.skipped_attributes >= 437


def test_script_text_past_the_depth_limit_does_not_become_page_words() -> None:
    deep = "<div>" * (MAX_DEPTH + 10)
    html = f"{deep}<p>kept words</p><script>var secret = 1;</script><style>p{{}}</style>"
    text = bounded_soup(html).get_text()
    assert "kept words" in text
    assert "secret" not in text
    assert "p{}" not in text


# --- the lean path builds exactly the tree bs4's own handlers build ---------------------------

TREE_SHAPES = {
    "article": article_html(head="<meta charset=utf-8><meta name=description content='Boats'>"),
    "white space": "<p>a <b>b</b>\n <i> </i>\n\n</p><pre>  kept\n  </pre><textarea> x </textarea>",
    "string kinds": "<script>var a = '<b>';</script><style>p {}</style><template><p>t</template>"
    "<!-- a comment --><ruby>漢<rt>kan</rt></ruby><![CDATA[c]]>",
    "namespaces": "<p>x<svg xmlns='http://www.w3.org/2000/svg'><circle r='1'/></svg>"
    "<math><mi>y</mi></math><p xml:lang=en>z</p>",
    "broken markup": "<table><tr><td>a<td>b<p>c</table><ul><li>one<li>two</ul><b><i>x</b>y</i>",
    "doctype and processing": "<!DOCTYPE html><?php echo 1 ?><html><body>t</body></html>",
    "split parents": "<ul class=big>" + "<li>i</li>" * 2500 + "</ul><body>" + "<p>x</p>" * 1200,
    "table groups": "<table>" + "<tr><td>c</td></tr>" * 1500 + "</table>",
    "past the depth limit": "<div>" * (MAX_DEPTH + 5) + "<p>deep <b>words</b></p><style>s</style>",
    "many unclosed": "<b>" * 3000 + "text",
    "attributes": "<p data-big='" + "v" * 2_000_000 + "' id=keep " + "a=1 " * 100 + ">t</p>",
}


# (the replay is compared with the lean path in test_bounded_replay.py)
LEAN, PLAIN = {"replay": False}, {"lean": False}


@pytest.mark.parametrize("shape", sorted(TREE_SHAPES))
def test_the_lean_path_builds_the_tree_bs4_builds(shape: str) -> None:
    difference = trees.difference(TREE_SHAPES[shape], LEAN, PLAIN)
    assert difference is None, difference


def test_the_lean_path_builds_the_tree_bs4_builds_past_the_element_limit() -> None:
    html = siblings(MAX_ELEMENTS + 10).decode()
    lean, plain = trees.outcome(html, **LEAN)[0], trees.outcome(html, **PLAIN)[0]
    assert len(lean) > MAX_ELEMENTS
    assert trees.first_difference(lean, plain) is None


def test_the_lean_path_is_taken_for_ordinary_tags() -> None:
    # A check that the comparison above compares two paths: the lean one made these tags.
    builder = BoundedTreeBuilder(replay=False)
    soup = BeautifulSoup("<div><p>one</p><meta charset=utf-8></div>", builder=builder)
    assert builder.lean
    assert {"div", "p"} <= {name for name, model in builder._models.items() if model}
    assert "meta" not in builder._models  # <meta> goes through bs4 (its charset)
    assert str(soup) == '<html><body><div><p>one</p><meta charset="utf-8"/></div></body></html>'
