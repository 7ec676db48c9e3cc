"""The shortcuts that make extraction fast give the answers of the definitions they replace."""

from __future__ import annotations

import gc
import re
import weakref

from bs4 import BeautifulSoup, NavigableString, Tag
from hypothesis import given
from hypothesis import strategies as st

from reader.core.article import count_words
from reader.core.bounded_parse import BoundedTreeBuilder
from reader.core.characters import UNSAFE, UNSAFE_ASCII, without_unsafe_characters
from reader.core.extract import _lead_image
from reader.core.extract.candidates import _is_byline
from reader.core.extract.dom import (
    TextCache,
    TextFigures,
    attr,
    body_of,
    count_commas,
    has_inner_text,
    inner_text,
    is_probably_visible,
    iter_tags,
    match_string,
    text_length,
    text_of,
)
from reader.core.extract.metadata import Metadata, _first_with
from reader.core.extract.patterns import (
    MAYBE_CANDIDATE,
    SETTINGS_PANEL_HINTS,
    UNLIKELY_CANDIDATES,
    UNLIKELY_ROLES,
)
from reader.core.extract.prepare import _hints_in, prepare
from reader.core.sanitize import _filter_attribute

_WORD = re.compile(r"\w+")


def _words_by_definition(text: str) -> int:
    return len(_WORD.findall(text))


@given(st.text())
def test_count_words_counts_runs_of_word_characters(text: str) -> None:
    assert count_words(text) == _words_by_definition(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_count_words_on_ascii_text_counts_runs_of_word_characters(text: str) -> None:
    assert count_words(text) == _words_by_definition(text)


def test_count_words_splits_at_punctuation_and_keeps_underscores_and_digits() -> None:
    # it, s, a, snake_case, name, 3, 14, done
    assert count_words("it's a snake_case name, 3.14 -- done\x1f") == 8
    assert count_words("naïve café — déjà vu") == 4
    assert count_words("") == 0


PAGE = """<html><body><div id="main">
  <h2>Harbour news</h2>
  <p>The ferry, late again, left at noon; <a href="/more">read the timetable</a>.</p>
  <p>  The ferry, late again, left at noon; <a href="#note">a note</a>  </p>
  <ul><li>one, two</li><li>three</li></ul>
  <div class="aside"><p>Short aside, with a comma.</p><img src="x.png"></div>
</div></body></html>"""


def _figures(cache: TextCache, root: Tag) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for tag in [root, *iter_tags(root)]:
        s = cache.get(tag)
        row = (tag.name, s.text, s.link, s.commas, s.heading, s.listed, s.p, s.img, s.li, s.input)
        out.append(row)
    return out


def _body(html: str = PAGE) -> Tag:
    return body_of(BeautifulSoup(html, "lxml"))


def test_shared_text_figures_give_the_figures_of_a_fresh_cache() -> None:
    figures = TextFigures()
    first, second = _body(), _body()
    assert _figures(TextCache(first, figures), first) == _figures(TextCache(first), first)
    # a second tree with the same texts is served from the memo: still its own figures
    assert _figures(TextCache(second, figures), second) == _figures(TextCache(second), second)


def test_text_figures_match_the_plain_measures() -> None:
    figures = TextFigures()
    for text in ["", "  ", " a  b ", "one, two", "\u060c\uff0c, x", "\nline\n"]:
        assert figures(NavigableString(text)) == (text_length(text), count_commas(text))
        assert figures(text) == (text_length(text), count_commas(text))  # the memo's answer


def test_cache_rebuilt_after_a_removal_matches_a_cache_of_the_changed_tree() -> None:
    figures = TextFigures()
    body = _body()
    cache = TextCache(body, figures)
    aside = body.find("div", class_="aside")
    assert isinstance(aside, Tag)
    cache.remove(aside)
    after_removal = TextCache(body).get(body)
    kept = cache.get(body)  # kept in step by remove, not rebuilt
    assert (kept.text, kept.commas, kept.p, kept.img) == (
        after_removal.text,
        after_removal.commas,
        after_removal.p,
        after_removal.img,
    )
    link = body.find("a")
    assert isinstance(link, Tag)
    link.string = "the timetable, updated"  # a new text the memo has not seen
    cache.build(body)
    assert _figures(cache, body) == _figures(TextCache(body), body)
    assert cache.get(body).img == 0


def test_has_inner_text_agrees_with_inner_text() -> None:
    html = """<body>
      <p id="empty">  <b> </b>\n<img src="x.png"> </p>
      <p id="ruby"><ruby><rt>furigana</rt></ruby> </p>
      <p id="late"> <span> </span><i>word</i></p>
      <h2 id="blank"><a href="/"> </a></h2>
      <h3 id="nbsp">\u00a0</h3>
    </body>"""
    body = _body(html)
    seen = set()
    for tag in iter_tags(body):
        assert has_inner_text(tag) == bool(inner_text(tag)), tag.get("id")
        seen.add(has_inner_text(tag))
    assert seen == {True, False}


def test_first_with_finds_what_bs4_find_finds() -> None:
    soup = BeautifulSoup(
        """<body><span itemprop="author">A</span><time>no attribute</time>
        <div itemprop="headline datePublished">2020-01-02</div><time datetime="">empty</time>
        <p itemprop="datePublishedX">no word boundary</p></body>""",
        "lxml",
    )
    pattern = re.compile(r"\bdatePublished\b")
    assert _first_with(soup, None, "itemprop", pattern) is soup.find(itemprop=pattern)
    assert _first_with(soup, "time", "datetime", None) is soup.find("time", datetime=True)
    assert _first_with(soup, None, "itemprop", re.compile("nowhere")) is None
    found = _first_with(soup, None, "itemprop", pattern)
    assert found is not None
    assert found.name == "div"


def test_body_of_is_the_first_body_or_the_document() -> None:
    soup = BeautifulSoup("<head><title>t</title></head><body><p>x</p></body>", "lxml")
    assert body_of(soup) is soup.find("body")
    empty = BeautifulSoup("", "lxml")
    assert body_of(empty) is empty


def test_paragraphs_under_many_skipped_elements_go_to_the_innermost_built_one() -> None:
    # Past the depth limit every unclosed <b> is skipped (thousands of them stay open), yet
    # each <p> kept at the limit still lands in the deepest element that was built.
    builder = BoundedTreeBuilder(max_depth=3)
    html = "<div id=top><b>" + "<b>x " * 3000 + "<p>one</p><i>y</i><p>two</p></div>"
    soup = BeautifulSoup(html, builder=builder)
    top = soup.find("div", id="top")
    assert isinstance(top, Tag)
    paragraphs = soup.find_all("p")
    assert [p.get_text() for p in paragraphs] == ["one", "two"]
    assert all(p.parent is top for p in paragraphs)
    assert builder.skipped_elements == 3002  # the 3,001 <b> and the <i>
    assert "x x x" in top.get_text()


def test_text_figures_keep_no_tree_alive() -> None:
    figures = TextFigures()
    body = _body()
    TextCache(body, figures)
    node = body.find(string=lambda s: "ferry" in s)
    assert isinstance(node, NavigableString)
    held = weakref.ref(node)
    del node, body
    gc.collect()
    assert held() is None  # the memo holds copies of the texts, not the text nodes
    assert figures("The ferry") == (text_length("The ferry"), count_commas("The ferry"))


def test_a_reusing_build_gives_a_fresh_build_s_figures_and_keeps_unchanged_subtrees() -> None:
    figures = TextFigures()
    body = _body()
    cache = TextCache(body, figures)
    main = body.find("div", id="main")
    first_p = body.find("p")
    aside = body.find("div", class_="aside")
    assert isinstance(main, Tag)
    assert isinstance(first_p, Tag)
    assert isinstance(aside, Tag)
    kept = cache.get(first_p)
    cache.remove(aside)  # the ancestors' figures are kept in step, not as a build gives them
    heading = body.find("h2")
    assert isinstance(heading, Tag)
    heading.name = "p"  # a rename changes the counts: noted, so measured again
    cache.changed(heading)
    group = BeautifulSoup("", "lxml").new_tag("div")
    group.append(first_p.extract())  # moved whole: its own figures still hold
    main.insert(0, group)
    cache.changed(group)
    cache.build(body, reuse=True)
    assert _figures(cache, body) == _figures(TextCache(body), body)
    assert cache.get(first_p) is kept  # unchanged, so not measured again
    assert cache.get(body).p == 3


def test_a_plain_build_measures_everything_again() -> None:
    body = _body()
    cache = TextCache(body)
    link = body.find("a")
    assert isinstance(link, Tag)
    link.string = "a change nobody noted"
    cache.build(body)
    assert _figures(cache, body) == _figures(TextCache(body), body)


def test_an_element_without_attributes_passes_every_attribute_rule_of_the_walk() -> None:
    # The walk's shortcut for such elements skips exactly these rules: none of them can fire.
    for tag in iter_tags(_body()):
        tag.attrs.clear()
        ms = match_string(tag)
        assert ms == " "
        assert is_probably_visible(tag)
        assert not _is_byline(tag, ms)
        assert not UNLIKELY_CANDIDATES.search(ms)
        assert not MAYBE_CANDIDATE.search(ms)
        assert attr(tag, "role") not in UNLIKELY_ROLES
        assert attr(tag, "aria-modal") != "true"


def _hints_by_definition(text: str) -> int:
    low = text.lower()
    return sum(hint in low for hint in SETTINGS_PANEL_HINTS)


_HINTY = st.text(alphabet=st.sampled_from(list("selctfonkrigsz ÀÉÿ·µ\u212a\u0130ШРИФТ")))


@given(st.one_of(st.text(), _HINTY))
def test_hint_count_is_the_count_in_the_lowered_text(text: str) -> None:
    assert _hints_in(text) == _hints_by_definition(text)


def test_hint_count_on_latin1_ascii_and_wider_text() -> None:
    for text in [
        "SELECT FONT · Font Size",  # Latin-1: the bytes path
        "Select Font, kerning",  # ASCII
        "\u212aerning and FONT SIZE",  # a Kelvin sign lowers to "k": the str path
        "ВЫБОР ШРИФТА для СЛАБОВИДЯЩИХ",
        "vİsually impaired, select font",
        "ÿ\x00 fönt size",
    ]:
        assert _hints_in(text) == _hints_by_definition(text), text


def test_text_of_is_get_text_for_every_element() -> None:
    html = (
        "<body><p>one</p><p></p><p><!--c--></p><p>a<b>b</b></p><em> x </em>"
        "<template><p>in a template</p></template><textarea>raw</textarea>"
        "<title>t</title><div><span>deep<i>er</i></span></div><pre>\n code</pre></body>"
    )
    soup = BeautifulSoup(html, "lxml")
    tags = list(iter_tags(soup))
    assert len(tags) > 10
    for tag in tags:
        got = text_of(tag)
        assert got == tag.get_text(), tag
        assert type(got) is str  # never a tree node


_CONTROLLED = st.text(alphabet=st.sampled_from(list("ab <>&\t\n\r\x00\x01\x0b\x1f\x7f\x85é\ufffe")))


@given(st.one_of(st.text(), _CONTROLLED))
def test_unsafe_characters_go_as_the_pattern_removes_them(text: str) -> None:
    assert without_unsafe_characters(text) == re.sub(UNSAFE, "", text)


@given(st.sampled_from(["href", "src", "cite"]), st.sampled_from(["a", "img", "q"]), st.text())
def test_a_web_address_passes_the_attribute_filter_unchanged(
    attribute: str, tag: str, rest: str
) -> None:
    for value in (f"https://{rest}", f"http://{rest}", f"HTTPS://{rest}", f"\thttp://{rest}"):
        assert _filter_attribute(tag, attribute, value) == value


def _length_by_definition(text: str) -> int:
    words = text.split()
    if not words:
        return 0
    edges = (1 if text[0].isspace() else 0) + (1 if text[-1].isspace() else 0)
    return sum(map(len, words)) + len(words) - 1 + edges


_SPACY = st.text(alphabet=st.sampled_from(list("ab,  \t\n\r\x0b\x1c\x85\xa0\u2028\u3000é")))


@given(st.one_of(st.text(), _SPACY))
def test_text_length_is_the_collapsed_length(text: str) -> None:
    assert text_length(text) == _length_by_definition(text)
    assert text_length(NavigableString(text)) == _length_by_definition(text)


@given(st.one_of(st.text(), _SPACY))
def test_printable_text_without_double_spaces_has_nothing_to_collapse(text: str) -> None:
    # What to_text and fix_urls rely on to skip str.split: the space is the only white space
    # character that is printable.
    if text.isprintable() and "  " not in text:
        assert " ".join(text.split()) == text.strip(" ")
        if " " not in text:
            assert "".join(text.split()) == text


def test_the_unsafe_ascii_characters_are_those_the_pattern_removes() -> None:
    assert tuple(c for c in map(chr, range(128)) if re.match(UNSAFE, c)) == UNSAFE_ASCII


def test_the_lead_image_from_the_index_is_the_one_a_walk_finds() -> None:
    pages = [
        "<body><p>text</p></body>",
        "<body><p>a<img alt=x></p><div><p>b<img src=/one.png></p><img src=/two.png></div></body>",
        "<body><noscript><img src=/real.png></noscript><p>a<img data-src=/lazy.jpg></p></body>",
        "<body><picture><source srcset='/s.webp 2x'><img></picture><p>x</p></body>",
    ]
    for html in pages:
        for drop_first in (False, True):
            prepared = prepare(html)
            imgs = prepared.index["img"]
            if drop_first and imgs:
                imgs[0].decompose()
            for root in iter_tags(prepared.soup):
                walked = _lead_image(Metadata(), root, None, None)
                assert _lead_image(Metadata(), root, None, imgs) == walked, (html, root)


_WORDY = st.text(alphabet=st.sampled_from(list("ab1_ -,.\t\nªµºÀ×÷ÿ\xa0\x85²¹")))


@given(st.one_of(st.text(), _WORDY))
def test_count_words_on_latin1_text_counts_runs_of_word_characters(text: str) -> None:
    assert count_words(text) == _words_by_definition(text)


def _visible_by_definition(node: Tag) -> bool:
    style = attr(node, "style").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return False
    if node.has_attr("hidden"):
        return False
    return not (attr(node, "aria-hidden") == "true" and "fallback-image" not in attr(node, "class"))


def test_is_probably_visible_answers_as_its_three_checks() -> None:
    html = (
        "<body><p id=a class=b>1</p><p style='DISPLAY: none'>2</p><p style='color:red'>3</p>"
        "<p hidden>4</p><p aria-hidden=true>5</p><p aria-hidden=false>6</p>"
        "<p aria-hidden=true class='fallback-image'>7</p><a href=/x title=t>8</a></body>"
    )
    tags = list(iter_tags(BeautifulSoup(html, "lxml")))
    assert [is_probably_visible(t) for t in tags] == [_visible_by_definition(t) for t in tags]
    assert not all(is_probably_visible(t) for t in tags)
