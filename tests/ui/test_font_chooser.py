"""The font chooser of "Your font" (reader.ui.font_chooser), driven from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.ui.font_chooser import FontChooser, installed_families


def _shown(chooser: FontChooser) -> list[str]:
    items = (chooser.list.item(row) for row in range(chooser.list.count()))
    return [item.text() for item in items if not item.isHidden()]


def test_it_lists_the_installed_fonts_each_in_itself(app: QApplication, qtbot: QtBot) -> None:
    chooser = FontChooser(None)
    qtbot.addWidget(chooser)
    families = installed_families()
    assert families == _shown(chooser)
    assert set(families) <= set(QFontDatabase.families())
    assert families  # DejaVu, Liberation and Croscore at least
    item = chooser.list.findItems("DejaVu Serif", Qt.MatchFlag.MatchExactly)[0]
    assert QFontInfo(item.font()).family() == "DejaVu Serif"


def test_typing_finds_arrows_choose_and_the_preview_follows(
    app: QApplication, qtbot: QtBot
) -> None:
    chooser = FontChooser("DejaVu Sans")
    qtbot.addWidget(chooser)
    chooser.show()
    qtbot.waitExposed(chooser)
    chooser.activateWindow()
    qtbot.waitUntil(chooser.isActiveWindow)
    qtbot.waitUntil(chooser.search.hasFocus)  # the search field has the focus first
    assert chooser.family() == "DejaVu Sans"  # the current font is selected
    qtbot.keyClicks(chooser.search, "dejavu s")
    shown = _shown(chooser)
    assert shown
    assert all("dejavu s" in name.lower() for name in shown)
    first = chooser.family()
    assert first in shown
    qtbot.keyClick(chooser.search, Qt.Key.Key_Down)  # from the search field, into the list
    assert chooser.family() == shown[shown.index(first) + 1]
    assert chooser.search.hasFocus()  # typing goes on where it was
    assert QFontInfo(chooser.preview.font()).family() == chooser.family()
    qtbot.keyClick(chooser.search, Qt.Key.Key_Return)
    assert chooser.result() == FontChooser.DialogCode.Accepted


def test_nothing_found_leaves_nothing_to_take(app: QApplication, qtbot: QtBot) -> None:
    chooser = FontChooser(None)
    qtbot.addWidget(chooser)
    qtbot.keyClicks(chooser.search, "no font is called this")
    assert _shown(chooser) == []
    assert chooser.family() is None
    assert not chooser.ok_button.isEnabled()
    assert chooser.preview.text() == "No font has that name."
    chooser.search.clear()
    assert chooser.family() is not None
    assert chooser.ok_button.isEnabled()


def test_generic_names_are_not_offered(app: QApplication, qtbot: QtBot) -> None:
    """fontconfig's "Serif" or "Monospace" stand for another family, listed by its own name."""
    families = installed_families()
    for generic in ("Serif", "Sans Serif", "Monospace"):
        assert generic not in families
    assert all(QFontInfo(QFont(f)).family() == f for f in families)
