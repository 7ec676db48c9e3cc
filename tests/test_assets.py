"""Bundled resources are read through reader.assets, from the installed reader.resources package."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib.resources import files

from reader import APP_ID, assets

SAMPLE = "sample/article.html"
ICON = f"icons/{APP_ID}.svg"


class _PageScan(HTMLParser):
    """Collects the <title>, <img> sources and JSON-LD blocks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.images: list[dict[str, str | None]] = []
        self.json_ld: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in = "title"
        elif tag == "script" and ("type", "application/ld+json") in attrs:
            self._in = "json_ld"
            self.json_ld.append("")
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("title", "script"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "json_ld":
            self.json_ld[-1] += data


def _scan(html: str) -> _PageScan:
    scan = _PageScan()
    scan.feed(html)
    scan.close()
    return scan


def test_sample_is_utf8_html_with_title() -> None:
    """The sample decodes as UTF-8, declares it, and has a title and an <article>."""
    raw = assets.read_bytes(SAMPLE)
    html = raw.decode("utf-8")  # raises if the file is not UTF-8
    assert html == assets.read_text(SAMPLE)
    assert '<meta charset="utf-8">' in html.lower()
    assert "<article" in html
    assert "dyslexia" in _scan(html).title.lower()


def test_sample_words_and_metadata() -> None:
    """The sample is a real-length article with JSON-LD the metadata stage can read."""
    scan = _scan(assets.read_text(SAMPLE))
    (block,) = scan.json_ld
    data = json.loads(block)
    assert data["@type"] == "NewsArticle"
    assert data["datePublished"].startswith("2026-11-27")
    assert data["headline"] in scan.title
    html = assets.read_text(SAMPLE)
    body = html[html.index("<article") : html.index("</article>")]
    words = re.sub(r"<[^>]+>", " ", body).split()
    assert 600 <= len(words) <= 1200


def test_sample_pictures_are_bundled_with_alt_text() -> None:
    """Every picture of the sample is a local bundled file and has alt text."""
    scan = _scan(assets.read_text(SAMPLE))
    assert scan.images
    for image in scan.images:
        src = image["src"]
        assert src
        assert "://" not in src
        assert image.get("alt")
        assert assets.read_bytes(f"sample/{src}").startswith(b"\x89PNG\r\n\x1a\n")


def test_icon_is_svg_and_has_a_real_path() -> None:
    """The app icon is well-formed square SVG and has a filesystem path for QIcon."""
    root = ET.fromstring(assets.read_bytes(ICON))  # raises on malformed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    _x, _y, width, height = root.get("viewBox", "").split()
    assert width == height  # square, as icon themes expect
    path = assets.resource_file(ICON)
    assert path.is_file()
    assert path.name == f"{APP_ID}.svg"


def test_resources_resolve_as_package_data() -> None:
    """The names resolve under the reader.resources package, as they will inside the wheel."""
    root = files("reader.resources")
    for name in (SAMPLE, ICON, "sample/letter-spacing.png"):
        assert root.joinpath(*name.split("/")).is_file(), name
    assert assets.resource(SAMPLE).name == "article.html"


def test_sample_header_names_who_when_and_where() -> None:
    """What `make run` shows first: the sample's date and place (from its dateline,
    "NORTHFIELD, 27 November 2026."), its paper once, then its own byline line, which the
    header does not repeat (its metadata names her too, so the line stays, as Readability
    keeps it)."""
    from reader.core.extract import extract_html
    from reader.core.present import header_html

    article = extract_html(assets.read_text(SAMPLE), source="sample")
    meta = header_html(article).split('<p class="meta">')[1].split("</p>")[0].split("<br/>")
    assert meta[:2] == ["27 November 2026, Northfield", "The Northfield Courier"]
    assert article.byline == "Maria Holm"
    assert article.text.startswith("By Maria Holm, culture reporter")
