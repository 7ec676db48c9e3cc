"""The article's tables in the view, kept readable at every width and size.

Qt fits a table into the text column by breaking words anywhere ("Insta ll mo ds"). A table
whose words do not fit the column whole gets the room the view has beside it (fixed column
widths, centred on the column). When even that is not enough (a table of many columns at 400%,
or in a narrow window), the table is shown stacked: each row a box of its own, each cell a line
led by its column's heading ("UX draft: ..."), as narrow screens show wide tables; it becomes a
table again once there is room. Stacking changes the document's text, so positions are kept in
the article's own terms ("canonical": every table a table), which stay valid whatever is stacked.

Imported when an article with tables is first painted, not at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFrame,
    QTextFrameFormat,
    QTextLength,
    QTextOption,
    QTextTable,
    QTextTableCell,
    QTextTableFormat,
)

from reader.ui.article_view import PICTURE_CHAR, STACKED, STACKED_GAP, STACKED_LINE, fragments
from reader.ui.marks import selection

# Qt's table layout takes these from what a fixed column width leaves for the text (a cell's
# collapsed borders, rounding) and from a table's inside (its outer borders), in px.
CELL_EDGES = 2.0
TABLE_EDGES = 2.0
LEAST_KEPT = 4  # fonts whose least column widths a table keeps


def top_tables(doc: QTextDocument) -> list[QTextTable]:
    """The tables of ``doc`` that are not inside another table, in order."""
    return [frame for frame in doc.rootFrame().childFrames() if isinstance(frame, QTextTable)]


def blocks_until(block: QTextBlock, last: int) -> Iterator[QTextBlock]:
    """``block`` and the blocks after it that start at or before position ``last``: those
    of a frame (from its first block) or of a cell."""
    while block.isValid() and block.position() <= last:
        yield block
        block = block.next()


def frame_blocks(doc: QTextDocument, frame: QTextFrame) -> Iterator[QTextBlock]:
    """Every block inside ``frame`` (a table, or a stacked table's frame), in order."""
    return blocks_until(doc.findBlock(frame.firstPosition()), frame.lastPosition())


def words_broken(doc: QTextDocument, frame: QTextFrame) -> int:
    """How many of ``frame``'s lines, as laid out, end between two letters or digits: words
    Qt broke in two to fit a cell (bench/reflow.py counts them too). Not between Chinese or
    Japanese characters, which are written without spaces and wrap between any two."""
    broken = 0
    for block in frame_blocks(doc, frame):
        text = block.text()
        lines = block.layout()
        for i in range(lines.lineCount() - 1):
            line = lines.lineAt(i)
            end = line.textStart() + line.textLength()
            if 0 < end < len(text) and _inside_word(text[end - 1], text[end]):
                broken += 1
    return broken


def _inside_word(before: str, after: str) -> bool:
    """True when a line ending between ``before`` and ``after`` breaks a word."""
    if not (before.isalnum() and after.isalnum()):
        return False
    return not (_unspaced(before) or _unspaced(after))


def _unspaced(char: str) -> bool:
    """A kana or CJK ideograph: lines may wrap on either side of it."""
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def _shape(font: QFont) -> tuple[object, ...]:
    """What of ``font`` the widths of its words depend on besides its size: its face, and
    its letter and word spacing as shares of its size (the reading font scales them)."""
    size = font.pixelSize() or 1
    spacing = round(font.letterSpacing() / size, 4), round(font.wordSpacing() / size, 4)
    return font.family(), font.weight(), font.italic(), font.letterSpacingType(), *spacing


def _extent(frame: QTextFrame) -> tuple[int, int]:
    """Where ``frame`` is in its document, from its opening mark to after its closing one."""
    return frame.firstPosition() - 1, frame.lastPosition() + 1


class _Measured:
    """A table that breaks words in the column: its own format, to widen from, a copy of it
    (to put back after stacking), and that copy in a scratch document where Qt may only wrap
    between words, to measure its columns by."""

    def __init__(self, doc: QTextDocument, table: QTextTable) -> None:
        self.original = table.format()
        self.fragment = QTextDocumentFragment(selection(doc, *_extent(table)))
        self.scratch = scratch = QTextDocument()
        scratch.setUndoRedoEnabled(False)
        option = doc.defaultTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        scratch.setDefaultTextOption(option)
        scratch.setDocumentMargin(0)
        kind = QTextDocument.ResourceType.ImageResource
        for block in frame_blocks(doc, table):
            for fragment in fragments(block):
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    name = QUrl(fmt.toImageFormat().name())
                    scratch.addResource(kind, name, doc.resource(kind, name))
        QTextCursor(scratch).insertFragment(self.fragment)
        self.copy = next(iter(top_tables(scratch)), None)
        # What each column needs at the least, by font (the width does not change it); kept
        # for the last LEAST_KEPT fonts.
        self._least: dict[str, list[float] | None] = {}
        # Where it was last found too wide to be a table: its font's shape (see _shape) and
        # pixel size, and the room its columns had (Look.usable).
        self._too_wide: tuple[tuple[object, ...], int, float] | None = None

    def format_for(self, look: Look) -> QTextTableFormat | None:
        """The table's format for ``look``'s text column, with its margin more on each side:
        its own when its words fit the column whole or it cannot be measured; None when its
        words cannot all be whole even in all that room (less what a vertical scroll bar would
        take, shown or not: else the scroll bar of a stacked, taller article could make it a
        table again, and the shorter article's lack of one stack it again): to be stacked."""
        if self.copy is None:
            return self.original
        font, column, margin = look.font, look.column, look.margin
        room = column + 2 * margin  # the view's width, less its smallest side margins
        usable = look.usable
        if self._too_wide is not None:
            # The same face at a larger size in no more room needs more still: stacked
            # without measuring again (tens of ms a step for a long table at 400%).
            shape, pixel_size, too_narrow = self._too_wide
            if shape == _shape(font) and font.pixelSize() >= pixel_size and usable <= too_narrow:
                return None
        least = self.least_widths(font)
        if least is not None and sum(least) > usable:
            self.too_wide(look)
            return None
        if self.scratch.defaultFont() != font:
            self.scratch.setDefaultFont(font)
        self.scratch.setTextWidth(room)
        spread = _column_widths(self.scratch, self.copy)
        columns = _fitted_columns(spread, lambda: least, room - TABLE_EDGES)
        if columns is None:
            return self.original  # a column could not be measured
        # The widths its words need whole, even when they fit the column: Qt shares a
        # column's room out by the least each letter needs, and breaks words it could keep.
        fmt = QTextTableFormat(self.original)
        fmt.setColumnWidthConstraints(
            [QTextLength(QTextLength.Type.FixedLength, width) for width in columns]
        )
        inside = sum(columns) + TABLE_EDGES
        if inside > column:
            # Qt places a table at the column's left edge and counts it as wide as its frame:
            # a negative left margin moves it left (centred on the column, within the view),
            # and a negative right margin keeps its frame as wide as the column, or Qt would
            # make the article wider than the view by the side margins: a horizontal scroll
            # bar for nothing.
            fmt.setLeftMargin(self.original.leftMargin() - min(margin, (inside - column) / 2))
            fmt.setRightMargin(column - inside - fmt.leftMargin())
        return fmt

    def too_wide(self, look: Look) -> None:
        """Note that the table is stacked in ``look``: so it stays, without being measured,
        at larger sizes of the same face in no more room."""
        self._too_wide = (_shape(look.font), look.font.pixelSize(), look.usable)

    def least_widths(self, font: QFont) -> list[float] | None:
        """The least each column needs for its words whole, in ``font`` (kept for the last
        few fonts: a size stepped up is often stepped down again)."""
        key = font.toString()
        if key not in self._least:
            if self.scratch.defaultFont() != font:
                self.scratch.setDefaultFont(font)
            self.scratch.setTextWidth(1)
            least = _column_widths(self.scratch, self.copy) if self.copy is not None else None
            if len(self._least) >= LEAST_KEPT:
                del self._least[next(iter(self._least))]  # the oldest
            self._least[key] = least
        return self._least[key]


@dataclass
class _Slot:
    """One of the article's tables as shown: as a table (``table``) or stacked (``frame``).
    ``start``/``length``: where the table is in canonical positions. ``cells``, while
    stacked: (where a cell's line starts in the frame, where its text starts there, where its
    text starts in the table, its length), in the order of both."""

    table: QTextTable | None
    start: int
    length: int
    measured: _Measured | None = None
    frame: QTextFrame | None = None
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Look:
    """What a fit depends on: the text column's width and the room beside it, the width a
    vertical scroll bar would take from them when none is shown (px), the reading font (its
    pixel size sets a stacked row's spacing) and the colour of table borders."""

    column: float
    margin: float
    font: QFont
    border: QColor
    scroll_bar: float = 0.0

    @property
    def usable(self) -> float:
        """What a table's columns may take, in px: the view's width less its smallest side
        margins, a table's outer borders and a vertical scroll bar, shown or not."""
        return self.column + 2 * self.margin - TABLE_EDGES - self.scroll_bar


class ArticleTables:
    """The top-level tables of one document, each fitted or stacked for the present look."""

    def __init__(self, doc: QTextDocument) -> None:
        self.doc = doc
        self.slots = []
        for table in top_tables(doc):
            start, end = _extent(table)
            self.slots.append(_Slot(table, start, end - start))

    def fit(self, look: Look) -> tuple[bool, bool]:
        """Fit each table to ``look``: widened, stacked, or left as Qt lays it out. (something
        changed, a table was stacked or made a table again: the text changed). The document
        must be laid out (its lines tell the words Qt broke)."""
        changed = restacked = False
        for slot in self.slots:
            if slot.frame is None and slot.measured is None:
                assert slot.table is not None
                if not words_broken(self.doc, slot.table):
                    continue  # only a table that breaks words is measured (and may change)
                slot.measured = _Measured(self.doc, slot.table)
            assert slot.measured is not None
            fmt = slot.measured.format_for(look)
            if fmt is None:
                if slot.frame is None:
                    self._stack(slot, look)
                    changed = restacked = True
                elif self._restyle(slot, look):
                    changed = True
                continue
            if slot.frame is not None:
                self._unstack(slot)
                changed = restacked = True
            assert slot.table is not None
            if fmt != slot.table.format():
                slot.table.setFormat(fmt)
                changed = True
            if self._inner_words_broken(slot.table):
                # Its own columns keep their words whole, but a table in one of its cells,
                # which Qt lays out in the cell, breaks some: stacked, each is a box of lines.
                slot.measured.too_wide(look)
                self._stack(slot, look)
                changed = restacked = True
        return changed, restacked

    def _inner_words_broken(self, table: QTextTable) -> bool:
        """True when a table inside one of ``table``'s cells breaks a word, as laid out."""
        inner = [frame for frame in table.childFrames() if isinstance(frame, QTextTable)]
        if not inner:
            return False
        self.doc.documentLayout().frameBoundingRect(table)  # laid out in its format
        return any(words_broken(self.doc, frame) for frame in inner)

    def frames(self) -> list[QTextFrame]:
        """Each table as shown: the table, or its stacked frame."""
        shown = (slot.table if slot.frame is None else slot.frame for slot in self.slots)
        return [frame for frame in shown if frame is not None]

    # --- positions ------------------------------------------------------------------------

    def canonical(self, position: int) -> int:
        """``position`` in the document as shown, in canonical terms (every table a table);
        a place in a stacked table is the same place in its cell."""
        shift = 0
        for slot in self._stacked():
            assert slot.frame is not None
            start, end = _extent(slot.frame)
            if position < start:
                break
            if position < end:
                found = slot.start
                for line, at, cell, length in slot.cells:
                    if position - start >= line:  # (its heading: the cell's start)
                        found = slot.start + cell + max(0, min(position - start - at, length))
                return found
            shift += end - start - slot.length
        return position - shift

    def shown(self, position: int) -> int:
        """The canonical ``position`` in the document as shown (see canonical)."""
        shift = 0
        for slot in self._stacked():
            assert slot.frame is not None
            if position < slot.start:
                break
            start, end = _extent(slot.frame)
            if position < slot.start + slot.length:
                found = start
                for _line, at, cell, length in slot.cells:
                    if position - slot.start >= cell:
                        found = start + at + min(position - slot.start - cell, length)
                return found
            shift += end - start - slot.length
        return position + shift

    def canonical_count(self) -> int:
        """The document's characterCount() with every table a table."""
        return self.canonical(self.doc.characterCount() - 1) + 1

    def _stacked(self) -> Iterator[_Slot]:
        return (slot for slot in self.slots if slot.frame is not None)

    # --- stacking -------------------------------------------------------------------------

    def _stack(self, slot: _Slot, look: Look) -> None:
        """Show ``slot``'s table stacked: a box per row, a line per cell led by its heading
        (a table in a cell is stacked inside that cell's box)."""
        table = slot.table
        assert table is not None
        doc = self.doc
        base = table.firstPosition() - 1  # where the table starts: its positions' origin
        rows = _rows(doc, table)
        cursor = selection(doc, *_extent(table))
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        slot.table = None  # Qt deleted it
        outer = cursor.insertFrame(QTextFrameFormat())
        slot.frame = outer
        slot.cells = []
        _Stacker(cursor, outer.firstPosition() - 1, base, _card_format(look), slot.cells).rows(rows)
        for block in frame_blocks(doc, outer):
            cursor.setPosition(block.position())
            mark = QTextBlockFormat()
            mark.setProperty(STACKED, STACKED_LINE if block.text() else STACKED_GAP)
            cursor.mergeBlockFormat(mark)
        cursor.endEditBlock()

    def _restyle(self, slot: _Slot, look: Look) -> bool:
        """A stacked table's boxes for the present size; True when they changed."""
        assert slot.frame is not None
        fmt = _card_format(look)
        frames = list(slot.frame.childFrames())
        changed = False
        while frames:
            card = frames.pop()
            if card.frameFormat() != fmt:
                card.setFrameFormat(fmt)
                changed = True
            frames.extend(card.childFrames())
        return changed

    def _unstack(self, slot: _Slot) -> None:
        """Show ``slot``'s table as a table again, as it came."""
        assert slot.frame is not None
        assert slot.measured is not None
        start, end = _extent(slot.frame)
        slot.frame, slot.cells = None, []  # (Qt deletes it)
        cursor = selection(self.doc, start, end)
        cursor.beginEditBlock()
        cursor.removeSelectedText()
        cursor.insertFragment(slot.measured.fragment)
        cursor.endEditBlock()
        slot.table = next(t for t in top_tables(self.doc) if t.firstPosition() - 1 == start)


def _card_format(look: Look) -> QTextFrameFormat:
    """A stacked row's box: a thin border in the tables' colour, room inside and between."""
    px = look.font.pixelSize()
    fmt = QTextFrameFormat()
    fmt.setBorder(1)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(look.border)
    fmt.setPadding(round(px * 0.5))
    fmt.setTopMargin(round(px * 0.4))
    fmt.setBottomMargin(round(px * 0.4))
    return fmt


def _text(doc: QTextDocument, start: int, end: int) -> str:
    """The text from ``start`` to ``end``, its white space made single spaces."""
    return " ".join(QTextDocumentFragment(selection(doc, start, end)).toPlainText().split())


@dataclass
class _Run:
    """Text of a cell between the tables in it, copied as it is: its content, where it
    starts in the document, its length."""

    content: QTextDocumentFragment
    first: int
    length: int


@dataclass
class _Cell:
    """A cell to stack: its column's heading, and its runs of text and the rows of the
    tables in it, in order."""

    label: str
    parts: list[_Run | list[list[_Cell]]]


class _Stacker:
    """Writes stacked rows at a cursor, noting where each run of text went (``cells``: see
    _Slot; positions from ``start`` in the document as shown, from ``base`` in the table)."""

    def __init__(
        self,
        cursor: QTextCursor,
        start: int,
        base: int,
        card: QTextFrameFormat,
        cells: list[tuple[int, int, int, int]],
    ) -> None:
        self.cursor, self.start, self.base, self.card, self.cells = cursor, start, base, card, cells
        self.bold = QTextCharFormat()
        self.bold.setFontWeight(QFont.Weight.Bold)

    def rows(self, rows: list[list[_Cell]]) -> None:
        """A box per row, after the cursor; the cursor ends after the last box."""
        cursor = self.cursor
        for row in rows:
            card = cursor.insertFrame(self.card)
            fresh = True  # the cursor is in an empty block (a new box's, or after a frame)
            for cell in row:
                label = cell.label
                for part in cell.parts:
                    if isinstance(part, _Run):
                        if not fresh:
                            cursor.insertBlock()
                        line = cursor.position() - self.start
                        if label:
                            cursor.insertText(f"{label}: ", self.bold)
                            label = ""
                        at = cursor.position() - self.start
                        self.cells.append((line, at, part.first - self.base, part.length))
                        cursor.insertFragment(part.content)
                        fresh = False
                    else:
                        if label:  # a cell that starts with a table: its heading above it
                            if not fresh:
                                cursor.insertBlock()
                            cursor.insertText(label, self.bold)
                            label = ""
                        self.rows(part)
                        fresh = True
            cursor.setPosition(card.lastPosition() + 1)


def _rows(doc: QTextDocument, table: QTextTable) -> list[list[_Cell]]:
    """``table``'s rows below its headings, each cell with something in it led by its
    column's heading; first a heading over all the columns (a title), as a row of its own."""
    headed = _heading_rows(doc, table)
    columns = table.columns()
    labels = [""] * columns
    titles = []
    for row in range(headed):
        for column in range(columns):
            cell = table.cellAt(row, column)
            first = cell.firstCursorPosition().position()
            last = cell.lastCursorPosition().position()
            if columns > 1 and cell.columnSpan() == columns:
                if column == 0 and cell.row() == row and (title := _cell(doc, table, "", cell)):
                    titles.append(title)
                continue
            text = _text(doc, first, last)
            if text and not labels[column].endswith(text):  # (a cell spanning rows: once)
                labels[column] = f"{labels[column]}, {text}" if labels[column] else text
    rows = [titles] if titles else []
    for row in range(headed, table.rows()):
        cells = []
        for column in range(columns):
            cell = table.cellAt(row, column)
            if cell.row() != row or cell.column() != column:
                continue  # a cell spanning rows or columns is given once, where it starts
            if found := _cell(doc, table, labels[column], cell):
                cells.append(found)
        if cells:
            rows.append(cells)
    return rows


def _cell(doc: QTextDocument, table: QTextTable, label: str, cell: QTextTableCell) -> _Cell | None:
    """``cell`` of ``table`` to stack, led by ``label`` (unless that is all it says): its
    runs of text and the tables in it, stacked too; None when it holds nothing to read."""
    first = cell.firstCursorPosition().position()
    last = cell.lastCursorPosition().position()
    inner = [t for t in table.childFrames() if first <= t.firstPosition() <= last]
    parts: list[_Run | list[list[_Cell]]] = []
    at = first
    for nested in inner:
        start, end = _extent(nested)
        parts.extend(_run(doc, at, start))
        if isinstance(nested, QTextTable) and (rows := _rows(doc, nested)):
            parts.append(rows)
        at = end
    parts.extend(_run(doc, at, last))
    if not parts:
        return None
    only = parts[0] if len(parts) == 1 else None
    if isinstance(only, _Run) and only.content.toPlainText().strip() == label:
        label = ""  # a cell that says its heading again, as a grid's first column may
    return _Cell(label, parts)


def _run(doc: QTextDocument, first: int, last: int) -> list[_Run]:
    """The text from ``first`` to ``last`` as a run, unless there is nothing to read."""
    if last <= first:
        return []
    content = QTextDocumentFragment(selection(doc, first, last))
    plain = content.toPlainText()
    if not plain.strip() and PICTURE_CHAR not in plain:
        return []
    return [_Run(content, first, last - first)]


def _heading_rows(doc: QTextDocument, table: QTextTable) -> int:
    """How many of ``table``'s first rows head its columns: those its HTML put in a
    ``<thead>``; else a first row of ``<th>`` cells, or one whose first cell alone is empty
    (the corner of a grid whose first column heads the rows); else none."""
    rows, columns = table.rows(), table.columns()
    if rows < 2:
        return 0
    declared = table.format().headerRowCount()
    if declared:
        return min(declared, rows - 1)
    cells = [table.cellAt(0, column) for column in range(columns)]
    if all(cell.format().fontWeight() >= QFont.Weight.DemiBold.value for cell in cells):
        return 1
    texts = [
        _text(doc, c.firstCursorPosition().position(), c.lastCursorPosition().position())
        for c in cells
    ]
    if columns > 1 and not texts[0] and all(texts[1:]):
        return 1
    return 0


def _fitted_columns(
    spread: list[float] | None, least: Callable[[], list[float] | None], room: float
) -> list[float] | None:
    """Column widths that keep every word whole in ``room`` px: as laid out with that room
    (``spread``) when they fit in it; else the least each needs (``least()``), with what is
    left shared in proportion to what each would take more; None when even the least do not
    fit (or a column could not be measured)."""
    if spread is None:
        return None
    if sum(spread) <= room:
        return spread
    needs = least()
    if needs is None or sum(needs) > room:
        return None
    wants = [max(0.0, s - m) for s, m in zip(spread, needs, strict=True)]
    total, left = sum(wants), room - sum(needs)
    return [m + (left * w / total if total else 0.0) for m, w in zip(needs, wants, strict=True)]


def _column_widths(doc: QTextDocument, table: QTextTable) -> list[float] | None:
    """Each of ``table``'s columns as laid out, counting lines longer than their cell."""
    layout = doc.documentLayout()
    layout.frameBoundingRect(table)  # laid out
    columns: list[float] = []
    for column in range(table.columns()):
        need = -1.0
        padding = 0.0
        for row in range(table.rows()):
            cell = table.cellAt(row, column)
            if cell.columnSpan() != 1 or cell.row() != row:
                continue
            fmt = cell.format().toTableCellFormat()
            padding = max(padding, fmt.leftPadding() + fmt.rightPadding())
            last = cell.lastCursorPosition().position()
            for block in blocks_until(cell.firstCursorPosition().block(), last):
                need = max(need, layout.blockBoundingRect(block).width())
                lines = block.layout()
                for i in range(lines.lineCount()):
                    need = max(need, lines.lineAt(i).naturalTextWidth())
        if need < 0:
            return None
        columns.append(need + padding + CELL_EDGES)
    return columns
