"""The toolbar's rows: they wrap to the window's width, and never hold the window wide."""

from __future__ import annotations

import dataclasses

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


# 460 and 340: narrower than the font group's one row, which then wraps its own buttons
@pytest.mark.parametrize("width", [760, 640, 460, 340])
def test_the_window_narrows_and_every_control_stays_whole(
    window: MainWindow, qtbot: QtBot, width: int
) -> None:
    toolbar = window.toolbar
    rows = len(toolbar._arranged)
    window.resize(width, 700)
    qtbot.waitUntil(lambda: window.width() == width)  # not held as wide as the first rows
    assert len(toolbar._arranged) > rows  # re-wrapped into more rows
    qtbot.waitUntil(lambda: cut_off(toolbar) == [])


def test_a_long_font_name_chosen_rewraps_the_rows_and_cuts_nothing(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Your font's button shows the family's name: a longer one can push a row past the
    window's width; the groups wrap again at once instead of squeezing their buttons."""
    from reader.core.settings import FontChoice

    toolbar = window.toolbar
    font_group, spacing_group = toolbar._items[:2]
    margins = toolbar.layout().contentsMargins()
    # just wide enough for the font and spacing groups side by side, with "Your font"
    width = (
        font_group.sizeHint().width()
        + spacing_group.sizeHint().width()
        + toolbar.layout().spacing()
        + margins.left()
        + margins.right()
        + 8
    )
    window.resize(width, 760)
    qtbot.waitUntil(lambda: toolbar._arranged[0] == [font_group, spacing_group])
    reading = window.ctx.settings.reading
    window.apply_reading(
        dataclasses.replace(reading, font=FontChoice.OWN, own_font="DejaVu Sans Mono")
    )
    assert toolbar.font_buttons[FontChoice.OWN].text() == "DejaVu Sans Mono"
    assert toolbar._arranged[0] == [font_group]  # wrapped at once
    qtbot.wait(1)
    assert cut_off(toolbar) == []
    assert window.width() == width  # not widened to hold the longer row either


def test_the_library_beside_the_toolbar_cuts_no_control(window: MainWindow, qtbot: QtBot) -> None:
    """With the library open the toolbar has ~550 px of a 1000 px window: its groups wrap."""
    window.resize(1000, 760)
    window.library_dock.toggleViewAction().trigger()
    qtbot.waitUntil(lambda: window.toolbar.width() < 640)
    qtbot.waitUntil(lambda: cut_off(window.toolbar) == [])
