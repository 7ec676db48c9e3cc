"""The window and the offline library: keep every article, Ctrl+S, the panel, positions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from reader.core.library import Library, default_path
from reader.ui.main_window import MainWindow

from .conftest import ARTICLE, WindowFactory, open_file, settle


@pytest.fixture
def windows(make_window: WindowFactory) -> Iterator[WindowFactory]:
    """Like make_window, and each window's library is closed at the end."""
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = make_window()
        made.append(window)
        return window

    yield make
    for window in made:
        window.close()
        window.ctx.close()


@pytest.fixture
def other_article(tmp_path: Path) -> Path:
    """A second article beside a copy of the fixture's picture."""
    folder = tmp_path / "pages"
    folder.mkdir()
    text = ARTICLE.read_text(encoding="utf-8").replace("A bridge for", "A ferry for")
    text = text.replace("a proper bridge", "a proper ferry")  # not the same content either
    (folder / "ferry.html").write_text(text, encoding="utf-8")
    (folder / "picture.png").write_bytes((ARTICLE.parent / "picture.png").read_bytes())
    return folder / "ferry.html"


def _titles(window: MainWindow) -> list[str]:
    library = window.ctx.open_library()  # the window opens it after its first paint
    assert library is not None
    return [s.title for s in library.list()]


def _scroll_to(window: MainWindow, text: str) -> None:
    block = window.view.document().find(text).block()
    assert block.isValid()
    window.view.scroll_to_position(block.position())


def _top_text(window: MainWindow) -> str:
    return window.view.document().findBlock(window.view.top_position()).text()


def test_an_opened_file_is_kept_with_its_picture(windows: WindowFactory) -> None:
    window = windows()
    assert window.ctx.settings.keep_opened_articles  # on by default
    assert window.keep_action.isChecked()
    open_file(window, ARTICLE)
    assert _titles(window) == ["A bridge for the mill village"]
    assert window.library_id is not None
    assert window.ctx.library is not None
    entry = window.ctx.library.get(window.library_id)
    assert len(entry.pictures) == 1  # copied into the library
    assert entry.summary.opened_at is not None
    panel = window.library_panel
    assert panel is not None
    assert panel.model.rowCount() == 1  # the panel shows it without being asked


def test_with_keep_off_nothing_is_kept_until_ctrl_s(
    windows: WindowFactory, qtbot: QtBot, config_dir: Path
) -> None:
    window = windows()
    window.keep_action.trigger()
    assert not window.ctx.settings.keep_opened_articles
    assert '"keep_opened_articles": false' in (config_dir / "settings.json").read_text("utf-8")
    open_file(window, ARTICLE)
    assert _titles(window) == []
    assert window.library_id is None

    assert window.save_action.shortcuts() == [QKeySequence(QKeySequence.StandardKey.Save)]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _titles(window) == ["A bridge for the mill village"]
    assert window.library_id is not None
    assert window.ctx.library is not None
    assert len(window.ctx.library.get(window.library_id).pictures) == 1
    assert "Saved" in window.statusBar().currentMessage()

    # The choice is remembered at the next start.
    assert not windows().keep_action.isChecked()


def test_ctrl_l_shows_the_panel_and_opening_restores_the_position(
    windows: WindowFactory, qtbot: QtBot, other_article: Path
) -> None:
    window = windows()
    open_file(window, ARTICLE)
    bridge_id = window.library_id
    _scroll_to(window, "There were setbacks")
    open_file(window, other_article)  # leaving the article saves where it was
    assert window.view.toPlainText().startswith("A ferry for")

    dock = window.library_dock
    panel = window.library_panel
    assert dock is not None
    assert panel is not None
    assert not dock.isVisible()  # out of the way until asked for
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert dock.isVisible()
    assert panel.isAncestorOf(QApplication.focusWidget())  # ready to search
    assert dock.toggleViewAction() in window.view_menu.actions()
    assert panel.model.rowCount() == 2

    row = panel.model.row_of(bridge_id or -1)
    assert row is not None
    panel.view.setCurrentIndex(panel.model.index(row, 0))
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert window.view.toPlainText().startswith("A bridge for")
    assert window.library_id == bridge_id
    assert _top_text(window).startswith("There were setbacks")

    qtbot.keyClick(panel.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not dock.isVisible()


def test_scrolling_saves_the_position_in_the_library(
    windows: WindowFactory, config_dir: Path
) -> None:
    window = windows()
    open_file(window, ARTICLE)
    article_id = window.library_id
    assert article_id is not None
    assert window.ctx.library is not None
    _scroll_to(window, "Work began in August")
    window._position_timer.timeout.emit()  # what scrolling triggers once it stops
    position = window.ctx.library.get(article_id).summary.position
    assert 0.0 < position < 1.0
    window.close()

    # A restart on `reader ID` opens the saved copy where it was left.
    again = windows()
    again.open_initial(str(article_id))
    assert again.library_id == article_id
    assert _top_text(again).startswith("Work began in August")
    assert again.ctx.settings.last_article == f"library:{article_id}"


def test_reopening_a_kept_file_resumes_where_it_was_left(windows: WindowFactory) -> None:
    window = windows()
    open_file(window, ARTICLE)
    _scroll_to(window, "Money came slowly")
    window.save_position()
    open_file(window, ARTICLE)
    assert _top_text(window).startswith("Money came slowly")


def test_a_copy_of_a_kept_file_elsewhere_resumes_where_it_was_left_after_the_paint(
    windows: WindowFactory, tmp_path: Path, qtbot: QtBot
) -> None:
    """The same text from another file: shown at once, then (its text hashed after the
    paint, not before) at the place the reader left, and kept as the same article."""
    window = windows()
    open_file(window, ARTICLE)
    kept = window.library_id
    _scroll_to(window, "Money came slowly")
    window.save_position()
    copy = tmp_path / "copy" / "article.html"
    copy.parent.mkdir()
    copy.write_bytes(ARTICLE.read_bytes())
    (copy.parent / "picture.png").write_bytes((ARTICLE.parent / "picture.png").read_bytes())
    assert window.open_path(copy)
    qtbot.waitUntil(lambda: _top_text(window).startswith("Money came slowly"))
    assert window.library_id == kept


def test_mark_read_and_delete_with_undo_from_the_panel(windows: WindowFactory) -> None:
    window = windows()
    open_file(window, ARTICLE)
    article_id = window.library_id
    panel = window.library_panel
    assert panel is not None
    assert article_id is not None
    assert window.ctx.library is not None
    panel.select_article(article_id)
    panel.read_button.click()
    assert window.ctx.library.get(article_id).summary.read

    panel.select_article(article_id)
    panel.delete_button.click()
    assert _titles(window) == []
    assert panel.undo_button.isVisible() or not panel.isVisible()
    window._position_timer.timeout.emit()  # saving the position of a deleted article is quiet
    assert not window.message_bar.isVisible()
    panel.undo()
    assert _titles(window) == ["A bridge for the mill village"]


def test_a_missing_library_id_says_so(windows: WindowFactory) -> None:
    window = windows()
    window.open_initial("4242")
    assert window.message_bar.isVisible()
    assert window.message_bar.label.text() == "There is no article 4242 in the library."


def test_a_damaged_library_is_moved_aside_and_the_user_told_once(
    windows: WindowFactory, qtbot: QtBot
) -> None:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database at all" * 100)
    window = windows()
    # The library opens right after the window's first paint, and says so then.
    qtbot.waitUntil(window.message_bar.isVisible)
    message = window.message_bar.label.text()
    assert "was damaged" in message
    assert "new, empty library" in message
    assert window.statusBar().currentMessage() == message
    assert window.ctx.notice is None  # once
    assert list(path.parent.glob("library.db.corrupt-*"))
    open_file(window, ARTICLE)  # and the fresh library works
    assert _titles(window) == ["A bridge for the mill village"]


def test_alt_d_reaches_the_address_field_with_the_panel_open(
    windows: WindowFactory, qtbot: QtBot
) -> None:
    window = windows()
    open_file(window, ARTICLE)
    assert window.library_dock is not None
    window.library_dock.show()
    assert window.library_panel is not None
    assert window.library_id is not None
    window.library_panel.select_article(window.library_id)  # its buttons are enabled
    assert window.library_panel.delete_button.isEnabled()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is window.address_bar.field
    assert window.address_bar.field.accessibleName() == "Web address"


def test_library_opened_by_another_process_is_shared(
    windows: WindowFactory, tmp_path: Path
) -> None:
    window = windows()
    with Library() as other:  # the command line adding at the same time
        open_file(window, ARTICLE)
        assert [s.title for s in other.list()] == ["A bridge for the mill village"]


def test_with_the_panel_and_a_fetch_showing_every_control_is_named(
    windows: WindowFactory, qtbot: QtBot
) -> None:
    window = windows()
    open_file(window, ARTICLE)
    assert window.library_dock is not None
    window.library_dock.show()
    window.fetch_status.begin("https://example.org/")  # the row a fetch shows
    focusable = [
        w
        for w in window.findChildren(QWidget)
        if w.isVisibleTo(window) and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]
    for control in (window.address_bar.field, window.fetch_status.cancel_button):
        assert control in focusable
    assert window.library_panel is not None
    assert window.library_panel.search in focusable
    for widget in focusable:
        iface = QAccessible.queryAccessibleInterface(widget)
        assert iface is not None
        name = iface.text(QAccessible.Text.Name).strip()
        assert name, f"{widget!r} ({widget.objectName()}) has no accessible name"
        assert widget.accessibleDescription().strip(), f"{name!r} has no description"
    window.fetch_status.end()


def test_the_article_is_shown_before_it_is_written_to_the_library(
    windows: WindowFactory,
) -> None:
    window = windows()
    assert window.open_path(ARTICLE)
    assert window.view.toPlainText().startswith("A bridge for the mill village")
    assert _titles(window) == []  # the write waits for the event loop, after the paint
    settle()
    assert _titles(window) == ["A bridge for the mill village"]
    assert window.library_id is not None
    assert window.ctx.library is not None
    assert window.ctx.library.get(window.library_id).summary.opened_at is not None


def test_the_panel_is_built_when_first_shown_and_lists_what_was_kept_before(
    windows: WindowFactory, qtbot: QtBot
) -> None:
    window = windows()
    open_file(window, ARTICLE)  # kept while no panel exists yet
    assert window._library_panel is None  # not built at start: nobody asked for it
    dock = window.library_dock
    assert dock is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    panel = window._library_panel
    assert panel is not None
    assert dock.widget() is panel
    assert panel.isAncestorOf(QApplication.focusWidget())
    assert _titles(window) == ["A bridge for the mill village"]
    assert panel.model.rowCount() == 1
    qtbot.waitUntil(lambda: dock.width() >= 300)  # sized for titles on its first showing


def test_an_article_opened_just_before_closing_is_still_kept(windows: WindowFactory) -> None:
    window = windows()
    assert window.open_path(ARTICLE)
    window.close()  # before the event loop ran the write that follows the paint
    assert _titles(window) == ["A bridge for the mill village"]


def test_an_older_library_is_updated_after_the_paint_and_the_user_told(
    config_dir: Path, qtbot: QtBot
) -> None:
    from reader.app import AppContext
    from reader.core.library import SCHEMA_VERSION, needs_update
    from reader.core.settings import SettingsStore
    from tests.core.test_library_prefix import make_version_2_library

    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    make_version_2_library(path)
    window = MainWindow(AppContext.load(SettingsStore(config_dir)))
    qtbot.addWidget(window)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    window.show()
    qtbot.waitUntil(lambda: window.ctx.library is not None)
    assert said[-2:] == [
        "Updating the library for this version of the reader, once…",
        "The library is up to date.",
    ]
    assert not needs_update(path)
    assert window.ctx.library.schema_version == SCHEMA_VERSION


def test_the_start_up_article_opens_where_it_was_left_when_the_library_needs_an_update(
    config_dir: Path, qtbot: QtBot
) -> None:
    from reader.app import AppContext
    from reader.core.library import needs_update
    from reader.core.settings import SettingsStore

    from .conftest import simple_extract

    kept = _older_library_with_the_article_half_read()
    path = default_path()
    assert needs_update(path)
    window = MainWindow(AppContext.load(SettingsStore(config_dir), extract=simple_extract))
    qtbot.addWidget(window)
    window.show()
    window.open_initial(str(ARTICLE))
    assert window.view.top_position() == 0  # shown before the library is updated and asked
    qtbot.waitUntil(lambda: window.view.top_position() > 0)  # then where it was left
    assert window.library_id == kept
    assert not needs_update(path)


@pytest.fixture
def updating_library(config_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    """A window over a library an earlier version left (schema 2), whose update hands the
    window its events at every chance (the real pace is every 50 ms of a long update)."""
    from reader.app import AppContext
    from reader.core import library as library_module
    from reader.core.settings import SettingsStore
    from reader.ui import main_window
    from tests.core.test_library_prefix import make_version_2_library

    monkeypatch.setattr(library_module, "MIGRATION_TICK_STEPS", 1)
    monkeypatch.setattr(main_window, "RESPONSIVE_SECONDS", 0.0)
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    make_version_2_library(path)
    window = MainWindow(AppContext.load(SettingsStore(config_dir)))
    yield window
    window.ctx.close()


def _during_update(window: MainWindow, act: object) -> list[bool]:
    """Call ``act()`` from a timer each time the event loop runs until the library is open
    (or failed); the list says, per call, whether the update was under way then."""
    from PySide6.QtCore import QTimer

    seen: list[bool] = []
    timer = QTimer(window)
    timer.setInterval(0)

    def tick() -> None:
        seen.append(window.ctx.library_opening)
        if window.ctx.library_opening:
            act()  # type: ignore[operator]
        if window.ctx.library is not None or window.ctx.library_failed:
            timer.stop()

    timer.timeout.connect(tick)
    timer.start()
    return seen


def test_the_window_answers_while_an_older_library_is_updated(
    updating_library: MainWindow, qtbot: QtBot
) -> None:
    from reader.core.library import SCHEMA_VERSION, needs_update

    window = updating_library
    qtbot.addWidget(window)
    errors: list[str] = []

    def save() -> None:  # Ctrl+S during the update: told to wait, nothing half written
        window.save_to_library()
        errors.append(window.message_bar.label.text())

    seen = _during_update(window, save)
    window.show()
    window.open_path(ARTICLE)
    qtbot.waitUntil(lambda: window.ctx.library is not None)
    assert True in seen  # the window's events ran in the middle of the update
    assert errors
    assert "being updated" in errors[0]
    assert not needs_update(default_path())
    assert window.ctx.library.schema_version == SCHEMA_VERSION
    # The article opened before the update is kept once the library is there.
    qtbot.waitUntil(lambda: "A bridge for the mill village" in _titles(window))
    assert window.library_id is not None


def test_closing_the_window_stops_the_update_and_leaves_the_library_as_it_was(
    updating_library: MainWindow, qtbot: QtBot
) -> None:
    from reader.core.library import needs_update

    window = updating_library
    qtbot.addWidget(window)
    seen = _during_update(window, window.close)
    window.show()
    qtbot.waitUntil(lambda: window.ctx.library_failed or window.ctx.library is not None)
    assert True in seen
    assert window.ctx.library is None
    assert needs_update(default_path())  # rolled back: updated at the next start


def _older_library_with_the_article_half_read() -> int:
    """A library an earlier version left (schema 2) holding ARTICLE, last read half way."""
    import sqlite3

    from reader.core.load import load_path
    from reader.core.web import extract_page

    from .conftest import simple_extract

    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with Library(path) as library:
        kept = library.add(extract_page(load_path(ARTICLE), simple_extract, name=str(ARTICLE)))
        library.set_position(kept, 0.5)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 2")
    raw.close()
    return kept


def test_an_article_opened_during_the_update_opens_where_it_was_left_and_stays_so(
    config_dir: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file dropped (or opened) while the library is updated: kept, and at its place, once
    the library is there; its saved place is not overwritten with the top."""
    from reader.app import AppContext
    from reader.core import library as library_module
    from reader.core.settings import SettingsStore
    from reader.ui import main_window

    from .conftest import simple_extract

    monkeypatch.setattr(library_module, "MIGRATION_TICK_STEPS", 1)
    monkeypatch.setattr(main_window, "RESPONSIVE_SECONDS", 0.0)
    kept = _older_library_with_the_article_half_read()
    window = MainWindow(AppContext.load(SettingsStore(config_dir), extract=simple_extract))
    qtbot.addWidget(window)
    window.resize(700, 300)  # short enough for the fixture to scroll
    opened: list[bool] = []

    def drop() -> None:
        if not opened:
            opened.append(window.open_path(ARTICLE))

    seen = _during_update(window, drop)
    window.show()
    qtbot.waitUntil(lambda: window.ctx.library is not None)
    assert True in seen
    assert opened == [True]
    qtbot.waitUntil(lambda: window.library_id == kept)
    qtbot.waitUntil(lambda: window.view.top_position() > 0)  # where it was left
    window.close()
    with Library(default_path()) as library:
        assert library.get(kept).summary.position == pytest.approx(0.5, abs=0.1)
    window.ctx.close()


def test_a_saved_article_at_start_waits_for_the_update_with_the_window_shown(
    config_dir: Path, qtbot: QtBot
) -> None:
    """``reader`` whose last article is in an older library: the window shows first (the
    update runs after the paint, answering), then the article opens where it was left."""
    from reader.app import AppContext
    from reader.core.library import needs_update
    from reader.core.settings import SettingsStore

    from .conftest import simple_extract

    kept = _older_library_with_the_article_half_read()
    ctx = AppContext.load(SettingsStore(config_dir), extract=simple_extract)
    ctx.replace(last_article=f"library:{kept}", keep_opened_articles=True)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(700, 300)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    window.open_initial(None)  # as run_gui does before the window shows
    assert ctx.library is None  # not updated before the window is on screen
    assert "once the library is updated" in window.view.placeholderText()
    window.show()
    qtbot.waitUntil(lambda: window.library_id == kept)
    assert "Updating the library for this version of the reader, once…" in said
    assert not needs_update(default_path())
    qtbot.waitUntil(lambda: window.view.top_position() > 0)
    assert window.view.placeholderText() == ""
    ctx.close()
