"""The article reflows: long lines of code wrap, a table of many columns at 400% in a narrow
window is stacked rather than scrolled, and the sliver Qt lays out past the column when it
rounds never shows a horizontal scroll bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QTextTable
from pytestqt.qtbot import QtBot

from reader.ui.article_view import OVERHANG_EM
from tests.ui.conftest import WindowFactory, open_file, wait_tables_fitted

LONG_CODE_LINE = "result = transform(" + ", ".join(f"argument_{n}" for n in range(24)) + ")"
INDENTED = "\n".join("    " * depth + f"level_{depth}: [" for depth in range(6))

PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Code</title></head>
<body><article><h1>Reading code at any size</h1><p class="byline">By A Writer</p>
<p>A paragraph that ends with a footnote mark, as encyclopedias write them, and goes on for
long enough to wrap over several lines of the column.<sup><a href="#n1">[1]</a></sup> More text
follows the mark, and another mark ends it.<sup><a href="#n2">[2]</a></sup></p>
<pre><code>{LONG_CODE_LINE}
{INDENTED}</code></pre>
<p>After the code, the article goes on in plain words for a line or two more.</p>
<table><tr><th>Year</th><th>Readers</th></tr><tr><td>2025</td><td>Many</td></tr></table>
</article></body></html>
"""

WORD = "characterisation"
WIDE_TABLE = "".join(
    "<tr>" + "".join(f"<td>{WORD}{col}</td>" for col in range(10)) + "</tr>" for _row in range(3)
)
WIDE_PAGE = f"""<!DOCTYPE html><html lang="en"><head><title>Wide</title></head><body>
<article><h1>A table of ten columns</h1><p class="byline">By A Writer</p>
<p>The figures below come in ten columns, which no narrow window can show side by side.</p>
<table>{WIDE_TABLE}</table></article></body></html>
"""


def _page(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def _at(window: object, qtbot: QtBot, width: int, steps_larger: int) -> None:
    window.normal_size()  # type: ignore[attr-defined]
    for _ in range(steps_larger):
        window.larger_text()  # type: ignore[attr-defined]
    window.resize(width, 700)  # type: ignore[attr-defined]
    qtbot.wait(50)  # the layout Qt finishes from a timer


@pytest.mark.parametrize("width", [1000, 640])
@pytest.mark.parametrize("steps_larger", [0, 12])  # 100% and 400%
def test_code_wraps_and_nothing_scrolls_sideways(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, width: int, steps_larger: int
) -> None:
    window = make_window()
    open_file(window, _page(tmp_path, "code.html", PAGE))
    _at(window, qtbot, width, steps_larger)
    assert window.view.font().pixelSize() == (64 if steps_larger else 16)
    bar = window.view.horizontalScrollBar()
    assert not bar.isVisible()
    doc = window.view.document()
    code = doc.find(LONG_CODE_LINE).block()
    # One block, its lines kept apart by line breaks and their indentation kept.
    assert code.text() == f"{LONG_CODE_LINE}\n{INDENTED}".replace("\n", "\u2028")
    lines = code.layout().lineCount()
    assert lines > INDENTED.count("\n") + 2, "the long line of code wraps"


def test_a_table_too_wide_for_the_view_is_stacked_not_scrolled(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window()
    open_file(window, _page(tmp_path, "wide.html", WIDE_PAGE))
    _at(window, qtbot, 640, 12)
    wait_tables_fitted(qtbot, window)
    assert not window.view.horizontalScrollBar().isVisible()
    doc = window.view.document()
    assert doc.documentLayout().documentSize().width() <= doc.textWidth() + 1
    assert not isinstance(window.view.shown_tables()[0], QTextTable)
    block = doc.find(f"{WORD}9").block()  # the last column, in the view's width
    assert block.text() == f"{WORD}9"
    assert block.layout().lineCount() == 1


def test_an_overhang_under_a_quarter_of_a_letter_shows_no_scroll_bar(
    make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window()
    open_file(window, _page(tmp_path, "code.html", PAGE))
    view = window.view
    width = view.document().textWidth()
    quarter = OVERHANG_EM * view.reading.pixel_size
    off, needed = Qt.ScrollBarPolicy.ScrollBarAlwaysOff, Qt.ScrollBarPolicy.ScrollBarAsNeeded
    view._on_document_size(QSizeF(width + 1.0, 500.0))  # a footnote mark a pixel past the edge
    assert view.horizontalScrollBarPolicy() == off
    view._on_document_size(QSizeF(width + quarter, 500.0))
    assert view.horizontalScrollBarPolicy() == needed
    view._on_document_size(QSizeF(width, 500.0))
    assert view.horizontalScrollBarPolicy() == off
