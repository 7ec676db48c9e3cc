"""Find in the article (reader.ui.find_bar): Ctrl+F, F3, Shift+F3, Enter, Esc."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.ui import theme
from reader.ui.find_bar import MARKS, FindBar
from reader.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, open_file, settle

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _article(tmp_path: Path, count: int = 60) -> Path:
    paragraphs = "".join(
        f"<p>Paragraph {n} talks about the {'Harbour' if n % 10 == 3 else 'river'}.</p>"
        for n in range(count)
    )
    path = tmp_path / "find.html"
    path.write_text(
        f"<html><body><article><h1>Finding</h1>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    return path


def _find_window(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = make_window()
    open_file(window, _article(tmp_path))
    window.menu_actions  # noqa: B018 (the menus' actions come right after the first paint)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _searching(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, words: str
) -> tuple[MainWindow, FindBar]:
    """A window on the test article with ``words`` typed in its find bar."""
    window = _find_window(make_window, qtbot, tmp_path)
    window.find()
    qtbot.keyClicks(window.find_bar.field, words)
    return window, window.find_bar


def test_ctrl_f_finds_every_match_ignoring_case_and_selects_the_first(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _find_window(make_window, qtbot, tmp_path)
    assert window._find_bar is None  # nothing of it before it is asked for
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible()
    assert bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "harbour")
    assert bar.match_count == 6  # paragraphs 3, 13, 23, 33, 43, 53
    assert bar.current == 0
    selected = window.view.textCursor()
    assert selected.selectedText() == "Harbour"  # the caret's selection: read by a screen reader
    assert "Paragraph 3 talks" in selected.block().text()
    assert bar.count_label.text() == "1 of 6"
    assert window.statusBar().currentMessage() == "Match 1 of 6."
    # every match is marked, the current one inverted
    marks = window.view.marks(MARKS)
    assert len(marks) == 6
    scheme = theme.schemes()[window.ctx.settings.reading.colour_scheme]
    assert marks[0].format.background().color().name().upper() == scheme.text.upper()
    assert marks[1].format.background().color().name().upper() != scheme.text.upper()


def test_enter_f3_and_shift_go_round_the_matches(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window, bar = _searching(make_window, qtbot, tmp_path, "Harbour")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.current == 1
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, SHIFT)
    assert bar.current == 5  # round to the last
    assert "Paragraph 53" in window.view.textCursor().block().text()
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F3)
    assert bar.current == 0  # and round to the first
    qtbot.keyClick(window.view, Qt.Key.Key_F3, SHIFT)
    assert bar.current == 5
    # the match is scrolled into view, away from its edges
    height = window.view.viewport().height()
    rect = window.view.cursorRect(window.view.textCursor())
    assert height // 6 <= rect.top()
    assert rect.bottom() <= height * 5 // 6


def test_finding_starts_where_the_reader_is(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _find_window(make_window, qtbot, tmp_path)
    view = window.view
    view.scroll_to_position(view.document().find("Paragraph 30 ").selectionStart())
    settle()
    window.find()
    qtbot.keyClicks(window.find_bar.field, "harbour")
    assert "Paragraph 33" in view.textCursor().block().text()
    assert window.find_bar.count_label.text() == "4 of 6"


def test_no_match_says_so_and_esc_closes_back_to_the_article(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window, bar = _searching(make_window, qtbot, tmp_path, "lighthouse")
    assert bar.match_count == 0
    assert bar.count_label.text() == "No matches."  # short: the bar fits a narrow window
    assert window.status_bar.currentMessage() == "No matches for “lighthouse”."
    assert bar.count_label.accessibleName() == "Matches: No matches for “lighthouse”."
    assert window.view.marks(MARKS) == []
    bar.field.selectAll()
    qtbot.keyClicks(bar.field, "river")
    assert window.view.marks(MARKS)
    assert window.status_bar.currentMessage() == f"Match {bar.count_label.text()}."
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.view.marks(MARKS) == []
    assert window.view.hasFocus()
    assert window.status_bar.currentMessage() == ""  # "Match 1 of 54." is no longer so
    window.find()  # opened again: the words are still there, selected to type over
    assert bar.field.text() == "river"
    assert bar.field.selectedText() == "river"
    assert bar.match_count == 54


@pytest.mark.parametrize("where", ["next button", "close button", "article"])
def test_esc_closes_the_bar_from_its_buttons_and_the_article(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, where: str
) -> None:
    window, bar = _searching(make_window, qtbot, tmp_path, "river")
    target = {"next button": bar.next_button, "close button": bar.close_button}.get(
        where, window.view
    )
    target.setFocus()
    qtbot.waitUntil(target.hasFocus)
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert window.view.marks(MARKS) == []
    assert window.view.hasFocus()


def test_esc_in_the_library_goes_back_to_the_article(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _find_window(make_window, qtbot, tmp_path)
    window.library_dock.toggleViewAction().trigger()
    search = window.library_panel.search
    search.setFocus()
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert window.view.hasFocus()
    assert window.library_dock.isVisible()  # the library stays open beside the article


def test_find_and_read_aloud_marks_live_together(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READER_SPEECH_ENGINE", "mock")
    window = _find_window(make_window, qtbot, tmp_path)
    window.find()
    qtbot.keyClicks(window.find_bar.field, "harbour")
    window.read_aloud.start()
    assert window.read_aloud.reading
    assert len(window.view.extraSelections()) == 6 + 1  # the matches and the sentence
    window.read_aloud.stop()
    assert len(window.view.extraSelections()) == 6
    window.find_bar.close_bar()
    assert window.view.extraSelections() == []


def test_every_control_of_the_bar_is_named_and_reachable(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QWidget

    window = _find_window(make_window, qtbot, tmp_path)
    window.find()
    bar = window.find_bar
    focusable = [w for w in bar.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert {w.accessibleName() for w in focusable} >= {
        "Find in article",
        "Previous match",
        "Next match",
        "Close find",
    }
    assert all(w.accessibleName() for w in focusable)
    reached = []
    for _ in range(len(focusable) + 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert {bar.previous_button, bar.next_button, bar.close_button} <= set(reached)


def test_the_current_match_stays_when_the_article_is_made_again(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window, bar = _searching(make_window, qtbot, tmp_path, "Harbour")
    bar.next()
    bar.next()
    assert bar.current == 2
    window.apply_reading(window.ctx.settings.with_reading(images=False).reading)
    assert bar.match_count == 6
    assert bar.current == 2  # not back to the first
    assert bar.count_label.text() == "3 of 6"
    assert "Paragraph 23" in window.view.textCursor().block().text()
    bar.next()
    assert bar.current == 3


def test_matches_are_found_again_when_a_table_is_stacked(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    from tests.ui.conftest import long_word_rows, wait_tables_fitted

    rows = long_word_rows(6, 4)
    path = tmp_path / "table.html"
    path.write_text(
        "<html><body><article><h1>Tables</h1><p>Some photosynthesis first.</p>"
        f"<table>{rows}</table><p>And photosynthesis after.</p></article></body></html>",
        encoding="utf-8",
    )
    window = make_window()
    window.resize(1400, 760)
    open_file(window, path)
    wait_tables_fitted(qtbot, window)
    window.menu_actions  # noqa: B018
    window.find()
    qtbot.keyClicks(window.find_bar.field, "photosynthesis")
    bar = window.find_bar
    count = bar.match_count
    assert count >= 3
    window.resize(500, 760)  # the table no longer fits: stacked, its text new
    wait_tables_fitted(qtbot, window)
    assert window.view.shown_tables()
    assert bar.match_count == count
    for _ in range(count):
        bar.next()
        assert window.view.textCursor().selectedText().lower() == "photosynthesis"


def test_a_match_found_while_reading_aloud_stays_in_view(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Find takes the view to the match; reading aloud, further up, does not pull it back."""
    monkeypatch.setenv("READER_SPEECH_ENGINE", "mock")
    window = _find_window(make_window, qtbot, tmp_path)
    said: list[str] = []
    window.read_aloud.sentence_started.connect(said.append)
    window.read_aloud.start()
    window.find()
    qtbot.keyClicks(window.find_bar.field, "Paragraph 53")
    view = window.view
    qtbot.waitUntil(lambda: len(said) >= 4, timeout=10_000)
    rect = view.cursorRect(view.textCursor())
    assert 0 <= rect.top() < view.viewport().height()  # the match, still in view
    window.read_aloud.stop()


def test_in_a_narrow_window_the_buttons_go_under_the_field_whole(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    """At 400 px (or a laptop at 200% with the library open) the one row squeezed "Previous"
    to "evio" and the field to four letters; the buttons now get a row of their own."""
    window, bar = _searching(make_window, qtbot, tmp_path, "river")
    controls = (bar.field, bar.previous_button, bar.next_button, bar.close_button)

    def squeezed() -> list[str]:
        return [c.accessibleName() for c in controls if c.width() < c.sizeHint().width()]

    window.resize(1200, 700)
    qtbot.waitUntil(lambda: squeezed() == [])
    assert bar.next_button.y() < bar.field.geometry().bottom()  # one row
    window.resize(400, 700)
    qtbot.waitUntil(lambda: window.width() == 400)
    qtbot.waitUntil(lambda: squeezed() == [])
    assert bar.next_button.y() > bar.field.geometry().bottom()  # under the field
    assert bar.close_button.geometry().right() < bar.width()
    bar.field.setText("the words nobody wrote, not once in the whole article")
    qtbot.wait(10)
    assert window.width() == 400  # "No matches ..." does not push the window wider
    assert squeezed() == []
    window.resize(1200, 700)
    qtbot.waitUntil(lambda: bar.next_button.y() < bar.field.geometry().bottom())  # one row
