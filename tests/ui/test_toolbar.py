"""The toolbar's rows: they wrap to the window's width, and never hold the window wide."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.toolbar import ReadingToolbar


def cut_off(toolbar: ReadingToolbar) -> list[str]:
    """The controls drawn narrower than they need, or past the toolbar's right edge."""
    return [
        control.accessibleName()
        for control in toolbar.controls()
        if control.width() < control.sizeHint().width()
        or control.mapTo(toolbar, control.rect().bottomRight()).x() >= toolbar.width()
    ]


@pytest.mark.parametrize("width", [760, 640])  # 640: still wider than the widest group
def test_the_window_narrows_and_every_control_stays_whole(
    window: MainWindow, qtbot: QtBot, width: int
) -> None:
    toolbar = window.toolbar
    rows = len(toolbar._arranged)
    window.resize(width, 700)
    qtbot.waitUntil(lambda: window.width() == width)  # not held as wide as the first rows
    assert len(toolbar._arranged) > rows  # re-wrapped into more rows
    qtbot.waitUntil(lambda: cut_off(toolbar) == [])
