"""Reading an article from the web in the core: the page, its article and its pictures."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.article import Article
from reader.core.errors import NotAnArticleError, ReaderError
from reader.core.fetch import FetchCancelled
from reader.core.load import Page, load_path
from reader.core.web import (
    extract_page,
    fetch_article,
    inline_pictures,
    pictures_by_src,
)
from tests.httpserver import TestServer, page, serve, without_proxies

HARBOUR = Path(__file__).parents[1] / "fixtures" / "library" / "harbour.html"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 24
GIF = b"GIF89a" + b"\0" * 24


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    without_proxies(monkeypatch)


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serve() as srv:
        srv.route("/news/harbour.html", page(HARBOUR.read_bytes()))
        srv.route("/news/harbour.png", page(PNG, "image/png"))
        yield srv


def _as_written(page: Page) -> Article:
    """An extractor that keeps the page's HTML as it is (relative ``src`` and all)."""
    return Article(title="As written", html=page.html)


def test_fetch_article_extracts_and_downloads_the_pictures(server: TestServer) -> None:
    url = server.url("/news/harbour.html")
    fetched = fetch_article(url)
    assert fetched.url == url
    assert fetched.article.source == url
    assert "breakwater" in fetched.article.text
    picture = server.url("/news/harbour.png")
    assert picture in fetched.article.html  # the extractor made it absolute
    assert fetched.pictures == {picture: PNG}


def test_pictures_are_keyed_by_src_as_written_when_the_page_has_its_own_base(
    server: TestServer,
) -> None:
    server.route("/pics/a.png", page(PNG, "image/png"))
    html = b'<html><head><base href="/pics/"></head><body><p><img src="a.png"></p></body></html>'
    url = server.route("/other/page.html", page(html))
    fetched = fetch_article(url, _as_written)
    absolute = server.url("/pics/a.png")
    assert fetched.pictures == {absolute: PNG, "a.png": PNG}
    assert [s.path for s in server.seen].count("/pics/a.png") == 1


def test_progress_is_reported_and_a_cancel_stops_the_fetch(server: TestServer) -> None:
    cancel = threading.Event()
    seen: list[tuple[int, int | None]] = []

    def progress(received: int, total: int | None) -> None:
        seen.append((received, total))
        cancel.set()

    with pytest.raises(FetchCancelled, match="was cancelled"):
        fetch_article(
            server.url("/news/harbour.html"), _as_written, progress=progress, cancel=cancel
        )
    assert seen
    assert not any(s.path == "/news/harbour.png" for s in server.seen)


def test_an_extractor_bug_is_one_sentence(server: TestServer) -> None:
    def broken(page: Page) -> Article:
        raise KeyError("oops")

    url = server.url("/news/harbour.html")
    with pytest.raises(ReaderError) as caught:
        fetch_article(url, broken)
    assert type(caught.value) is ReaderError
    assert str(caught.value) == f"{url} could not be shown: the article could not be extracted."


def test_reader_errors_from_the_extractor_pass_unchanged(tmp_path: Path) -> None:
    menu = tmp_path / "menu.html"
    menu.write_text("<ul><li><a href='/'>Home</a></li></ul>", encoding="utf-8")

    def refuses(page: Page) -> Article:
        raise NotAnArticleError(f"{page.source} holds no article.")

    with pytest.raises(NotAnArticleError, match="holds no article"):
        extract_page(load_path(menu), refuses, name=str(menu))


def test_extract_page_fills_in_the_source_when_the_extractor_leaves_it_out() -> None:
    bare = Page(html="<p>x</p>", base_url=None, source=None, encoding="utf-8")
    assert extract_page(bare, _as_written, name="typed.html").source == "typed.html"
    known = Page(html="<p>x</p>", base_url=None, source="https://example.org/a", encoding="utf-8")
    assert extract_page(known, _as_written, name="a").source == "https://example.org/a"

    def with_source(page: Page) -> Article:
        return Article(html=page.html, source="kept")

    assert extract_page(known, with_source, name="a").source == "kept"


def test_pictures_by_src_adds_each_src_that_resolves_to_a_download() -> None:
    html = (
        '<img src="a.png#top"><img src=" b&amp;c.png "><img src="missing.png">'
        '<img src="https://cdn.example.org/d.png">'
    )
    got = {
        "https://example.org/x/a.png": PNG,
        "https://example.org/x/b&c.png": GIF,
        "https://cdn.example.org/d.png": PNG,
    }
    assert pictures_by_src(html, "https://example.org/x/", got) == got | {
        "a.png#top": PNG,
        "b&c.png": GIF,
    }


def test_inline_pictures_makes_known_pictures_data_urls() -> None:
    article = Article(
        html='<p><img src="a.png" alt="A"><img src="odd.bin"><img src="gone.png"></p>'
    )
    shown = inline_pictures(article, {"a.png": PNG, "odd.bin": b"not a picture"})
    encoded = base64.b64encode(PNG).decode("ascii")
    assert shown.html == (
        f'<p><img src="data:image/png;base64,{encoded}" alt="A">'
        '<img src="odd.bin"><img src="gone.png"></p>'
    )
    assert inline_pictures(article, {}) is article
