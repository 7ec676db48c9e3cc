"""Choosing "Your font": the fonts installed on this computer, each shown in itself, found by
typing part of its name, with a preview of a sentence in the one selected.

Keyboard first: the search field has the focus, Up and Down (and Page Up, Page Down) move in
the list from there, Enter takes the selected font and Escape leaves the choice as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont, QFontDatabase, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.ui import add_clear_button, fit_to_screen

PREVIEW = "The quick brown fox jumps over the lazy dog. 0123456789"
ITEM_PIXEL_SIZE = 20  # each family's name in that family
_MOVE_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


def installed_families() -> list[str]:
    """The font families a reader can choose, by name: installed, not Qt's private ones, and
    drawn as themselves: fontconfig's generic names ("Serif", "Monospace") stand for another
    family, which is in the list under its own name."""
    from PySide6.QtGui import QFontInfo

    return sorted(
        (
            family
            for family in QFontDatabase.families()
            if not QFontDatabase.isPrivateFamily(family)
            and QFontInfo(QFont(family)).family() == family
        ),
        key=str.casefold,
    )


class FontChooser(QDialog):
    """A modal choice of one installed family; ``family()`` after it is accepted."""

    def __init__(self, current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose your font")
        self.setAccessibleName("Choose your font")
        self.setAccessibleDescription("Type to find a font, then press Enter to read in it.")
        column = QVBoxLayout(self)
        label = QLabel("&Find a font:")
        self.search = QLineEdit()
        self.search.setAccessibleName("Find a font")
        self.search.setAccessibleDescription("Part of a font's name; Up and Down choose one.")
        add_clear_button(self.search, "Clear the font name")
        label.setBuddy(self.search)
        column.addWidget(label)
        column.addWidget(self.search)
        self.list = QListWidget()
        self.list.setAccessibleName("Fonts on this computer")
        self.list.setAccessibleDescription("Each font's name, shown in that font.")
        for family in installed_families():
            item = QListWidgetItem(family)
            face = QFont(family)
            face.setPixelSize(ITEM_PIXEL_SIZE)
            item.setFont(face)
            self.list.addItem(item)
        column.addWidget(self.list, 1)
        self.preview = QLabel(PREVIEW)
        self.preview.setAccessibleName("Preview")
        self.preview.setWordWrap(True)
        self.preview.setMinimumHeight(64)
        column.addWidget(self.preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        column.addWidget(buttons)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.list.currentItemChanged.connect(self._preview)
        self.list.itemActivated.connect(lambda _item: self.accept())
        fit_to_screen(self, 520, 560)
        self._select(current)
        self.search.setFocus()

    def family(self) -> str | None:
        """The selected family, if any."""
        item = self.list.currentItem()
        return item.text() if item is not None and not item.isHidden() else None

    def eventFilter(self, watched: QObject, event: object) -> bool:
        """Up and Down in the search field move in the list, as in other pickers."""
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in _MOVE_KEYS
        ):
            self.list.setFocus()
            self.list.keyPressEvent(event)  # moves the current item
            self.search.setFocus()
            return True
        return super().eventFilter(watched, event)

    def _select(self, family: str | None) -> None:
        matches = self.list.findItems(family, Qt.MatchFlag.MatchExactly) if family else []
        first = matches[0] if matches else self.list.item(0)
        if first is not None:
            self.list.setCurrentItem(first)

    def _filter(self, text: str) -> None:
        """Show the families whose name holds ``text``; the first of them is selected."""
        needle = text.strip().casefold()
        first: QListWidgetItem | None = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = needle not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        current = self.list.currentItem()
        if current is None or current.isHidden():
            self.list.setCurrentItem(first)  # None: nothing matches
        self.ok_button.setEnabled(self.family() is not None)

    def _preview(self, item: QListWidgetItem | None) -> None:
        if item is None:
            self.preview.setText("No font has that name.")
            self.preview.setFont(QFont())
            return
        face = QFont(item.text())
        face.setPixelSize(24)
        self.preview.setFont(face)
        self.preview.setText(PREVIEW)


def ask_font(current: str | None, parent: QWidget | None = None) -> str | None:
    """The family the reader picks, or None when they cancel."""
    chooser = FontChooser(current, parent)
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return None
    return chooser.family()
