"""Metadata from each source a page may use: JSON-LD, Open Graph, Twitter, Dublin Core, meta,
rel/itemprop author, <time> and written datelines; and Readability-style title cleaning."""

from __future__ import annotations

import pytest

from reader.core.extract import extract_html
from reader.core.extract.metadata import parse_dateline

BODY = """
<article>
  <h1>{heading}</h1>
  {byline}
  <p>Irrigation canals in the valley were dug by hand in the 1940s, and many of them have had
  no owner on paper since the collective farms were dissolved thirty years ago.</p>
  <p>Without an owner nobody is responsible for clearing silt, mending sluices or paying for
  the electricity of the pumping stations, and every spring the same villages run dry.</p>
  <p>The new law gives the small canals to the villages' water users and the trunk canals to
  the state, with a fee per hectare that may only be spent on maintenance of the network.</p>
</article>
"""


def page(head: str, *, heading: str = "Who owns the canals", byline: str = "") -> str:
    """A small article page with the given <head> content and an optional visible byline."""
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{head}</head>"
        f"<body>{BODY.format(heading=heading, byline=byline)}</body></html>"
    )


JSON_LD = """<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Water Weekly"},
  {"@type": "NewsArticle", "headline": "Who owns the canals",
   "author": [{"@type": "Person", "name": "Ainura Bekova"},
              {"@type": "Person", "name": "Tom Reed"}],
   "datePublished": "2021-03-04T09:30:00+06:00",
   "description": "A new law settles who must repair the valley's canals.",
   "image": {"@type": "ImageObject", "url": "https://img.example/canal.jpg"},
   "publisher": {"@type": "Organization", "name": "Water Weekly"}}
]}
</script>"""


def test_json_ld_graph() -> None:
    article = extract_html(page("<title>Who owns the canals - Water Weekly</title>" + JSON_LD))
    assert article.title == "Who owns the canals"
    assert article.byline == "Ainura Bekova, Tom Reed"
    assert article.published == "2021-03-04T09:30:00+06:00"
    assert article.site_name == "Water Weekly"
    assert article.excerpt == "A new law settles who must repair the valley's canals."
    assert article.lead_image == "https://img.example/canal.jpg"


def test_json_ld_list_of_objects_and_cdata() -> None:
    ld = (
        '<script type="application/ld+json">//<![CDATA[\n'
        '[{"@context": "http://schema.org", "@type": "BreadcrumbList"},'
        ' {"@context": "http://schema.org", "@type": "BlogPosting",'
        ' "headline": "Canal notes", "author": {"name": "Lena Park"}}]\n//]]></script>'
    )
    article = extract_html(page("<title>Canal notes</title>" + ld, heading="Canal notes"))
    assert article.title == "Canal notes"
    assert article.byline == "Lena Park"


def test_broken_json_ld_is_ignored() -> None:
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    article = extract_html(page("<title>Who owns the canals</title>" + ld))
    assert article.title == "Who owns the canals"


def test_open_graph_and_meta_author() -> None:
    head = """<title>Ignored title | Water Weekly</title>
    <meta property="og:title" content="Who owns the canals">
    <meta property="og:site_name" content="Water Weekly">
    <meta property="og:description" content="Canals, owners and a new law.">
    <meta property="og:image" content="/img/lead.jpg">
    <meta name="author" content="Ainura Bekova">"""
    article = extract_html(page(head), base_url="https://water.example/news/1")
    assert article.title == "Who owns the canals"
    assert article.site_name == "Water Weekly"
    assert article.excerpt == "Canals, owners and a new law."
    assert article.byline == "Ainura Bekova"
    assert article.lead_image == "https://water.example/img/lead.jpg"


def test_twitter_card_and_dublin_core() -> None:
    head = """<title>x</title>
    <meta name="twitter:title" content="Who owns the canals">
    <meta name="twitter:description" content="From the twitter card.">
    <meta name="DC.creator" content="Tom Reed">
    <meta name="DC.date" content="2020-11-02">"""
    article = extract_html(page(head))
    assert article.title == "Who owns the canals"
    assert article.excerpt == "From the twitter card."
    assert article.byline == "Tom Reed"
    assert article.published == "2020-11-02"


def test_article_published_time_property() -> None:
    head = (
        "<title>Who owns the canals</title>"
        '<meta property="article:published_time" content="2019-07-01T08:00:00Z">'
    )
    assert extract_html(page(head)).published == "2019-07-01T08:00:00Z"


def test_time_element_datetime() -> None:
    byline = '<p class="meta"><time datetime="2018-05-06">6 May 2018</time></p>'
    article = extract_html(page("<title>Who owns the canals</title>", byline=byline))
    assert article.published == "2018-05-06"


def test_itemprop_author_and_date() -> None:
    byline = (
        '<div><span itemprop="author">Lena Park</span>'
        '<meta itemprop="datePublished" content="2017-02-03"></div>'
    )
    article = extract_html(page("<title>Who owns the canals</title>", byline=byline))
    assert article.byline == "Lena Park"
    assert article.published == "2017-02-03"
    assert "Lena Park" not in article.text


def test_rel_author_byline() -> None:
    byline = '<p>By <a rel="author" href="/people/tom">Tom Reed</a></p>'
    article = extract_html(page("<title>Who owns the canals</title>", byline=byline))
    assert article.byline == "Tom Reed"


def test_byline_class() -> None:
    byline = '<div class="article-byline">By Ainura Bekova</div>'
    article = extract_html(page("<title>Who owns the canals</title>", byline=byline))
    assert article.byline == "By Ainura Bekova"
    assert "By Ainura Bekova" not in article.text


def test_a_byline_the_metadata_gives_stays_in_the_text_with_what_it_holds() -> None:
    """As Readability: the byline element is taken out of the article only when nothing else
    names the author. When the page's metadata does, the element stays, with the date it
    also held (taken out, it left "By | 2 May 2024" residue or lost the date)."""
    head = '<title>Who owns the canals</title><meta name="author" content="Ainura Bekova">'
    byline = '<p class="byline">By Ainura Bekova | 2 May 2024</p>'
    article = extract_html(page(head, byline=byline))
    assert article.byline == "Ainura Bekova"  # the metadata's
    assert "By Ainura Bekova | 2 May 2024" in article.text
    article = extract_html(page("<title>Who owns the canals</title>", byline=byline))
    assert article.byline == "By Ainura Bekova | 2 May 2024"  # only there: taken out
    assert "Ainura Bekova" not in article.text


def test_excerpt_falls_back_to_first_paragraph() -> None:
    article = extract_html(page("<title>Who owns the canals</title>"))
    assert article.excerpt is not None
    assert article.excerpt.startswith("Irrigation canals in the valley were dug by hand")


def test_lang_and_dir() -> None:
    html = page("<title>Who owns the canals</title>").replace(
        "<html lang='en'>", "<html lang='ar' dir='RTL'>"
    )
    article = extract_html(html)
    assert article.lang == "ar"
    assert article.dir == "rtl"


@pytest.mark.parametrize(
    ("html_attrs", "body_attrs", "wrapper", "expected"),
    [
        ("dir='ltr'", "dir='RTL'", "div", "rtl"),  # the nearer one wins, as in Readability
        ("", "", "main dir='rtl'", "rtl"),  # on a container of the article, not on <html>
        ("dir='rtl'", "", "div", "rtl"),
        ("", "", "div", None),
    ],
)
def test_direction_is_the_one_nearest_the_article(
    html_attrs: str, body_attrs: str, wrapper: str, expected: str | None
) -> None:
    tag = wrapper.split(maxsplit=1)[0]
    html = (
        f"<!DOCTYPE html><html lang='he' {html_attrs}><head><meta charset='utf-8'>"
        f"<title>Who owns the canals</title></head><body {body_attrs}><{wrapper}>"
        f"{BODY.format(heading='Who owns the canals', byline='')}</{tag}></body></html>"
    )
    assert extract_html(html).dir == expected


COLON_TITLE = "Canals: Who Owns Them — notes for the valley"
NBSP_TITLE = "Who owns\u00a0the canals in the valley"


@pytest.mark.parametrize(
    ("document_title", "expected"),
    [
        ("Who owns the canals in the valley | Water Weekly", "Who owns the canals in the valley"),
        ("Who owns the canals in the valley - Water Weekly", "Who owns the canals in the valley"),
        ("Who owns the canals in the valley / Water Weekly", "Who owns the canals in the valley"),
        ("Water Weekly: Who owns the canals in the valley", "Who owns the canals in the valley"),
        ("Home | Water Weekly", "Home | Water Weekly"),  # too short once cut: keep it whole
        ("Who owns the canals in the valley – Water Weekly", "Who owns the canals in the valley"),
        ("Who owns the canals in the valley — Water Weekly", "Who owns the canals in the valley"),
        # the part before the dash is four words: too short, so the title stays whole
        (COLON_TITLE, COLON_TITLE),
        # a non-breaking space around the dash separates too (only the separator goes)
        (f"{NBSP_TITLE}\u00a0–\u00a0Water Weekly", NBSP_TITLE),
    ],
)
def test_title_cleaning(document_title: str, expected: str) -> None:
    assert extract_html(page(f"<title>{document_title}</title>")).title == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("December 5, 2002, Bishkek", ("2002-12-05", "Bishkek")),
        ("Dec. 5, 2002", ("2002-12-05", None)),
        ("5 December 2002, Osh", ("2002-12-05", "Osh")),
        ("05.12.2002 Bishkek", ("2002-12-05", "Bishkek")),
        ("5 декабря 2002 года, Бишкек", ("2002-12-05", "Бишкек")),
        # a time is no place, with or without its zone
        ("27 November 2026, 09:30", ("2026-11-27", None)),
        ("5 December 2002, 10:15 GMT", ("2002-12-05", None)),
        ("5 December 2002 at 9.30 pm, Osh", ("2002-12-05", "Osh")),
        # the wire-service order: the place first, in capitals, written as in a sentence
        ("NORTHFIELD, 27 November 2026.", ("2026-11-27", "Northfield")),
        ("CAIRO — March 18, 2015", ("2015-03-18", "Cairo")),
        ("МОСКВА, 5 декабря 2002 г.", ("2002-12-05", "Москва")),
        ("ST. JOHN'S, Dec. 5, 2002", ("2002-12-05", "St. John's")),
        ("WINSTON-SALEM, N.C., Dec. 5, 2002", ("2002-12-05", "Winston-Salem, N.C.")),
        # a weekday before the date is no place
        ("Monday, December 5, 2002", ("2002-12-05", None)),
        ("MONDAY, DECEMBER 5, 2002", ("2002-12-05", None)),
        ("WEDS., Dec. 5, 2002", ("2002-12-05", None)),
        # time zones after the time, codes after a comma, small words inside a name
        ("December 5, 2002, 9:30 a.m. ET", ("2002-12-05", None)),
        ("5 декабря 2002 г., 10:00 МСК", ("2002-12-05", None)),
        ("LONDON, UK, Dec. 5, 2002", ("2002-12-05", "London, UK")),
        ("SAN FRANCISCO, CA, Dec. 5, 2002", ("2002-12-05", "San Francisco, CA")),
        ("PORT-AU-PRINCE, Dec. 5, 2002", ("2002-12-05", "Port-au-Prince")),
        ("5 December 2002, CAIRO", ("2002-12-05", "Cairo")),
    ],
)
def test_datelines(text: str, expected: tuple[str, str | None]) -> None:
    assert parse_dateline(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "February 30, 2002, Bishkek",  # no such day
        "Smarch 5, 2002",  # no such month
        "The meeting on December 5, 2002 in Bishkek decided nothing at all, as usual.",
        "John Smith, December 5, 2002",  # a name before the date: a byline, not a place
        "Last updated December 5, 2002",
        # capitals that are labels, sections, agencies or bylines, not places
        "UPDATED, 5 December 2002",
        "LAST UPDATED - December 5, 2002",
        "BY JOHN SMITH, Dec. 5, 2002",
        "AP, Dec. 5, 2002",
        "REUTERS — Dec. 5, 2002",
        "OPINION, 5 December 2002",
        "SATURDAY EDITION, Dec. 5, 2002",
        "ОБНОВЛЕНО, 5 декабря 2002 г.",
    ],
)
def test_not_datelines(text: str) -> None:
    assert parse_dateline(text) is None
