"""Pictures wider than the column are fitted to it: after a change of the reading font (no text
is lost with them), and after the article is made again (a colour scheme, pictures off and on)."""

from __future__ import annotations

import base64
import dataclasses

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from reader.core.article import Article
from reader.core.settings import ColourScheme, LetterSpacing
from reader.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, settle

PARAGRAPHS = 80
SENTENCE = "the tide came in over the flats as the birds rose and the light grew slowly"


def _wide_picture() -> str:
    """A data: URL of an 800 x 300 PNG: wider than the column of any window below."""
    image = QImage(800, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("teal"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(bytes(data.data())).decode()


def _article() -> Article:
    picture = _wide_picture()
    sentence = " ".join([SENTENCE] * 4)  # 60 words: several lines each
    parts = []
    for n in range(PARAGRAPHS):
        parts.append(f"<p>Paragraph {n}: {sentence}.</p>")
        if n % 10 == 5:
            parts.append(f'<figure><img src="{picture}" alt="The flats" width="800" height="300">')
            parts.append(f"<figcaption>Figure {n}</figcaption></figure>")
    text = "\n\n".join(f"Paragraph {n}: {sentence}." for n in range(PARAGRAPHS))
    return Article(title="Tides", html="".join(parts), text=text, source="/tmp/tides.html")


def _opened(make_window: WindowFactory, width: int) -> MainWindow:
    window = make_window()
    window.resize(width, 800)
    window.show_article(_article())
    settle()
    window.view.ensure_whole()
    settle()
    return window


def _blocks_without_height(window: MainWindow) -> list[str]:
    doc = window.view.document()
    layout = doc.documentLayout()
    layout.blockBoundingRect(doc.lastBlock())
    empty = []
    block = doc.begin()
    while block.isValid():
        if block.text().strip() and layout.blockBoundingRect(block).height() < 1:
            empty.append(block.text()[:14])
        block = block.next()
    return empty


def _top_text(window: MainWindow) -> str:
    view = window.view
    return view.document().findBlock(view.shown_top_position()).text()[:13]


def _overhang(window: MainWindow) -> float:
    view = window.view
    return view.document().documentLayout().documentSize().width() - view.viewport().width()


@pytest.mark.parametrize(
    "change", [{"font_size": 300}, {"letter_spacing": LetterSpacing.LARGE}], ids=["size", "spacing"]
)
def test_a_font_change_keeps_every_paragraph_and_the_place(
    make_window: WindowFactory, change: dict[str, object]
) -> None:
    window = _opened(make_window, 900)
    view = window.view
    view.scroll_to_position(view.document().find("Paragraph 41:").selectionStart())
    assert _top_text(window) == "Paragraph 41:"
    assert _blocks_without_height(window) == []
    window.apply_reading(dataclasses.replace(window.ctx.settings.reading, **change))
    settle()
    assert _blocks_without_height(window) == []  # before: dozens, never painted
    assert _top_text(window) == "Paragraph 41:"
    assert _overhang(window) <= 0.5


def test_pictures_are_fitted_again_when_the_article_is_made_again(
    make_window: WindowFactory,
) -> None:
    window = _opened(make_window, 600)
    assert _overhang(window) <= 0.5
    reading = window.ctx.settings.reading
    window.apply_reading(dataclasses.replace(reading, colour_scheme=ColourScheme.WHITE_ON_BLACK))
    settle()
    assert _overhang(window) <= 0.5
    assert not window.view.horizontalScrollBar().isVisible()
    window.toolbar.images_button.click()
    settle()
    window.toolbar.images_button.click()
    settle()
    assert window.ctx.settings.reading.images
    assert _overhang(window) <= 0.5
    assert not window.view.horizontalScrollBar().isVisible()
