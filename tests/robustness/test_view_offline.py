"""The article view fetches nothing: remote pictures, styles and scripts are never requested,
and javascript:, file: and data: links are not followed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.core.article import Article
from reader.core.extract import extract
from reader.core.load import load_path
from reader.core.settings import ReadingSettings
from reader.ui.article_view import ArticleView
from tests.httpserver import RequestHandler, TestServer, serve

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001a5f645400000000049454e44ae426082"
)
TEXT = "The harbour master walked the quay at dawn and counted the boats. " * 12


@pytest.fixture
def server() -> Iterator[TestServer]:
    """A local server that answers everything, so any request the view makes would show."""
    with serve() as srv:

        def answer(handler: RequestHandler) -> None:
            handler.send_body(PNG, content_type="image/png")

        srv.fallback = answer
        yield srv


def _hostile_html(origin: str) -> str:
    """Every way HTML can refer to a remote resource, with the server as the remote."""
    return (
        f"<link rel='stylesheet' href='{origin}/style.css'>"
        f"<style>@import url('{origin}/import.css');"
        f" p {{ background: url({origin}/bg.png) }}</style>"
        f"<script src='{origin}/script.js'></script>"
        f"<p style='background-image: url({origin}/inline.png)'>{TEXT}</p>"
        f"<img src='{origin}/picture.png' alt='boats'>"
        f"<img srcset='{origin}/small.png 1x, {origin}/big.png 2x'>"
        f"<table background='{origin}/table.png'><tr><td background='{origin}/td.png'>c</td></tr>"
        f"</table><input type='image' src='{origin}/input.png'>"
        f"<iframe src='{origin}/frame.html'></iframe><object data='{origin}/object.swf'></object>"
        f"<video poster='{origin}/poster.png' src='{origin}/video.mp4'></video>"
        f"<a href='{origin}/link.html'>a link</a>"
    )


def _show(qtbot: QtBot, article: Article, *, images: bool = True) -> tuple[ArticleView, list[str]]:
    """Show ``article``; also return every resource URL the document asked the view for."""
    view = ArticleView()
    asked: list[str] = []
    original = view.loadResource

    def spy(kind: int, url: QUrl | str) -> object:
        asked.append(url.toString() if isinstance(url, QUrl) else url)
        return original(kind, url)

    view.loadResource = spy  # type: ignore[method-assign]
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    view.show_article(article, ReadingSettings(images=images))
    qtbot.waitExposed(view)
    for _ in range(5):
        QApplication.processEvents()
    return view, asked


@pytest.mark.parametrize("images", [True, False])
def test_raw_hostile_html_in_the_view_requests_nothing(
    server: TestServer, qtbot: QtBot, images: bool, tmp_path: Path
) -> None:
    # Unsanitised on purpose: the view must hold even if something slipped past the sanitiser.
    html = _hostile_html(server.url(""))
    article = Article(title="Boats", html=html, text=TEXT, source=str(tmp_path / "page.html"))
    _, asked = _show(qtbot, article, images=images)
    qtbot.wait(200)
    assert [a for a in asked if a.startswith("http")], "Qt did ask for remote resources"
    assert server.seen == []


def test_a_web_article_with_remote_pictures_requests_nothing(
    server: TestServer, qtbot: QtBot
) -> None:
    html = f"<p>{TEXT}</p><img src='/picture.png' alt='boats'><p>{TEXT}</p>"
    article = Article(title="Boats", html=html, text=TEXT, source=server.url("/article.html"))
    view, _ = _show(qtbot, article)
    qtbot.wait(200)
    assert server.seen == []
    assert "[Picture: boats]" in view.toPlainText()


def test_a_local_file_extracted_and_shown_requests_nothing(
    server: TestServer, qtbot: QtBot, tmp_path: Path
) -> None:
    (tmp_path / "local.png").write_bytes(PNG)
    page = tmp_path / "page.html"
    body = _hostile_html(server.url("")) + "<img src='local.png' alt='local'>"
    page.write_text(
        f"<html><body><article><h1>Boats</h1>{body}<p>{TEXT}</p></article></body></html>"
    )
    article = extract(load_path(page))
    _, asked = _show(qtbot, article)
    qtbot.wait(200)
    assert server.seen == []
    assert any(a.endswith("local.png") for a in asked), "the local picture is shown"
    assert not [a for a in asked if a.startswith("http")]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "other.html",  # relative to a local file: a file: URL
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_script_and_file_links_are_not_followed(
    href: str, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr("reader.ui.article_view.QDesktopServices.openUrl", opened.append)
    article = Article(title="Links", html=f"<p>{TEXT}</p>", source=str(tmp_path / "page.html"))
    view, _ = _show(qtbot, article)
    with qtbot.waitSignal(view.message) as said:
        view.anchorClicked.emit(QUrl(href))
    assert opened == []
    assert "not opened" in said.args[0]


def test_web_links_open_in_the_browser(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr("reader.ui.article_view.QDesktopServices.openUrl", opened.append)
    article = Article(title="Links", html=f"<p>{TEXT}</p>", source=str(tmp_path / "page.html"))
    view, _ = _show(qtbot, article)
    view.anchorClicked.emit(QUrl("https://example.org/next"))
    assert [u.toString() for u in opened] == ["https://example.org/next"]
