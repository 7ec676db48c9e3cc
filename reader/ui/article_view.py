"""The article view: a read-only QTextBrowser that never touches the network.

Reading choices are applied through the widget's QFont and the document's block formats, so a
change relayouts the text without extracting again, and the paragraph at the top stays there.
"""

from __future__ import annotations

import base64
import logging
import math
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote_to_bytes

from PySide6.QtCore import QByteArray, QPoint, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFontMetricsF,
    QImage,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFragment,
    QTextImageFormat,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from reader.core import present
from reader.core.article import Article
from reader.core.pictures import MAX_PICTURE_BYTES, picture_type
from reader.core.scripts import joins_letters
from reader.core.settings import DEFAULT_PIXEL_SIZE, LetterSpacing, ReadingSettings
from reader.ui import fonts, set_qt_property

if TYPE_CHECKING:  # types PySide6 builds when they are first used, after the first paint
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QKeyEvent, QTextFrame, QTextLine, QWheelEvent

    from reader.ui.tables import ArticleTables

log = logging.getLogger("reader.ui.view")

MIN_SIDE_MARGIN = 24  # px on each side even in a narrow window
# The column for lines of at most N characters is N average characters wide times this: lines
# break between words, and a line of narrower letters than the average holds more of them, so
# the longest lines of real text held ~8% more than N (85 for 80) without it.
LINE_SLACK = 0.92
_MEASURE = "The quick brown fox jumps over the lazy dog, then rests a while. "
_PROPORTIONAL = int(QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
_FIXED = int(QTextBlockFormat.LineHeightTypes.FixedHeight.value)
OPENABLE_SCHEMES = ("http", "https", "mailto")
JOINED_NOTE = (
    "This article's letters join one to the next, so character spacing is left out: "
    "it would break its words apart."
)
WHEEL_NOTCH = 120  # a wheel's usual notch, in the eighths of a degree of angleDelta()
WHOLE_WAIT_MS = 1000  # the whole of a long article follows its first part by then at most
PICTURE_CHAR = "\ufffc"  # how a QTextDocument holds an inline object such as a picture
# Laid out past the view's width by less than this share of the text's pixel size, the article
# gets no horizontal scroll bar (see _on_document_size).
OVERHANG_EM = 0.25
_PLACE_CHARS = 24  # words that find a place again after the article is made again
TABLE_REFIT_MS = 80  # tables are fitted again once the view has kept its size this long
# The block property (QTextFormat.UserProperty + 1) marking the blocks of a table shown stacked
# (reader.ui.tables): its lines, spaced as a list's items rather than as paragraphs, and the
# empty blocks Qt keeps between its rows' boxes, given no height (the boxes' margins space them).
STACKED = 0x100001
STACKED_LINE = 1
STACKED_GAP = 2


@cache
def _caret_keys() -> frozenset[int]:
    """The keys that move the caret in the article (see ArticleView.keyPressEvent)."""
    from PySide6.QtCore import Qt

    return frozenset(
        key.value
        for key in (
            Qt.Key.Key_Up,
            Qt.Key.Key_Down,
            Qt.Key.Key_Left,
            Qt.Key.Key_Right,
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
        )
    )


def _link_before(doc: QTextDocument, position: int) -> int | None:
    """Where the last link that starts before ``position`` starts, or None."""
    block = doc.findBlock(position)
    while block.isValid():
        found: int | None = None
        href = None
        for fragment in fragments(block):
            if fragment.position() >= position:
                break
            fmt = fragment.charFormat()
            link = fmt.anchorHref() if fmt.isAnchor() else ""
            if link and link != href:
                found = fragment.position()  # a new link starts (not one link's next run)
            href = link
        if found is not None:
            return found
        block = block.previous()
    return None


def heading_pixel_size(pixel_size: int, level: int) -> int:
    """Headings stand out at 100% but grow less than the text at 400%, so they still fit."""
    extra = {1: 0.6, 2: 0.3, 3: 0.15}.get(level, 0.05)
    scale: float = (DEFAULT_PIXEL_SIZE / pixel_size) ** 0.5
    return round(pixel_size * (1 + extra * scale))


class ArticleView(QTextBrowser):
    """Shows one article; emits ``message`` with a sentence for the status bar."""

    message = Signal(str)
    painted = Signal()  # once after each announce_next_paint(): the view has just been painted
    # The article's text was made again, or a table stacked or put back: new positions (for
    # what marks the text: reading aloud, find).
    rendered = Signal()
    # The wheel turned with Ctrl held: this many size steps up (down when negative). Qt's own
    # zoom there would change the point size behind the reading settings' back.
    zoomed = Signal(int)
    resized = Signal()  # its height or width changed (the window shares its height out anew)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setAccessibleName("Article")
        self.setAccessibleDescription(
            "The article text. Use the arrow keys to read, Tab to move between links."
        )
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setAcceptDrops(False)  # drops go to the window, which opens the file
        set_qt_property(
            self, "textInteractionFlags", "TextBrowserInteraction|TextSelectableByKeyboard"
        )
        doc = self.document()
        doc.setUndoRedoEnabled(False)
        doc.setDocumentMargin(8)
        # Sideways scrolling only for what is really wider than the view (_on_document_size).
        set_qt_property(self, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self._sideways = False
        doc.documentLayout().documentSizeChanged.connect(self._on_document_size)
        self.anchorClicked.connect(self._on_anchor)
        self.article: Article | None = None
        self.reading = ReadingSettings()
        # True while the text is being replaced (setHtml, a table stacked or put back): a resize
        # then (a scroll bar shown or hidden) must not look for the old position in it.
        self._rendering = False
        self._has_pictures = False  # the shown HTML has an <img>
        self._fitted_to = 0.0  # the width pictures were last fitted to
        self._has_tables = False  # the shown HTML has a <table>
        # What tables were last fitted to, and the tables as shown (see _fit_tables).
        self._tables_fitted_to: tuple[object, ...] = ()
        self._tables: ArticleTables | None = None
        self._painted_once = False  # tables are fitted after the first paint (_fit_tables)
        self._table_timer: QTimer | None = None  # see _update_layout_width
        self._announce_paint = False  # see announce_next_paint
        self._whole_pending = False  # only the first part of a long article is shown yet
        # Gives the whole article when ``article`` is only its beginning (show_article's
        # ``whole``); None once asked, or when ``article`` is the whole.
        self._whole_source: Callable[[], Article | None] | None = None
        # A top line asked for before the view is shown: its size, and so its layout and
        # scroll range, are not known yet (the window puts the article in before it shows).
        self._wanted_top: int | None = None
        self._marks: dict[str, list[QTextEdit.ExtraSelection]] = {}  # see set_marks
        self._joined = False  # the article's letters join: no letter spacing (core.scripts)
        self._zoom_turn = 0  # Ctrl+wheel: eighths of a degree not yet a whole step (wheelEvent)
        self.painted.connect(lambda: QTimer.singleShot(0, self.ensure_whole))
        self.verticalScrollBar().actionTriggered.connect(self._turn_page)
        self._apply_font()

    def set_marks(self, owner: str, marks: list[QTextEdit.ExtraSelection]) -> None:
        """Show ``owner``'s marks over the text (reading aloud's sentence, the matches of a
        search) together with every other owner's: Qt's extra selections, one list for all.
        Later owners' marks are drawn over earlier ones'."""
        if marks:
            self._marks[owner] = marks
        else:
            self._marks.pop(owner, None)
        self.setExtraSelections([mark for layer in self._marks.values() for mark in layer])

    def marks(self, owner: str) -> list[QTextEdit.ExtraSelection]:
        """What ``owner`` marked (see set_marks)."""
        return list(self._marks.get(owner, ()))

    def announce_next_paint(self) -> None:
        """Emit ``painted`` once the view has next been painted (what is shown is on screen)."""
        self._announce_paint = True

    def wheelEvent(self, event: QWheelEvent) -> None:
        """With Ctrl held, one size step per notch (120 eighths of a degree: a touchpad's
        small turns add up to it), as Ctrl+Plus and Ctrl+Minus; else the usual scrolling.
        QTextEdit would zoom itself: point sizes over the pixel sizes the settings give,
        down to 1 pt after a fast turn, neither shown in the toolbar nor remembered."""
        from PySide6.QtCore import Qt  # not at import: its enums are built when first used

        if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self._zoom_turn = 0
            super().wheelEvent(event)
            return
        event.accept()
        turn = event.angleDelta().y()
        if turn * self._zoom_turn < 0:  # turned back: what was left over the other way goes
            self._zoom_turn = 0
        self._zoom_turn += turn
        steps = int(self._zoom_turn / WHEEL_NOTCH)  # towards zero: whole notches only
        if steps:
            self._zoom_turn -= steps * WHEEL_NOTCH
            self.zoomed.emit(steps)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted_once:
            self._painted_once = True
            if self._has_tables:  # right after this paint (see _fit_tables)
                QTimer.singleShot(0, self._fit_tables_in_place)
        if self._announce_paint:
            self._announce_paint = False
            self.painted.emit()

    # --- content ---------------------------------------------------------------------------

    def show_article(
        self,
        article: Article,
        reading: ReadingSettings,
        position: int = 0,
        *,
        whole: Callable[[], Article | None] | None = None,
    ) -> None:
        """Show ``article`` with the reading choices, its top line at ``position``.

        A long article opened at its top shows its first part (present.first_part) for the
        first paint and the whole right after it: the same top, ~150 ms sooner at 1 MB.
        ``whole``: ``article`` is only that first part (a long article still on its way,
        opened at its top); this gives the whole when it is needed (see ensure_whole).
        """
        if whole is not None and position:  # a place inside the article: the whole is needed
            article, whole = whole() or article, None
        self.article = article
        self.reading = reading
        self._whole_source = whole
        self._joined = joins_letters(article.text)
        self._apply_font()
        self._render(first_part=position == 0)
        self.scroll_to_position(position)
        if self._whole_pending:
            self.announce_next_paint()
            QTimer.singleShot(WHOLE_WAIT_MS, self.ensure_whole)  # no paint (minimised): soon

    @property
    def letter_spacing_left_out(self) -> bool:
        """The article's letters join (reader.core.scripts): the letter spacing chosen is not
        applied to it (JOINED_NOTE says why)."""
        return self._joined and self.reading.letter_spacing is not LetterSpacing.STANDARD

    @property
    def whole_shown(self) -> bool:
        """False while only the first part of a long article is in the view."""
        return not self._whole_pending

    def ensure_whole(self) -> None:
        """Show the whole article now when only its first part is shown (see show_article);
        whoever needs the whole document (positions as fractions, its length) calls this."""
        if self._whole_pending:
            top = self.top_position()
            self._take_whole()
            self._render()
            self.scroll_to_position(top)

    def _take_whole(self) -> None:
        """Replace the article's first part by the whole when that is still to come."""
        source, self._whole_source = self._whole_source, None
        if source is not None:
            whole = source()
            if whole is not None:
                self.article = whole

    def _render(self, *, first_part: bool = False) -> None:
        self._whole_pending = False
        if self.article is None:
            return
        base = present.base_url_of(self.article)
        self.document().setBaseUrl(QUrl(base) if base else QUrl())
        border = self.palette().color(QPalette.ColorRole.Mid).name()
        self.document().setDefaultStyleSheet(present.style_sheet(border))
        # setHtml may show the scroll bar and so resize the viewport: the caller places the
        # new text, so that resize must not lay the document out to keep the old position.
        html = present.document_html(self.article, images=self.reading.images)
        part = present.first_part(html) if first_part else None
        if part is not None:
            html, self._whole_pending = part, True
        elif self._whole_source is not None:  # the article is a first part already
            self._whole_pending = True
        lowered = html.lower()
        self._has_pictures = "<img" in lowered
        self._has_tables = "<table" in lowered
        self._tables_fitted_to = ()
        self._tables = None  # a new document: its tables are new, none stacked
        self._rendering = True
        try:
            self.setHtml(html)
        finally:
            self._rendering = False
        self._apply_blocks()
        # Fitted afresh: a resize during setHtml (the scroll bar shown or hidden) fitted the
        # pictures of a document still being made, and would be taken for this fit.
        self._fitted_to = 0.0
        self._update_layout_width()
        self.rendered.emit()

    def apply_reading(
        self, reading: ReadingSettings, top: int | None = None, *, force: bool = False
    ) -> None:
        """Apply new reading choices, keeping the paragraph at the top (or ``top``) in place."""
        old = self.reading
        if reading == old and not force:
            return
        top = self.top_position() if top is None else top
        self.reading = reading
        if self.letter_spacing_left_out and reading.letter_spacing != old.letter_spacing:
            self.message.emit(JOINED_NOTE)
        self._apply_font()
        if self.article is not None:
            if (
                reading.images != old.images
                or reading.colour_scheme != old.colour_scheme
                or self._whole_pending
            ):
                place = self.place_of(top)
                self._take_whole()
                self._render()  # pictures and link colours are fixed when the HTML is parsed
                top = self.position_of(place)
            else:
                self._apply_blocks()
                self._update_layout_width()
        self.scroll_to_position(top)

    def _apply_font(self) -> None:
        font = fonts.reading_font(self.reading, joined=self._joined)
        self.setFont(font)
        self.document().setDefaultFont(font)

    def _apply_blocks(self) -> None:
        """Line height and paragraph spacing on every block, in px of the current size."""
        doc = self.document()
        px = self.reading.pixel_size
        line = round(self.reading.line_spacing * 100)
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for block in _blocks(doc):
            fmt = QTextBlockFormat()
            stacked = block.blockFormat().intProperty(STACKED)
            # A picture on a line of its own: proportional spacing would add half the
            # picture's height (or more) of empty space below it.
            fmt.setLineHeight(100 if _only_pictures(block) else line, _PROPORTIONAL)
            level = block.blockFormat().headingLevel()
            if stacked == STACKED_GAP:
                fmt.setLineHeight(0, _FIXED)
                fmt.setTopMargin(0)
                fmt.setBottomMargin(0)
            elif level > 0:
                fmt.setTopMargin(px * 1.25)
                fmt.setBottomMargin(px * 0.5)
                self._size_heading(cursor, block, heading_pixel_size(px, level))
            elif block.textList() is not None or stacked == STACKED_LINE:
                fmt.setTopMargin(0)
                fmt.setBottomMargin(px * 0.4)
            elif QTextCursor(block).currentTable() is None:
                fmt.setTopMargin(0)
                fmt.setBottomMargin(px * 0.9)
            cursor.setPosition(block.position())
            cursor.mergeBlockFormat(fmt)
        cursor.endEditBlock()

    @staticmethod
    def _size_heading(cursor: QTextCursor, block: QTextBlock, pixel_size: int) -> None:
        """Give a heading an explicit pixel size; the HTML size step (xx-large...) would
        override it, so that property is removed rather than merged over."""
        for fragment in fragments(block):
            fmt = fragment.charFormat()
            if not fmt.isImageFormat():
                fmt.clearProperty(QTextFormat.Property.FontSizeAdjustment)
                fmt.setProperty(QTextFormat.Property.FontPixelSize, pixel_size)
                _set_char_format(cursor, fragment.position(), fragment.length(), fmt)

    # --- width: capped line length, pictures fitted, never a horizontal scroll bar ----------

    def content_width(self) -> float:
        """Width of the text column in px."""
        frame = self.document().rootFrame().frameFormat()
        return (
            self._viewport_width()
            - frame.leftMargin()
            - frame.rightMargin()
            - 2 * self.document().documentMargin()
        )

    def _viewport_width(self) -> float:
        """The viewport's width, as QTextEdit gives it to the document at every resize (its
        page width; 0 until the view is first shown and sized, then laid out again).

        Not ``viewport().width()``: the first ``viewport()`` makes PySide6 search the widget
        types for the viewport's wrapper, which builds dozens of types and their enums: ~53M
        instructions, ~14 ms, before the first paint of ``reader FILE``.
        """
        return self.document().textWidth()

    def _update_layout_width(self, *, tables_soon: bool = False) -> None:
        """The column, pictures and tables fitted to the view's width. ``tables_soon``: the
        tables once the window has stopped changing size for TABLE_REFIT_MS (a drag of its
        edge resizes it tens of times a second; fitting the tables of a long article costs
        tens of ms)."""
        width = self._viewport_width()
        if width <= 0:
            return  # not shown and sized yet: its first resize does this, once
        self._set_column(width)
        self._fit_pictures()
        if not self._painted_once or not self._has_tables:
            return
        if not tables_soon:
            self._fit_tables()
            return
        self._refit_tables_soon()

    def _refit_tables_soon(self) -> None:
        """Fit the tables again once the size has not changed for TABLE_REFIT_MS."""
        if self._table_timer is None:
            self._table_timer = QTimer(self)
            self._table_timer.setSingleShot(True)
            self._table_timer.setInterval(TABLE_REFIT_MS)
            self._table_timer.timeout.connect(self._fit_tables_in_place)
        self._table_timer.start()

    def _set_column(self, width: float) -> None:
        """Side margins that keep the text column at most the chosen line length wide (in
        characters of average width), centred in a view whose text is ``width`` px wide
        (changed only when they move: a change lays the whole document out again)."""
        per_char = self._char_width()
        wanted = per_char * self._column_chars()
        available = width - 2 * self.document().documentMargin()
        side = max(MIN_SIDE_MARGIN, (available - wanted) / 2)
        root = self.document().rootFrame()
        fmt = root.frameFormat()
        if abs(fmt.leftMargin() - side) > 0.5:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(MIN_SIDE_MARGIN)
            fmt.setBottomMargin(MIN_SIDE_MARGIN * 2)
            root.setFrameFormat(fmt)

    def _column_chars(self) -> float:
        """The column's width in characters of average width: the chosen line length, less
        LINE_SLACK."""
        return self.reading.line_length.chars * LINE_SLACK

    def _char_width(self) -> float:
        """The average width of a character of the reading font, in px."""
        metrics = QFontMetricsF(self.font())
        return metrics.horizontalAdvance(_MEASURE) / len(_MEASURE)

    def _expected_text_width(self) -> int:
        """The text's width once the view is laid out at its present size: its inside, less
        the vertical scroll bar when the text alone (lines of the chosen length, without
        headings, pictures or paragraph spacing) is taller than the view. A guess: when it is
        wrong, the margins are set again after the layout, as without it."""
        inside = self.contentsRect()
        line = self.reading.pixel_size * self.reading.line_spacing
        per_line = min(self._column_chars(), inside.width() / max(1.0, self._char_width()))
        text_height = self.document().characterCount() / max(1.0, per_line) * line
        if text_height <= inside.height():
            return inside.width()
        return inside.width() - self.verticalScrollBar().sizeHint().width()

    def _first_layout(self, event: QResizeEvent) -> None:
        """The first size of a view that has its article (put in before the window showed):
        lay it out once, in its column, beside the scroll bar it will have. Without this Qt
        lays it out at the whole width, again beside the scroll bar once the text proves
        taller than the view, and wholly again once the column's margins are set (~18M
        instructions before the first paint)."""
        expected = self._expected_text_width()
        self._set_column(expected)
        scroll_bar = expected < self.contentsRect().width()
        if scroll_bar:  # shown for this layout; as needed (the view's policy) right after
            set_qt_property(self, "verticalScrollBarPolicy", "ScrollBarAlwaysOn")
        super().resizeEvent(event)
        if scroll_bar:
            set_qt_property(self, "verticalScrollBarPolicy", "ScrollBarAsNeeded")
        # A wrong guess is put right here (a change of the margins lays everything out
        # again); else Qt laid out the first screenful only: the rest now, before the
        # pictures are fitted (after that Qt would leave it unlaid), so that the scroll bar
        # shows the whole article's length from the first paint, as it did before.
        self._set_column(self._viewport_width())
        doc = self.document()
        doc.documentLayout().blockBoundingRect(doc.lastBlock())

    def _fit_pictures(self) -> None:
        doc = self.document()
        limit = max(32.0, self.content_width() - 4)
        if not self._has_pictures or limit == self._fitted_to:
            return  # walking every fragment of a long article costs tens of ms
        self._fitted_to = limit
        changes: list[tuple[int, int, QTextImageFormat]] = []
        for block in _blocks(doc):
            for fragment in fragments(block):
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image_fmt = fmt.toImageFormat()
                    image = doc.resource(QTextDocument.ResourceType.ImageResource, image_fmt.name())
                    if isinstance(image, QImage) and not image.isNull() and image.width() > 0:
                        width = min(float(image.width()), limit)
                        if abs(image_fmt.width() - width) > 0.5:
                            image_fmt.setWidth(width)
                            image_fmt.setHeight(width * image.height() / image.width())
                            changes.append((fragment.position(), fragment.length(), image_fmt))
        if changes:
            # Everything laid out first, as for tables (_fit_tables): a picture's new size lays
            # out its block again and only moves what follows, so blocks whose layout a change
            # of font cleared, not laid out again yet, would stay without lines: invisible.
            doc.documentLayout().blockBoundingRect(doc.lastBlock())
        for position, length, image_fmt in changes:
            _set_char_format(QTextCursor(doc), position, length, image_fmt)

    def _fit_tables(self) -> bool:
        """Fit the tables to the view's width and the reading font (reader.ui.tables): a
        table whose words Qt would break inside its cells is widened beside the column, or
        stacked when even the view's width is not enough. Done again when the width or the
        font changes, after the first paint (an article's first screen need not wait for its
        tables). True when a table changed."""
        if not self._has_tables:
            return False
        doc = self.document()
        key = (self._viewport_width(), doc.defaultFont().toString())  # (the reading font)
        if key == self._tables_fitted_to or key[0] <= 0:
            return False
        self._tables_fitted_to = key
        from reader.ui.tables import ArticleTables, Look

        # Everything laid out first: a table's new format lays out that table again and only
        # moves what follows, so a block whose layout a change before (a font) cleared and
        # Qt had not laid out again yet would stay without lines: invisible, of no height.
        doc.documentLayout().blockBoundingRect(doc.lastBlock())
        if self._tables is None:
            self._tables = ArticleTables(doc)
        bar = self.verticalScrollBar()
        look = Look(
            column=self.content_width(),
            margin=max(0.0, doc.rootFrame().frameFormat().leftMargin() - MIN_SIDE_MARGIN),
            font=doc.defaultFont(),
            border=self.palette().color(QPalette.ColorRole.Mid),
            scroll_bar=0.0 if bar.isVisible() else bar.sizeHint().width(),
        )
        self._rendering = True
        try:
            changed, restacked = self._tables.fit(look)
        finally:
            self._rendering = False
        if restacked:  # new lines: spaced as the others, their pictures fitted
            self._apply_blocks()
            self._fitted_to = 0.0
            self._fit_pictures()
            self.rendered.emit()  # new text where a table was: marks over it are found again
        return changed

    @property
    def tables_pending(self) -> bool:
        """True while the tables wait to be fitted to a new width (TABLE_REFIT_MS after the
        last resize)."""
        return self._table_timer is not None and self._table_timer.isActive()

    def _fit_tables_in_place(self) -> None:
        """_fit_tables, keeping the line at the top where it is (after the first paint)."""
        top = self.top_position()
        if self._fit_tables():
            self.scroll_to_position(top)
        # The sideways scroll bar held back while the tables waited (_on_document_size).
        self._on_document_size(self.document().documentLayout().documentSize())

    def _on_document_size(self, size: QSizeF) -> None:
        """Show the horizontal scroll bar only when the article is wider than the view by a
        quarter of a letter or more: a table of many columns at 400% in a narrow window. Qt
        lays some lines out a fraction of a pixel past the column (a superscript footnote mark
        at a line's end) and lets the spaces that indent wrapped preformatted text hang past
        it; either rounded up to a scroll bar that moved the text by a pixel or two and hid
        nothing but a sliver of space."""
        overhang = size.width() - self.document().textWidth()
        sideways = overhang >= OVERHANG_EM * self.reading.pixel_size
        if sideways and self.tables_pending:
            # A table fitted to the width before a resize, about to be fitted to this one:
            # a scroll bar now would flash on and off at every step of a drag.
            return
        if sideways != self._sideways:
            self._sideways = sideways
            policy = "ScrollBarAsNeeded" if sideways else "ScrollBarAlwaysOff"
            set_qt_property(self, "horizontalScrollBarPolicy", policy)

    def showEvent(self, event: QShowEvent) -> None:
        """Scroll to the top line asked for while the view was hidden, once the window's
        layout has settled (a zero timer runs before the paint that shows a new window)."""
        super().showEvent(event)
        if self._wanted_top is not None:
            QTimer.singleShot(0, self._place_wanted_top)

    def _place_wanted_top(self) -> None:
        """The top line asked for before the view was shown, now that it can be placed."""
        if self._wanted_top is not None:
            self.scroll_to_position(self._wanted_top)

    def resizeEvent(self, event: QResizeEvent) -> None:
        keep = self.article is not None and not self._rendering and self._wanted_top is None
        top = self.top_position() if keep else 0
        if self.article is not None and self._viewport_width() <= 0:
            self._first_layout(event)
        else:
            if self._painted_once and self._has_tables:
                self._refit_tables_soon()  # before the layout, which may find a table too wide
            super().resizeEvent(event)
        self._update_layout_width(tables_soon=True)
        if keep:
            self.scroll_to_position(top)
        self.resized.emit()

    # --- position ----------------------------------------------------------------------------

    def top_position(self) -> int:
        """Character position of the text at the top of the view (canonical: as if every
        table were shown as a table, whatever is stacked; see reader.ui.tables)."""
        if self._wanted_top is not None:
            return self._wanted_top
        return self.canonical_position(self.shown_top_position())

    def shown_top_position(self) -> int:
        """The position at the top of the view in the document as shown (a stacked table's
        text as it is shown): for what works on the shown text, such as reading aloud."""
        if self._wanted_top is not None:
            return self.shown_position(self._wanted_top)
        if self.verticalScrollBar().value() == 0:
            return 0  # the hit test below would lay out the document to find its first line
        return self.cursorForPosition(QPoint(self._column_x(), 2)).position()

    def _column_x(self) -> int:
        """An x just inside the text column's left edge, where the view's hit tests look for
        the line at a height."""
        frame = self.document().rootFrame().frameFormat()
        return int(frame.leftMargin() + self.document().documentMargin() + 2)

    def _line_at(self, y: int) -> tuple[QTextBlock, QTextLine] | None:
        """The block and the line of text Qt's hit test finds at the view's row ``y`` (its
        own pixels): that line, or the nearest one when ``y`` is between lines."""
        cursor = self.cursorForPosition(QPoint(self._column_x(), y))
        block = cursor.block()
        text_layout = block.layout()
        if text_layout is None or text_layout.lineCount() == 0:
            return None
        line = text_layout.lineForTextPosition(cursor.position() - block.position())
        return (block, line) if line.isValid() else None

    def canonical_position(self, shown: int) -> int:
        """A position in the shown document as a canonical one (see top_position)."""
        return shown if self._tables is None else self._tables.canonical(shown)

    def shown_position(self, canonical: int) -> int:
        """A canonical position (see top_position) in the document as shown."""
        return canonical if self._tables is None else self._tables.shown(canonical)

    def character_count(self) -> int:
        """The article's characterCount() in canonical positions (see top_position)."""
        if self._tables is None:
            return self.document().characterCount()
        return self._tables.canonical_count()

    def shown_tables(self) -> list[QTextFrame]:
        """The article's tables as shown: each a QTextTable, or the frame of its stacked rows."""
        from reader.ui.tables import top_tables

        if self._tables is not None:
            return self._tables.frames()
        tables: list[QTextFrame] = [*top_tables(self.document())]
        return tables

    def place_of(self, position: int) -> tuple[int, int, str]:
        """Where ``position`` is, in terms that survive making the article again: its block's
        number, its offset in the block, and the words from there. A character offset does
        not survive pictures turning into their alt text (one character into many), but the
        blocks do: a picture's words stay in its paragraph."""
        position = self.shown_position(position)
        block = self.document().findBlock(position)
        offset = position - block.position()
        return block.blockNumber(), offset, block.text()[offset : offset + _PLACE_CHARS]

    def position_of(self, place: tuple[int, int, str]) -> int:
        """The position of ``place`` (see place_of) in the article as it is now: the same words
        in the same block (where they occur nearest the old offset), else the same offset in it
        (clamped), else the article's end."""
        number, offset, words = place
        block = self.document().findBlockByNumber(number)
        if not block.isValid():
            return max(0, self.character_count() - 1)
        text = block.text()
        best = min(offset, max(0, len(text) - 1))
        found = text.find(words) if words else -1
        nearest = None
        while found >= 0:
            if nearest is None or abs(found - offset) < abs(nearest - offset):
                nearest = found
            found = text.find(words, found + 1)
        found_at = nearest if nearest is not None else best
        return self.canonical_position(block.position() + found_at)

    def scroll_to_position(self, position: int) -> None:
        """Scroll so the line holding ``position`` is the top line of the view.

        The top needs no layout at all; any other position lays the whole document out once
        (Qt lays out lazily, and the scroll range is only right once everything is laid out).
        Before the view is shown the position is kept (``top_position`` returns it) and
        placed when it shows: only then are its size and scroll range known.
        """
        bar = self.verticalScrollBar()
        if not self.isVisible():  # placed once shown (showEvent), at the view's real size
            self._wanted_top = max(0, position)
            return
        self._wanted_top = None
        if position <= 0:
            bar.setValue(0)
            return
        position = self.shown_position(position)
        doc = self.document()
        layout = doc.documentLayout()
        layout.blockBoundingRect(doc.lastBlock())  # lay out everything so the range is right
        block = doc.findBlock(max(0, min(position, doc.characterCount() - 1)))
        if not block.isValid():
            return
        y = layout.blockBoundingRect(block).top()
        text_layout = block.layout()
        if text_layout is not None and text_layout.lineCount() > 0:
            line = text_layout.lineForTextPosition(position - block.position())
            if line.isValid():
                y += line.y()
        # Qt tells the scroll bar the new height from a timer after a long layout: until then
        # its range is that of what was laid out before (a first part, the top of the text),
        # and a place further down would be cut to it. The range is the whole height now.
        height = math.ceil(layout.documentSize().height())
        bar.setMaximum(max(bar.maximum(), height - self.maximumViewportSize().height()))
        bar.setValue(min(bar.maximum(), round(y)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A key that moves the caret (arrows, Page Up/Down, Home, End) or opens the context
        menu at it (the Menu key, Shift+F10) first puts the caret on the view's top line when
        the reader scrolled it out of view (wheel, Space, scroll bar): Qt would go from where
        the caret was left and scroll back there, so Page Down after a few turns of the wheel
        went back to the article's start. Shift and a caret key make a selection: that stays
        as Qt has it."""
        from PySide6.QtCore import Qt

        key, shift = event.key(), event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if key in _caret_keys():
            wanted = not shift
        else:
            wanted = key == Qt.Key.Key_Menu.value or (key == Qt.Key.Key_F10.value and bool(shift))
        if wanted:
            self._caret_into_view()
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab go to the next and previous link from the caret, or from what is
        in view when the reader scrolled the caret out of it (from its top going on, from its
        bottom going back). Qt goes from the selected link, and with none from the article's
        start (or end): a reader halfway down was taken back to its first link."""
        cursor = self.textCursor()
        in_view = self._caret_in_view()
        if in_view and cursor.hasSelection():  # a link, or words the reader selected
            result: bool = super().focusNextPrevChild(next)
            return result
        at = cursor.position() if in_view else self._view_edge_position(bottom=not next)
        start = at if next else _link_before(self.document(), at)
        if start is None:  # no link before it: out of the article, as from its first link
            return bool(QTextEdit.focusNextPrevChild(self, next))
        # The character before ``start`` selected: Qt's search for the next link begins after
        # a selection. (Its search for the previous one misses links from a place inside a
        # block's first run of text, so going back is found here and selected going on.)
        cursor.setPosition(max(0, start - 1))
        cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        found: bool = super().focusNextPrevChild(True)
        return found

    def _caret_into_view(self) -> None:
        """Put the caret on the view's top line when it is out of view; else leave it."""
        if self._caret_in_view():
            return
        cursor = self.textCursor()
        cursor.setPosition(self._view_edge_position())
        self.setTextCursor(cursor)

    def _view_edge_position(self, *, bottom: bool = False) -> int:
        """The position at the start of the view's top line (``bottom``: at the end of its
        last line), found from the line, not from a point at its left: a short right-to-left
        line's left end is its logical end."""
        y = self.viewport().height() - 2 if bottom else 2
        found = self._line_at(y)
        if found is None:
            return self.cursorForPosition(QPoint(self._column_x(), y)).position()
        block, line = found
        start = block.position() + line.textStart()
        return start + line.textLength() if bottom else start

    def _caret_in_view(self) -> bool:
        """Whether the caret's line is (at least partly) in the view."""
        caret = self.cursorRect()
        return caret.bottom() >= 0 and caret.top() < self.viewport().height()

    def _turn_page(self, action: int) -> None:
        """Space, Page Down and a click under the scroll bar's handle scroll by the view's
        height, which cuts a line in two at the page's edge and leaves it half read on both
        pages. The line cut at the bottom starts the next page instead (the one cut at the
        top ends the page before, going up), unless that would turn less than half a page
        (a picture taller than that)."""
        from PySide6.QtWidgets import QAbstractSlider

        forward = action == QAbstractSlider.SliderAction.SliderPageStepAdd.value
        if not forward and action != QAbstractSlider.SliderAction.SliderPageStepSub.value:
            return
        bar = self.verticalScrollBar()
        top, height = bar.value(), self.viewport().height()
        line = self._line_across(height - 1 if forward else 0)
        if line is None:
            return
        line_top, line_bottom = line
        if forward and line_top > top + height / 2 and line_bottom > top + height:
            bar.setSliderPosition(min(bar.maximum(), math.floor(line_top)))
        elif not forward and line_bottom < top + height / 2 and line_top < top:
            bar.setSliderPosition(max(0, math.ceil(line_bottom) - height))

    def _line_across(self, y: int) -> tuple[float, float] | None:
        """The top and bottom, in document pixels, of the line of text that the view's row
        ``y`` (its own pixels) crosses; None between lines."""
        found = self._line_at(y)
        if found is None:
            return None
        block, line = found
        at = self.verticalScrollBar().value() + y
        line_top = self.document().documentLayout().blockBoundingRect(block).top() + line.y()
        line_bottom = line_top + line.height()
        return (line_top, line_bottom) if line_top <= at < line_bottom else None

    # --- links and resources -------------------------------------------------------------------

    def _on_anchor(self, url: QUrl) -> None:
        if url.isRelative() and not url.path() and url.hasFragment():
            name = url.fragment()
            if self._has_anchor(name):
                self.scrollToAnchor(name)
            else:  # the extractor left that part of the page out: say so, not nothing
                self.message.emit(
                    f"The part of the page this link leads to (#{name}) is not in the article."
                )
            return
        resolved = self.document().baseUrl().resolved(url) if url.isRelative() else url
        scheme = resolved.scheme().lower()
        if scheme in OPENABLE_SCHEMES:
            QDesktopServices.openUrl(resolved)
            self.message.emit(f"Opened {resolved.toDisplayString()} in your web browser.")
        else:
            self.message.emit(
                f"The link {url.toDisplayString()} points to a local file or a script "
                "and is not opened."
            )

    def _has_anchor(self, name: str) -> bool:
        """True when the article has an element named ``name`` (``id`` or ``name``): where
        the link leads is in it, whether or not Qt can scroll there (not to a table's id)."""
        from html import escape  # (its import loads html.entities: only on such a click)

        self.ensure_whole()
        if self.article is None:
            return False
        value = escape(name, quote=False).replace('"', "&quot;")  # as the sanitiser writes it
        named = rf"""\b(?:id|name)\s*=\s*(["']?){re.escape(value)}\1[\s/>]"""
        return re.search(named, self.article.html) is not None

    def loadResource(self, kind: int, url: QUrl | str) -> object:
        """Pictures from data: URLs and local files only; nothing is ever fetched.

        "Nothing" is an empty QImage or QByteArray, never None: returning None from this
        override corrupts None's reference count in PySide6 on Python 3.11 (a crash at exit).
        """
        if kind != QTextDocument.ResourceType.ImageResource:
            return QByteArray()
        url = QUrl(url) if isinstance(url, str) else url
        if url.isRelative():
            url = self.document().baseUrl().resolved(url)
        scheme = url.scheme().lower()
        data: bytes | None = None
        if scheme == "data":
            data = _data_url_bytes(url.toString())
        elif scheme == "file":
            path = Path(url.toLocalFile())
            try:
                if path.is_file() and path.stat().st_size <= MAX_PICTURE_BYTES:
                    data = path.read_bytes()
            except OSError as exc:
                log.info("picture %s not readable: %s", path, exc)
        if data is None:
            return QImage()
        return _image(data)


def _image(data: bytes) -> QImage:
    """The picture in ``data``, in the format its first bytes name: told the format, Qt loads
    the one decoder it needs instead of every image plugin it has to guess one (SVG, BMP and
    the rest, which we do not recognise, are still guessed)."""
    known = picture_type(data)
    return QImage.fromData(data, known[1].upper()) if known else QImage.fromData(data)


def _data_url_bytes(url: str) -> bytes | None:
    """The payload of a ``data:`` URL, or None when it is malformed."""
    head, sep, payload = url.partition(",")
    if not sep or len(payload) > MAX_PICTURE_BYTES * 2:
        return None
    try:
        if head.lower().endswith(";base64"):
            return base64.b64decode(payload, validate=False)
        return unquote_to_bytes(payload)
    except ValueError:
        return None


def _blocks(doc: QTextDocument) -> Iterator[QTextBlock]:
    """Every block of ``doc`` in order (the next is taken after the caller's changes)."""
    block = doc.begin()
    while block.isValid():
        yield block
        block = block.next()


def _only_pictures(block: QTextBlock) -> bool:
    """True when the block holds pictures (object replacement characters) and nothing else."""
    text = block.text()
    return PICTURE_CHAR in text and not text.replace(PICTURE_CHAR, "").strip()


def fragments(block: QTextBlock) -> Iterator[QTextFragment]:
    """Every fragment (run of one character format) of ``block`` in order."""
    it = block.begin()
    while not it.atEnd():
        yield it.fragment()
        it += 1


def _set_char_format(cursor: QTextCursor, position: int, length: int, fmt: QTextCharFormat) -> None:
    """Give the ``length`` characters from ``position`` the format ``fmt``."""
    cursor.setPosition(position)
    cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
    cursor.setCharFormat(fmt)
