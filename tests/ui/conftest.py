"""Window fixtures: a prepared QApplication, a stand-in extractor, a window per config folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from reader.app import AppContext, prepare_application
from reader.core.article import Article
from reader.core.errors import NotAnArticleError
from reader.core.load import Page
from reader.core.sanitize import sanitize_html
from reader.core.settings import SettingsStore
from reader.ui.main_window import MainWindow

HERE = Path(__file__).parent
ARTICLE = HERE / "article.html"


@pytest.fixture(autouse=True)
def _no_dialogs_or_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """A modal dialog would block an offscreen test and no browser may open: fail loudly.

    A test that expects a link to open patches ``QDesktopServices.openUrl`` again itself.
    """

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a modal dialog or a browser was opened")

    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, refuse)
    monkeypatch.setattr(QDesktopServices, "openUrl", refuse)


def simple_extract(page: Page) -> Article:
    """A stand-in for the core extractor: the window tests test the window, not extraction."""
    soup = BeautifulSoup(page.html, "lxml")
    node = soup.find("article")
    if node is None:
        raise NotAnArticleError(f"{page.source} does not look like an article.")
    title = node.find("h1")
    byline = node.find(class_="byline")
    published = soup.find("meta", property="article:published_time")
    title_text = title.get_text(strip=True) if title else ""
    byline_text = byline.get_text(strip=True).removeprefix("By ") if byline else None
    for extra in (title, byline):
        if extra is not None:
            extra.decompose()
    body = sanitize_html(node.decode_contents())
    return Article(
        title=title_text,
        byline=byline_text,
        published=str(published["content"]) if published else None,
        place="Millbrook",
        lang=str(soup.html.get("lang") or "") or None if soup.html else None,
        html=body,
        text=BeautifulSoup(body, "lxml").get_text(" "),
        source=page.source,
    )


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    """The test QApplication, styled like the program."""
    prepare_application(qapp)
    return qapp


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """The settings folder windows in one test share (a restart reuses it)."""
    return tmp_path / "config"


WindowFactory = Callable[[], MainWindow]


@pytest.fixture
def make_window(app: QApplication, qtbot: QtBot, config_dir: Path) -> Iterator[WindowFactory]:
    """Build a window on the shared config folder; each call is a fresh start of the program."""
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        ctx = AppContext.load(SettingsStore(config_dir), extract=simple_extract)
        window = MainWindow(ctx)
        window.ask_path = lambda: None  # type: ignore[method-assign]  # no modal dialogs
        window.ask_font = lambda _current: None  # type: ignore[method-assign]
        qtbot.addWidget(window)
        if ctx.settings.window_geometry is None:  # a restart keeps the restored geometry
            window.resize(1000, 760)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def open_file(window: MainWindow, path: Path) -> None:
    """Open ``path`` as File > Open does, then let the event loop run what follows the paint
    (keeping the article in the library), as it does between a user's actions."""
    assert window.open_path(path)
    settle()


LONG_WORDS = ("characterisation", "responsibilities", "internationally", "photosynthesis")


def long_word_rows(columns: int, rows: int, *, numbered: bool = False) -> str:
    """Table rows of long words, shifted by one a row: too wide side by side for a narrow
    column. ``numbered``: each word followed by its row's number."""
    return "".join(
        "<tr>"
        + "".join(
            f"<td>{LONG_WORDS[(row + column) % 4]}{f' {row}' if numbered else ''}</td>"
            for column in range(columns)
        )
        + "</tr>"
        for row in range(rows)
    )


def wait_tables_fitted(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the view has fitted its tables to its new size (a moment after a resize,
    which itself may lay a long article out again first)."""
    qtbot.wait(20)
    qtbot.waitUntil(lambda: not window.view.tables_pending, timeout=5000)


def settle() -> None:
    """Run the events and zero-time timers queued so far."""
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    """A window showing the fixture article."""
    w = make_window()
    open_file(w, ARTICLE)
    return w
