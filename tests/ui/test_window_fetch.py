"""Reading from the web in the window: address field, progress, cancel, errors, local pictures.

A real HTTP server on 127.0.0.1 serves the pages; nothing reaches the internet, no dialog or
browser opens, and the view is watched to prove it never loads anything from the network.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.ui import fetch_worker
from reader.ui.article_view import ArticleView
from reader.ui.main_window import MainWindow
from tests.httpserver import TestServer, page, serve, stall, without_proxies

from .conftest import ARTICLE, WindowFactory

PICTURE = (ARTICLE.parent / "picture.png").read_bytes()
WAIT_MS = 15_000


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy from the machine: the test server is on 127.0.0.1."""
    without_proxies(monkeypatch)


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every URL the article view is asked to load."""
    urls: list[str] = []
    original = ArticleView.loadResource

    def spy(self: ArticleView, kind: int, url: QUrl | str) -> object:
        urls.append(url.toString() if isinstance(url, QUrl) else url)
        return original(self, kind, url)

    monkeypatch.setattr(ArticleView, "loadResource", spy)
    return urls


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serve() as srv:
        srv.route("/news/bridge.html", page(ARTICLE.read_bytes()))
        srv.route("/news/picture.png", page(PICTURE, "image/png"))
        yield srv


@pytest.fixture
def window(make_window: WindowFactory, qtbot: QtBot) -> Iterator[MainWindow]:
    w = make_window()
    yield w
    w.close()
    w.ctx.close()
    qtbot.waitUntil(lambda: not fetch_worker._RUNNING, timeout=WAIT_MS)  # no thread outlives


def _type_address(window: MainWindow, qtbot: QtBot, url: str) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    # The menus' actions and shortcuts come right after the first paint, as for a user.
    qtbot.waitUntil(lambda: bool(window.file_menu.actions()))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    field = window.address_bar.field
    assert QApplication.focusWidget() is field
    qtbot.keyClicks(field, url)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def _wait_fetched(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not window.is_fetching(), timeout=WAIT_MS)


def test_a_page_from_the_address_field_is_shown_from_the_library(
    window: MainWindow, qtbot: QtBot, server: TestServer, loaded: list[str]
) -> None:
    url = server.url("/news/bridge.html")
    progress: list[int] = []
    window.fetch_status.bar.valueChanged.connect(progress.append)
    _type_address(window, qtbot, url)
    assert window.is_fetching()
    status = window.fetch_status
    assert status.isVisible()  # progress and Cancel while it runs
    assert status.bar.accessibleName() == "Download progress"
    assert status.cancel_button.accessibleName() == "Cancel download"
    _wait_fetched(window, qtbot)
    assert progress[-1] == 1000  # the bar followed the page to its end

    assert not status.isVisible()
    assert not window.message_bar.isVisible()
    assert window.view.toPlainText().startswith("A bridge for the mill village")
    assert window.address_bar.field.text() == url
    library = window.ctx.library
    assert library is not None
    assert window.library_id is not None
    entry = library.get(window.library_id)
    assert entry.article.source == url
    assert len(entry.pictures) == 1
    assert [s.path for s in server.seen] == ["/news/bridge.html", "/news/picture.png"]

    pictures = [u for u in loaded if "picture" in u or "reader" in u]
    assert pictures  # the picture was shown...
    assert all(u.startswith("file:") for u in pictures)  # ...from the library's copy
    assert not any(u.lower().startswith(("http:", "https:")) for u in loaded)
    assert window.ctx.settings.last_article == f"library:{window.library_id}"


def test_with_keep_off_pictures_are_inlined_and_nothing_is_kept(
    window: MainWindow, qtbot: QtBot, server: TestServer, loaded: list[str]
) -> None:
    window.keep_action.trigger()
    window.open_url(server.url("/news/bridge.html"))
    _wait_fetched(window, qtbot)
    assert window.view.toPlainText().startswith("A bridge for the mill village")
    assert window.library_id is None
    assert window.ctx.library is not None
    assert len(window.ctx.library) == 0
    assert any(u.startswith("data:image/png") for u in loaded)
    assert not any(u.lower().startswith(("http:", "https:")) for u in loaded)

    window.save_action.trigger()  # Ctrl+S keeps it with its downloaded picture
    assert window.library_id is not None
    assert len(window.ctx.library.get(window.library_id).pictures) == 1
    assert len(server.seen) == 2  # and fetched nothing again


def test_cancel_on_a_slow_server_keeps_the_article(
    window: MainWindow, qtbot: QtBot, server: TestServer
) -> None:
    assert window.open_path(ARTICLE)
    before = window.view.toPlainText()
    url = server.route("/slow.html", stall(30))
    window.open_url(url)
    assert window.fetch_status.isVisible()
    qtbot.mouseClick(window.fetch_status.cancel_button, Qt.MouseButton.LeftButton)
    assert not window.is_fetching()
    assert not window.fetch_status.isVisible()
    assert window.statusBar().currentMessage() == f"Stopped fetching {url}."
    qtbot.waitUntil(lambda: not fetch_worker._RUNNING, timeout=WAIT_MS)  # the thread ended
    assert window.view.toPlainText() == before
    assert not window.message_bar.isVisible()


def test_escape_cancels_too(window: MainWindow, qtbot: QtBot, server: TestServer) -> None:
    window.open_url(server.route("/slow.html", stall(30)))
    assert window.cancel_action.isEnabled()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not window.is_fetching()
    assert not window.cancel_action.isEnabled()


def test_escape_in_the_find_bar_closes_it_and_the_fetch_goes_on(
    window: MainWindow, qtbot: QtBot, server: TestServer
) -> None:
    window.find()
    window.open_url(server.route("/slow.html", stall(30)))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.find_bar.field.setFocus()
    qtbot.waitUntil(window.find_bar.field.hasFocus)
    qtbot.keyClick(window.find_bar.field, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.is_fetching()  # Esc there was the bar's, not Stop Fetching
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)  # in the article, it stops the fetch
    assert not window.is_fetching()


def test_a_404_is_one_sentence_in_the_window(
    window: MainWindow, qtbot: QtBot, server: TestServer
) -> None:
    assert window.open_path(ARTICLE)
    before = window.view.toPlainText()
    url = server.url("/gone.html")
    window.open_url(url)
    _wait_fetched(window, qtbot)
    message = window.message_bar.label.text()
    assert message == f"The server answered 404 Not Found for {url}."
    assert window.message_bar.isVisible()
    assert window.statusBar().currentMessage() == message
    assert window.view.toPlainText() == before


def test_not_a_web_address(window: MainWindow) -> None:
    window.open_url("ftp://example.org/file")
    assert not window.is_fetching()
    assert "is not a web address" in window.message_bar.label.text()


def test_a_typed_address_without_scheme_gets_https(window: MainWindow) -> None:
    started: list[str] = []
    window.open_url = started.append  # type: ignore[method-assign]  # the server has no TLS
    window.address_bar.submitted.disconnect()
    window.address_bar.submitted.connect(window.open_url)
    window.address_bar.field.setText("example.org/news")
    window.address_bar.button.click()
    assert started == ["https://example.org/news"]


def test_dropping_a_web_address_fetches_it(
    window: MainWindow, qtbot: QtBot, server: TestServer
) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl(server.url("/news/bridge.html"))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.is_fetching()
    _wait_fetched(window, qtbot)
    assert window.view.toPlainText().startswith("A bridge for the mill village")


def test_reader_url_at_start_fetches_it(
    window: MainWindow, qtbot: QtBot, server: TestServer
) -> None:
    window.open_initial(server.url("/news/bridge.html"))
    _wait_fetched(window, qtbot)
    assert window.view.toPlainText().startswith("A bridge for the mill village")


def test_a_newer_request_wins(window: MainWindow, qtbot: QtBot, server: TestServer) -> None:
    window.open_url(server.route("/slow.html", stall(30)))
    window.open_url(server.url("/news/bridge.html"))
    _wait_fetched(window, qtbot)
    assert window.view.toPlainText().startswith("A bridge for the mill village")
    qtbot.waitUntil(lambda: not fetch_worker._RUNNING, timeout=WAIT_MS)
    assert not window.message_bar.isVisible()


def test_closing_during_a_fetch_stops_it(
    make_window: WindowFactory, qtbot: QtBot, server: TestServer
) -> None:
    window = make_window()
    window.open_url(server.route("/slow.html", stall(30)))
    assert window.is_fetching()
    window.close()
    window.ctx.close()
    assert not window.is_fetching()
    qtbot.waitUntil(lambda: not fetch_worker._RUNNING, timeout=WAIT_MS)
