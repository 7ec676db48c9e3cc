"""Letter spacing is left out for an article in a script whose letters join (Arabic here), as
browsers do: spaced, its words fall apart into letters. Word spacing still applies."""

from __future__ import annotations

import dataclasses

from reader.core.article import Article
from reader.core.settings import LetterSpacing, WordSpacing
from reader.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, settle

ARABIC = "وافق مجلس المدينة على خطة تطوير ضفاف النهر بعد نقاش طويل استمر عامين. "
ENGLISH = "The council approved the riverside plan after a debate that lasted two years. "


def _show(window: MainWindow, text: str, lang: str) -> None:
    article = Article(
        title=text[:20], html=f"<p>{text * 6}</p>", text=text * 6, lang=lang, source="/tmp/a"
    )
    window.show_article(article)
    settle()


def test_arabic_gets_no_letter_spacing_and_says_why(make_window: WindowFactory) -> None:
    window = make_window()
    _show(window, ARABIC, "ar")
    reading = window.ctx.settings.reading
    window.apply_reading(
        dataclasses.replace(
            reading, letter_spacing=LetterSpacing.LARGE, word_spacing=WordSpacing.LARGE
        )
    )
    font = window.view.font()
    assert font.letterSpacing() == 0
    assert font.wordSpacing() > 0  # word spacing keeps the words apart, letters joined
    assert "character spacing is left out" in window.statusBar().currentMessage()
    assert window.ctx.settings.reading.letter_spacing is LetterSpacing.LARGE  # the choice stays
    _show(window, ENGLISH, "en")  # the next article, in Latin letters, is spaced
    assert window.view.font().letterSpacing() == 4
    assert not window.view.font().kerning()
    _show(window, ARABIC, "ar")
    assert window.view.font().letterSpacing() == 0
    assert window.view.font().kerning()


def test_opening_an_arabic_article_with_spacing_chosen_says_why_it_is_not_spaced(
    make_window: WindowFactory,
) -> None:
    window = make_window()
    reading = window.ctx.settings.reading
    window.apply_reading(dataclasses.replace(reading, letter_spacing=LetterSpacing.MEDIUM))
    _show(window, ENGLISH, "en")
    assert "character spacing" not in window.statusBar().currentMessage()
    _show(window, ARABIC, "ar")
    assert "character spacing is left out" in window.statusBar().currentMessage()
