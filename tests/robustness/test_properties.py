"""Property tests over load, extract and sanitise: only ReaderError, only allowlisted output,
and the words of a plain generated article survive extraction."""

from __future__ import annotations

import re

import nh3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from reader.core.article import Article
from reader.core.characters import UNSAFE, without_unsafe_markup
from reader.core.errors import ReaderError
from reader.core.extract import extract, extract_html
from reader.core.load import load_bytes
from reader.core.sanitize import sanitize_html
from tests.robustness.conftest import assert_inert

FEW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = ["p", "div", "span", "a", "img", "script", "style", "svg", "math", "iframe", "table"]
TAGS += ["tr", "td", "ul", "li", "h1", "h2", "b", "i", "form", "input", "object", "embed"]
TAGS += ["template", "noscript", "meta", "base", "link", "title", "article", "section", "br"]
ATTRS = ["href", "src", "onclick", "OnLoad", "onerror", "style", "class", "id", "srcdoc"]
ATTRS += ["xlink:href", "action", "formaction", "data", "content", "http-equiv", "cite"]
VALUES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "&#106;avascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://example.org/x",
    "x.png",
    "alert(1)",
    "0;url=javascript:alert(1)",
    "\"'><script>alert(1)</script>",
]

attribute = st.tuples(st.sampled_from(ATTRS), st.sampled_from(VALUES) | st.text(max_size=20))
text = st.text(max_size=30).map(lambda t: t.replace("<", " "))


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    """Random, often broken HTML built from hostile tags, attributes and text."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 5 if depth < 4 else 1))
        if kind == 0:
            parts.append(draw(text))
        elif kind == 1:
            parts.append(
                draw(st.sampled_from(["<", ">", "</", "<!--", "-->", "&#", "&amp", "]]>"]))
            )
        else:
            tag = draw(st.sampled_from(TAGS))
            if draw(st.booleans()):
                tag = tag.upper()
            attrs = "".join(f' {k}="{v}"' for k, v in draw(st.lists(attribute, max_size=3)))
            inner = draw(markup(depth + 1))
            close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}"]))
            parts.append(f"<{tag}{attrs}>{inner}{close}")
    return "".join(parts)


@FEW
@given(st.binary(max_size=4096))
def test_load_raises_only_reader_errors_on_any_bytes(data: bytes) -> None:
    try:
        page = load_bytes(data, source="fuzz.html")
    except ReaderError:
        return
    assert "\x00" not in page.html


@FEW
@given(st.binary(max_size=2048) | markup().map(str.encode))
def test_load_and_extract_end_in_an_article_or_a_reader_error(data: bytes) -> None:
    try:
        article: Article | str = extract(load_bytes(data, source="fuzz.html"))
    except ReaderError as err:
        article = str(err)
    if isinstance(article, str):
        assert article.startswith("fuzz.html ")  # one sentence naming the input
        assert "\n" not in article
    else:
        assert_inert(article.html)


@FEW
@given(markup())
def test_sanitised_output_passes_the_allowlist(html: str) -> None:
    clean = sanitize_html(html)
    assert_inert(clean)
    # stored HTML is sanitised again when read back: still inert (not always byte-identical,
    # as mis-nested markup such as <a><table><a> is re-nested by the HTML5 parser)
    assert_inert(sanitize_html(clean))


@FEW
@given(markup(), markup())
def test_extracted_output_passes_the_allowlist(before: str, after: str) -> None:
    body = "<p>" + "The harbour master counted the boats at dawn, one by one. " * 8 + "</p>"
    html = f"<html><body>{before}<article>{body}{after}{body}</article></body></html>"
    try:
        article = extract_html(html, source="fuzz.html")
    except ReaderError:
        return
    assert_inert(article.html)


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéøßжщ", min_size=2, max_size=10)
SENTENCE = st.lists(WORD, min_size=8, max_size=16).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=3, max_size=6).map(" ".join)


@FEW
@given(
    st.lists(WORD, min_size=2, max_size=6).map(" ".join),
    st.lists(PARAGRAPH, min_size=3, max_size=8),
)
def test_the_text_of_a_simple_article_survives(title: str, paragraphs: list[str]) -> None:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    html = (
        f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Contact us</footer></body></html>"
    )
    article = extract(load_bytes(html.encode(), source="generated.html"))
    got = re.sub(r"\s+", " ", article.text)
    for paragraph in paragraphs:
        assert paragraph in got
    assert article.title == title
    assert_inert(article.html)


# Numeric character references as pages write them, well or badly formed.
reference = st.builds(
    lambda zeros, hexed, number, end: (
        f"&#{'x' if hexed else ''}{'0' * zeros}{number:x}{end}"
        if hexed
        else f"&#{'0' * zeros}{number}{end}"
    ),
    st.integers(0, 3),
    st.booleans(),
    st.integers(0, 0x11_0000) | st.integers(0, 0x20) | st.sampled_from([0x7F, 0xFFFE, 0xFFFF]),
    st.sampled_from([";", "", " ", "a", "9", "&"]),
)


@given(st.lists(reference | st.sampled_from(["x", "&", "#", " "]), max_size=8).map("".join))
def test_no_reference_left_spells_a_character_no_reader_sees(markup: str) -> None:
    """What nh3 and lxml make of the markup has none of them once the references that spell
    them are out; the references to other characters stay as they were."""
    kept = without_unsafe_markup(markup)
    for decoded in (nh3.clean(kept, tags=set()), lxml_html.fromstring(f"<p>{kept}.</p>").text):
        assert re.search(UNSAFE, decoded or "") is None, decoded
    assert kept == re.sub(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?", _spelled_unsafe, markup)


def _spelled_unsafe(reference: re.Match[str]) -> str:
    """The reference, or nothing for one that parsers decode into a character UNSAFE matches
    (they make a surrogate's, &#0; and one past U+10FFFF U+FFFD)."""
    number = int(reference[1], 16) if reference[1] else int(reference[2])
    if number == 0 or 0xD800 <= number <= 0xDFFF or number > 0x10_FFFF:
        return reference[0]
    return "" if re.match(UNSAFE, chr(number)) else reference[0]
