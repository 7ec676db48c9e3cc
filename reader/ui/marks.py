"""Marks over the article's text: a span of it, and the two looks a mark has in a colour
scheme (tinted: reading aloud's sentence, Find's matches; inverted: the word being said, the
current match). One place, so that reading aloud and Find mark the text alike, and a span is
made the same way wherever one is needed (reader.ui.tables too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

if TYPE_CHECKING:
    from reader.ui.theme import Scheme

# A tinted mark's background: this much of the scheme's focus colour over its background. Its
# text keeps a contrast of at least 4.5:1 in every scheme (tests/ui/test_read_aloud.py).
TINT = 0.2


def mix(background: str, colour: str, share: float) -> str:
    """``share`` of ``colour`` over ``background`` (both ``#RRGGBB``)."""
    channels = (
        round(int(background[i : i + 2], 16) * (1 - share) + int(colour[i : i + 2], 16) * share)
        for i in (1, 3, 5)
    )
    return "#" + "".join(f"{c:02X}" for c in channels)


def selection(doc: QTextDocument, start: int, end: int) -> QTextCursor:
    """A cursor selecting ``doc``'s text from ``start`` to ``end``."""
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor


def tinted(scheme: Scheme) -> QTextCharFormat:
    """The quiet mark: the background tinted towards the focus colour."""
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(mix(scheme.background, scheme.focus, TINT)))
    return fmt


def inverted(scheme: Scheme) -> QTextCharFormat:
    """The strong mark: the scheme inverted, as a selection is."""
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(scheme.text))
    fmt.setForeground(QColor(scheme.background))
    return fmt


def mark(cursor: QTextCursor, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
    """``cursor``'s selection drawn in ``fmt`` (for ArticleView.set_marks)."""
    marked = QTextEdit.ExtraSelection()
    marked.cursor = cursor
    marked.format = fmt
    return marked
