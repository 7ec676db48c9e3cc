"""Addresses in an article: one rule in the extractor and the view (reader.core.urls)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.extract import extract
from reader.core.load import find_web_address, load_path
from reader.core.present import document_html
from reader.core.urls import absolute_url, is_local_file_url

SAVED = "file:///home/ann/saved/page.html"


@pytest.mark.parametrize(
    ("base", "url", "expected"),
    [
        (SAVED, "//upload.example.org/a.png", "https://upload.example.org/a.png"),
        (SAVED, " //example.org/wiki/Bridge ", "https://example.org/wiki/Bridge"),
        ("FILE:///home/ann/page.html", "//example.org/x", "https://example.org/x"),
        (
            "http://example.org/a/page.html",
            "//cdn.example.org/p.png",
            "http://cdn.example.org/p.png",
        ),
        ("https://example.org/a/", "//cdn.example.org/p.png", "https://cdn.example.org/p.png"),
        (SAVED, "pic.png", "file:///home/ann/saved/pic.png"),
        (SAVED, "/top.png", "file:///top.png"),
        ("https://example.org/a/", "../b", "https://example.org/b"),
        (SAVED, "#notes", "#notes"),
        (SAVED, "  ", ""),
        (None, " pic.png ", "pic.png"),
        ("https://example.org/", "http://[::1", "http://[::1"),  # malformed: as written
    ],
)
def test_absolute_url(base: str | None, url: str, expected: str) -> None:
    assert absolute_url(base, url) == expected


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("file:///tmp/p.png", True),
        ("FILE://localhost/tmp/p.png", True),
        ("file://upload.example.org/a.png", False),  # what the old rule made of "//upload..."
        ("https://example.org/p.png", False),
        ("p.png", False),
        ("file://[::1", False),
    ],
)
def test_is_local_file_url(url: str, local: bool) -> None:
    assert is_local_file_url(url) is local


def _saved_page(path: Path, head: str, ending: str) -> Path:
    """An article saved to ``path``: ``head`` in its <head>, ``ending`` after its text."""
    path.write_text(
        f"<html><head><title>Bridges of the valley</title>{head}</head><body><article>"
        "<h1>Bridges of the valley</h1>"
        + "<p>The old stone bridge crosses the river below the mill, and the new one carries "
        "the road to the station; both are described in the village history.</p>"
        * 4
        + f"{ending}</article></body></html>",
        encoding="utf-8",
    )
    return path


def test_a_saved_page_links_and_pictures_by_network_path_to_the_web(tmp_path: Path) -> None:
    page = _saved_page(
        tmp_path / "saved.html",
        "",
        '<p>See <a href="//example.org/wiki/Bridge">the encyclopedia</a> and '
        '<a href="notes.html">our notes</a>.</p>'
        '<p><img src="//upload.example.org/map.png" alt="A map of the valley"></p>',
    )
    article = extract(load_path(page))
    assert 'href="https://example.org/wiki/Bridge"' in article.html
    assert 'src="https://upload.example.org/map.png"' in article.html
    shown = document_html(article, images=True)
    # Offline, a picture from the web shows its alt text, not a blank.
    assert "[Picture: A map of the valley]" in shown
    assert "<img" not in shown


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<link rel="canonical" href="https://example.org/news/bridge">',
            "https://example.org/news/bridge",
        ),
        (
            "<link href='https://example.org/a?x=1&amp;y=2' rel='alternate canonical'>",
            "https://example.org/a?x=1&y=2",
        ),
        ('<meta property="og:url" content="http://example.org/b">', "http://example.org/b"),
        (
            (
                '<meta property="og:url" content="https://example.org/og">'
                '<link rel="canonical" href="https://example.org/canonical">'
            ),
            "https://example.org/canonical",
        ),
        ('<link rel="canonical" href="/news/bridge">', None),  # not absolute: says nothing
        ('<link rel="canonical" href="file:///home/ann/bridge.html">', None),
        ('<link rel="stylesheet" href="https://example.org/a.css">', None),
        ("", None),
    ],
)
def test_find_web_address(head: str, expected: str | None) -> None:
    assert find_web_address(f"<html><head>{head}</head><body><p>x</p></body></html>") == expected


def test_a_saved_page_that_names_its_address_keeps_its_relative_links(tmp_path: Path) -> None:
    page = _saved_page(
        tmp_path / "bridge.html",
        '<link rel="canonical" href="https://example.org/wiki/Bridges">',
        '<p>See <a href="/wiki/Mill">the mill</a>, <a href="Station">the station</a> and '
        '<a href="#history">the history</a>.</p>'
        '<p><img src="bridge_files/map.png" alt="A map of the valley"></p>',
    )
    article = extract(load_path(page))
    assert 'href="https://example.org/wiki/Mill"' in article.html
    assert 'href="https://example.org/wiki/Station"' in article.html
    assert 'href="#history"' in article.html
    # The picture is where the page was saved, next to it: not fetched from the web.
    assert f'src="{(tmp_path / "bridge_files" / "map.png").as_uri()}"' in article.html
