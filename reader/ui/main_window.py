"""The main window: the reading toolbar, a message bar, the article, menus and the status bar.

Every choice is applied to the view and saved at once; the window restores the last article,
its position and the window geometry at the next start.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader import APP_NAME
from reader.app import AppContext
from reader.core.article import Article
from reader.core.errors import ReaderError
from reader.core.load import load_path
from reader.core.settings import (
    ReadingSettings,
    larger_font_size,
    smaller_font_size,
)
from reader.ui import theme
from reader.ui.article_view import ArticleView
from reader.ui.toolbar import ReadingToolbar

log = logging.getLogger("reader.ui.window")
POSITION_SAVE_DELAY_MS = 1500  # save the reading position shortly after scrolling stops
HTML_FILTER = "Web pages (*.html *.htm *.xhtml *.mht *.txt);;All files (*)"


class MessageBar(QFrame):
    """One sentence above the article (an error or notice) with a button to dismiss it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setAccessibleName("Message")
        self.setAccessibleDescription("The latest problem or notice.")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.label, 1)
        self.close_button = QPushButton("Dismiss")
        self.close_button.setAccessibleName("Dismiss message")
        self.close_button.setAccessibleDescription("Hide this message.")
        self.close_button.clicked.connect(self.hide)
        row.addWidget(self.close_button)
        self.hide()

    def show_message(self, text: str) -> None:
        """Show ``text`` and tell screen readers, without taking the focus away."""
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.show()
        QAccessible.updateAccessibility(QAccessibleEvent(self.label, QAccessible.Event.Alert))


class MainWindow(QMainWindow):
    """The reader window for one ``AppContext``."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.library_dock: QDockWidget | None = None  # set by set_library_panel (issue 4)
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        reading = ctx.settings.reading

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.toolbar = ReadingToolbar(reading)
        self.toolbar.reading_changed.connect(self.apply_reading)
        column.addWidget(self.toolbar)
        self.message_bar = MessageBar()
        column.addWidget(self.message_bar)
        self.view = ArticleView()
        self.view.message.connect(self.show_status)
        column.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.setFocusProxy(self.view)

        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(POSITION_SAVE_DELAY_MS)
        self._position_timer.timeout.connect(self.save_position)
        self.view.verticalScrollBar().valueChanged.connect(self._position_timer.start)

        self._build_menus()
        self.statusBar().setAccessibleName("Status")
        self.statusBar().setAccessibleDescription("Short messages about what just happened.")
        self._apply_scheme()
        self.view.apply_reading(reading, force=True)
        self.resize(1100, 800)
        self._restore_geometry()
        if ctx.notice:
            self.show_status(ctx.notice)
            self.message_bar.show_message(ctx.notice)
            ctx.notice = None  # once

    # --- menus and shortcuts -------------------------------------------------------------------

    def _action(
        self, text: str, slot: object, *shortcuts: QKeySequence | QKeySequence.StandardKey | str
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_menus(self) -> None:
        menu_bar = self.menuBar()
        menu_bar.setAccessibleName("Menu bar")
        menu_bar.setAccessibleDescription("File and view menus.")
        file_menu = menu_bar.addMenu("&File")
        self.open_action = self._action("&Open…", self.ask_open, QKeySequence.StandardKey.Open)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addMenu(self.recent_menu)
        self._fill_recent()
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        view_menu = menu_bar.addMenu("&View")
        self.view_menu = view_menu
        view_menu.addAction(
            self._action("&Larger Text", self.larger_text, "Ctrl++", "Ctrl+=", "Ctrl+Shift+=")
        )
        view_menu.addAction(self._action("&Smaller Text", self.smaller_text, "Ctrl+-"))
        view_menu.addAction(self._action("&Normal Size (100%)", self.normal_size, "Ctrl+0"))
        view_menu.addSeparator()
        view_menu.addAction(
            self._action("Reset All Reading Choices", lambda: self.apply_reading(ReadingSettings()))
        )
        view_menu.addSeparator()
        view_menu.addAction(
            self._action("Move Focus Between Toolbar and Article", self.toggle_focus, "F6")
        )

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.ctx.settings.recent_files
        if not recent:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)
            return
        for n, path in enumerate(recent, start=1):
            label = f"&{n} {Path(path).name}" if n < 10 else Path(path).name
            action = self.recent_menu.addAction(label)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))

    # --- reading choices -----------------------------------------------------------------------

    def apply_reading(self, reading: ReadingSettings) -> None:
        """Apply choices to the view, toolbar and window colours, and save them at once."""
        old = self.ctx.settings.reading
        top = self.view.top_position()  # before restyling moves anything
        self.ctx.update(dataclasses.replace(self.ctx.settings, reading=reading))
        self.toolbar.set_reading(reading)
        if reading.colour_scheme != old.colour_scheme:
            self._apply_scheme()
        # Restyling the window can reset widget fonts, so always re-apply the reading font.
        self.view.apply_reading(reading, top, force=True)

    def _apply_scheme(self) -> None:
        scheme = theme.schemes()[self.ctx.settings.reading.colour_scheme]
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(theme.palette_for(scheme))
            app.setStyleSheet(theme.stylesheet_for(scheme))
        self.toolbar.apply_scheme(scheme)

    def larger_text(self) -> None:
        """One size step up (Ctrl+Plus)."""
        reading = self.ctx.settings.reading
        self.apply_reading(
            dataclasses.replace(reading, font_size=larger_font_size(reading.font_size))
        )

    def smaller_text(self) -> None:
        """One size step down (Ctrl+Minus)."""
        reading = self.ctx.settings.reading
        self.apply_reading(
            dataclasses.replace(reading, font_size=smaller_font_size(reading.font_size))
        )

    def normal_size(self) -> None:
        """Back to 100% (Ctrl+0)."""
        self.apply_reading(dataclasses.replace(self.ctx.settings.reading, font_size=100))

    def toggle_focus(self) -> None:
        """F6: jump between the reading toolbar and the article."""
        focus = QApplication.focusWidget()
        if focus is not None and self.toolbar.isAncestorOf(focus):
            self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            button = self.toolbar.font_buttons[self.ctx.settings.reading.font]
            button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- opening -------------------------------------------------------------------------------

    def ask_path(self) -> str | None:
        """Ask for a file to open (patched in tests)."""
        start = str(Path(self.ctx.settings.last_article or Path.home()).parent)
        path, _ = QFileDialog.getOpenFileName(self, "Open a web page", start, HTML_FILTER)
        return path or None

    def ask_open(self) -> None:
        """File > Open (Ctrl+O)."""
        path = self.ask_path()
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path, position: int = 0) -> bool:
        """Open a file; on failure say why in one sentence and keep the article shown."""
        path = Path(path)
        try:
            page = load_path(path)
            article = self.ctx.extract(page)
        except ReaderError as exc:
            self.show_error(str(exc))
            return False
        except Exception:
            log.exception("extraction failed for %s", path)
            self.show_error(f"{path} could not be shown: the article could not be extracted.")
            return False
        if not article.source:
            article = dataclasses.replace(article, source=page.source or str(path))
        self.save_position()
        self.show_article(article, position)
        absolute = str(path.resolve())
        settings = self.ctx.settings.with_recent(absolute)
        settings = dataclasses.replace(settings, last_article=absolute, last_position=position)
        self.ctx.update(settings)
        self._fill_recent()
        return True

    def show_article(self, article: Article, position: int = 0) -> None:
        """Show an article already extracted (the library opens saved articles this way)."""
        self.message_bar.hide()
        self.view.show_article(article, self.ctx.settings.reading, position)
        self.setWindowTitle(f"{article.title or 'Untitled article'} — {APP_NAME}")
        self.show_status(f"Opened {article.title or article.source or 'the article'}.")

    def open_initial(self, spec: str | None) -> None:
        """At start: the file given, else the last article at its position, if kept."""
        settings = self.ctx.settings
        if spec:
            self.open_path(spec)
        elif settings.keep_opened_articles and settings.last_article:
            if Path(settings.last_article).exists():
                self.open_path(settings.last_article, settings.last_position)
            else:
                self.show_status(f"The last article, {settings.last_article}, is no longer there.")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_path(files[0])

    # --- messages, position, geometry ----------------------------------------------------------

    def show_status(self, text: str) -> None:
        """A short sentence in the status bar."""
        self.statusBar().showMessage(text)

    def show_error(self, text: str) -> None:
        """One clear sentence in the message bar and the status bar; no dialog."""
        log.warning("shown to the user: %s", text)
        self.message_bar.show_message(text)
        self.show_status(text)

    def save_position(self) -> None:
        """Remember where the reader is in the current article."""
        if self.view.article is None:
            return
        self.ctx.replace(last_position=self.view.top_position())

    def _restore_geometry(self) -> None:
        stored = self.ctx.settings.window_geometry
        if stored:
            data = QByteArray.fromBase64(stored.encode("ascii"))
            if not self.restoreGeometry(data):
                log.warning("settings: window geometry could not be restored")

    def save_state(self) -> None:
        """Remember the window geometry and the reading position (on close and on quit)."""
        self._position_timer.stop()
        geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        position = self.view.top_position() if self.view.article is not None else 0
        self.ctx.replace(window_geometry=geometry, last_position=position)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)

    # --- the library's place ---------------------------------------------------------------------

    def set_library_panel(self, panel: QWidget, title: str = "Library") -> QDockWidget:
        """Dock the library panel (reader/ui/library_panel.py) on the left, with a View toggle."""
        dock = QDockWidget(title, self)
        dock.setObjectName("libraryDock")
        dock.setWidget(panel)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        toggle = dock.toggleViewAction()
        toggle.setShortcut(QKeySequence("Ctrl+L"))
        self.view_menu.addAction(toggle)
        self.library_dock = dock
        return dock
