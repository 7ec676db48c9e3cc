"""The status bar's message: elided with "…" to the room left of the reading progress, not cut
through a letter against it; the whole message stays its text and tooltip."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QStatusBar
from pytestqt.qtbot import QtBot

from reader.ui.main_window import ELLIPSIS, MainWindow, elided

LONG = (
    "Opened Why a little more space between letters helps readers with dyslexia, "
    "and what the Tuesday reading club at Northfield Public Library found out."
)


def test_elided_keeps_what_fits_and_ends_at_a_word() -> None:
    def fits(width: int) -> Callable[[str], bool]:  # one unit per character
        return lambda text: len(text) <= width

    assert elided("short enough", fits(20)) == "short enough"
    assert elided("a little more space between", fits(16)) == "a little more…"
    assert elided("abcdefghij", fits(5)) == "abcd…"  # no space near: cut in the word
    assert elided("abc", fits(0)) == ""


def test_a_long_message_ends_in_an_ellipsis_before_the_progress(
    window: MainWindow, qtbot: QtBot
) -> None:
    bar = window.status_bar
    window.resize(640, 700)
    qtbot.waitUntil(lambda: window._progress is not None and window._progress.isVisible())
    window.show_status(LONG)
    qtbot.wait(10)
    painted = QStatusBar.currentMessage(bar)  # what Qt paints, not the whole message
    assert painted.endswith(ELLIPSIS)
    assert len(painted) < len(LONG)
    progress = window._progress.geometry()
    assert bar.fontMetrics().horizontalAdvance(painted) <= progress.x() - 2 - 6
    assert bar.currentMessage() == LONG  # for everything that asks what it says
    assert bar.toolTip() == LONG

    window.resize(1900, 700)
    qtbot.waitUntil(lambda: QStatusBar.currentMessage(bar) == LONG)
    assert bar.toolTip() == ""
    window.show_status("")
    assert bar.currentMessage() == QStatusBar.currentMessage(bar) == ""


def test_a_message_qt_replaced_is_not_brought_back(window: MainWindow, qtbot: QtBot) -> None:
    """A menu's status tip replaces (or clears) the message; a later resize, or the progress
    changing, elided the old message again and put it back over the tip."""
    from PySide6.QtGui import QStatusTipEvent
    from PySide6.QtWidgets import QApplication

    bar = window.status_bar
    window.show_status("Opened the article.")
    QApplication.sendEvent(window, QStatusTipEvent("Open a file"))  # a menu item, hovered
    assert bar.currentMessage() == "Open a file"
    window.resize(window.width() - 40, window.height())
    qtbot.wait(10)
    bar.refit()
    assert bar.currentMessage() == "Open a file"
    QApplication.sendEvent(window, QStatusTipEvent(""))  # the pointer left the menu
    window.resize(window.width() + 40, window.height())
    bar.refit()
    assert bar.currentMessage() == ""
