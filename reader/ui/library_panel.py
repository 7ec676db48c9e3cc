"""The library panel: saved articles with search as you type, open, mark read, delete with undo.

A self-contained widget over a :class:`reader.core.library.Library`; the main window places it
and connects :attr:`LibraryPanel.openRequested` to opening the article by id.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.core.errors import LibraryError
from reader.core.library import Library, Summary
from reader.ui import add_clear_button

SEARCH_DELAY_MS = 150  # results as you type, without a query per keystroke
SEARCH_LIMIT = 50  # more than one screen of results
ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200  # rows read at a time while scrolling the full list
_Index = QModelIndex | QPersistentModelIndex
Pager = Callable[[int, int], list[Summary]]  # (offset, limit) -> rows


class LibraryModel(QAbstractTableModel):
    """Saved articles as rows: title, site, date saved, read state; a snippet as tool tip."""

    COLUMNS = ("Title", "Site", "Saved", "State")
    failed = Signal(str)  # a page could not be read; the panel shows the sentence

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Summary] = []
        self._snippets: dict[int, str] = {}
        self._pager: Pager | None = None
        self._snippet_for: Callable[[int], str] | None = None
        self._locale = QLocale()
        # One font for every unread row, made once: data() runs for every painted cell, and with
        # PySide6 6.12 on Python 3.11 each call of a void method (setBold) drops a reference to
        # None, which aborts the interpreter after a few thousand calls ("none_dealloc").
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(
        self, rows: list[Summary], snippet_for: Callable[[int], str] | None = None
    ) -> None:
        """Replace every row with a complete list (search results).

        ``snippet_for(id)`` gives a row's snippet when its tool tip is first asked for: making
        snippets for every hit up front would cost more than the search itself.
        """
        self.beginResetModel()
        self._rows = rows
        self._snippets = {}
        self._snippet_for = snippet_for
        self._pager = None
        self.endResetModel()

    def _snippet(self, article_id: int) -> str:
        if article_id not in self._snippets and self._snippet_for is not None:
            try:
                self._snippets[article_id] = self._snippet_for(article_id)
            except LibraryError:
                self._snippets[article_id] = ""
        return self._snippets.get(article_id, "")

    def set_pager(self, pager: Pager) -> None:
        """Show rows from ``pager(offset, limit)``, a page now and more as the view scrolls.

        Opening the panel on ten thousand articles then costs one page, not the whole list.
        """
        self.beginResetModel()
        self._rows = []
        self._snippets = {}
        self._snippet_for = None
        self._pager = pager
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: _Index) -> bool:
        return self._pager is not None and not parent.isValid()

    def fetchMore(self, parent: _Index) -> None:
        if self._pager is None or parent.isValid():
            return
        try:
            page = self._pager(len(self._rows), PAGE_SIZE)
        except LibraryError as exc:  # Qt called us: the error cannot propagate, so tell
            self._pager = None
            self.failed.emit(str(exc))
            return
        if len(page) < PAGE_SIZE:
            self._pager = None  # that was the last page
        if page:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()

    def summary(self, row: int) -> Summary:
        """The article shown in ``row``."""
        return self._rows[row]

    def row_of(self, article_id: int) -> int | None:
        """The row showing ``article_id``, if any."""
        return next((i for i, s in enumerate(self._rows) if s.id == article_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt default argument)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt default argument)
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def _date(self, ts: float) -> str:
        when = QDateTime.fromSecsSinceEpoch(int(ts))
        if self._locale.language() == QLocale.Language.C:  # no user locale: ISO, never "27 11 2026"
            return when.date().toString(Qt.DateFormat.ISODate)
        return self._locale.toString(when.date(), QLocale.FormatType.ShortFormat)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        s = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return s.title or "Untitled article"
            if column == 1:
                return s.site_name or ""
            if column == 2:
                return self._date(s.saved_at)
            return "Read" if s.read else "Unread"
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._snippet(s.id) or s.byline or s.source
        if role == Qt.ItemDataRole.AccessibleTextRole and column == 0:
            state = "read" if s.read else "unread"
            site = f", {s.site_name}" if s.site_name else ""
            return f"{s.title or 'Untitled article'}{site}, saved {self._date(s.saved_at)}, {state}"
        if role == Qt.ItemDataRole.FontRole and not s.read:
            return self._bold  # unread stands out, as in a mail reader
        if role == ID_ROLE:
            return s.id
        return None


class _RemoveCommand(QUndoCommand):
    """Remove an article from the library; undo restores it.

    The panel removes the article before pushing, so a failure is reported before the command
    exists; Qt calls redo() on push, which the first time has nothing left to do. Exceptions
    cannot cross back through Qt, so later failures go to the panel's message bar.
    """

    def __init__(self, panel: LibraryPanel, summary: Summary) -> None:
        super().__init__(f"Delete “{summary.title or 'Untitled article'}”")
        self._panel = panel
        self._id = summary.id
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._run(self._panel.library.remove)

    def undo(self) -> None:
        if self._run(self._panel.library.restore):
            self._panel.select_article(self._id)

    def _run(self, action: Callable[[int], None]) -> bool:
        try:
            action(self._id)
        except LibraryError as exc:
            self._panel.show_message(str(exc))
            return False
        finally:
            self._panel.refresh()
        return True


class LibraryPanel(QWidget):
    """Saved articles with search as you type; emits ``openRequested(id)`` to open one."""

    openRequested = Signal(int)

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.undo_stack = QUndoStack(self)
        self.setObjectName("libraryPanel")
        self.setAccessibleName("Library")
        self.setAccessibleDescription("Articles saved for reading offline")

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search saved articles")
        add_clear_button(self.search, "Clear the search")
        self.search.setAccessibleName("Search the library")
        self.search.setAccessibleDescription("Results appear as you type; every word must match")

        self.model = LibraryModel(self)
        self.model.failed.connect(self.show_message)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)  # keeps ten thousand rows fast
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Saved articles")
        self.view.setAccessibleDescription("Press Enter to open, Delete to delete")
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Widths from the font, not ResizeToContents: that asks the model for every loaded row
        # on each change (20,000 data() calls, 270 ms, with a few pages of rows loaded).
        metrics = self.view.fontMetrics()
        for column, sample in ((1, "M" * 6), (2, "0000-00-00"), (3, "Unread")):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, metrics.horizontalAdvance(sample) + 24)

        self.status = QLabel(self)
        self.status.setAccessibleName("Library status")

        self.open_button = self._button("&Open", "Open the selected article", self.open_selected)
        self.read_button = self._button(
            "Mark &read", "Mark the selected article read or unread", self.toggle_read
        )
        self.delete_button = self._button(
            "De&lete", "Delete the selected article; you can undo", self.delete_selected
        )

        self.message_bar = QFrame(self)
        self.message_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.message_bar.setAccessibleName("Message")
        self.message = QLabel(self.message_bar)
        self.message.setAccessibleName("Message text")
        self.message.setWordWrap(True)
        self.undo_button = QPushButton("&Undo", self.message_bar)
        self.undo_button.setAccessibleName("Undo")
        self.undo_button.setAccessibleDescription("Bring back the article just deleted")
        self.undo_button.clicked.connect(self.undo)
        bar = QHBoxLayout(self.message_bar)
        bar.setContentsMargins(6, 4, 6, 4)
        bar.addWidget(self.message, 1)
        bar.addWidget(self.undo_button)
        self.message_bar.hide()

        buttons = QHBoxLayout()
        for button in (self.open_button, self.read_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message_bar)
        layout.addLayout(buttons)
        self.setFocusProxy(self.search)
        QWidget.setTabOrder(self.search, self.view)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._search_now)
        self.view.activated.connect(self._open_index)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.undo_stack.indexChanged.connect(self._update_buttons)
        for keys, slot in (
            (QKeySequence.StandardKey.Delete, self.delete_selected),
            (QKeySequence.StandardKey.Undo, self.undo),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.refresh()

    def _button(self, text: str, description: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.replace("&", ""))
        button.setAccessibleDescription(description)
        button.clicked.connect(slot)
        return button

    # ----------------------------------------------------------------- state
    def selected(self) -> Summary | None:
        """The selected article, if any."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.summary(rows[0].row()) if rows else None

    def select_article(self, article_id: int) -> None:
        """Select (and scroll to) an article shown in the list."""
        row = self.model.row_of(article_id)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def _update_buttons(self) -> None:
        current = self.selected()
        for button in (self.open_button, self.read_button, self.delete_button):
            button.setEnabled(current is not None)
        self.read_button.setText("Mark un&read" if current and current.read else "Mark &read")
        self.read_button.setAccessibleName(self.read_button.text().replace("&", ""))
        self.undo_button.setEnabled(self.undo_stack.canUndo())

    def show_message(self, text: str, *, undo: bool = False) -> None:
        """Show ``text`` in the message bar above the buttons, with Undo if asked."""
        self.message.setText(text)
        self.undo_button.setVisible(undo)
        self.message_bar.show()

    # ----------------------------------------------------------------- actions
    def _search_now(self) -> None:
        self._timer.stop()
        self.refresh()

    def refresh(self) -> None:
        """Reload the list (or the search results) from the library, keeping the selection."""
        keep = self.selected()
        query = self.search.text().strip()
        try:
            if query:
                hits = self.library.search(query, limit=SEARCH_LIMIT, snippets=0)
                self.model.set_rows(
                    [h.summary for h in hits],
                    lambda i: self.library.snippet(i, query, highlight=("", "")),
                )
                count = len(hits)
                self.status.setText(
                    f"{count} match{'es' if count != 1 else ''} for “{query}”"
                    if count
                    else f"Nothing matches “{query}”"
                )
            else:
                count = len(self.library)
                self.model.set_pager(
                    lambda offset, limit: self.library.list(limit=limit, offset=offset)
                )
                self.status.setText(
                    f"{count} saved article{'s' if count != 1 else ''}"
                    if count
                    else "No saved articles yet"
                )
        except LibraryError as exc:
            self.show_message(str(exc))
            return
        if keep is not None:
            self.select_article(keep.id)
        self._update_buttons()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.openRequested.emit(self.model.summary(index.row()).id)

    def open_selected(self) -> None:
        """Ask to open the selected article."""
        current = self.selected()
        if current is not None:
            self.openRequested.emit(current.id)

    def toggle_read(self) -> None:
        """Mark the selected article read, or unread if it was read."""
        current = self.selected()
        if current is None:
            return
        try:
            self.library.mark_read(current.id, not current.read)
        except LibraryError as exc:
            self.show_message(str(exc))
            return
        self.refresh()

    def delete_selected(self) -> None:
        """Delete the selected article; the message bar offers Undo."""
        current = self.selected()
        if current is None:
            return
        try:
            self.library.remove(current.id)
        except LibraryError as exc:
            self.show_message(str(exc))
            return
        self.undo_stack.push(_RemoveCommand(self, current))
        self.refresh()
        self.show_message(f"Deleted “{current.title or 'Untitled article'}”.", undo=True)
        self.undo_button.setFocus()

    def undo(self) -> None:
        """Undo the last delete."""
        if not self.undo_stack.canUndo():
            return
        self.undo_stack.undo()
        self.message_bar.hide()
        self.view.setFocus()
