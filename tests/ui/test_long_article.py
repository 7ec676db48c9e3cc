"""A long article opened at its top shows a first part for the first paint, then the whole right
after that paint, with the same top; whoever needs the whole document gets it at once."""

from __future__ import annotations

import dataclasses

from pytestqt.qtbot import QtBot

from reader.core import present
from reader.core.article import Article
from reader.core.settings import LetterSpacing
from reader.ui.main_window import MainWindow

from .conftest import WindowFactory, settle

PARAGRAPHS = 3000


def _long_article() -> Article:
    body = "".join(
        f"<p>Paragraph {n}: the river rose through the village all night long.</p>"
        for n in range(PARAGRAPHS)
    )
    article = Article(title="A long night", html=f"<div>{body}</div>", source="/tmp/long.html")
    assert len(present.document_html(article, images=True)) > present.LONG_DOCUMENT_CHARS
    return article


def _paragraphs(window: MainWindow) -> int:
    return window.view.toPlainText().count("Paragraph ")


def test_the_first_part_is_shown_first_and_the_whole_after_the_paint(
    make_window: WindowFactory, qtbot: QtBot
) -> None:
    window = make_window()
    window.show_article(_long_article())
    first = _paragraphs(window)
    assert 0 < first < PARAGRAPHS // 4  # the first part only
    top_block = window.view.document().firstBlock().next().text()
    with qtbot.waitSignal(window.view.painted, timeout=2000):
        window.view.viewport().update()
    settle()
    assert _paragraphs(window) == PARAGRAPHS  # the whole, right after that paint
    assert window.view.document().firstBlock().next().text() == top_block
    assert window.view.top_position() == 0


def test_a_position_deep_in_the_article_gets_the_whole_at_once(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    window.show_article(_long_article())
    window._scroll_to_fraction(0.5)  # as reopening an article where it was left does
    assert _paragraphs(window) == PARAGRAPHS
    shown = window.view.document().findBlock(window.view.top_position()).text()
    assert shown.startswith("Paragraph 15")  # half way through 3000


def test_a_choice_made_before_the_whole_is_shown_applies_to_the_whole(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    window.show_article(_long_article())
    reading = window.ctx.settings.reading
    window.apply_reading(dataclasses.replace(reading, letter_spacing=LetterSpacing.LARGE))
    assert _paragraphs(window) == PARAGRAPHS
    assert window.view.font().letterSpacing() > 0
