"""Addresses in an article: one rule in the extractor and the view (reader.core.urls)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.extract import extract
from reader.core.load import load_path
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


def test_a_saved_page_links_and_pictures_by_network_path_to_the_web(tmp_path: Path) -> None:
    page = tmp_path / "saved.html"
    page.write_text(
        "<html><head><title>Bridges of the valley</title></head><body><article>"
        "<h1>Bridges of the valley</h1>"
        + "<p>The old stone bridge crosses the river below the mill, and the new one carries "
        "the road to the station; both are described in the village history.</p>"
        * 4
        + '<p>See <a href="//example.org/wiki/Bridge">the encyclopedia</a> and '
        '<a href="notes.html">our notes</a>.</p>'
        '<p><img src="//upload.example.org/map.png" alt="A map of the valley"></p>'
        "</article></body></html>",
        encoding="utf-8",
    )
    article = extract(load_path(page))
    assert 'href="https://example.org/wiki/Bridge"' in article.html
    assert 'src="https://upload.example.org/map.png"' in article.html
    shown = document_html(article, images=True)
    # Offline, a picture from the web shows its alt text, not a blank.
    assert "[Picture: A map of the valley]" in shown
    assert "<img" not in shown
