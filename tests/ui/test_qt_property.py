"""set_qt_property: enum and flags properties set by their key names, as the window's build does
to keep PySide6's ``Qt`` namespace out of the first paint."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from reader.ui import set_qt_property


def test_keys_set_the_enum_and_flags_values(app: QApplication) -> None:
    combo, label = QComboBox(), QLabel()
    set_qt_property(combo, "focusPolicy", "StrongFocus")
    set_qt_property(label, "textInteractionFlags", "TextSelectableByMouse|TextSelectableByKeyboard")
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert label.textInteractionFlags() == (
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )


@pytest.mark.parametrize(("name", "keys"), [("focusPolicy", "Strong"), ("noSuchProperty", "X")])
def test_a_wrong_name_or_key_raises(app: QApplication, name: str, keys: str) -> None:
    with pytest.raises(ValueError, match=name):
        set_qt_property(QLabel(), name, keys)
