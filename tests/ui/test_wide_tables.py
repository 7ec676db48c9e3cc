"""A table whose words do not fit the text column whole takes the room the view has beside it,
so no word is broken inside a cell ("Insta ll mo ds"), and it never adds a horizontal scroll
bar for what the view can show."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QTextDocument, QTextFrame, QTextLength, QTextTable
from pytestqt.qtbot import QtBot

from reader.ui.article_view import ArticleView
from reader.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, long_word_rows, open_file, wait_tables_fitted

WIDE_ROWS = long_word_rows(6, 4)
SMALL = "<table><tr><th>Year</th><th>Readers</th></tr><tr><td>2025</td><td>Many</td></tr></table>"
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Tables</title></head>
<body><article><h1>Figures in six columns</h1><p class="byline">By A Writer</p>
<p>A paragraph before the tables, long enough to be the article's text and to wrap over a few
lines of the column, so that the page reads as an article and not as a table alone.</p>
{SMALL}
<p>The six columns below hold words too long for the column when side by side.</p>
<table>{WIDE_ROWS}</table>
<p>After the table, the article goes on in plain words for a line or two more.</p>
</article></body></html>
"""


def _tables(doc: QTextDocument) -> list[QTextTable]:
    return [frame for frame in doc.rootFrame().childFrames() if isinstance(frame, QTextTable)]


def _broken_words(doc: QTextDocument, table: QTextFrame) -> list[str]:
    """The words a line of ``table`` (or a stacked table's frame) ends inside, as laid out."""
    doc.documentLayout().documentSize()  # laid out
    broken = []
    block = doc.findBlock(table.firstPosition())
    while block.isValid() and block.position() <= table.lastPosition():
        text, lines = block.text(), block.layout()
        for i in range(lines.lineCount() - 1):
            end = lines.lineAt(i).textStart() + lines.lineAt(i).textLength()
            if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
                broken.append(text)
        block = block.next()
    return broken


def _table_left(window: MainWindow, table: QTextTable) -> float:
    """Where the table's first cell's text starts, in the view."""
    block = window.view.document().findBlock(table.firstPosition())
    return window.view.document().documentLayout().blockBoundingRect(block).left()


def _open_at(window: MainWindow, qtbot: QtBot, path: Path, width: int) -> None:
    window.resize(width, 700)
    open_file(window, path)
    qtbot.wait(50)  # the first paint, then the tables fitted right after it


def _page(tmp_path: Path) -> Path:
    path = tmp_path / "tables.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def _column_left(doc: QTextDocument) -> float:
    """Where the text column starts, in the view."""
    return doc.rootFrame().frameFormat().leftMargin() + doc.documentMargin()


@pytest.fixture
def wide_window(make_window: WindowFactory, qtbot: QtBot, tmp_path: Path) -> MainWindow:
    """A window 1400 px wide showing the page of tables, its tables fitted."""
    window = make_window()
    _open_at(window, qtbot, _page(tmp_path), 1400)
    return window


def test_a_wide_table_keeps_its_words_whole_beside_the_column(wide_window: MainWindow) -> None:
    view, doc = wide_window.view, wide_window.view.document()
    small, wide = _tables(doc)
    assert _broken_words(doc, wide) == []
    left = _table_left(wide_window, wide)
    assert left < _column_left(doc) - 50, "it takes room left of the column"
    assert not view.horizontalScrollBar().isVisible()
    # A table whose words fit stays in the column, as Qt lays it out.
    assert _table_left(wide_window, small) > _column_left(doc)
    variable = QTextLength.Type.VariableLength
    assert [c.type() for c in small.format().columnWidthConstraints()] == [variable, variable]


def test_the_fit_follows_the_window_and_the_text_size(
    wide_window: MainWindow, qtbot: QtBot
) -> None:
    window = wide_window
    view, doc = window.view, window.view.document()
    wide = _tables(doc)[1]
    window.larger_text()  # the words take more room: fitted again at once
    assert _broken_words(doc, wide) == []
    window.normal_size()
    window.resize(700, 700)  # too narrow for the words whole side by side: stacked
    wait_tables_fitted(qtbot, window)  # fitted once the size has settled
    assert not view.horizontalScrollBar().isVisible()
    assert len(_tables(doc)) == 1
    stacked = view.shown_tables()[1]
    assert not isinstance(stacked, QTextTable)
    assert _broken_words(doc, stacked) == []
    window.resize(1400, 700)  # room again: a table again, its words whole, beside the column
    wait_tables_fitted(qtbot, window)
    wide = _tables(doc)[1]
    assert _broken_words(doc, wide) == []
    assert _table_left(window, wide) < _column_left(doc) - 50
    assert not view.horizontalScrollBar().isVisible()


def test_a_table_left_as_it_was_breaks_its_words(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The words this page's wide table breaks in the column: what the fit is for."""
    monkeypatch.setattr(ArticleView, "_fit_tables", lambda _view: False)
    window = make_window()
    _open_at(window, qtbot, _page(tmp_path), 1400)
    doc = window.view.document()
    assert _broken_words(doc, _tables(doc)[1])


def test_every_block_is_laid_out_after_the_text_size_changes(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    """A table's new format lays out that table again; what a font change had left to lay
    out after it must not stay without lines (invisible text of no height)."""
    long_page = PAGE.replace(
        "<p>After the table,",
        "".join(f"<p>Paragraph {n} after the table, long enough to wrap.</p>" for n in range(600))
        + "<p>After the table,",
    )
    path = tmp_path / "long.html"
    path.write_text(long_page, encoding="utf-8")
    window = make_window()
    _open_at(window, qtbot, path, 1000)
    doc = window.view.document()
    assert doc.characterCount() > 30_000  # long enough for Qt to lay it out in steps
    for _ in range(6):  # to 200%: no room left beside the column, the table is put back
        window.larger_text()
        block = doc.begin()
        while block.isValid():
            if block.text().strip():
                assert block.layout().lineCount() > 0, block.text()[:40]
            block = block.next()


def test_no_sideways_scroll_bar_while_the_tables_wait_to_be_refitted(
    wide_window: MainWindow,
) -> None:
    """Between a resize and the tables' refit, Qt reports the article wider than the view for
    a moment (cells laid out for the old width): a scroll bar then flashed at every step of
    a drag. It is decided once the tables are fitted."""
    view = wide_window.view
    width = view.document().textWidth()
    off, needed = Qt.ScrollBarPolicy.ScrollBarAlwaysOff, Qt.ScrollBarPolicy.ScrollBarAsNeeded
    view._refit_tables_soon()  # as a resize does
    view._on_document_size(QSizeF(width + 20.0, 500.0))
    assert view.horizontalScrollBarPolicy() == off
    view._table_timer.stop()  # type: ignore[union-attr]
    view._fit_tables_in_place()  # decided on the article as laid out: it fits
    assert view.horizontalScrollBarPolicy() == off
    view._on_document_size(QSizeF(width + 20.0, 500.0))  # no refit waiting: shown at once
    assert view.horizontalScrollBarPolicy() == needed
