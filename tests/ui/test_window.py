"""The window: opening, errors that keep the article, links, restart restoring everything."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDropEvent
from pytestqt.qtbot import QtBot

from reader.app import AppContext, install_excepthook
from reader.core.article import Article
from reader.core.settings import ColourScheme, FontChoice, LetterSpacing, SettingsStore
from reader.ui import theme
from reader.ui.main_window import MainWindow

from .conftest import ARTICLE, WindowFactory, open_file, settle, simple_extract


def test_opens_the_article_with_its_header(window: MainWindow) -> None:
    text = window.view.toPlainText()
    assert text.startswith("A bridge for the mill village")
    assert "Ruth Okafor" in text
    assert "14 May 2024, Millbrook" in text
    assert "About 2 minutes to read" in text
    assert "Every spring the river" in text
    assert "A bridge for the mill village" in window.windowTitle()


def test_restart_restores_choices_geometry_article_and_position(
    make_window: WindowFactory, qtbot: QtBot, config_dir: Path
) -> None:
    first = make_window()
    open_file(first, ARTICLE)
    toolbar = first.toolbar
    qtbot.mouseClick(toolbar.font_buttons[FontChoice.TIMES_NEW_ROMAN], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(toolbar.spacing_buttons[LetterSpacing.LARGE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(toolbar.size_buttons[150], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(toolbar.colour_buttons[ColourScheme.BROWN_ON_BEIGE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(toolbar.images_button, Qt.MouseButton.LeftButton)
    toolbar.length_combo.setCurrentIndex(toolbar.length_combo.findText("Short"))
    toolbar.length_combo.activated.emit(toolbar.length_combo.currentIndex())
    first.resize(760, 560)  # inside the offscreen screen, so restoring needs no clamping
    doc = first.view.document()
    paragraph = doc.find("There were setbacks").block()
    first.view.scroll_to_position(paragraph.position())
    first.close()

    saved = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["last_article"] == str(ARTICLE.resolve())
    assert saved["last_position"] > 0

    second = make_window()
    second.open_initial(None)
    reading = second.ctx.settings.reading
    assert reading.font is FontChoice.TIMES_NEW_ROMAN
    assert reading.letter_spacing is LetterSpacing.LARGE
    assert reading.font_size == 150
    assert reading.colour_scheme is ColourScheme.BROWN_ON_BEIGE
    assert reading.images is False
    assert reading.line_length.value == "short"
    assert second.toolbar.length_combo.currentText() == "Short"
    assert second.toolbar.font_buttons[FontChoice.TIMES_NEW_ROMAN].isChecked()
    assert second.toolbar.spacing_buttons[LetterSpacing.LARGE].isChecked()
    assert second.view.font().family() == "Times New Roman"
    assert second.view.font().letterSpacing() == 6.0  # 0.25 em at 24 px
    assert second.size() == first.size()
    assert "[Picture: The first plan" in second.view.toPlainText()
    top = second.view.document().findBlock(second.view.top_position())
    assert top.text().startswith("There were setbacks")


def test_a_restart_that_opens_before_showing_paints_the_place_it_was_left_first(
    make_window: WindowFactory, qtbot: QtBot, config_dir: Path
) -> None:
    """As the program starts: the article goes in before the window shows (the view has no
    size yet), and the first paint is already at the paragraph the reader left."""
    from PySide6.QtCore import QEvent, QObject

    first = make_window()
    open_file(first, ARTICLE)
    first.resize(760, 360)
    first.view.scroll_to_position(first.view.document().find("There were setbacks").position())
    first.close()

    second = MainWindow(AppContext.load(SettingsStore(config_dir), extract=simple_extract))
    qtbot.addWidget(second)
    second.open_initial(None)  # hidden: placed when it shows
    painted: list[str] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            view = second.view
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(view.document().findBlock(view.top_position()).text())
            return False

    probe = FirstPaint()
    second.view.viewport().installEventFilter(probe)
    second.show()
    qtbot.waitUntil(lambda: bool(painted))
    assert painted[0].startswith("There were setbacks")
    second.close()


def test_corrupt_settings_are_kept_and_the_user_told(
    make_window: WindowFactory, config_dir: Path, qtbot: QtBot
) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "settings.json").write_text('{"reading": {"font": ', encoding="utf-8")
    window = make_window()
    backups = list(config_dir.glob("settings.json.corrupt-*"))
    assert len(backups) == 1
    qtbot.waitUntil(window.message_bar.isVisible)  # said right after the first paint
    assert "damaged" in window.message_bar.label.text()
    assert "damaged" in window.statusBar().currentMessage()
    assert window.ctx.settings.reading.font is FontChoice.ARIAL
    assert window.ctx.notice is None  # shown once only


def test_a_start_up_error_and_notice_are_both_said(config_dir: Path, qtbot: QtBot) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "settings.json").write_text('{"reading": {"font": ', encoding="utf-8")
    window = MainWindow(AppContext.load(SettingsStore(config_dir), extract=simple_extract))
    qtbot.addWidget(window)
    window.show()
    window.open_initial(str(config_dir / "missing.html"))  # the error comes before the paint
    qtbot.waitUntil(lambda: "damaged" in window.message_bar.label.text())
    shown = window.message_bar.label.text()
    assert "does not exist" in shown  # the error stays, after the notice
    assert shown.index("damaged") < shown.index("does not exist")
    window.message_bar.close_button.click()
    window.open_path(ARTICLE)
    assert not window.message_bar.isVisible()  # dismissed: neither comes back


def test_a_start_up_notice_stays_when_the_start_up_article_shows(
    config_dir: Path, qtbot: QtBot
) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "settings.json").write_text('{"reading": {"font": ', encoding="utf-8")
    window = MainWindow(AppContext.load(SettingsStore(config_dir), extract=simple_extract))
    qtbot.addWidget(window)
    window.show()  # as run_gui does: show, open, and only then run the event loop
    window.open_initial(str(ARTICLE))
    qtbot.waitUntil(window.message_bar.isVisible)
    settle()
    assert window.view.toPlainText().startswith("A bridge for the mill village")
    assert window.message_bar.isVisible()
    assert "damaged" in window.message_bar.label.text()


@pytest.mark.parametrize(
    ("make_bad", "expected"),
    [
        (lambda d: d / "missing.html", "does not exist"),
        (lambda d: d, "is a folder"),
        (lambda d: _write(d / "empty.html", ""), "is empty"),
        (lambda d: _write(d / "menu.html", "<html><body><ul><li>Home</li></ul>"), "article"),
    ],
)
def test_a_bad_file_says_why_and_keeps_the_article(
    window: MainWindow, tmp_path: Path, make_bad: object, expected: str
) -> None:
    before = window.view.toPlainText()
    title = window.windowTitle()
    bad = make_bad(tmp_path)  # type: ignore[operator]
    assert window.open_path(bad) is False
    message = window.message_bar.label.text()
    assert window.message_bar.isVisible()
    assert expected in message
    assert str(bad) in message or bad.name in message
    assert "Traceback" not in message
    assert message.count(".") >= 1
    assert window.view.toPlainText() == before
    assert window.windowTitle() == title


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_extractor_bug_is_one_sentence_not_a_crash(window: MainWindow) -> None:
    def broken(_page: object) -> object:
        raise RuntimeError("boom")

    window.ctx.extract = broken  # type: ignore[assignment]
    before = window.view.toPlainText()
    assert window.open_path(ARTICLE) is False
    assert "could not be extracted" in window.message_bar.label.text()
    assert window.view.toPlainText() == before


def test_file_open_and_recent_files(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = tmp_path / "second.html"
    second.write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(window, "ask_path", lambda: str(second))
    window.open_action.trigger()
    assert window.ctx.settings.recent_files[:2] == (str(second.resolve()), str(ARTICLE.resolve()))
    window._fill_recent()
    actions = window.recent_menu.actions()
    assert [a.toolTip() for a in actions] == list(window.ctx.settings.recent_files)
    actions[1].trigger()
    assert window.ctx.settings.last_article == str(ARTICLE.resolve())


def test_drop_a_file_opens_it(window: MainWindow, tmp_path: Path) -> None:
    dropped = tmp_path / "dropped.html"
    dropped.write_text(
        ARTICLE.read_text(encoding="utf-8").replace("A bridge for", "A ferry for"),
        encoding="utf-8",
    )
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.view.toPlainText().startswith("A ferry for the mill village")


def test_links(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    view = window.view
    view.verticalScrollBar().setValue(0)
    view.anchorClicked.emit(QUrl("#piers"))
    assert view.verticalScrollBar().value() > 0
    assert opened == []
    top = view.verticalScrollBar().value()
    view.anchorClicked.emit(QUrl("#comments"))  # a part of the page the article left out
    assert view.verticalScrollBar().value() == top
    assert window.statusBar().currentMessage() == (
        "The part of the page this link leads to (#comments) is not in the article."
    )
    view.anchorClicked.emit(QUrl("https://example.org/bridge"))
    assert opened == ["https://example.org/bridge"]
    for refused in ("javascript:alert(1)", "file:///etc/passwd", "other.html"):
        view.anchorClicked.emit(QUrl(refused))
        assert "is not opened" in window.statusBar().currentMessage()
    assert opened == ["https://example.org/bridge"]


def test_a_link_into_the_article_is_told_from_one_to_a_part_left_out(window: MainWindow) -> None:
    view = window.view
    html = (
        '<h2 id="webassembly\'s-apis">APIs</h2><p>Words.</p>'
        '<table id="t&amp;1"><tr><td>Qt cannot scroll to a table\'s id</td></tr></table>'
        '<p><a name="notes">Notes</a></p>'
    )
    view.show_article(Article(title="Anchors", html=html), view.reading)
    for name in ("webassembly's-apis", "t&1", "notes"):
        assert view._has_anchor(name), name
    for name in ("comments", "webassembly", "t"):
        assert not view._has_anchor(name), name


def test_last_resort_handler_shows_the_error_and_keeps_settings(
    window: MainWindow, tmp_path: Path, config_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    saved = (config_dir / "settings.json").read_text(encoding="utf-8")
    install_excepthook(window, tmp_path)
    try:
        raise ValueError("the disk sneezed")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    message = window.message_bar.label.text()
    assert "the disk sneezed" in message
    assert "settings are safe" in message
    assert (config_dir / "settings.json").read_text(encoding="utf-8") == saved


@pytest.mark.parametrize("scheme", list(ColourScheme))
def test_scheme_contrast(scheme: ColourScheme) -> None:
    colours = theme.schemes()[scheme]
    for surface in (colours.background, colours.controls):
        assert theme.contrast(colours.text, surface) >= 7
        assert theme.contrast(colours.link, surface) >= 4.5
        assert theme.contrast(colours.link_visited, surface) >= 4.5
        assert theme.contrast(colours.focus, surface) >= 3


def test_a_settings_save_that_fails_is_said_once_and_the_choice_still_applies(
    window: MainWindow, config_dir: Path, qtbot: QtBot
) -> None:
    shutil.rmtree(config_dir)
    config_dir.write_text("a file where the settings folder should be", encoding="utf-8")
    window.message_bar.hide()
    buttons = window.toolbar.spacing_buttons
    qtbot.mouseClick(buttons[LetterSpacing.LARGE], Qt.MouseButton.LeftButton)
    assert window.message_bar.isVisible()
    message = window.message_bar.label.text()
    assert "could not be saved" in message
    assert str(config_dir) in message
    assert window.view.font().letterSpacing() > 0  # the choice applies anyway
    window.message_bar.hide()
    qtbot.mouseClick(buttons[LetterSpacing.MEDIUM], Qt.MouseButton.LeftButton)
    assert not window.message_bar.isVisible()  # said once, not at every change


@pytest.mark.parametrize("scheme", list(ColourScheme))
def test_hints_in_empty_fields_are_readable_in_every_scheme(
    make_window: WindowFactory, scheme: ColourScheme
) -> None:
    import dataclasses

    window = make_window()
    window.apply_reading(dataclasses.replace(window.ctx.settings.reading, colour_scheme=scheme))
    window.view.setPlaceholderText("Opening a long page…")
    background = theme.schemes()[scheme].background
    for field in (window.address_bar.field, window.view):  # "Type a web address…", "Opening…"
        field.clearFocus()
        image = field.grab().toImage()
        # The strongest pixel of the drawn hint against the page: its glyphs' colour.
        best = max(
            theme.contrast(image.pixelColor(x, y).name(), background)
            for x in range(0, image.width(), 2)
            for y in range(min(image.height(), 60))
        )
        assert best >= 4.5, (type(field).__name__, round(best, 2))


def test_the_window_opens_with_the_focus_in_the_article(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QApplication

    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert QApplication.focusWidget() is window.view  # not the address field, first to Tab to


def test_the_menus_and_their_shortcuts_are_there_once_the_window_has_painted(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&View"]  # the first paint shows the menu bar whole
    qtbot.waitUntil(lambda: bool(window.file_menu.actions()))  # made right after that paint
    items = [action.text() for action in window.file_menu.actions() if action.text()]
    assert items[:3] == ["&Open…", "Open &Recent", "Open &Web Address…"]
    assert "&Quit" in items
    shortcuts = {s.toString() for action in window.actions() for s in action.shortcuts()}
    assert {"Ctrl+O", "Ctrl+S", "Alt+D", "Esc", "F6", "Ctrl+0"} <= shortcuts
    views = [action.text() for action in window.view_menu.actions() if action.text()]
    assert views[0] == "&Larger Text"
    assert views[-1] == "Library"  # the library's toggle after the View menu's own items


@pytest.mark.parametrize("name", ["fixture", "sample", "short"])
def test_an_article_put_in_before_the_window_shows_gets_the_same_column(
    make_window: WindowFactory, qtbot: QtBot, config_dir: Path, tmp_path: Path, name: str
) -> None:
    """As the program starts (the article in before the window shows), the text column and
    the scroll range are those of the same article opened in a window already shown; a long
    article has a scroll bar beside it, a short one none."""
    long = name != "short"
    short = tmp_path / "short.html"
    short.write_text(
        "<html><body><article><h1>Short</h1><p>One short paragraph.</p></article></body></html>",
        encoding="utf-8",
    )
    sample = Path(__file__).parents[2] / "resources" / "sample" / "article.html"
    page = {"fixture": ARTICLE, "sample": sample, "short": short}[name]
    shown_first = make_window()
    open_file(shown_first, page)
    early = MainWindow(AppContext.load(SettingsStore(config_dir), extract=simple_extract))
    qtbot.addWidget(early)
    early.resize(shown_first.size())
    assert early.open_path(page)  # hidden: the view has no size yet
    early.show()
    qtbot.waitExposed(early)
    settle()
    for window in (shown_first, early):
        assert window.view.verticalScrollBar().isVisible() is long
    frames = [w.view.document().rootFrame().frameFormat() for w in (shown_first, early)]
    assert [f.leftMargin() for f in frames] == [frames[0].rightMargin()] * 2
    assert early.view.content_width() == shown_first.view.content_width()
    # The whole article is laid out: the scroll bar shows its whole length.
    ranges = [w.view.verticalScrollBar().maximum() for w in (shown_first, early)]
    assert ranges[0] == ranges[1]
    assert early.open_path(short)  # the scroll bar is there as needed, and only then
    settle()
    assert not early.view.verticalScrollBar().isVisible()
    early.close()


def test_an_opening_is_remembered_at_once_and_written_after_its_paint(
    make_window: WindowFactory, config_dir: Path
) -> None:
    window = make_window()
    saved = config_dir / "settings.json"
    before = saved.read_text(encoding="utf-8") if saved.exists() else ""
    assert window.open_path(ARTICLE)
    absolute = str(ARTICLE.resolve())
    assert window.ctx.settings.last_article == absolute  # in effect at once
    assert window.ctx.settings.recent_files[0] == absolute
    unchanged = saved.read_text(encoding="utf-8") if saved.exists() else ""
    assert unchanged == before  # the write waits for the paint
    settle()
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["last_article"] == absolute
    assert data["recent_files"][0] == absolute


def test_an_opening_closed_before_its_paint_is_still_written(
    make_window: WindowFactory, config_dir: Path
) -> None:
    window = make_window()
    assert window.open_path(ARTICLE)
    window.close()  # before any event ran: no paint, no timer
    data = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert data["last_article"] == str(ARTICLE.resolve())
