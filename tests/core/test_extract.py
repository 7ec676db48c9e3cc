"""The extractor on small pages we wrote: what comes out, in what order, and what never does."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.article import Article
from reader.core.errors import NotAnArticleError
from reader.core.extract import extract, extract_html, is_probably_article
from reader.core.load import load_path

PAGES = Path(__file__).parent.parent / "fixtures" / "extract"
BASE = "https://news.example.org/section/story.html"


def _page(name: str, base_url: str = BASE) -> Article:
    return extract_html((PAGES / name).read_text(encoding="utf-8"), base_url=base_url)


def _blocks(article: Article) -> list[str]:
    return article.text.split("\n\n")


def test_origin_page_keeps_only_lead_body_and_dateline_in_order() -> None:
    article = _page("origin.html")
    blocks = _blocks(article)
    assert article.title == "Parliament approves new water law"
    assert blocks[0].startswith("The Jogorku Kenesh adopted on Thursday")
    assert blocks[1].startswith("Deputies voted 78 to 4")
    assert blocks[-2].startswith("The law still needs the President's signature.")
    assert blocks[-1] == "December 5, 2002, Bishkek"
    assert len(blocks) == 6


@pytest.mark.parametrize(
    "furniture",
    [
        "Select font",
        "Times New Roman",
        "Kerning",
        "Font size",
        "Site colours",
        "Home",
        "News /",
        "Tags",
        "Facebook",
        "Related news",
        "irrigation budget",
        "All rights reserved",
    ],
)
def test_origin_page_drops_furniture(furniture: str) -> None:
    article = _page("origin.html")
    assert furniture not in article.text
    assert furniture not in article.html


def test_origin_page_dateline_gives_date_and_place() -> None:
    article = _page("origin.html")
    assert article.published == "2002-12-05"
    assert article.place == "Bishkek"
    assert article.lang == "en"


def test_origin_page_title_heading_not_repeated_in_body() -> None:
    article = _page("origin.html")
    assert "<h1" not in article.html
    assert article.title not in article.text


def test_text_has_one_blank_line_between_blocks() -> None:
    article = _page("origin.html")
    assert "\n\n" in article.text
    assert "\n\n\n" not in article.text
    assert all(block == block.strip() for block in _blocks(article))
    assert 150 < article.word_count < 250
    assert article.reading_minutes == 1


def test_lazy_images_get_real_sources_and_keep_alt_text() -> None:
    html = _page("lazy_images.html", "https://travel.example/walks/canal.html").html
    assert 'src="https://travel.example/photos/canal-morning.jpg"' in html  # data-src
    assert 'src="https://travel.example/photos/bridge-1200.jpg"' in html  # data-srcset
    assert 'src="https://cdn.example.org/photos/pumping-station.jpg"' in html  # noscript
    assert 'src="https://travel.example/photos/valley.webp"' in html  # picture/source
    for alt in ("The canal at dawn", "A wooden footbridge", "The pumping station at sunset"):
        assert alt in html
    assert "placeholder.png" not in html
    assert "blank.gif" not in html
    assert "data:image/gif" not in html


def test_links_are_made_absolute() -> None:
    html = _page("lazy_images.html", "https://travel.example/walks/canal.html").html
    assert 'href="https://travel.example/villages/kant.html"' in html
    assert 'href="https://travel.example/history/canal.html"' in html


def test_figure_captions_are_text() -> None:
    article = _page("lazy_images.html")
    assert "Morning on the canal near Kant." in _blocks(article)


def test_structures_are_kept() -> None:
    article = _page("structures.html")
    html = article.html
    for tag in ("<ol>", "<ul>", "<table>", "<caption>", "<th>", "<figure>", "<figcaption>"):
        assert tag in html
    assert "<blockquote>" in html
    assert "<pre><code>flow = width * mean_depth * mean_speed * 0.8</code></pre>" in html
    assert 'alt="Cross-section of the river with depth marks"' in html
    assert "Time the orange as it floats ten metres downstream, three times." in _blocks(article)


@pytest.mark.parametrize(
    "hidden",
    [
        "hidden with the hidden attribute",
        "hidden with display none",
        "hidden from assistive technology",
        "invisible words",
    ],
)
def test_hidden_elements_are_dropped(hidden: str) -> None:
    article = _page("structures.html")
    assert hidden not in article.text
    assert hidden not in article.html


@pytest.mark.parametrize(
    "active",
    ["<script", "injected", "onclick", "onerror", "javascript:", "<iframe", "<form", "<input"],
)
def test_nothing_active_leaves_the_extractor(active: str) -> None:
    article = _page("structures.html")
    assert active not in article.html.lower()
    assert "Write to us" in article.text  # the javascript: link's words stay, as plain text


def test_is_probably_article() -> None:
    assert is_probably_article((PAGES / "origin.html").read_text(encoding="utf-8"))
    assert is_probably_article(load_path(PAGES / "lazy_images.html"))
    assert not is_probably_article(load_path(PAGES / "not_article.html"))
    assert not is_probably_article("<html><body><p>Too short.</p></body></html>")


def test_not_an_article_raises_a_sentence_naming_the_source() -> None:
    page = load_path(PAGES / "not_article.html")
    with pytest.raises(NotAnArticleError) as caught:
        extract(page)
    message = str(caught.value)
    assert str(PAGES / "not_article.html") in message
    assert message.endswith(".")
    assert "\n" not in message


def test_empty_page_is_not_an_article() -> None:
    with pytest.raises(NotAnArticleError):
        extract_html("<html><body></body></html>", source="empty.html")


def test_cyrillic_page_in_windows_1251() -> None:
    article = extract(load_path(PAGES / "cyrillic.html"))
    blocks = _blocks(article)
    assert article.title == "Парламент одобрил новый закон о воде"
    assert article.byline == "Айгуль Токтосунова"
    assert article.lang == "ru"
    assert blocks[0].startswith("Жогорку Кенеш в четверг принял закон")
    assert blocks[-1] == "5 декабря 2002 года, Бишкек"
    assert article.published == "2002-12-05"
    assert article.place == "Бишкек"
    assert "шрифта" not in article.text
    assert "Кернинг" not in article.text
    assert "Главная" not in article.text


def test_source_is_recorded() -> None:
    page = load_path(PAGES / "origin.html")
    assert extract(page).source == page.source


def test_read_more_links_and_share_bars_inside_the_article_are_dropped() -> None:
    paragraph = (
        "<p>The canal was dug in 1941 by tens of thousands of farmers with spades, and eighty "
        "years later it still carries water across the whole valley, past poplars.</p>"
    )
    html = (
        "<html><body><article class='post'>"
        + paragraph * 4
        + "<p><a href='/more'>Read more</a></p>"
        + "<div class='share'><a href='https://fb.example/s'>Share on Facebook</a></div>"
        + paragraph
        + "</article></body></html>"
    )
    article = extract_html(html, base_url=BASE)
    assert article.text.count("The canal was dug in 1941") == 5
    assert "Read more" not in article.text
    assert "Share on Facebook" not in article.text


def test_share_bars_nested_in_each_other_and_after_a_dropped_form_are_dropped() -> None:
    paragraph = (
        "<p>The canal was dug in 1941 by tens of thousands of farmers with spades, and eighty "
        "years later it still carries water across the whole valley, past poplars.</p>"
    )
    html = (
        "<html><body><article class='post'>"
        + paragraph * 3
        + "<form class='signup'><input name=email><div class='share'>Share in a form</div></form>"
        + "<div class='sharedaddy'><div class='share'><a href='/s'>Share inside</a></div>"
        + "<span class='share'>Share twice</span></div>"
        + paragraph
        + "<section><p class='share'>Share deep</p></section>"
        + "</article></body></html>"
    )
    article = extract_html(html, base_url=BASE)
    assert article.text.count("The canal was dug in 1941") == 4
    assert "Share" not in article.text


def test_a_dateline_inside_an_unwrapped_link_after_a_dropped_picture_is_found() -> None:
    paragraph = (
        "<p>The canal was dug in 1941 by tens of thousands of farmers with spades, and eighty "
        "years later it still carries water across the whole valley, past poplars.</p>"
    )
    html = (
        "<html><body><article><p><img alt='no source'></p>"
        "<p><a href='javascript:void(0)'><span>December 5, 2002, Bishkek</span></a></p>"
        + paragraph * 4
        + "</article></body></html>"
    )
    article = extract_html(html, base_url=BASE)
    assert (article.published, article.place) == ("2002-12-05", "Bishkek")


def test_the_place_comes_from_a_later_dateline_of_the_same_date() -> None:
    paragraph = (
        " The canal was dug in 1941 by tens of thousands of farmers with spades, and eighty "
        "years later it still carries water across the whole valley, past poplars.</p>"
    )
    html = (
        "<html><body><article><p class='meta'><time>5 December 2002, 09:30</time></p>"
        "<p><strong>CHUY VALLEY, 4 December 2002.</strong>"
        + paragraph  # another day: no
        + "<p><strong>BISHKEK, 5 December 2002.</strong>"
        + paragraph
        + ("<p>" + paragraph) * 3
        + "</article></body></html>"
    )
    article = extract_html(html, base_url=BASE)
    assert (article.published, article.place) == ("2002-12-05", "Bishkek")
    # with no dateline naming a place, the date still comes from the first one
    article = extract_html(html.replace("BISHKEK, ", ""), base_url=BASE)
    assert (article.published, article.place) == ("2002-12-05", None)


@pytest.mark.parametrize(
    "later",
    [
        "<ul><li>5 December 2002, John Smith</li></ul>",  # not the wire-service form
        "<p><small>BISHKEK, 5 December 2002</small></p>",  # too far down: another story's
    ],
)
def test_no_place_from_further_down_the_article(later: str) -> None:
    paragraph = (
        "<p>The canal was dug in 1941 by tens of thousands of farmers with spades, and 80 "
        "years later it still carries water across the whole valley, past 300 poplars.</p>"
    )
    html = (
        "<html><body><article><p class='meta'><time>5 December 2002, 09:30</time></p>"
        + paragraph * 6
        + later
        + "</article></body></html>"
    )
    article = extract_html(html, base_url=BASE)
    assert (article.published, article.place) == ("2002-12-05", None)
