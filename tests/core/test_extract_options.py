"""The options object, and input that must not break the extractor (deep nesting, odd markup)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from reader.core.errors import NotAnArticleError
from reader.core.extract import ExtractOptions, extract_html, is_probably_article
from reader.core.extract.options import DEFAULT_CHAR_THRESHOLD

PAGES = Path(__file__).parent.parent / "fixtures" / "extract"
PARAGRAPH = (
    "<p>The canal was dug in 1941 by tens of thousands of farmers with spades, and eighty "
    "years later it still carries water across the whole valley, past poplars and orchards.</p>"
)


def test_defaults_are_named_constants() -> None:
    assert ExtractOptions().char_threshold == DEFAULT_CHAR_THRESHOLD


def test_options_are_frozen_and_keyword_only() -> None:
    options = ExtractOptions(char_threshold=100)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.char_threshold = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        ExtractOptions(100)  # type: ignore[misc]


@pytest.mark.parametrize(
    "bad",
    [
        {"char_threshold": -1},
        {"char_threshold": "500"},
        {"top_candidates": 0},
        {"min_text_length": True},
        {"keep_images": "yes"},
    ],
)
def test_bad_options_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="ExtractOptions"):
        ExtractOptions(**bad)  # type: ignore[arg-type]


def test_keep_images_off_drops_pictures() -> None:
    html = (PAGES / "lazy_images.html").read_text(encoding="utf-8")
    with_images = extract_html(html, base_url="https://travel.example/")
    without = extract_html(
        html, base_url="https://travel.example/", options=ExtractOptions(keep_images=False)
    )
    assert "<img" in with_images.html
    assert "<img" not in without.html
    assert without.text == with_images.text


def test_keep_tables_off_drops_tables() -> None:
    html = (PAGES / "structures.html").read_text(encoding="utf-8")
    assert "<table" in extract_html(html).html
    assert "<table" not in extract_html(html, options=ExtractOptions(keep_tables=False)).html


def test_min_text_length_turns_short_pages_away() -> None:
    html = f"<html><body><article>{PARAGRAPH}</article></body></html>"
    assert extract_html(html).text.startswith("The canal was dug in 1941")
    with pytest.raises(NotAnArticleError):
        extract_html(html, source="short.html", options=ExtractOptions(min_text_length=1000))


def test_relaxed_pass_recovers_an_article_hidden_in_furniture_classes() -> None:
    # Everything sits in a "sidebar": the strict pass strips it, the relaxed pass keeps it.
    html = f"<html><body><div class='sidebar'>{PARAGRAPH * 6}</div></body></html>"
    article = extract_html(html)
    assert article.text.count("The canal was dug in 1941") == 6


@pytest.mark.slow
def test_deep_nesting_does_not_recurse() -> None:
    depth = 100_000
    html = "<html><body>" + "<div>" * depth + PARAGRAPH * 5 + "</div>" * depth + "</body></html>"
    # The bounded parser unwraps tags past the depth limit and keeps their text.
    article = extract_html(html, source="deep.html")
    assert article.text.count("The canal was dug in 1941") == 5
    # The pre-check agrees: the paragraphs at the depth limit are kept, so it can count them.
    assert is_probably_article(html)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<",
        "<html>",
        "<p>unclosed <b>bold <i>italic",
        "<table><tr><td><table><tr><td>cell</td></tr></table></td></tr></table>",
        "<svg><script>alert(1)</script></svg>",
        "<!-- only a comment -->",
        "\x00\x01 binary-ish",
    ],
)
def test_odd_markup_gives_an_article_or_a_plain_error(html: str) -> None:
    message = ""
    try:
        article = extract_html(html, source="odd.html")
    except NotAnArticleError as exc:
        message = str(exc)
    if message:
        assert "odd.html" in message
    else:
        assert "<script" not in article.html
