"""The main window: the reading toolbar, a message bar, the article, menus and the status bar.

Every choice is applied to the view and saved at once; the window restores the last article,
its position and the window geometry at the next start. Articles opened are kept in the offline
library (a docked panel, Ctrl+L) when the user wants that; web pages are fetched off the UI thread
with progress and cancel, and shown from the library's local copies.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QByteArray, QSocketNotifier, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from reader import APP_NAME
from reader.app import LIBRARY_PREFIX, AppContext
from reader.core import present
from reader.core.article import Article
from reader.core.errors import LibraryError, ReaderError
from reader.core.settings import (
    SPEECH_RATES,
    FontChoice,
    ReadingSettings,
    Settings,
    stepped_font_size,
)
from reader.core.web import FetchedArticle, fetch_article, inline_pictures, is_web_address
from reader.ui import fit_to_screen, set_qt_property, theme
from reader.ui.address_bar import (
    ADDRESS_SHORTCUT,
    AddressBar,
    FetchStatus,
)
from reader.ui.article_view import JOINED_NOTE, ArticleView
from reader.ui.toolbar import ReadingToolbar, ToolbarArea

# Qt (the namespace), QAccessible, QDockWidget, QFileDialog, QAction and QKeySequence are
# imported where they are used: PySide6 builds each one's Python enums on first import (~45 ms
# together), and none of them is needed to show the article (see set_qt_property). The event
# classes of handlers that run later (close, drag and drop) are named for type checking only,
# for the same reason.
if TYPE_CHECKING:  # the fetch worker (and http.client, ssl) loads on the first fetch
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import (
        QAction,
        QCloseEvent,
        QDragEnterEvent,
        QDropEvent,
        QKeyEvent,
        QKeySequence,
        QResizeEvent,
    )
    from PySide6.QtWidgets import QDockWidget

    from reader.ui.fetch_worker import FetchWorker
    from reader.ui.find_bar import FindBar  # made at the first Ctrl+F
    from reader.ui.library_panel import LibraryPanel  # built when first shown
    from reader.ui.read_aloud import ReadAloud  # made at the first use, with Qt's speech module

log = logging.getLogger("reader.ui.window")
POSITION_SAVE_DELAY_MS = 1500  # save the reading position shortly after scrolling stops
PAINT_WAIT_MS = 1000  # after_paint work runs by then even if no paint comes (window minimised)
RESPONSIVE_SECONDS = 0.05  # how often the window's events run while the library is updated
HTML_FILTER = "Web pages (*.html *.htm *.xhtml *.mht *.txt);;All files (*)"
LIBRARY_MIN_WIDTH = 560  # px: the library panel's first width
READ_ALOUD_SHORTCUT = "Ctrl+Shift+U"  # as in other readers (Edge's Read aloud)


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
        set_qt_property(self.label, "textInteractionFlags", "TextSelectableByMouse")
        set_qt_property(self.label, "textFormat", "PlainText")
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
        from PySide6.QtGui import QAccessible, QAccessibleEvent

        QAccessible.updateAccessibility(QAccessibleEvent(self.label, QAccessible.Event.Alert))


ELLIPSIS = "…"


def elided(text: str, fits: Callable[[str], bool]) -> str:
    """``text``, or its longest start (cut at a space when one is near) followed by "…", that
    ``fits``; "" when not even "…" does."""
    if fits(text):
        return text
    low, high = 0, len(text)  # the longest start that fits with the ellipsis: bisect
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + ELLIPSIS):
            low = middle
        else:
            high = middle - 1
    if low == 0 and not fits(ELLIPSIS):
        return ""
    start = text[:low]
    space = start.rfind(" ")
    if space > low * 3 // 4:  # a whole last word, unless that throws away much of the room
        start = start[:space]
    return start.rstrip() + ELLIPSIS


class StatusBar(QStatusBar):
    """A status bar whose message, when longer than the room left of the permanent widgets
    (the reading progress), ends in "…" instead of being cut through a letter against them.
    ``currentMessage`` is still the whole message, also the bar's tooltip while it is cut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._whole = ""  # the message given to show_text
        self._shown_as = ""  # ... as it was last handed to Qt to paint

    def show_text(self, text: str) -> None:
        """Show ``text`` (until the next one; "" clears it), elided to the room it has."""
        self._whole = self._shown_as = text
        if not text:
            self.setToolTip("")
            self.clearMessage()
            return
        self._fit()

    def currentMessage(self) -> str:
        """The whole message, not the elided one painted (one of Qt's own, a menu's status
        tip, as it is)."""
        shown = super().currentMessage()
        return self._whole if self._whole and shown == self._shown_as else shown

    def refit(self) -> None:
        """Elide the message again to the room it has now; nothing when Qt has replaced or
        cleared it since (a menu's status tip): it is not brought back."""
        if self._whole and super().currentMessage() != self._shown_as:
            self._whole = ""
            self.setToolTip("")
        self._fit()

    def _fit(self) -> None:
        """Show the message elided to the room it has (whole while the bar is not shown: it
        has no room of its own yet, and its first resize comes to refit)."""
        if not self._whole:
            return
        shown = self._shown(self._whole) if self.isVisible() else self._whole
        self.setToolTip(self._whole if shown != self._whole else "")
        if super().currentMessage() != shown:
            self.showMessage(shown)
        self._shown_as = shown

    def _shown(self, text: str) -> str:
        room = self._room()
        metrics = self.fontMetrics()
        return elided(text, lambda t: metrics.horizontalAdvance(t) <= room)

    def _room(self) -> int:
        """The width Qt paints the message in: from 6 px in to 2 px before the first widget
        shown on its right (the size grip, a permanent widget), mirrored right to left."""
        left, right = 6, self.width() - 12
        others = [w for w in self.findChildren(QWidget) if w.parent() is self and w.isVisible()]
        if self.isRightToLeft():
            left = max([left, *(w.x() + w.width() + 2 for w in others)])
        else:
            right = min([right, *(w.x() - 2 for w in others)])
        return max(0, right - left)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.refit()


class _MenuActions(NamedTuple):
    """The menus' actions that the window changes or tests reach (see MainWindow.menu_actions)."""

    open_file: QAction
    recent_menu: QMenu
    address: QAction
    save: QAction
    keep: QAction
    cancel: QAction


class MainWindow(QMainWindow):
    """The reader window for one ``AppContext``."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._library_dock: QDockWidget | None = None  # see library_dock
        self._library_panel: LibraryPanel | None = None  # built on first use: library_panel
        self.library_id: int | None = None  # the shown article's id in the library, if kept
        # The shown article as extracted, with the pictures it needs: what Ctrl+S saves.
        self._current: tuple[Article, Mapping[str, bytes]] | None = None
        self._worker: FetchWorker | None = None
        self._after_paint_work: list[Callable[[], None]] = []  # see after_paint
        # The start's article is on its way (see open_initial): a paint of the window without
        # it does not run the after-paint work, which would hold up taking the article.
        self._article_coming = False
        self._closing = False  # shutdown began (see _stay_responsive)
        self._responsive_at = 0.0  # when _stay_responsive last ran the events
        # What asked for the library while an older one was being updated: run once it is.
        self._library_waiting: list[Callable[[], None]] = []
        # The message bar shows the notices not dismissed yet, then the latest error, if any:
        # an error goes when another article opens or another error comes, notices stay.
        self._notices: list[str] = []
        self._error: str | None = None
        self._after_paint_timer = QTimer(self)  # see after_paint
        self._after_paint_timer.setSingleShot(True)
        self._after_paint_timer.setInterval(PAINT_WAIT_MS)
        self._after_paint_timer.timeout.connect(self._run_after_paint_work)
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        reading = ctx.settings.reading

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.address_bar = AddressBar()
        self.address_bar.submitted.connect(self.open_url)
        column.addWidget(self.address_bar)
        self.toolbar = ReadingToolbar(reading)
        self.toolbar.reading_changed.connect(self.apply_reading)
        self.toolbar.read_aloud_toggled.connect(self._read_aloud_pressed)
        self.toolbar.choose_font_requested.connect(self.choose_font)
        self._read_aloud: ReadAloud | None = None  # made at the first use: read_aloud
        column.addWidget(self.toolbar)
        self.toolbar_area: ToolbarArea | None = None  # see _let_toolbar_scroll
        self.message_bar = MessageBar()
        self.message_bar.close_button.clicked.connect(self._dismiss_messages)
        column.addWidget(self.message_bar)
        self.view = ArticleView()
        self.view.message.connect(self.show_status)
        self.view.zoomed.connect(self.step_text_size)
        # A zero timer would run before the first paint (Qt handles posted events and timers
        # before the expose that paints a new window): after_paint waits for the paint itself.
        self.view.painted.connect(lambda: QTimer.singleShot(0, self._painted))
        column.addWidget(self.view, 1)
        self._column = column  # the find bar goes under the article at its first use
        self._find_bar: FindBar | None = None
        self.setCentralWidget(central)

        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(POSITION_SAVE_DELAY_MS)
        self._position_timer.timeout.connect(self.save_position)
        self.view.verticalScrollBar().valueChanged.connect(self._position_timer.start)

        self._menu_actions: _MenuActions | None = None  # see menu_actions
        self._build_menus()
        self.status_bar = StatusBar()
        self.setStatusBar(self.status_bar)
        self.status_bar.setAccessibleName("Status")
        self.status_bar.setAccessibleDescription("Short messages about what just happened.")
        self._fetch_status: FetchStatus | None = None  # see fetch_status
        self._apply_scheme()
        self.view.apply_reading(reading, force=True)
        fit_to_screen(self, 1200, 800)  # the toolbar in three rows
        self._restore_geometry()
        # Held taller until the first paint by the whole toolbar in a short window: see
        # _let_toolbar_scroll.
        self._start_height = self.height()
        # Right after the first paint: a start-up notice, then the library (opened, or created
        # on a first start) and its dock, which the article need not wait for; asked for
        # sooner, they come then. The library's own notice (a damaged file) joins the first.
        notice, ctx.notice = ctx.notice, None  # shown once
        ctx.notice_listeners.append(self.show_notice)
        # The window opens in the article (arrow keys read it, a screen reader starts there),
        # not in the address field, the first in the Tab order: Alt+D goes there.
        self.view.setFocus()
        # The menus' actions (and their shortcuts) first of all after the paint: before it,
        # nobody can use them.
        self.after_paint(self._make_menu_actions)
        if notice:
            self.after_paint(lambda: self.show_notice(notice))
        self.after_paint(self._attach_library)
        self._progress: QLabel | None = None  # see _show_progress
        self.after_paint(self._show_progress)
        self.after_paint(self._let_toolbar_scroll)

    def _let_toolbar_scroll(self) -> None:
        """Put the toolbar in a ToolbarArea: a short window then keeps at least half of what
        the toolbar and the article share for the article, and the toolbar scrolls. After the
        first paint, which need not wait for it (~15M instructions); a window shorter than
        the whole toolbar (saved so, or on a small screen), held taller until now, gets the
        size it started with back."""
        index = self._column.indexOf(self.toolbar)
        focus = QApplication.focusWidget()
        held = self.minimumHeight()  # the whole toolbar's, until now
        self.toolbar_area = ToolbarArea(self.toolbar)
        self._column.insertWidget(index, self.toolbar_area)
        # Screen readers list a window's parts in the order they were made: the toolbar's
        # place is before the message bar and the article, as on screen.
        self.toolbar_area.stackUnder(self.message_bar)
        self.toolbar_area.show()  # now, not when the layout gets round to it
        if focus is not None and self.toolbar.isAncestorOf(focus):
            focus.setFocus()
        self.toolbar_area.share_with(self.view, self.view.resized)
        started = self._start_height
        if self.height() == held and started < held and not self.isMaximized():
            layout = self.layout()
            if layout is not None:  # the window's least height is now the toolbar's first row
                layout.invalidate()
                layout.activate()
            self.resize(self.width(), started)

    def _show_progress(self) -> None:
        """How far the reader is (present.progress) at the status bar's right, for where the
        view is now: hidden with no article, one that fits in the view, or only the first
        part of a long one shown. Made at the first paint, which it need not delay."""
        label = self._progress
        if label is None:
            label = self._progress = QLabel()
            label.setObjectName("readingProgress")
            label.setAccessibleName("Reading progress")
            label.setAccessibleDescription(
                "How much of the article is above the bottom of the view, and about how "
                "long the rest takes to read."
            )
            self.status_bar.addPermanentWidget(label)
            bar = self.view.verticalScrollBar()
            bar.valueChanged.connect(self._show_progress)
            bar.rangeChanged.connect(self._show_progress)
        article, bar = self.view.article, self.view.verticalScrollBar()
        if (
            article is None
            or article.reading_minutes <= 0  # nothing to read: only the header
            or bar.maximum() <= 0
            or not self.view.whole_shown
        ):
            if not label.isHidden():
                label.hide()
                QTimer.singleShot(0, self.status_bar.refit)  # more room for the message
            return
        page = bar.pageStep()
        read = (bar.value() + page) / (bar.maximum() + page)
        text = present.progress(read, article.reading_minutes)
        if text != label.text() or label.isHidden():
            label.setText(text)
            label.show()
            QTimer.singleShot(0, self.status_bar.refit)  # once the bar has laid it out

    def show_notice(self, text: str) -> None:
        """A sentence for the user: in the message bar above the article, after the notices
        not dismissed yet, and in the status bar."""
        self._notices.append(text)
        self.show_status(text)
        self._show_messages()

    def _show_messages(self) -> None:
        text = " ".join([*self._notices, *([self._error] if self._error else [])])
        if text:
            self.message_bar.show_message(text)
        else:
            self.message_bar.hide()

    def _dismiss_messages(self) -> None:
        self._notices.clear()
        self._error = None

    # --- menus and shortcuts -------------------------------------------------------------------

    def _action(
        self, text: str, slot: object, *shortcuts: QKeySequence | QKeySequence.StandardKey | str
    ) -> QAction:
        from PySide6.QtGui import QAction, QKeySequence  # see menu_actions

        # Not QAction(text, self): resolving that call against the QIcon overload builds
        # PySide6's QIcon type and its ~100-member ThemeIcon enum (~3 ms) before the paint.
        action = QAction(self)
        action.setText(text)
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even with the menu bar hidden
        return action

    def _build_menus(self) -> None:
        """The menu bar and its menus, which the first paint shows; their actions come right
        after it (menu_actions)."""
        menu_bar = self.menuBar()
        menu_bar.setAccessibleName("Menu bar")
        menu_bar.setAccessibleDescription("File and view menus.")
        self.file_menu = menu_bar.addMenu("&File")
        self.view_menu = menu_bar.addMenu("&View")

    @property
    def menu_actions(self) -> _MenuActions:
        """The menus' actions with their shortcuts, made right after the first paint (or
        sooner when asked for): QAction and QKeySequence, with its 71 standard keys, would
        cost the first paint ~15M instructions (PySide6 builds their enums on first import)."""
        self._make_menu_actions()
        assert self._menu_actions is not None
        return self._menu_actions

    def _make_menu_actions(self) -> None:
        if self._menu_actions is None:
            self._menu_actions = self._fill_menus()
            self._fill_recent()

    def _fill_menus(self) -> _MenuActions:
        from PySide6.QtGui import QKeySequence

        file_menu = self.file_menu
        open_action = self._action("&Open…", self.ask_open, QKeySequence.StandardKey.Open)
        file_menu.addAction(open_action)
        recent_menu = QMenu("Open &Recent", self)
        recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addMenu(recent_menu)
        address_action = self._action(
            "Open &Web Address…", self.address_bar.focus_address, ADDRESS_SHORTCUT
        )
        file_menu.addAction(address_action)
        file_menu.addSeparator()
        save_action = self._action(
            "&Save to Library", self.save_to_library, QKeySequence.StandardKey.Save
        )
        file_menu.addAction(save_action)
        keep_action = self._action("&Keep Every Article I Open", self.set_keep)
        keep_action.setCheckable(True)
        keep_action.setChecked(self.ctx.settings.keep_opened_articles)
        keep_action.setStatusTip("Save every file and web page you open to the library.")
        file_menu.addAction(keep_action)
        cancel_action = self._action("Stop &Fetching", self.cancel_fetch, "Esc")
        cancel_action.setEnabled(self._worker is not None)
        file_menu.addAction(cancel_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        view_menu = self.view_menu
        view_menu.addAction(self._action("&Larger Text", self.larger_text, "Ctrl++", "Ctrl+="))
        view_menu.addAction(self._action("&Smaller Text", self.smaller_text, "Ctrl+-"))
        view_menu.addAction(self._action("&Normal Size (100%)", self.normal_size, "Ctrl+0"))
        view_menu.addSeparator()
        view_menu.addAction(self._action("Reset All Reading Choices", self.reset_reading))
        view_menu.addSeparator()
        view_menu.addAction(self._action("Next &Pane", self.next_pane, "F6"))
        view_menu.addAction(self._action("Previous Pane", self.previous_pane, "Shift+F6"))
        view_menu.addSeparator()
        view_menu.addAction(
            self._action("&Find in Article…", self.find, QKeySequence.StandardKey.Find)
        )
        view_menu.addAction(
            self._action("Find Ne&xt", self.find_next, QKeySequence.StandardKey.FindNext)
        )
        view_menu.addAction(
            self._action(
                "Find Pre&vious", self.find_previous, QKeySequence.StandardKey.FindPrevious
            )
        )
        view_menu.addSeparator()
        view_menu.addAction(
            self._action("Read &Aloud / Stop", self.toggle_read_aloud, READ_ALOUD_SHORTCUT)
        )
        view_menu.addMenu(self._speed_menu())
        return _MenuActions(
            open_file=open_action,
            recent_menu=recent_menu,
            address=address_action,
            save=save_action,
            keep=keep_action,
            cancel=cancel_action,
        )

    def _speed_menu(self) -> QMenu:
        """View > Reading Aloud Speed: one of SPEECH_RATES, saved at once."""
        from PySide6.QtGui import QActionGroup

        menu = QMenu("Reading Aloud S&peed", self)
        group = QActionGroup(menu)
        for label, rate in SPEECH_RATES:
            action = self._action(label, lambda _=False, r=rate: self.set_speech_rate(r))
            action.setCheckable(True)
            action.setChecked(rate == self.ctx.settings.speech_rate)
            group.addAction(action)
            menu.addAction(action)
        return menu

    # --- reading aloud -------------------------------------------------------------------------

    @property
    def read_aloud(self) -> ReadAloud:
        """What reads the article aloud, made at its first use (Qt's speech module with it)."""
        if self._read_aloud is None:
            from reader.ui.read_aloud import ReadAloud

            self._read_aloud = ReadAloud(self.view, self._scheme(), self.ctx.settings.speech_rate)
            self._read_aloud.message.connect(self._read_aloud_says)
            self._read_aloud.reading_changed.connect(self.toolbar.show_reading_aloud)
        return self._read_aloud

    def _read_aloud_says(self, text: str) -> None:
        """In the status bar at once: "Starting the speech engine…" precedes a wait."""
        self.show_status(text)
        self.status_bar.repaint()

    # --- find --------------------------------------------------------------------------------

    @property
    def find_bar(self) -> FindBar:
        """The find bar under the article, made at its first use."""
        if self._find_bar is None:
            from reader.ui.find_bar import FindBar

            self._find_bar = FindBar(self.view, self._scheme())
            self._find_bar.message.connect(self.show_status)
            self._find_bar.closed.connect(self._find_closed)
            self._column.insertWidget(self._column.indexOf(self.view) + 1, self._find_bar)
        return self._find_bar

    def _find_closed(self, said: str) -> None:
        """The find bar closed: its "Match 1 of 7." (``said``) no longer says anything (a
        later message stays)."""
        if self.status_bar.currentMessage() == said:
            self.show_status("")

    def find(self) -> None:
        """Ctrl+F: the find bar, its field focused."""
        self.find_bar.open()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc that nothing else took (no page is being fetched: that Esc stops it): from the
        library, back to the article; elsewhere, the find bar closes when it is open. (On the
        find bar's own controls, the bar takes Esc first.)"""
        from PySide6.QtCore import Qt

        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            focused = QApplication.focusWidget()
            dock = self._library_dock
            if dock is not None and focused is not None and dock.isAncestorOf(focused):
                self.view.setFocus()
                return
            if self._find_bar is not None and self._find_bar.isVisible():
                self._find_bar.close_bar()
                return
        super().keyPressEvent(event)

    def find_next(self) -> None:
        """F3: the next match (the bar opens when it is closed)."""
        self._find_step(forward=True)

    def find_previous(self) -> None:
        """Shift+F3: the previous match (the bar opens when it is closed)."""
        self._find_step(forward=False)

    def _find_step(self, *, forward: bool) -> None:
        bar = self.find_bar
        if not (bar.isVisible() and bar.field.text()):
            bar.open()
        elif forward:
            bar.next()
        else:
            bar.previous()

    def choose_font(self) -> None:
        """Ask for "Your font" (any installed family) and read in it; a cancel changes nothing."""
        reading = self.ctx.settings.reading
        family = self.ask_font(reading.own_font)
        if family:
            self.apply_reading(dataclasses.replace(reading, font=FontChoice.OWN, own_font=family))
        else:
            self.toolbar.set_reading(reading)

    def ask_font(self, current: str | None) -> str | None:
        """The font chooser (tests replace this, as ask_path)."""
        from reader.ui.font_chooser import ask_font

        return ask_font(current, self)

    def toggle_read_aloud(self) -> None:
        """Read the article aloud from the top of the view, or stop (Ctrl+Shift+U)."""
        self.read_aloud.toggle()

    def _read_aloud_pressed(self, on: bool) -> None:
        if on:
            self.read_aloud.start()
        elif self._read_aloud is not None:
            self._read_aloud.stop()

    def set_speech_rate(self, rate: float) -> None:
        """Reading aloud's speed (one of SPEECH_RATE_STEPS), remembered at once."""
        self.ctx.replace(speech_rate=rate)
        if self._read_aloud is not None:
            self._read_aloud.set_rate(rate)

    @property
    def open_action(self) -> QAction:
        """File > Open (Ctrl+O)."""
        return self.menu_actions.open_file

    @property
    def recent_menu(self) -> QMenu:
        """File > Open Recent."""
        return self.menu_actions.recent_menu

    @property
    def address_action(self) -> QAction:
        """File > Open Web Address (Alt+D)."""
        return self.menu_actions.address

    @property
    def save_action(self) -> QAction:
        """File > Save to Library (Ctrl+S)."""
        return self.menu_actions.save

    @property
    def keep_action(self) -> QAction:
        """File > Keep Every Article I Open."""
        return self.menu_actions.keep

    @property
    def cancel_action(self) -> QAction:
        """File > Stop Fetching (Escape), enabled while a page is fetched."""
        return self.menu_actions.cancel

    def _fill_recent(self) -> None:
        if self._menu_actions is None:
            return  # filled when the menu is made, and again each time it opens
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

    @property
    def fetch_status(self) -> FetchStatus:
        """The status bar's row for a fetch in progress, made at the first fetch: hidden until
        then, it need not be built before the first article is painted."""
        if self._fetch_status is None:
            self._fetch_status = FetchStatus()
            self._fetch_status.cancelRequested.connect(self.cancel_fetch)
            self.status_bar.addPermanentWidget(self._fetch_status)
        return self._fetch_status

    def _scheme(self) -> theme.Scheme:
        """The colour scheme chosen."""
        return theme.schemes()[self.ctx.settings.reading.colour_scheme]

    def _apply_scheme(self) -> None:
        scheme = self._scheme()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(theme.palette_for(scheme))
            app.setStyleSheet(theme.stylesheet_for(scheme))
        self.toolbar.apply_scheme(scheme)
        if self._read_aloud is not None:
            self._read_aloud.set_scheme(scheme)
        if self._find_bar is not None:
            self._find_bar.set_scheme(scheme)

    def reset_reading(self) -> None:
        """View > Reset All Reading Choices: as the toolbar's Reset (Your font stays known)."""
        self.apply_reading(ReadingSettings(own_font=self.ctx.settings.reading.own_font))

    def larger_text(self) -> None:
        """One size step up (Ctrl+Plus)."""
        self.step_text_size(1)

    def smaller_text(self) -> None:
        """One size step down (Ctrl+Minus)."""
        self.step_text_size(-1)

    def step_text_size(self, steps: int) -> None:
        """``steps`` size steps up, down when negative: Ctrl+Plus and Ctrl+Minus, and the
        wheel turned with Ctrl held over the article (ArticleView.zoomed)."""
        reading = self.ctx.settings.reading
        self.apply_reading(
            dataclasses.replace(reading, font_size=stepped_font_size(reading.font_size, steps))
        )

    def normal_size(self) -> None:
        """Back to 100% (Ctrl+0)."""
        self.apply_reading(dataclasses.replace(self.ctx.settings.reading, font_size=100))

    def next_pane(self) -> None:
        """F6: the next pane of the window, round: the reading toolbar (its chosen font), the
        article, then the find bar and the library when they are open."""
        self._move_to_pane(backwards=False)

    def previous_pane(self) -> None:
        """Shift+F6: the pane before (see next_pane)."""
        self._move_to_pane(backwards=True)

    def _move_to_pane(self, *, backwards: bool) -> None:
        from PySide6.QtCore import Qt

        panes: list[tuple[QWidget, QWidget]] = [
            (self.toolbar, self.toolbar.font_buttons[self.ctx.settings.reading.font]),
            (self.view, self.view),
        ]
        if self._find_bar is not None and self._find_bar.isVisible():
            panes.append((self._find_bar, self._find_bar.field))
        if self._library_dock is not None and self._library_dock.isVisible():
            panes.append((self._library_dock, self.library_panel.search))
        focus = QApplication.focusWidget()
        here = next(
            (i for i, (pane, _) in enumerate(panes) if focus is pane or pane.isAncestorOf(focus)),
            None,
        )
        if here is None:  # the address field, or nothing: the toolbar comes next
            here = 0 if backwards else len(panes) - 1
        _pane, target = panes[(here + (-1 if backwards else 1)) % len(panes)]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- opening -------------------------------------------------------------------------------

    def ask_path(self) -> str | None:
        """Ask for a file to open (patched in tests)."""
        last = self.ctx.settings.last_article
        if not last or last.startswith(LIBRARY_PREFIX) or is_web_address(last):
            last = str(Path.home() / "-")
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Open a web page", str(Path(last).parent), HTML_FILTER
        )
        return path or None

    def ask_open(self) -> None:
        """File > Open (Ctrl+O)."""
        path = self.ask_path()
        if path:
            self.open_path(path)

    def open_path(
        self, path: str | Path, position: int | None = None, *, warm: bool = False
    ) -> bool:
        """Open a file; on failure say why in one sentence and keep the article shown.

        With "keep every article" on, the article goes to the library too, and without a
        ``position`` it opens where it was last read. ``warm`` (at start): when the library
        kept this file after its last change, show that copy instead of extracting again.
        """
        path = Path(path)
        try:
            opened = self.ctx.open_file(path, warm=warm)
        except ReaderError as exc:
            self.show_error(str(exc))
            return False
        self.cancel_fetch()  # the newest request wins
        self.save_position()
        article, library_id, fraction = opened.article, opened.library_id, opened.position
        whole = self._whole_of(article, opened.whole) if opened.whole is not None else None
        late = not opened.library_checked and position is None
        if opened.stored and library_id is not None:
            kept = library_id
            self.after_paint(lambda: self._reopened(kept))
        elif whole is not None:
            self.after_paint(lambda: self._keep_whole(whole, find_position=late))
        else:
            self.after_paint(lambda: self._keep_shown(article, find_position=late))
        # Current before it is shown: a place inside a long article fetches the whole, which
        # then becomes the current article (see _whole_of).
        self._current = (article, {})
        self.show_article(article, position or 0, library_id=library_id, whole=whole)
        if position is None and fraction:
            self._scroll_to_fraction(fraction)
        absolute = str(path.resolve())
        settings = self.ctx.settings.with_recent(absolute)
        settings = dataclasses.replace(
            settings, last_article=absolute, last_position=self.view.top_position()
        )
        self._remember_opening(settings)
        self._fill_recent()
        return True

    def show_article(
        self,
        article: Article,
        position: int = 0,
        *,
        library_id: int | None = None,
        whole: Callable[[], Article | None] | None = None,
    ) -> None:
        """Show an article already extracted; ``library_id`` when it is kept in the library;
        ``whole`` when ``article`` is only the beginning of a long one (see _whole_of).
        An error about an earlier opening goes; notices stay until dismissed."""
        self._error = None
        self._show_messages()
        if self._read_aloud is not None:
            self._read_aloud.stop(note=None)  # the next article is not read on unasked
        self._article_coming = False  # this article's paint runs the after-paint work
        self.library_id = library_id
        self.view.show_article(article, self.ctx.settings.reading, position, whole=whole)
        self.setWindowTitle(f"{article.title or 'Untitled article'} — {APP_NAME}")
        opened = f"Opened {article.title or article.source or 'the article'}."
        self.show_status(f"{opened} {JOINED_NOTE}" if self.view.letter_spacing_left_out else opened)
        if article.source and is_web_address(article.source):
            self.address_bar.set_address(article.source)

    def _whole_of(
        self, part: Article, rest: Callable[[], Article | None]
    ) -> Callable[[], Article | None]:
        """Gives the whole of the long article whose first part ``part`` is shown, waiting for
        it once (``rest``); it becomes the current article (what Ctrl+S saves). None when it
        could not be had: the window says why, and the first part is all there is."""
        got: list[Article | None] = []

        def whole() -> Article | None:
            if not got:
                try:
                    got.append(rest())
                except ReaderError as exc:
                    got.append(None)
                    self.show_error(str(exc))
                if got[0] is not None and self._current is not None and self._current[0] is part:
                    self._current = (got[0], {})
            return got[0]

        return whole

    def open_library_article(self, article_id: int) -> bool:
        """Show a saved article from the library where it was last read."""
        library = self.ctx.open_library()
        if library is None:
            self.show_error("The library is not available, so saved articles cannot be opened.")
            return False
        try:
            entry = library.get(article_id)
        except LibraryError as exc:
            self.show_error(str(exc))
            return False
        self.cancel_fetch()
        self.save_position()
        self.show_article(entry.article, library_id=article_id)
        self._scroll_to_fraction(entry.summary.position)
        self._current = (entry.article, {})
        self.after_paint(lambda: self._touch(article_id))
        self._remember_library_article(article_id)
        return True

    def _remember_library_article(self, article_id: int) -> None:
        """The shown article, kept as ``article_id``, is the last read (where it is now)."""
        last, top = f"{LIBRARY_PREFIX}{article_id}", self.view.top_position()
        self._remember_opening(
            dataclasses.replace(self.ctx.settings, last_article=last, last_position=top)
        )

    def _remember_opening(self, settings: Settings) -> None:
        """What an opening changes (recent files, the last article): in effect at once, written
        once the article is painted, so the write's fsync does not delay the first sight of it."""
        self.ctx.update(settings, save=False)
        self.after_paint(self.ctx.save)

    def open_initial(self, spec: str | None) -> None:
        """At start: the file, web address or library id given, else the last article, if kept."""
        settings = self.ctx.settings
        path = self.ctx.initial_file(spec)
        if path is not None:
            position = None if spec else settings.last_position
            prefetch = self.ctx.prefetch
            fd = prefetch.fileno() if prefetch is not None else None
            if prefetch is None or fd is None or prefetch.ready():
                self.open_path(path, position, warm=True)
                return
            # Still extracting: let the window paint now and open the file when the answer
            # arrives, so a long page shows the window at once, not after its extraction.
            # The notifier watches its own copy of the pipe: the prefetch may close its end
            # (another opening overtakes this one) before the notifier is done with it.
            self.show_status(f"Opening {path.name}…")
            self.view.setPlaceholderText(f"Opening {path.name}…")  # where the reader looks
            watched = os.dup(fd)
            notifier = QSocketNotifier(watched, QSocketNotifier.Type.Read, self)

            def arrived() -> None:
                notifier.setEnabled(False)
                notifier.deleteLater()
                os.close(watched)
                self.view.setPlaceholderText("")
                self._article_coming = False
                # (not overtaken by another opening, which then runs the work after its paint)
                if self.ctx.prefetch is prefetch and not self.open_path(path, position, warm=True):
                    QTimer.singleShot(0, self._run_after_paint_work)  # no article to paint

            # The work waiting for the first paint (the menus' actions, the library, the icon)
            # waits for the article's instead, or for PAINT_WAIT_MS: run at the paint of the
            # empty window, it held up taking the article by up to 45 ms (a 1 MB page).
            self._article_coming = True
            notifier.activated.connect(arrived)
        elif spec:
            if is_web_address(spec):
                self.open_url(spec)
            else:
                self._open_library_article_at_start(int(spec))
        elif settings.keep_opened_articles and settings.last_article:
            last = settings.last_article
            if last.startswith(LIBRARY_PREFIX) and last[len(LIBRARY_PREFIX) :].isdigit():
                self._open_library_article_at_start(int(last[len(LIBRARY_PREFIX) :]))
            else:
                self.show_status(f"The last article, {last}, is no longer there.")

    def _open_library_article_at_start(self, article_id: int) -> None:
        """A saved article at start; from a library of an earlier version, once it is
        updated after the first paint (see _attach_library), the window showing meanwhile."""
        if not self.ctx.library_needs_update():
            self.open_library_article(article_id)
            return
        waiting = "Opening the saved article once the library is updated…"
        self.view.setPlaceholderText(waiting)

        def open_it() -> None:
            self.view.setPlaceholderText("")
            self.open_library_article(article_id)

        self.after_paint(open_it)  # queued after _attach_library, which __init__ queued

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        target = _dropped(event.mimeData())
        if target is None:
            return
        event.acceptProposedAction()
        if is_web_address(target):
            self.open_url(target)
        else:
            self.open_path(target)

    # --- the library -----------------------------------------------------------------------------

    def set_keep(self, keep: bool) -> None:
        """File > Keep Every Article I Open: saved as a setting at once."""
        self.ctx.replace(keep_opened_articles=bool(keep))
        self.show_status(
            "Every article you open will be kept in the library."
            if keep
            else "Articles you open are no longer kept; Ctrl+S saves one."
        )

    def _keep(self, article: Article, pictures: Mapping[str, bytes]) -> int | None:
        """Add an opened article to the library when the user wants every article kept;
        its id, or None when not kept. (Its saved position: ctx.known_copy, read before.)"""
        if not self.ctx.settings.keep_opened_articles:
            return None
        library = self.ctx.open_library()
        if library is None:
            return None
        try:
            article_id = library.add(article, pictures, opened=True)
        except LibraryError as exc:
            self.show_status(str(exc))
            return None
        self._refresh_panel()
        return article_id

    def after_paint(self, work: Callable[[], None], *, first: bool = False) -> None:
        """Run ``work`` once the view has painted what it just got (or after PAINT_WAIT_MS
        without a paint): library writes (a long article's row, its pictures) need not delay
        the first sight of it. Quitting first still runs it (shutdown): an opened article is
        kept however soon. ``first``: before the work already waiting."""
        if first:
            self._after_paint_work.insert(0, work)
        else:
            self._after_paint_work.append(work)
        self.view.announce_next_paint()
        self._after_paint_timer.start()  # restarted: no earlier wait runs this work early

    def _painted(self) -> None:
        if not self._article_coming:
            self._run_after_paint_work()

    def _run_after_paint_work(self) -> None:
        self._after_paint_timer.stop()
        work, self._after_paint_work = self._after_paint_work, []
        for item in work:
            item()

    def _keep_shown(
        self,
        article: Article,
        pictures: Mapping[str, bytes] | None = None,
        *,
        find_position: bool = False,
        remember: bool = False,
    ) -> None:
        """Keep an opened article (even when another was opened since: it was opened).
        ``find_position``: the library could not be asked before the article was shown (it
        was being updated); where it was last read is looked up now, and the view goes there
        unless the reader has moved since. ``remember``: it is the last article read, by its
        library id (a web page). While an older library is being updated, all of this waits
        until the library is there."""
        if self.ctx.library_opening:
            self._library_waiting.append(
                lambda: self._keep_shown(
                    article, pictures, find_position=find_position, remember=remember
                )
            )
            return
        shown = self._current is not None and self._current[0] is article
        fraction = self.ctx.known_copy(article)[1] if shown and find_position else 0.0
        library_id = self._keep(article, pictures or {})
        if library_id is not None and shown:
            self.library_id = library_id
            if fraction > 0 and self.view.top_position() == 0:
                self._scroll_to_fraction(fraction)
            if remember:
                self._remember_library_article(library_id)

    def _keep_whole(
        self, whole: Callable[[], Article | None], *, find_position: bool = False
    ) -> None:
        """Keep a long article shown by its first part once the whole is there (never the
        first part: without a whole, nothing is kept)."""
        article = whole()
        if article is not None:
            self._keep_shown(article, find_position=find_position)

    def save_to_library(self) -> None:
        """File > Save to Library (Ctrl+S): keep the shown article with its pictures."""
        library = self.ctx.open_library()
        if self._current is None or self.view.article is None:
            self.show_status("There is no article to save yet.")
            return
        if library is None and self.ctx.library_opening:
            self.show_error(
                "The library is being updated for this version of the reader; save again in "
                "a moment."
            )
            return
        if library is None:
            self.show_error("The library is not available, so the article cannot be saved.")
            return
        article, pictures = self._current
        try:
            self.library_id = library.add(article, pictures)
        except LibraryError as exc:
            self.show_error(str(exc))
            return
        self._save_library_position(self.view.top_position())
        self._refresh_panel()
        self.show_status(f"Saved “{article.title or 'Untitled article'}” to the library.")

    def _reopened(self, article_id: int) -> None:
        self._touch(article_id)
        self._refresh_panel()

    def _touch(self, article_id: int) -> None:
        if self.ctx.library is not None:
            try:
                self.ctx.library.touch_opened(article_id)
            except LibraryError as exc:
                log.info("library: %s", exc)

    def _refresh_panel(self) -> None:
        if self._library_panel is not None:  # a panel not built yet lists afresh when built
            self._library_panel.refresh()

    def _scroll_to_fraction(self, fraction: float) -> None:
        if fraction > 0:
            self.view.ensure_whole()  # a fraction of the whole article
        count = self.view.character_count()
        if fraction > 0 and count > 1:
            self.view.scroll_to_position(round(fraction * (count - 1)))

    def _save_library_position(self, top: int) -> None:
        if self.library_id is None or self.ctx.library is None:
            return
        if top > 0:
            self.view.ensure_whole()  # a fraction of the whole article
        count = self.view.character_count()
        fraction = min(1.0, max(0.0, top / (count - 1))) if count > 1 else 0.0
        try:
            self.ctx.library.set_position(self.library_id, fraction)
        except LibraryError as exc:  # deleted from the panel meanwhile: nothing to remember
            log.info("library: %s", exc)

    # --- the web ---------------------------------------------------------------------------------

    def open_url(self, url: str) -> None:
        """Fetch a web page off the UI thread, with progress and Cancel; the article shown stays
        until the new one is ready."""
        url = url.strip()
        if not is_web_address(url):
            self.show_error(f"{url} is not a web address: it must start with http:// or https://.")
            return
        self.cancel_fetch()
        task = functools.partial(fetch_article, url, self.ctx.extract)
        from reader.ui.fetch_worker import FetchWorker  # fetch code loads on the first fetch

        worker = FetchWorker(url, task=task)
        worker.progress.connect(self.fetch_status.set_progress)
        worker.finished.connect(lambda result: self._fetched(worker, result))
        worker.failed.connect(lambda message: self._fetch_failed(worker, message))
        worker.cancelled.connect(lambda: self._fetch_cancelled(worker, url))
        worker.done.connect(lambda: self._fetch_done(worker))
        self._worker = worker
        self.address_bar.set_address(url)
        self.fetch_status.begin(url)  # says what is fetched, beside its progress bar
        self.cancel_action.setEnabled(True)
        self.status_bar.show_text("")
        worker.start()

    def is_fetching(self) -> bool:
        """True while a web page is being fetched."""
        return self._worker is not None

    def cancel_fetch(self) -> None:
        """Stop the fetch under way (Cancel, Escape); the article shown stays."""
        worker = self._worker
        if worker is None:
            return
        worker.cancel()
        self._worker = None  # what it sends from now on is ignored
        self._end_fetch()
        self.show_status(f"Stopped fetching {worker.url}.")

    def _end_fetch(self) -> None:
        self.fetch_status.end()
        self.cancel_action.setEnabled(False)
        QTimer.singleShot(0, self.status_bar.refit)  # the fetch's row gone: more room

    def _fetched(self, worker: FetchWorker, result: object) -> None:
        if worker is not self._worker or not isinstance(result, FetchedArticle):
            return
        self.save_position()
        article, pictures = result.article, result.pictures
        if self.ctx.library_opening:  # an older library is being updated: show it now
            self.show_article(inline_pictures(article, pictures))
            self._current = (article, pictures)
            self._keep_shown(article, pictures, find_position=True, remember=True)
            return
        _, fraction = self.ctx.known_copy(article)  # adding keeps the position it had
        library_id = self._keep(article, pictures)
        shown = inline_pictures(article, pictures)
        if library_id is not None and self.ctx.library is not None:
            try:
                shown = self.ctx.library.get(library_id).article  # pictures from local copies
            except LibraryError as exc:
                self.show_status(str(exc))
                library_id = None
        self.show_article(shown, library_id=library_id)
        self._scroll_to_fraction(fraction)
        self._current = (article, pictures)
        if library_id is not None:
            self._remember_library_article(library_id)

    def _fetch_failed(self, worker: FetchWorker, message: str) -> None:
        if worker is self._worker:
            self.show_error(message)

    def _fetch_cancelled(self, worker: FetchWorker, url: str) -> None:
        if worker is self._worker:  # cancelled from elsewhere (shutdown)
            self.show_status(f"Stopped fetching {url}.")

    def _fetch_done(self, worker: FetchWorker) -> None:
        if worker is self._worker:
            self._worker = None
            self._end_fetch()

    # --- messages, position, geometry ----------------------------------------------------------

    def show_status(self, text: str) -> None:
        """A short sentence in the status bar."""
        self.status_bar.show_text(text)

    def show_error(self, text: str) -> None:
        """One clear sentence in the message bar and the status bar; no dialog."""
        log.warning("shown to the user: %s", text)
        self._error = text
        self._show_messages()
        self.show_status(text)

    def save_position(self) -> None:
        """Remember where the reader is in the current article."""
        if self.view.article is None:
            return
        top = self.view.top_position()
        self.ctx.replace(last_position=top)
        self._save_library_position(top)

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
        self._save_library_position(position)

    def shutdown(self) -> None:
        """Stop a fetch under way and save the state (closing, quitting, SIGTERM)."""
        self._closing = True
        if self._read_aloud is not None:
            self._read_aloud.stop(note=None)
        self._run_after_paint_work()
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.shutdown()  # the fetch thread must end before the window or the app goes
            self._end_fetch()
        self.save_state()
        if self.show_notice in self.ctx.notice_listeners:
            self.ctx.notice_listeners.remove(self.show_notice)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    # --- the library's place ---------------------------------------------------------------------

    def _attach_library(self) -> None:
        """Open the library and dock it, hidden (see library_dock). A library from an earlier
        version is updated as it opens, once, which can take a while (~13 s for 10,000
        articles): say so first, and keep the window answering meanwhile."""
        updating = self.ctx.library_needs_update()
        if updating:
            self.show_status("Updating the library for this version of the reader, once…")
            self.status_bar.repaint()  # on screen before the window is busy
            self._responsive_at = time.monotonic()
            self.ctx.open_library(while_busy=self._stay_responsive)
        self.library_dock  # noqa: B018 (made on first use)
        if updating and self.ctx.library is not None:
            self.show_status("The library is up to date.")
        waiting, self._library_waiting = self._library_waiting, []
        for work in waiting:
            work()

    def _stay_responsive(self) -> bool:
        """While the library is updated: now and then let the window repaint and take input
        (reading and scrolling go on; what needs the library waits). False once the window
        is closing: the update stops, the file stays as it was, and the next start does it."""
        now = time.monotonic()
        if now - self._responsive_at >= RESPONSIVE_SECONDS:
            QApplication.processEvents()
            self._responsive_at = time.monotonic()
        return not self._closing

    @property
    def library_dock(self) -> QDockWidget | None:
        """The library's dock (hidden until Ctrl+L), made on first use; None without a library.
        Opening the library may add a notice (a damaged file moved aside): shown at once."""
        if self._library_dock is None and self.ctx.open_library() is not None:
            self._dock_library().hide()
        return self._library_dock

    def _dock_library(self) -> QDockWidget:
        """Dock the library on the left with a View toggle (Ctrl+L). The panel in it is built
        the first time it is shown or asked for (library_panel), not at every start."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDockWidget

        dock = QDockWidget("Library", self)
        dock.setObjectName("libraryDock")
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        dock.visibilityChanged.connect(self._size_library_dock)
        from PySide6.QtGui import QKeySequence

        self._make_menu_actions()  # the toggle goes after the View menu's own actions
        toggle = dock.toggleViewAction()
        toggle.setShortcut(QKeySequence("Ctrl+L"))
        toggle.setStatusTip("Show or hide the saved articles (Ctrl+L).")
        toggle.triggered.connect(self._focus_library)
        self.view_menu.addAction(toggle)
        self.addAction(toggle)  # Ctrl+L works with the menu bar hidden too
        self._library_dock = dock
        return dock

    def _focus_library(self, shown: bool) -> None:
        panel = self.library_panel if shown else None
        (panel or self.view).setFocus()

    @property
    def library_panel(self) -> LibraryPanel | None:
        """The library panel in its dock, built on first use; None without a library."""
        dock, library = self.library_dock, self.ctx.library
        if self._library_panel is None and dock is not None and library is not None:
            from reader.ui.library_panel import LibraryPanel

            panel = LibraryPanel(library)
            panel.openRequested.connect(self.open_library_article)
            dock.setWidget(panel)
            self._library_panel = panel
        return self._library_panel

    def _size_library_dock(self, visible: bool) -> None:
        """The first time the panel shows: wide enough for titles and the site, date and state
        columns beside them (a dock starts at its narrow size hint)."""
        dock = self._library_dock
        if visible and dock is not None and dock.property("sized") is not True:
            dock.setProperty("sized", True)
            panel = self.library_panel
            hint = panel.sizeHint().width() if panel is not None else 0
            width = max(LIBRARY_MIN_WIDTH, hint)
            from PySide6.QtCore import Qt

            self.resizeDocks(
                [dock], [min(width, self.width() * 9 // 20)], Qt.Orientation.Horizontal
            )


def _dropped(mime: QMimeData) -> str | None:
    """The first local file or web address in a drop, else None."""
    for url in mime.urls():
        if url.isLocalFile():
            return url.toLocalFile()
        if url.scheme().lower() in ("http", "https"):
            return url.toString()
    text = mime.text().strip() if mime.hasText() else ""
    return text if is_web_address(text) and not any(c.isspace() for c in text) else None
