"""Paging through the article from the keyboard: Space and Shift+Space turn pages so that no
line is seen only in halves, and the caret keys, Tab to the links and the Menu key go on from
what is in view, not from where the caret was left before the reader scrolled."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from reader.core.article import Article
from reader.ui.article_view import ArticleView
from reader.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, settle

SENTENCE = "The ferry crossed the grey water slowly while the gulls followed it home. "


def _article() -> Article:
    paragraphs = [
        f'<p>{n}. {SENTENCE * (2 + n % 4)}<a href="https://example.org/{n}">source {n}</a></p>'
        for n in range(40)
    ]
    text = "\n\n".join(f"{n}. {SENTENCE * (2 + n % 4)}" for n in range(40))
    return Article(title="Crossing", html="".join(paragraphs), text=text, source="/tmp/p.html")


def _window(make_window: WindowFactory) -> MainWindow:
    window = make_window()
    window.resize(900, 600)
    window.show_article(_article())
    settle()
    for _ in range(400):  # put in after the first paint (within a second): the view's height moves
        if window.toolbar_area is not None:
            break
        QTest.qWait(5)
    assert window.toolbar_area is not None
    settle()
    window.view.ensure_whole()
    window.view.setFocus()
    return window


def _lines(view: ArticleView) -> list[tuple[float, float]]:
    """Every line of text: its top and the bottom of its letters, in document pixels."""
    doc = view.document()
    layout = doc.documentLayout()
    layout.blockBoundingRect(doc.lastBlock())  # everything laid out
    found = []
    block = doc.begin()
    while block.isValid():
        top = layout.blockBoundingRect(block).top()
        text_layout = block.layout()
        for i in range(text_layout.lineCount()):
            line = text_layout.lineAt(i)
            found.append((top + line.y(), top + line.y() + line.height()))
        block = block.next()
    return found


def _press(view: ArticleView, key: Qt.Key, shift: bool = False) -> None:
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    QTest.keyClick(view, key, modifier)
    QApplication.processEvents()


def _pages(view: ArticleView, *, back: bool) -> list[int]:
    """The tops of the pages Space (Shift+Space with ``back``) shows, to the article's end."""
    bar = view.verticalScrollBar()
    tops = [bar.value()]
    while True:
        _press(view, Qt.Key.Key_Space, shift=back)
        if bar.value() == tops[-1]:
            return tops
        tops.append(bar.value())


def test_space_starts_the_next_page_with_the_line_its_edge_cut(
    make_window: WindowFactory,
) -> None:
    view = _window(make_window).view
    bar = view.verticalScrollBar()
    height = view.viewport().height()
    # A place where the view's bottom edge runs through the middle of a line's letters.
    top, bottom = next(
        (t, b) for t, b in _lines(view) if t > height and b - t > 4 and t + 2 < bar.maximum()
    )
    bar.setValue(round((top + bottom) / 2) - height)
    _press(view, Qt.Key.Key_Space)
    assert bar.value() == int(top)  # that line is now the first, whole


def test_every_line_is_whole_on_some_page_forwards_and_back(make_window: WindowFactory) -> None:
    view = _window(make_window).view
    bar = view.verticalScrollBar()
    height = view.viewport().height()
    bar.setValue(0)
    for back in (False, True):
        tops = _pages(view, back=back)
        assert tops[-1] == (0 if back else bar.maximum())
        for before, after in pairwise(tops[:-1]):  # (the last turn: what was left)
            assert abs(after - before) >= height / 2  # real page turns, never a line or two
        for top, bottom in _lines(view):
            assert any(t <= top and bottom <= t + height for t in tops), (top, bottom, tops)


def test_page_down_after_scrolling_goes_on_from_the_view(make_window: WindowFactory) -> None:
    view = _window(make_window).view
    bar = view.verticalScrollBar()
    cursor = view.textCursor()
    cursor.setPosition(0)
    view.setTextCursor(cursor)
    for _ in range(3):  # Space scrolls without moving the caret
        _press(view, Qt.Key.Key_Space)
    before = bar.value()
    _press(view, Qt.Key.Key_PageDown)
    assert bar.value() > before  # not back to the caret at the article's start
    bar.setValue(bar.value() + 500)  # the scroll bar, the wheel: the caret is left above
    before = bar.value()
    _press(view, Qt.Key.Key_Down)
    assert abs(bar.value() - before) < view.viewport().height() / 4
    caret = view.cursorRect()
    assert 0 <= caret.top() < view.viewport().height()


def test_shift_keeps_the_selection_being_made(make_window: WindowFactory) -> None:
    view = _window(make_window).view
    cursor = view.textCursor()
    cursor.setPosition(3)
    view.setTextCursor(cursor)
    view.verticalScrollBar().setValue(800)
    _press(view, Qt.Key.Key_Down, shift=True)
    assert view.textCursor().anchor() == 3
    assert view.textCursor().hasSelection()


def _middle(view: ArticleView) -> int:
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    return bar.value()


def _link_y(view: ArticleView) -> int:
    """Where the selected link is, in the view's pixels (0: its top)."""
    assert view.textCursor().selectedText().startswith("source ")
    return view.cursorRect().top()


def test_tab_goes_to_the_links_in_view_not_the_first(make_window: WindowFactory) -> None:
    view = _window(make_window).view
    height = view.viewport().height()
    before = _middle(view)
    _press(view, Qt.Key.Key_Tab)
    assert abs(view.verticalScrollBar().value() - before) < height  # not back to the start
    assert 0 <= _link_y(view) < height
    first = view.textCursor().selectedText()
    _press(view, Qt.Key.Key_Tab)
    assert view.textCursor().selectedText() == f"source {int(first.split()[1]) + 1}"
    before = _middle(view)
    _press(view, Qt.Key.Key_Backtab, shift=True)  # back: the last link above the view's bottom
    assert abs(view.verticalScrollBar().value() - before) < height
    assert -height / 2 < _link_y(view) < height


def test_tab_after_a_click_goes_to_the_next_link_after_it(make_window: WindowFactory) -> None:
    view = _window(make_window).view
    _middle(view)
    where = view.document().find("20. The ferry")
    cursor = view.textCursor()
    cursor.setPosition(where.selectionStart())  # a click in paragraph 20, in view or not
    view.setTextCursor(cursor)
    _press(view, Qt.Key.Key_Tab)
    assert view.textCursor().selectedText() == "source 20"


def test_the_menu_key_opens_at_the_view_not_the_article_start(make_window: WindowFactory) -> None:
    view = _window(make_window).view
    before = _middle(view)
    _press(view, Qt.Key.Key_Menu)  # the caret goes into view first: Qt scrolls to the caret
    assert abs(view.verticalScrollBar().value() - before) < view.viewport().height() / 4
    assert 0 <= view.cursorRect().top() < view.viewport().height()
