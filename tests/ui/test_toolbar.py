"""The toolbar's rows: they wrap to the window's width, and never hold the window wide; in a
short window the toolbar scrolls instead of crowding out the article."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.toolbar import ReadingToolbar, ToolbarArea
from tests.ui.conftest import WindowFactory


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


def in_view(area: ToolbarArea, control: QWidget) -> bool:
    """``control`` is wholly inside the part of the toolbar its area shows."""
    viewport = area.viewport()
    top_left = control.mapTo(viewport, control.rect().topLeft())
    bottom_right = control.mapTo(viewport, control.rect().bottomRight())
    return viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)


def scrolling_area(qtbot: QtBot, window: MainWindow) -> ToolbarArea:
    """The toolbar's area, put in after the first paint, once the window's layout has it."""
    qtbot.waitUntil(lambda: window.toolbar_area is not None)
    qtbot.waitUntil(lambda: window.minimumHeight() == window.minimumSizeHint().height())
    assert window.toolbar_area is not None
    return window.toolbar_area


def test_a_short_window_keeps_most_of_its_height_for_the_article(
    window: MainWindow, qtbot: QtBot
) -> None:
    """A 1366x768 laptop at 200% is 683x384: the toolbar's five rows there took all but ~110 px
    and held the window 526 px high, taller than the screen. It now takes at most half of
    what it shares with the article, and scrolls; a taller window still shows all of it."""
    area = scrolling_area(qtbot, window)
    for width, height in ((1100, 800), (683, 768)):  # (half of that laptop's screen unscaled)
        window.resize(width, height)
        qtbot.waitUntil(lambda: window.size().toTuple() == (width, height))  # noqa: B023
        # all of it, nothing to scroll
        qtbot.waitUntil(lambda: area.height() == window.toolbar.sizeHint().height())
        assert not area.verticalScrollBar().isVisible()

    window.resize(683, 384)
    qtbot.waitUntil(lambda: window.height() == 384)  # not held taller than the screen
    qtbot.waitUntil(lambda: area.verticalScrollBar().isVisible())
    qtbot.waitUntil(lambda: window.view.height() >= area.height())  # half or more
    assert area.height() >= window.toolbar.first_row_height()  # a row of controls still shows
    split = (area.height(), window.view.height())
    qtbot.wait(100)
    assert (area.height(), window.view.height()) == split  # settled, not swinging by a pixel
    assert cut_off(window.toolbar) == []  # none squeezed beside the scroll bar either


def test_a_window_left_short_starts_as_short(make_window: WindowFactory, qtbot: QtBot) -> None:
    """Its saved size comes back once the toolbar can scroll (just after the first paint),
    not the height of the whole toolbar."""
    first = make_window()
    scrolling_area(qtbot, first)
    first.resize(683, 384)
    qtbot.waitUntil(lambda: first.height() == 384)
    first.close()
    again = make_window()
    scrolling_area(qtbot, again)
    qtbot.waitUntil(lambda: again.size().toTuple() == (683, 384))


def test_in_a_short_window_the_focused_control_scrolls_into_view(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Tab from the first control to the last, then F6 back to the toolbar and arrow keys
    through a group: the control with the focus is always in the part the toolbar shows."""
    from PySide6.QtCore import Qt

    area = scrolling_area(qtbot, window)
    window.resize(683, 384)
    qtbot.waitUntil(lambda: area.verticalScrollBar().isVisible())
    controls = window.toolbar.controls()
    controls[0].setFocus()
    seen = []
    for _ in range(len(controls) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        if focus in controls:
            seen.append(focus)
            assert in_view(area, focus), focus.accessibleName()
    assert window.toolbar.read_aloud_button in seen  # the last row was reached
    assert area.verticalScrollBar().value() > 0

    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    chosen_font = window.toolbar.font_buttons[window.ctx.settings.reading.font]
    assert QApplication.focusWidget() is chosen_font
    assert in_view(area, chosen_font)  # scrolled back up to the first row

    colours = list(window.toolbar.colour_buttons.values())
    area.verticalScrollBar().setValue(0)
    colours[0].setFocus()
    assert in_view(area, colours[0])
    qtbot.keyClick(colours[0], Qt.Key.Key_Right)
    assert QApplication.focusWidget() is colours[1]
    assert in_view(area, colours[1])


def test_the_toolbar_keeps_its_place_in_the_tab_order_and_for_screen_readers(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Put in its scrolling area after the first paint, the toolbar still comes between the
    address bar and the article: for Tab, and in the order screen readers list the parts."""
    from PySide6.QtCore import Qt

    area = scrolling_area(qtbot, window)
    window.address_bar.field.setFocus()
    reached = []
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
        if reached[-1] is window.view:
            break
    controls = window.toolbar.controls()
    assert [w for w in reached if w in controls] == controls
    assert reached.index(controls[-1]) == len(reached) - 2  # then the article
    parts = [w for w in window.centralWidget().children() if isinstance(w, QWidget)]
    assert parts.index(window.address_bar) < parts.index(area) < parts.index(window.view)


def test_the_wheel_over_a_drop_down_is_left_to_the_toolbar_unless_it_has_the_focus(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Turned over Line length on the way through a short window's toolbar, the wheel changed
    the choice (and reflowed the article) instead of scrolling the toolbar. Now the drop-down
    leaves it (ignores it: Qt then hands a real wheel turn on to the parents, the scrolling
    toolbar); with the focus the wheel is the drop-down's, as in any Qt program."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    def turn(widget: QWidget, eighths: int) -> bool:
        where = QPointF(widget.rect().center())
        event = QWheelEvent(
            where,
            widget.mapToGlobal(where),
            QPoint(0, 0),
            QPoint(0, eighths),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)
        return event.isAccepted()

    scrolling_area(qtbot, window)
    window.resize(683, 384)
    combo = window.toolbar.length_combo
    window.view.setFocus()
    before = window.ctx.settings.reading
    assert not turn(combo, 120)
    assert not turn(combo, -120)
    assert window.ctx.settings.reading == before
    combo.setFocus()
    assert turn(combo, -120)
    assert window.ctx.settings.reading != before
