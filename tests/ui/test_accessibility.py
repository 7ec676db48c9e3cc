"""Accessible by construction: names, descriptions, unique panel names, keyboard-only use."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from reader.core.settings import ColourScheme, FontChoice, LetterSpacing
from reader.ui import theme
from reader.ui.main_window import MainWindow
from reader.ui.toolbar import PANEL_NAMES, Choice, ReadingToolbar

NAME = QAccessible.Text.Name
DESCRIPTION = QAccessible.Text.Description


def focusable_widgets(window: MainWindow) -> list[QWidget]:
    return [
        w
        for w in window.findChildren(QWidget)
        if w.isVisibleTo(window) and w.focusPolicy() & Qt.FocusPolicy.TabFocus
    ]


def accessible_names(root: QAccessibleInterface, depth: int = 0) -> list[str]:
    """Every name in the accessibility tree below ``root``, as a screen reader walks it."""
    names = [root.text(NAME)]
    if depth > 40:
        return names
    for i in range(root.childCount()):
        child = root.child(i)
        if child is not None and child.isValid():
            names.extend(accessible_names(child, depth + 1))
    return names


def test_every_focusable_control_has_a_name_and_description(window: MainWindow) -> None:
    widgets = focusable_widgets(window)
    assert len(widgets) >= 20  # the toolbar's controls and the article, at least
    for widget in widgets:
        iface = QAccessible.queryAccessibleInterface(widget)
        assert iface is not None
        name = iface.text(NAME).strip()
        assert name, f"{widget!r} ({widget.objectName()}) has no accessible name"
        assert widget.accessibleDescription().strip(), f"{name!r} has no description"


def test_message_bar_button_is_named_when_shown(window: MainWindow) -> None:
    window.show_error("Something to read.")
    button = window.message_bar.close_button
    assert button.isVisible()
    assert QAccessible.queryAccessibleInterface(button).text(NAME) == "Dismiss message"


def test_the_five_panel_names_each_belong_to_one_control(window: MainWindow) -> None:
    tree = accessible_names(QAccessible.queryAccessibleInterface(window))
    counts = Counter(tree)
    for name in PANEL_NAMES:
        assert counts[name] == 1, f"{name!r} appears {counts[name]} times"
    toolbar = window.toolbar
    exact = {
        "Arial": toolbar.font_buttons[FontChoice.ARIAL],
        "Times New Roman": toolbar.font_buttons[FontChoice.TIMES_NEW_ROMAN],
        "Standard": toolbar.spacing_buttons[LetterSpacing.STANDARD],
        "Medium": toolbar.spacing_buttons[LetterSpacing.MEDIUM],
        "Large": toolbar.spacing_buttons[LetterSpacing.LARGE],
    }
    for name, button in exact.items():
        iface = QAccessible.queryAccessibleInterface(button)
        assert iface.text(NAME) == name
        assert iface.state().checkable


def one_of_many(toolbar: ReadingToolbar) -> dict[str, list[Choice]]:
    """The toolbar's one-of-many groups by the name a screen reader gives the group."""
    return {
        "Font": list(toolbar.font_buttons.values()),
        "Character spacing": list(toolbar.spacing_buttons.values()),
        "Size": list(toolbar.size_buttons.values()),
        "Colours": list(toolbar.colour_buttons.values()),
    }


def test_one_of_many_choices_are_radio_buttons_in_a_named_group(window: MainWindow) -> None:
    for group, buttons in one_of_many(window.toolbar).items():
        checked = []
        for button in buttons:
            iface = QAccessible.queryAccessibleInterface(button)
            assert iface.role() == QAccessible.Role.RadioButton, iface.text(NAME)
            assert iface.parent().text(NAME) == group
            checked.append(iface.state().checked)
        assert checked.count(True) == 1, group
    for button in (window.toolbar.images_button, window.toolbar.larger_button):
        assert QAccessible.queryAccessibleInterface(button).role() != QAccessible.Role.RadioButton


def test_arrows_onto_your_font_before_one_is_chosen_only_move_there(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Arrowing round the group must not open the font chooser; Space on it does."""
    asked: list[str | None] = []
    window.ask_font = lambda current: asked.append(current) or "DejaVu Sans"  # type: ignore[method-assign]
    times = window.toolbar.font_buttons[FontChoice.TIMES_NEW_ROMAN]
    own = window.toolbar.font_buttons[FontChoice.OWN]
    focus(window, qtbot, times)
    qtbot.keyClick(times, Qt.Key.Key_Right)
    assert QApplication.focusWidget() is own
    assert not own.isChecked()
    assert asked == []
    assert window.ctx.settings.reading.font is FontChoice.ARIAL
    qtbot.keyClick(own, Qt.Key.Key_Space)
    assert asked == [None]
    assert own.isChecked()
    assert window.ctx.settings.reading.font is FontChoice.OWN
    assert window.view.font().family() == "DejaVu Sans"


def focus(window: MainWindow, qtbot: QtBot, widget: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


@pytest.mark.parametrize(
    ("key", "step"),
    [(Qt.Key.Key_Right, 1), (Qt.Key.Key_Down, 1), (Qt.Key.Key_Left, -1), (Qt.Key.Key_Up, -1)],
    ids=["right", "down", "left", "up"],
)
def test_arrows_move_to_and_choose_the_next_choice_of_the_group(
    window: MainWindow, qtbot: QtBot, key: Qt.Key, step: int
) -> None:
    """As in any desktop radio group: round the group and back, wrapping at either end (with
    a font of the reader's own chosen: before, see the test after this one)."""
    window.apply_reading(window.ctx.settings.with_reading(own_font="DejaVu Sans").reading)
    for group, buttons in one_of_many(window.toolbar).items():
        start = next(b for b in buttons if b.isChecked())
        focus(window, qtbot, start)
        index = buttons.index(start)
        for _ in buttons:
            qtbot.keyClick(QApplication.focusWidget(), key)
            index = (index + step) % len(buttons)
            assert QApplication.focusWidget() is buttons[index], group
            assert [b.isChecked() for b in buttons].count(True) == 1
            assert buttons[index].isChecked(), group
        assert buttons[index] is start  # all the way round
    reading = window.ctx.settings.reading
    assert reading.font is FontChoice.ARIAL  # back where it started, and saved so
    qtbot.keyClick(window.toolbar.spacing_buttons[LetterSpacing.STANDARD], key)
    moved = LetterSpacing.MEDIUM if step == 1 else LetterSpacing.LARGE
    assert window.ctx.settings.reading.letter_spacing is moved


def test_screen_reader_chooses_with_arrows_and_the_choice_is_saved(
    window: MainWindow, qtbot: QtBot, config_dir: Path
) -> None:
    focus(window, qtbot, window.toolbar.font_buttons[FontChoice.ARIAL])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert window.ctx.settings.reading.font is FontChoice.TIMES_NEW_ROMAN
    assert window.view.font().family() == "Times New Roman"
    saved = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["reading"]["font"] == "Times New Roman"


def test_choosing_the_checked_choice_again_keeps_it(window: MainWindow, qtbot: QtBot) -> None:
    arial = window.toolbar.font_buttons[FontChoice.ARIAL]
    qtbot.mouseClick(arial, Qt.MouseButton.LeftButton)
    focus(window, qtbot, arial)
    qtbot.keyClick(arial, Qt.Key.Key_Space)
    QAccessible.queryAccessibleInterface(arial).actionInterface().doAction(
        QAccessibleActionInterface.toggleAction()
    )
    assert arial.isChecked()
    assert not window.toolbar.font_buttons[FontChoice.TIMES_NEW_ROMAN].isChecked()
    assert window.ctx.settings.reading.font is FontChoice.ARIAL


def test_a_size_between_the_quick_steps_checks_none_of_them(window: MainWindow) -> None:
    sizes = window.toolbar.size_buttons
    window.toolbar.larger_button.click()  # 100% -> 125%, not a quick step
    assert window.ctx.settings.reading.font_size not in sizes
    assert not any(b.isChecked() for b in sizes.values())
    sizes[150].setChecked(True)  # what bench/gui.py and others do
    assert window.ctx.settings.reading.font_size == 150
    assert [p for p, b in sizes.items() if b.isChecked()] == [150]


@pytest.mark.parametrize("scheme", list(ColourScheme))
def test_checked_and_focused_choices_look_so_in_every_scheme(
    window: MainWindow, qtbot: QtBot, scheme: ColourScheme
) -> None:
    """The segmented look: checked is the scheme inverted and bold, focus the scheme's ring."""
    window.toolbar.colour_buttons[scheme].setChecked(True)
    colours = theme.schemes()[scheme]
    medium = window.toolbar.spacing_buttons[LetterSpacing.MEDIUM]
    medium.setChecked(True)
    focus(window, qtbot, window.view)
    middle = medium.height() // 2
    image = medium.grab().toImage()
    assert image.pixelColor(medium.width() // 2, 6).name().upper() == colours.text  # inverted
    assert medium.font().bold()
    assert not window.toolbar.spacing_buttons[LetterSpacing.LARGE].font().bold()
    focus(window, qtbot, medium)
    ring = medium.grab().toImage().pixelColor(3, middle).name().upper()
    assert ring == colours.focus


@pytest.mark.parametrize("scheme", list(ColourScheme))
def test_text_fields_and_the_library_list_show_an_edge_and_the_focus_ring(
    window: MainWindow, qtbot: QtBot, scheme: ColourScheme
) -> None:
    """Each field's edge has 3:1 or more against the page (WCAG 1.4.11); focused, the field or
    the list has the scheme's 3 px ring, as the buttons have."""
    window.toolbar.colour_buttons[scheme].setChecked(True)
    colours = theme.schemes()[scheme]
    window.find()
    window.library_dock.toggleViewAction().trigger()
    fields = (window.address_bar.field, window.find_bar.field, window.library_panel.search)
    for widget in (*fields, window.library_panel.view):
        focus(window, qtbot, window.view)
        middle = widget.height() // 2
        edge = [widget.grab().toImage().pixelColor(x, middle).name() for x in range(6)]
        assert max(theme.contrast(c, colours.background) for c in edge) >= 3, widget
        focus(window, qtbot, widget)
        ring = [widget.grab().toImage().pixelColor(x, middle).name().upper() for x in range(6)]
        assert ring.count(colours.focus) >= 3, (widget, ring)


def test_a_fields_clear_button_is_inside_it_and_named(window: MainWindow) -> None:
    """The clear button of a field with text lies within the field (the toolbar buttons' style
    once made it 54 x 44 px, drawn at the field's corner and mostly cut off), and a screen
    reader that comes upon it hears what it clears (Qt leaves it unnamed)."""
    from PySide6.QtWidgets import QToolButton

    from reader.ui.font_chooser import FontChooser

    window.find()
    chooser = FontChooser(None, window)
    fields = (
        window.address_bar.field,
        window.find_bar.field,
        window.library_panel.search,
        chooser.search,
    )
    for field in fields:
        field.setText("words")
        buttons = [b for b in field.findChildren(QToolButton) if b.isVisibleTo(field)]
        assert buttons, field.accessibleName()
        for button in buttons:
            assert field.rect().contains(button.geometry()), (button.geometry(), field.size())
            name = QAccessible.queryAccessibleInterface(button).text(QAccessible.Text.Name)
            assert name.startswith("Clear the "), (field.accessibleName(), name)


def test_checked_state_is_exposed(window: MainWindow, qtbot: QtBot) -> None:
    large = window.toolbar.spacing_buttons[LetterSpacing.LARGE]
    qtbot.mouseClick(large, Qt.MouseButton.LeftButton)
    assert QAccessible.queryAccessibleInterface(large).state().checked
    standard = window.toolbar.spacing_buttons[LetterSpacing.STANDARD]
    assert not QAccessible.queryAccessibleInterface(standard).state().checked


@pytest.mark.parametrize("opened", [None, "find bar", "library"])
def test_tab_goes_round_the_whole_window(
    window: MainWindow, qtbot: QtBot, opened: str | None
) -> None:
    """Tab reaches every toolbar control, the address field and the article, also past the
    last control of the find bar or the library (the window once handed it straight back to
    the article)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    if opened == "find bar":
        window.find()
    elif opened == "library":
        window.library_dock.toggleViewAction().trigger()
    else:
        window.view.setFocus()
    reached: list[QWidget] = []
    for _ in range(120):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    missing = [w.accessibleName() for w in window.toolbar.controls() if w not in reached]
    assert missing == []
    assert window.address_bar.field in reached
    assert window.view in reached


def test_keyboard_alone_chooses_font_and_spacing(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F6)  # to the toolbar
    assert QApplication.focusWidget() is window.toolbar.font_buttons[FontChoice.ARIAL]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.toolbar.font_buttons[FontChoice.TIMES_NEW_ROMAN]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    for _ in range(5):  # Your font, Choose…, then the three spacings
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.toolbar.spacing_buttons[LetterSpacing.LARGE]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    reading = window.ctx.settings.reading
    assert reading.font is FontChoice.TIMES_NEW_ROMAN
    assert reading.letter_spacing is LetterSpacing.LARGE
    assert window.view.font().letterSpacing() == 4
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)  # back to the article
    assert QApplication.focusWidget() is window.view


def test_focus_is_visible(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    button = window.toolbar.spacing_buttons[LetterSpacing.MEDIUM]
    window.view.setFocus()
    unfocused = button.grab().toImage()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    assert button.grab().toImage() != unfocused


def test_article_text_is_exposed_and_keyboard_readable(window: MainWindow) -> None:
    view = window.view
    assert view.isReadOnly()
    assert view.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert view.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    iface = QAccessible.queryAccessibleInterface(view)
    text_iface = iface.textInterface()
    assert text_iface is not None
    text = text_iface.text(0, text_iface.characterCount())
    assert "A bridge for the mill village" in text
    assert "stepping stones" in text


def test_screen_reader_toggle_action_chooses(window: MainWindow, config_dir: object) -> None:
    """What Orca does: the AT-SPI "Toggle" action, which never emits clicked()."""
    toggle = QAccessibleActionInterface.toggleAction()
    for button in (
        window.toolbar.font_buttons[FontChoice.TIMES_NEW_ROMAN],
        window.toolbar.spacing_buttons[LetterSpacing.LARGE],
    ):
        actions = QAccessible.queryAccessibleInterface(button).actionInterface()
        assert toggle in actions.actionNames()
        actions.doAction(toggle)
    reading = window.ctx.settings.reading
    assert reading.font is FontChoice.TIMES_NEW_ROMAN
    assert reading.letter_spacing is LetterSpacing.LARGE
    assert window.view.font().family() == "Times New Roman"
    assert window.toolbar.font_buttons[FontChoice.TIMES_NEW_ROMAN].isChecked()
    assert not window.toolbar.font_buttons[FontChoice.ARIAL].isChecked()


def test_f6_goes_round_the_panes_that_are_open(window: MainWindow, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.find()
    window.library_dock.toggleViewAction().trigger()
    window.view.setFocus()
    order = [window.find_bar.field, window.library_panel.search]
    order += [window.toolbar.font_buttons[FontChoice.ARIAL], window.view]
    for expected in order:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
        assert QApplication.focusWidget() is expected
    for expected in reversed(order[:-1]):  # Shift+F6: the other way round
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
        assert QApplication.focusWidget() is expected
