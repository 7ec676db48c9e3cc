"""A table whose words cannot all be whole even in the view's whole width (many columns at 400%,
a narrow window) is shown stacked: a box per row, a line per cell led by its column's heading.
It is a table again once there is room, with the text as it was, and positions (the place kept,
the place saved) mean the same whichever way the table is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QColor, QFont, QTextDocument, QTextTable
from pytestqt.qtbot import QtBot

from reader.ui.article_view import STACKED
from reader.ui.main_window import MainWindow
from reader.ui.tables import ArticleTables, Look, words_broken
from tests.ui.conftest import (
    WindowFactory,
    long_word_rows,
    open_file,
    wait_tables_fitted,
)

HEADINGS = "<thead><tr><th>Name</th><th>Duty</th><th>Region</th><th>Subject</th></tr></thead>"
HEADED = f"<table>{HEADINGS}{long_word_rows(4, 3, numbered=True)}</table>"
GRID = (
    "<table><tr><td></td><td>Morning timetable</td><td>Evening timetable</td></tr>"
    "<tr><td>Northbound</td><td>characterisation</td><td>responsibilities</td></tr></table>"
)
PLAIN = (
    "<table><tr><td>internationally</td><td>photosynthesis</td><td>characterisation</td></tr>"
    "<tr><td>responsibilities</td><td>internationally</td><td>photosynthesis</td></tr></table>"
)
NESTED = (
    "<table><tr><th colspan='2'>Most active developers</th></tr><tr><td>By changesets"
    "<table><tr><td>Herbert Responsibilities</td><td>63</td><td>16.6%</td></tr>"
    "<tr><td>Jurgen Photosynthesis</td><td>56</td><td>14.7%</td></tr></table></td>"
    "<td>By lines<table><tr><td>Armin Internationally</td><td>12060</td></tr></table></td>"
    "</tr></table>"
)
AFTER = "".join(
    f"<p>Paragraph {n} after the tables tells how the ferry came back for a summer.</p>"
    for n in range(40)
)
PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Stacked</title>
</head><body><article><h1>Tables at any size</h1><p class="byline">By A Writer</p>
<p>A paragraph before the tables, long enough to be the article's text and to wrap over a few
lines of the column, so that the page reads as an article and not as tables alone.</p>
{HEADED}<p>Between the tables.</p>{GRID}<p>And one more.</p>{PLAIN}{AFTER}
</article></body></html>
"""


def _document(html: str, width: float = 200) -> QTextDocument:
    """``html`` laid out in a column ``width`` px wide, in the reading font at 16 px."""
    doc = QTextDocument()
    doc.setDefaultFont(_look(width).font)
    doc.setHtml(html)
    doc.setTextWidth(width)
    doc.documentLayout().documentSize()  # laid out: the fit reads the lines Qt broke
    return doc


def _look(column: float, margin: float = 0.0) -> Look:
    font = QFont("Arial")
    font.setPixelSize(16)
    return Look(column=column, margin=margin, font=font, border=QColor("#777"))


def _lines(doc: QTextDocument, frame: object) -> list[str]:
    """The text of each line of a stacked table's boxes (not of the empty blocks between)."""
    from reader.ui.tables import frame_blocks

    blocks = frame_blocks(doc, frame)  # type: ignore[arg-type]
    return [block.text() for block in blocks if block.blockFormat().intProperty(STACKED) == 1]


@pytest.mark.usefixtures("app")
def test_stacked_rows_are_led_by_their_headings() -> None:
    doc = _document(f"<p>Before.</p>{HEADED}{GRID}{PLAIN}<p>After.</p>")
    tables = ArticleTables(doc)
    assert tables.fit(_look(200)) == (True, True)
    headed, grid, plain = tables.frames()
    assert not any(isinstance(frame, QTextTable) for frame in tables.frames())
    # <thead>: each cell under its column's heading, the heading row itself not repeated.
    assert _lines(doc, headed)[:4] == [
        "Name: characterisation 0",
        "Duty: responsibilities 0",
        "Region: internationally 0",
        "Subject: photosynthesis 0",
    ]
    assert not any(line in ("Name", "Duty") for line in _lines(doc, headed))
    assert len(headed.childFrames()) == 3  # a box per row
    # A grid whose corner is empty: the first row heads the columns, the first cell the row.
    assert _lines(doc, grid) == [
        "Northbound",
        "Morning timetable: characterisation",
        "Evening timetable: responsibilities",
    ]
    # No headings: the cells alone, none taken for a heading.
    assert _lines(doc, plain)[:3] == [
        "internationally",
        "photosynthesis",
        "characterisation",
    ]


@pytest.mark.usefixtures("app")
def test_two_rows_of_headings_lead_each_cell_together() -> None:
    doc = _document(
        "<table><thead><tr><th rowspan='2'>Region</th><th colspan='2'>Population figures</th>"
        "</tr><tr><th>Nineteen-ninety</th><th>Twenty-twenty</th></tr></thead>"
        "<tr><td>Northernmost</td><td>characterisation</td><td>responsibilities</td></tr></table>"
    )
    tables = ArticleTables(doc)
    tables.fit(_look(200))
    assert _lines(doc, tables.frames()[0]) == [
        "Region: Northernmost",
        "Population figures, Nineteen-ninety: characterisation",
        "Population figures, Twenty-twenty: responsibilities",
    ]


@pytest.mark.usefixtures("app")
def test_a_stacked_table_is_a_table_again_as_it_was() -> None:
    doc = _document(f"<p>Before.</p>{HEADED}<p>Between.</p>{PLAIN}<p>After.</p>")
    text, count = doc.toPlainText(), doc.characterCount()
    tables = ArticleTables(doc)
    tables.fit(_look(200))
    assert doc.toPlainText() != text
    assert tables.canonical_count() == count
    # A word in a stacked cell, and text after the tables, are where they were in the table.
    for word in ("photosynthesis 2", "After."):
        shown = doc.find(word).selectionStart()
        canonical = tables.canonical(shown)
        assert text[canonical : canonical + len(word)] == word
        assert tables.shown(canonical) == shown
    doc.setTextWidth(900)
    assert tables.fit(_look(880, margin=10)) == (True, True)  # room: tables again
    assert doc.toPlainText() == text
    assert doc.characterCount() == count
    assert all(isinstance(frame, QTextTable) for frame in tables.frames())
    assert tables.canonical(doc.find("After.").selectionStart()) == text.index("After.")


def _all_tables(doc: QTextDocument) -> list[QTextTable]:
    frames, tables = [doc.rootFrame()], []
    while frames:
        frame = frames.pop()
        tables += [f for f in frame.childFrames() if isinstance(f, QTextTable)]
        frames += frame.childFrames()
    return tables


@pytest.mark.usefixtures("app")
def test_a_table_in_a_cell_is_stacked_in_that_cells_box() -> None:
    doc = _document(f"<p>Before.</p>{NESTED}<p>After.</p>")
    text = doc.toPlainText()
    assert len(_all_tables(doc)) == 3
    tables = ArticleTables(doc)
    tables.fit(_look(160))
    assert _all_tables(doc) == []
    (stacked,) = tables.frames()
    lines = _lines(doc, stacked)
    assert lines[:5] == [
        "Most active developers",  # the title over both columns, a row of its own
        "By changesets",
        "Herbert Responsibilities",
        "63",
        "16.6%",
    ]
    assert "Armin Internationally" in lines
    assert words_broken(doc, stacked) == 0
    shown = doc.find("16.6%").selectionStart()
    assert text[tables.canonical(shown) :].startswith("16.6%")
    doc.setTextWidth(900)
    tables.fit(_look(880, margin=10))
    assert doc.toPlainText() == text
    assert len(_all_tables(doc)) == 3


@pytest.mark.usefixtures("app")
def test_a_table_whose_inner_table_breaks_words_is_stacked() -> None:
    """Its own column fits, but Qt shares the inner table's room out by the long unspaced
    line below and breaks "[Picture]" in the first column: stacked, nothing breaks."""
    inner = (
        "<table><tr><td><b>[Picture]</b></td><td><b>おりがみをつくろう</b></td>"
        "<td>( おりがみくらぶ より)</td><td><b>[Picture]</b></td></tr>"
        f"<tr><td colspan='4'>{'犬の顔の折り紙いぬのかお' * 6}</td></tr></table>"
    )
    doc = _document(f"<p>Before.</p><table><tr><td>{inner}</td></tr></table>", width=250)
    tables = ArticleTables(doc)
    tables.fit(_look(250))
    (shown,) = tables.frames()
    assert not isinstance(shown, QTextTable)
    assert words_broken(doc, shown) == 0
    assert "[Picture]" in _lines(doc, shown)


@pytest.mark.usefixtures("app")
def test_narrower_letters_make_a_stacked_table_a_table_again() -> None:
    """The same size and room, less letter spacing: the columns fit again (a table stacked at
    one size stays stacked at larger ones without being measured, but only in the same face
    and spacing)."""
    doc = _document(f"<p>Before.</p>{HEADED}")
    tables = ArticleTables(doc)
    tables.fit(_look(200))
    spaced = _look(700)
    spaced.font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 4)  # 0.25 em at 16 px
    tables.fit(spaced)
    assert not isinstance(tables.frames()[0], QTextTable)
    tables.fit(_look(700))
    assert isinstance(tables.frames()[0], QTextTable)


@pytest.mark.usefixtures("app")
def test_only_tables_that_break_words_change() -> None:
    small = (
        "<table><tr><th>Year</th><th>Readers</th></tr><tr><td>2025</td><td>Many</td></tr></table>"
    )
    doc = _document(f"<p>Before.</p>{small}")
    tables = ArticleTables(doc)
    assert tables.fit(_look(200)) == (False, False)
    assert isinstance(tables.frames()[0], QTextTable)


def _page(tmp_path: Path) -> Path:
    path = tmp_path / "stacked.html"
    path.write_text(PAGE, encoding="utf-8")
    return path


def _window_on(
    make_window: WindowFactory, qtbot: QtBot, path: Path, size: tuple[int, int]
) -> MainWindow:
    """A window of ``size`` showing ``path``, its tables fitted (right after the paint)."""
    window = make_window()
    window.resize(*size)
    open_file(window, path)
    qtbot.wait(50)
    return window


def _top_text(window: MainWindow) -> str:
    view = window.view
    block = view.document().findBlock(view.shown_position(view.top_position()))
    return block.text()


def test_a_wide_table_is_stacked_at_400_percent_and_the_place_is_kept(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window_on(make_window, qtbot, _page(tmp_path), (1000, 700))
    view, doc = window.view, window.view.document()
    assert all(isinstance(frame, QTextTable) for frame in view.shown_tables())
    canonical_text = doc.toPlainText()
    # A paragraph after the tables at the top, then the text made four times larger.
    view.scroll_to_position(canonical_text.index("Paragraph 3 after"))
    assert _top_text(window).startswith("Paragraph 3 after")
    for _ in range(12):
        window.larger_text()
    assert view.reading.font_size == 400
    assert not any(isinstance(frame, QTextTable) for frame in view.shown_tables())
    assert sum(words_broken(doc, frame) for frame in view.shown_tables()) == 0
    assert not view.horizontalScrollBar().isVisible()
    assert _top_text(window).startswith("Paragraph 3 after")
    # The place saved is in the article's own terms: the same paragraph once they are tables.
    top = view.top_position()
    assert canonical_text[top:].startswith("Paragraph 3 after")
    window.normal_size()
    assert all(isinstance(frame, QTextTable) for frame in view.shown_tables())
    assert doc.toPlainText() == canonical_text
    assert _top_text(window).startswith("Paragraph 3 after")


def test_a_narrow_window_stacks_and_a_wide_one_does_not(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window_on(make_window, qtbot, _page(tmp_path), (1400, 700))
    view = window.view
    assert isinstance(view.shown_tables()[0], QTextTable)
    window.resize(500, 700)
    wait_tables_fitted(qtbot, window)  # fitted once the size has settled
    assert not isinstance(view.shown_tables()[0], QTextTable)
    assert not view.horizontalScrollBar().isVisible()
    window.resize(1400, 700)
    wait_tables_fitted(qtbot, window)
    assert isinstance(view.shown_tables()[0], QTextTable)


@pytest.mark.usefixtures("app")
def test_positions_can_be_asked_while_a_table_is_stacked_or_put_back() -> None:
    """Qt tells the view of the change before the fit returns (a scroll bar shown or hidden
    resizes it, and the view asks for its place): a table Qt has just deleted must not be
    asked where it is (an error there once crashed PySide6)."""
    doc = _document(f"<p>Before.</p>{HEADED}<p>After.</p>")
    tables = ArticleTables(doc)
    asked = []
    doc.contentsChanged.connect(lambda: asked.append(tables.canonical(doc.characterCount() - 1)))
    tables.fit(_look(200))
    doc.setTextWidth(900)
    tables.fit(_look(880, margin=10))
    assert len(asked) >= 2  # asked during each edit, and no error raised (pytest-qt fails on one)
    assert tables.canonical(doc.characterCount() - 1) == doc.characterCount() - 1


def test_a_short_page_is_back_within_the_window_once_its_table_is(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    """A short page: stacked at 400% and scrolled into the stack, then a table again at 100%,
    the page back within the window (its scroll bar gone)."""
    path = tmp_path / "short.html"
    path.write_text(
        f"<html><head><title>Short</title></head><body><article><h1>Short</h1>"
        f"<p>{'A short article with one table of long words. ' * 3}</p>"
        f"<table>{HEADINGS}<tr>{'<td>responsibilities</td>' * 4}</tr></table>"
        "</article></body></html>",
        encoding="utf-8",
    )
    window = _window_on(make_window, qtbot, path, (1000, 900))
    view = window.view
    assert not view.verticalScrollBar().isVisible()
    for _ in range(12):
        window.larger_text()
    assert not isinstance(view.shown_tables()[0], QTextTable)
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)  # inside the stacked table
    qtbot.wait(20)
    window.normal_size()
    qtbot.wait(20)
    assert isinstance(view.shown_tables()[0], QTextTable)
    assert not view.verticalScrollBar().isVisible()


@pytest.mark.usefixtures("app")
def test_lines_wrapping_between_japanese_characters_break_no_word() -> None:
    """Chinese and Japanese are written without spaces and wrap between any two characters:
    only a line that ends inside a word of a spaced script counts as a broken word."""
    doc = QTextDocument()
    doc.setHtml(
        "<table><tr><td>おりがみをつくろうおりがみをつくろう</td></tr></table>"
        "<table><tr><td>characterisation</td></tr></table>"
    )
    doc.setTextWidth(60)
    doc.documentLayout().documentSize()
    japanese, latin = (ArticleTables(doc).frames()[i] for i in (0, 1))
    assert doc.findBlock(japanese.firstPosition()).layout().lineCount() > 1
    assert words_broken(doc, japanese) == 0
    assert words_broken(doc, latin) > 0


def test_the_place_saved_below_a_stacked_table_is_found_at_the_next_start(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    """The place is saved as if every table were a table: the next start lays the article
    out before its tables are fitted (after its first paint), and the place holds through both."""
    page = _page(tmp_path)
    first = _window_on(make_window, qtbot, page, (1000, 700))
    for _ in range(12):
        first.larger_text()
    assert not isinstance(first.view.shown_tables()[0], QTextTable)
    text = first.view.document().toPlainText()
    first.view.scroll_to_position(first.view.canonical_position(text.index("Paragraph 30 after")))
    assert _top_text(first).startswith("Paragraph 30 after")
    first.close()  # saves the place

    second = make_window()  # restarted on the same settings: shown, then the article
    second.resize(1000, 700)
    second.open_initial(str(page))
    qtbot.wait(50)  # painted, then the tables stacked at 400%
    assert second.view.reading.font_size == 400
    assert not isinstance(second.view.shown_tables()[0], QTextTable)
    assert _top_text(second).startswith("Paragraph 30 after")
    second.close()


CELL_TEXT = st.sampled_from(
    ["", "a", "characterisation", "two words", "responsibilities of all", "42", "<b>bold</b>"]
)


@st.composite
def _tables_html(draw: st.DrawFn) -> str:
    """A table of 1-5 columns and 1-5 rows: headings or none, cells spanning rows or
    columns, empty cells, and now and then a table inside a cell."""
    columns = draw(st.integers(1, 5))
    rows = []
    if draw(st.booleans()):
        rows.append("<thead><tr>" + "<th>Heading</th>" * columns + "</tr></thead>")
    for _ in range(draw(st.integers(1, 5))):
        cells = []
        for _ in range(columns):
            text = draw(CELL_TEXT)
            if draw(st.integers(0, 9)) == 0:
                text += (
                    f"<table><tr><td>{draw(CELL_TEXT)}</td><td>internationally</td></tr></table>"
                )
            span = draw(st.sampled_from(["", " colspan='2'", " rowspan='2'"]))
            cells.append(f"<td{span}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


@pytest.mark.usefixtures("app")
# The same examples at every run (CI must not turn red on a new draw). Searched wider by hand
# with derandomize off and thousands of examples (4,000 more passed when this was written).
@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(first=_tables_html(), second=_tables_html())
@example(  # found by CI: Qt breaks this inner table's word at any width
    first="<table><tr><td>two words</td></tr></table>",
    second="<table><tr><td colspan='2'><table><tr><td></td><td>internationally</td></tr>"
    "</table></td></tr></table>",
)
def test_any_table_stacks_and_comes_back_as_it_was(first: str, second: str) -> None:
    """Whatever the tables: stacked, positions map in order both ways, exactly outside the
    stacked tables, and the article's length in canonical terms is its length as tables;
    with room, each is a table again with the text as it was, or (when Qt would break its
    words at any width) stays stacked with its words whole."""
    doc = _document(f"<p>Before.</p>{first}<p>Between.</p>{second}<p>After.</p>", width=120)
    text, count = doc.toPlainText(), doc.characterCount()
    tables = ArticleTables(doc)
    tables.fit(_look(120))
    assert tables.canonical_count() == count
    stacked = [range(s.start, s.start + s.length) for s in tables.slots if s.frame is not None]
    canonicals = [tables.canonical(shown) for shown in range(doc.characterCount())]
    assert canonicals == sorted(canonicals)  # in order
    assert canonicals[0] == 0
    assert canonicals[-1] == count - 1
    showns = [tables.shown(canonical) for canonical in range(count)]
    assert showns == sorted(showns)
    for canonical in range(count):
        if not any(canonical in span for span in stacked):
            assert tables.canonical(tables.shown(canonical)) == canonical
    after = doc.find("After.").selectionStart()
    assert text[tables.canonical(after) :].startswith("After.")
    doc.setTextWidth(4000)
    tables.fit(_look(3900, margin=40))
    assert tables.canonical_count() == count
    still = [frame for frame in tables.frames() if not isinstance(frame, QTextTable)]
    if not still:
        assert doc.toPlainText() == text
    # Else a table Qt lays out breaking words at any width (a cell spanning columns the table
    # does not fill, say): it stays stacked, its words whole.
    assert all(words_broken(doc, frame) == 0 for frame in still)
