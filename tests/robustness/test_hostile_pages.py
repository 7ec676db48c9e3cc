"""Hostile and broken pages through load and extract: an Article or one plain ReaderError.

The pages are built by ``bench/robustness.py``'s builders, at the sizes the issue names; the
bench prints the time and memory of the same cases.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bench import robustness as hostile
from reader.core.article import Article
from reader.core.errors import LoadError, ReaderError
from reader.core.extract import extract
from reader.core.limits import MAX_FIELD_CHARS, MAX_TITLE_CHARS
from reader.core.load import load_bytes, load_path
from tests.robustness.conftest import assert_inert

HARBOUR = "harbour master walked the length of the quay"
BISHKEK = "Мэрия Бишкека сообщила"


def outcome(data: bytes, tmp_path: Path, name: str = "page.html") -> Article | ReaderError:
    """Load ``data`` from a file called ``name`` and extract it; return the error, if any."""
    path = tmp_path / name
    path.write_bytes(data)
    try:
        article = extract(load_path(path))
    except ReaderError as err:
        message = str(err)
        assert str(path) in message, "the error names the file"
        assert "\n" not in message
        assert "Traceback" not in message
        return err
    assert_inert(article.html)
    return article


def _article(result: Article | ReaderError) -> Article:
    assert isinstance(result, Article), f"expected an article, got: {result}"
    return result


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "is empty"),
        (b"  \n\t\r\n  ", "is empty"),
        (hostile.random_bytes(65536), "binary data"),
        (b"\x89PNG\r\n\x1a\n" + hostile.random_bytes(2048), "PNG image"),
        (b"\xff\xd8\xff\xe0" + hostile.random_bytes(2048), "JPEG image"),
        (b"%PDF-1.7\n" + hostile.random_bytes(2048), "PDF document"),
        (b"\x7fELF\x02\x01\x01" + hostile.random_bytes(2048), "a program"),
        (hostile.article_html().encode().replace(b" ", b" \x00"), "binary data"),
        (gzip.compress(hostile.random_bytes(4096)), "binary data"),
        (b"\x1f\x8b\x08\x00garbage", "could not be unpacked"),
    ],
    ids=[
        "empty",
        "whitespace",
        "random",
        "png",
        "jpeg",
        "pdf",
        "elf",
        "nul-heavy",
        "gz-noise",
        "gz-bad",
    ],
)
def test_what_is_not_a_page_gets_one_plain_sentence(data: bytes, says: str, tmp_path: Path) -> None:
    result = outcome(data, tmp_path)
    assert isinstance(result, LoadError)
    assert says in str(result)


def test_a_gzip_bomb_is_refused_without_unpacking_it_all(tmp_path: Path) -> None:
    result = outcome(hostile.gzip_bomb(100), tmp_path)
    assert isinstance(result, LoadError)
    assert "unpacks to more than 64 MB" in str(result)


def test_gzip_compressed_page_is_read(tmp_path: Path) -> None:
    assert (
        HARBOUR in _article(outcome(gzip.compress(hostile.article_html().encode()), tmp_path)).text
    )


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    data = b"\xff\xfe" + hostile.article_html().encode("utf-16-le")
    assert HARBOUR in _article(outcome(data, tmp_path)).text


@pytest.mark.parametrize("charset", ["utf-8", "iso-8859-1", None])
def test_cyrillic_windows_1251_is_readable_whatever_the_declaration(
    charset: str | None, tmp_path: Path
) -> None:
    article = _article(outcome(hostile.cyrillic_html(charset), tmp_path))
    assert BISHKEK in article.text
    assert article.title == "Новости Бишкека"


def test_a_few_nul_bytes_are_dropped_and_the_article_read(tmp_path: Path) -> None:
    data = hostile.article_html().encode().replace(b"quay", b"qu\x00ay")
    article = _article(outcome(data, tmp_path))
    assert "\x00" not in article.text + article.html
    assert HARBOUR in article.text


# Characters no reader sees and XML tools refuse, and ways a page spells them.
UNSEEN = ["\x01", "\x0b", "\x1f", "\x7f", "\ufffe"]
SPELLINGS = [
    ("as is", lambda c: c),
    ("decimal reference", lambda c: f"&#{ord(c)};"),
    ("hex reference", lambda c: f"&#x{ord(c):X};"),
    ("reference without ;", lambda c: f"&#{ord(c)}"),
]


@pytest.mark.parametrize("spelling", SPELLINGS, ids=[name for name, _ in SPELLINGS])
def test_control_characters_reach_no_field_however_spelled(
    spelling: tuple[str, Callable[[str], str]], tmp_path: Path
) -> None:
    marks = "".join(map(spelling[1], UNSEEN))
    page = hostile.article_html(
        title=f"Harbour{marks} news", head=f'<meta name="author" content="Ann{marks} Lee">'
    ).replace("quay", f"qu{marks}ay")
    article = _article(outcome(page.encode(), tmp_path))
    fields = [article.title, article.byline or "", article.text, article.html]
    assert [c for c in UNSEEN if any(c in field for field in fields)] == []
    assert_inert(article.html)  # lxml refuses such characters: this parses the whole
    assert HARBOUR in article.text
    assert (article.title, article.byline) == ("Harbour news", "Ann Lee")


def test_control_characters_a_json_ld_escape_spells_reach_no_field(tmp_path: Path) -> None:
    escaped = "".join(f"\\u{ord(c):04x}" for c in UNSEEN)  # as JSON writes them: \u0001...
    data = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", '
        f'"headline": "Harbour{escaped} news", "author": {{"name": "Ann{escaped} Lee"}}}}'
    )
    page = hostile.article_html(head=f'<script type="application/ld+json">{data}</script>')
    article = _article(outcome(page.encode(), tmp_path))
    assert (article.title, article.byline) == ("Harbour news", "Ann Lee")


@pytest.mark.parametrize("char", UNSEEN)
def test_the_sanitiser_drops_what_a_reference_spells(char: str) -> None:
    from reader.core.sanitize import sanitize_html

    spelled = f'<p title="a&#{ord(char)};b">x&#x{ord(char):x};y</p>'
    assert sanitize_html(spelled) == '<p title="ab">xy</p>'


def test_no_named_reference_spells_a_character_the_sanitiser_drops() -> None:
    """What reader.core.characters relies on: only numeric references need taking out."""
    import html.entities
    import re

    from reader.core.characters import UNSAFE

    assert [name for name, text in html.entities.html5.items() if re.search(UNSAFE, text)] == []


def test_an_rss_feed_ends_in_an_article_or_a_sentence(tmp_path: Path) -> None:
    result = outcome(hostile.rss_feed(), tmp_path, "feed.xml")
    if isinstance(result, Article):
        assert "harbour master" in result.text


def test_a_1_mb_title_is_clipped(tmp_path: Path) -> None:
    article = _article(outcome(hostile.big_title(1), tmp_path))
    assert 0 < len(article.title) <= MAX_TITLE_CHARS
    assert article.title.startswith("Harbour Harbour")
    assert HARBOUR in article.text


def test_a_10_mb_attribute_is_dropped_and_the_article_kept(tmp_path: Path) -> None:
    article = _article(outcome(hostile.big_attribute(10), tmp_path))
    assert HARBOUR in article.text
    assert len(article.html) < 100_000
    assert article.excerpt is None or len(article.excerpt) <= MAX_FIELD_CHARS


def test_100000_deep_nesting_keeps_the_text(tmp_path: Path) -> None:
    article = _article(outcome(hostile.deep_nesting(100_000), tmp_path))
    assert HARBOUR in article.text


def test_100000_deep_unclosed_inline_tags_keep_the_text(tmp_path: Path) -> None:
    article = _article(outcome(hostile.deep_nesting(100_000, "b", closed=False), tmp_path))
    assert HARBOUR in article.text


@pytest.mark.slow
def test_200000_unclosed_tags_after_an_article(tmp_path: Path) -> None:
    article = _article(outcome(hostile.unclosed_tags(200_000), tmp_path))
    assert HARBOUR in article.text


@pytest.mark.slow
def test_a_million_sibling_elements(tmp_path: Path) -> None:
    article = _article(outcome(hostile.siblings(1_000_000), tmp_path))
    assert HARBOUR in article.text


@pytest.mark.slow
def test_a_30_mb_page(tmp_path: Path) -> None:
    article = _article(outcome(hostile.big_page(30), tmp_path))
    assert HARBOUR in article.text
    assert "Related story" not in article.text


def test_a_page_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(LoadError, match="larger than 64 MB"):
        load_path(path)
    with pytest.raises(LoadError, match="larger than 64 MB"):
        load_bytes(b" " * (64 * 1024 * 1024 + 1), source="big.html")


def test_a_folder_and_a_missing_file_get_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a folder"):
        load_path(tmp_path)
    with pytest.raises(LoadError, match="does not exist"):
        load_path(tmp_path / "missing.html")


def test_devices_and_named_pipes_are_refused_without_reading(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="device or pipe"):
        load_path("/dev/zero")  # endless: reading it would never finish
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    with pytest.raises(LoadError, match="device or pipe"):
        load_path(fifo)
