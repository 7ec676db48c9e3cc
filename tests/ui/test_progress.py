"""The status bar shows how far the reader is in the article and about how long the rest takes,
following the view; nothing when the whole article is in view."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QLabel

from reader.core.article import Article
from reader.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, settle

SENTENCE = "The lighthouse keeper wrote every evening about the weather and the ships. "


def _article(paragraphs: int) -> Article:
    html = "".join(f"<p>{SENTENCE * 4}</p>" for _ in range(paragraphs))
    text = "\n\n".join(SENTENCE * 4 for _ in range(paragraphs))
    return Article(title="The keeper", html=html, text=text, source="/tmp/keeper.html")


def _progress(window: MainWindow) -> QLabel:
    label = window.statusBar().findChild(QLabel, "readingProgress")
    assert isinstance(label, QLabel)
    return label


def _shown(window: MainWindow, article: Article) -> None:
    window.show_article(article)
    settle()
    window.view.ensure_whole()
    settle()


def test_progress_follows_the_view_to_the_end(make_window: WindowFactory) -> None:
    window = make_window()
    article = _article(60)
    assert article.reading_minutes >= 4
    _shown(window, article)
    label = _progress(window)
    assert label.isVisible()
    assert label.accessibleName() == "Reading progress"
    corner = label.grab().toImage().pixelColor(0, 0).name()  # the bar's colour, not a white box
    assert corner == window.status_bar.grab().toImage().pixelColor(2, 4).name()
    at_top = re.fullmatch(r"(\d+)% read · about (\d+) minutes left", label.text())
    assert at_top is not None, label.text()
    assert int(at_top[1]) < 30
    assert int(at_top[2]) <= article.reading_minutes
    bar = window.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    halfway = re.fullmatch(r"(\d+)% read · about (\d+) minutes? left", label.text())
    assert halfway is not None, label.text()
    assert int(at_top[1]) < int(halfway[1]) < 100
    assert int(halfway[2]) < int(at_top[2])
    bar.setValue(bar.maximum())
    assert label.text() == "End of the article"


def test_no_progress_for_an_article_that_fits_in_the_view(make_window: WindowFactory) -> None:
    window = make_window()
    _shown(window, _article(60))
    assert _progress(window).isVisible()
    _shown(window, _article(1))
    assert window.view.verticalScrollBar().maximum() == 0
    assert not _progress(window).isVisible()


def test_no_progress_for_an_article_without_text(make_window: WindowFactory) -> None:
    """Only a header (an article whose body came out empty): nothing to read, no share."""
    window = make_window()
    window.resize(600, 420)
    _shown(window, _article(60))
    empty = Article(title="The keeper " * 30, html="", text="", source="/tmp/empty.html")
    _shown(window, empty)
    assert empty.reading_minutes == 0
    assert not _progress(window).isVisible()
