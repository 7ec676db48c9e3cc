"""Find in the article (Ctrl+F): a bar under the article with the words to find, the previous
and next match, and how many there are; every match is tinted, the current one is selected
(the caret's selection, so a screen reader reads it) and scrolled into view.

Case is ignored, as browsers do. The bar is made at its first use: nothing of it is built
before the article's first paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from reader.ui import add_clear_button, theme
from reader.ui.marks import inverted, mark, tinted

if TYPE_CHECKING:
    from reader.ui.article_view import ArticleView

MARKS = "find"  # its marks over the text (ArticleView.set_marks)
MAX_MATCHES = 10_000  # counted and tinted at most; a longer count is shown as "10,000+"


class FindBar(QFrame):
    """The bar; ``message`` says what was found, for the status bar and screen readers."""

    message = Signal(str)
    closed = Signal(str)  # with its last message, which is no longer so (see close_bar)

    def __init__(self, view: ArticleView, scheme: theme.Scheme) -> None:
        super().__init__()
        self.setObjectName("findBar")
        self.setAccessibleName("Find in article")
        self.setAccessibleDescription("Enter: next match. Shift+Enter: previous. Esc: close.")
        self._view = view
        self._scheme = scheme
        self._matches: list[QTextCursor] = []
        self._current = -1
        self._current_place: tuple[int, int, str] | None = None  # kept through a new text
        self._said = ""  # its last message (closed says it)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 6, 12, 6)
        self._rows = (QHBoxLayout(), QHBoxLayout())  # the second for the buttons when narrow
        for row in self._rows:
            column.addLayout(row)
        label = QLabel("F&ind:")  # Alt+F is the File menu
        self.field = QLineEdit()
        self.field.setAccessibleName("Find in article")
        self.field.setAccessibleDescription(
            "Words to find. Enter: next match, Shift+Enter: previous, Esc: close."
        )
        add_clear_button(self.field, "Clear the words to find")
        label.setBuddy(self.field)
        self.previous_button = QPushButton("Previous")
        self.previous_button.setAccessibleName("Previous match")
        self.previous_button.setAccessibleDescription("The match before this one (Shift+F3).")
        self.next_button = QPushButton("Next")
        self.next_button.setAccessibleName("Next match")
        self.next_button.setAccessibleDescription("The match after this one (F3).")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Matches")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close find")
        self.close_button.setAccessibleDescription("Hide this bar and go back to the article.")
        first = self._rows[0]
        for widget in (label, self.field):
            first.addWidget(widget)
        first.setStretchFactor(self.field, 1)
        self._buttons = (self.previous_button, self.next_button, self.count_label)
        self._wrapped = False
        self._place_buttons(first)
        self.field.textChanged.connect(lambda _text: self.search())
        for widget in (self.field, self.previous_button, self.next_button, self.close_button):
            widget.installEventFilter(self)  # Esc on any of them closes the bar
        self.next_button.clicked.connect(self.next)
        self.previous_button.clicked.connect(self.previous)
        self.close_button.clicked.connect(self.close_bar)
        view.rendered.connect(self._article_made_again)

    def _place_buttons(self, row: QHBoxLayout) -> None:
        """Previous, Next and the count, then Close at the end of ``row``."""
        for widget in self._buttons:
            row.addWidget(widget)
        row.addStretch(0)
        row.addWidget(self.close_button)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_rows(event.size().width())

    def _fit_rows(self, width: int) -> None:
        """Narrower than one row needs, the buttons go to a row of their own under the field,
        whole: squeezed, "Previous" read "evio" and the field showed four letters."""
        margins = self.layout().contentsMargins()
        spacing = self._rows[0].spacing()
        widgets = [self._rows[0].itemAt(0).widget(), self.field, *self._buttons, self.close_button]
        one_row = sum(w.sizeHint().width() + spacing for w in widgets if w is not None)
        wrap = width < one_row + margins.left() + margins.right()
        if wrap != self._wrapped:
            self._wrapped = wrap
            first, second = self._rows
            # The label and the field stay in the first row.
            source, target, keep = (first, second, 2) if wrap else (second, first, 0)
            while source.count() > keep:
                source.takeAt(keep)
            self._place_buttons(target)

    # --- what the window calls ---------------------------------------------------------------

    def open(self) -> None:
        """Show the bar with the field focused and its text selected (typing replaces it)."""
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        if self.field.text():
            self.search()

    def close_bar(self) -> None:
        """Hide the bar and its marks; the article gets the focus, the last match selected."""
        self.hide()
        self._view.set_marks(MARKS, [])
        self._view.setFocus()
        self.closed.emit(self._said)

    def set_scheme(self, scheme: theme.Scheme) -> None:
        """Tint the matches in ``scheme``'s colours."""
        self._scheme = scheme
        self._mark()

    @property
    def match_count(self) -> int:
        """How many matches the words have (at most MAX_MATCHES)."""
        return len(self._matches)

    @property
    def current(self) -> int:
        """The index of the selected match, -1 with none."""
        return self._current

    def search(self) -> None:
        """Find every match of the field's words; select the first at or after the top of
        the view (where the reader is), so finding does not jump back to the beginning."""
        words = self.field.text()
        self._matches = self._find_all(words)
        self._current = -1
        if self._matches:
            top = self._view.shown_top_position()
            after = [i for i, m in enumerate(self._matches) if m.selectionStart() >= top]
            self._go(after[0] if after else 0)
        else:
            self._mark()
            self._say("No matches." if words.strip() else "", f"No matches for “{words}”.")

    def next(self) -> None:
        """The match after the current one, round to the first (F3, Enter)."""
        if self._matches:
            self._go((self._current + 1) % len(self._matches))

    def previous(self) -> None:
        """The match before the current one, round to the last (Shift+F3, Shift+Enter)."""
        if self._matches:
            self._go((self._current - 1) % len(self._matches))

    # --- inside ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: object) -> bool:
        """Enter and Shift+Enter in the field; Esc on any of the bar's controls closes it,
        before the window's Esc (Stop Fetching) can take the key while a page is fetched."""
        if not isinstance(event, QKeyEvent) or event.key() != Qt.Key.Key_Escape:
            if (
                watched is self.field
                and isinstance(event, QKeyEvent)
                and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            ):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.previous()
                else:
                    self.next()
                return True
            return super().eventFilter(watched, event)
        if event.type() == QKeyEvent.Type.ShortcutOverride:
            event.accept()  # the key comes here as a key press, not to a window shortcut
            return True
        if event.type() == QKeyEvent.Type.KeyPress:
            self.close_bar()
            return True
        return super().eventFilter(watched, event)

    def _find_all(self, words: str) -> list[QTextCursor]:
        if not words.strip():
            return []
        doc = self._view.document()
        found: list[QTextCursor] = []
        cursor = QTextCursor(doc)
        while len(found) < MAX_MATCHES:
            cursor = doc.find(words, cursor)
            if cursor.isNull():
                break
            found.append(QTextCursor(cursor))
        return found

    def _go(self, index: int) -> None:
        self._current = index
        match = self._matches[index]
        self._current_place = self._view.place_of(
            self._view.canonical_position(match.selectionStart())
        )
        view = self._view
        view.setTextCursor(match)  # selected: a screen reader reads it; Qt scrolls to it
        height = view.viewport().height()
        rect = view.cursorRect(match)
        if rect.top() < height // 6 or rect.bottom() > height * 5 // 6:
            bar = view.verticalScrollBar()  # not at an edge: a third of the way down
            bar.setValue(bar.value() + rect.top() - height // 3)
        self._mark()
        more = "+" if len(self._matches) >= MAX_MATCHES else ""
        self._say(f"{index + 1} of {len(self._matches):,}{more}")

    def _mark(self) -> None:
        """Every match tinted as reading aloud tints its sentence; the current one inverted."""
        if not self.isVisible():
            self._view.set_marks(MARKS, [])
            return
        tint, current = tinted(self._scheme), inverted(self._scheme)
        marks = [
            mark(match, current if i == self._current else tint)
            for i, match in enumerate(self._matches)
        ]
        self._view.set_marks(MARKS, marks)

    def _say(self, text: str, whole: str | None = None) -> None:
        """``text`` beside the field, short ("No matches.": the bar must fit a narrow window
        whatever was typed), and ``whole`` (else "Match <text>.") in the status bar; screen
        readers get ``whole`` or ``text``."""
        self.count_label.setText(text)
        self.count_label.setAccessibleName(f"Matches: {whole or text}" if text else "Matches")
        if text:
            self._said = whole or f"Match {text}."
            self.message.emit(self._said)
        self._fit_rows(self.width())  # its new width may need the second row, or free it

    def _article_made_again(self) -> None:
        """New text (pictures off, a table stacked, the whole of a long article): find again
        in it, the current match the one at its place (without scrolling), if the bar is open."""
        if not (self.isVisible() and self.field.text()):
            return
        view = self._view
        self._matches = self._find_all(self.field.text())
        self._current = -1
        if self._matches and self._current_place is not None:
            at = view.shown_position(view.position_of(self._current_place))
            starts = [m.selectionStart() for m in self._matches]
            self._current = min(range(len(starts)), key=lambda i: abs(starts[i] - at))
            bar = view.verticalScrollBar()
            where = bar.value()
            view.setTextCursor(self._matches[self._current])  # selected again, not scrolled to
            bar.setValue(where)
        self._mark()
        if self._current >= 0:
            self._say(f"{self._current + 1} of {len(self._matches):,}")
        else:
            count = f"{len(self._matches):,} matches"
            self._say(count if self._matches else "", f"{count}.")
