"""A long article opened at its top shows a first part for the first paint, then the whole right
after that paint, with the same top; whoever needs the whole document gets it at once. A long
article still on its way from the prefetch (its first part sent first) does the same, and the
library keeps the whole, never the first part."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.app import AppContext
from reader.core import present
from reader.core.article import Article
from reader.core.prefetch import Opened
from reader.core.settings import LetterSpacing, SettingsStore
from reader.ui.main_window import MainWindow

from .conftest import WindowFactory, open_file, settle, simple_extract

PARAGRAPHS = 3000
LONGER = 12_000  # long enough for Qt to lay it out in steps (the bench's 1 MB page is 16,000)


def _sentence(n: int) -> str:
    return f"Paragraph {n}: the river rose through the village all night long."


def _long_article(source: str = "/tmp/long.html") -> Article:
    body = "".join(f"<p>{_sentence(n)}</p>" for n in range(PARAGRAPHS))
    text = "\n\n".join(_sentence(n) for n in range(PARAGRAPHS))
    article = Article(title="A long night", html=f"<div>{body}</div>", text=text, source=source)
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


FIRST = 40  # paragraphs in the first part the prefetch sends


class PreviewPrefetch:
    """Stands in for reader.core.prefetch.Prefetch on a long article: its answer is there, and
    is the article's first part (as Located.preview makes it), with ``whole`` for the rest."""

    def __init__(
        self, path: Path, whole: Callable[[], Article | None], position: float = 0.0
    ) -> None:
        self.path = path.resolve()
        self.whole = whole
        self.position = position  # where the library says it was last read
        full = _long_article(str(self.path))
        body = "".join(f"<p>{_sentence(n)}</p>" for n in range(FIRST))
        self.part = dataclasses.replace(full, html=f"<div>{body}</div>", text="")

    def fileno(self) -> int | None:
        return None  # answered already: the window opens the file at once

    def ready(self) -> bool:
        return True

    def take(self, path: Path) -> Opened | None:
        if Path(path).resolve() != self.path:
            return None
        return Opened(self.part, 1 if self.position else None, self.position, whole=self.whole)

    def cancel(self) -> None:
        """Nothing to stop: no child process stands behind this stand-in."""


def _kept_html(window: MainWindow) -> list[str]:
    library = window.ctx.open_library()
    assert library is not None
    return [library.get(summary.id).article.html for summary in library.list()]


def test_a_long_article_on_its_way_shows_its_first_part_then_keeps_and_shows_the_whole(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    page = tmp_path / "long.html"
    page.write_text("<p>stands for the page the prefetch child extracted</p>", encoding="utf-8")
    whole = _long_article(str(page.resolve()))
    asked: list[int] = []

    def rest() -> Article:
        asked.append(1)
        return whole

    window = make_window()
    window.ctx.prefetch = PreviewPrefetch(page, rest)  # type: ignore[assignment]
    window.open_initial(str(page))
    assert _paragraphs(window) == FIRST  # shown without waiting for the whole
    assert asked == []
    minutes = present.reading_time(whole.reading_minutes)
    assert minutes is not None
    assert minutes in window.view.toPlainText()  # the whole's reading time from the start
    with qtbot.waitSignal(window.view.painted, timeout=2000):
        window.view.viewport().update()
    settle()
    assert asked == [1]  # asked once, by the view and the library alike
    assert _paragraphs(window) == PARAGRAPHS
    assert window.view.top_position() == 0
    assert _kept_html(window) == [whole.html]  # the whole is kept, not the first part
    assert window._current is not None
    assert window._current[0] is whole  # what Ctrl+S saves


def test_a_long_article_on_its_way_read_before_opens_whole_at_its_place(
    make_window: WindowFactory, tmp_path: Path
) -> None:
    page = tmp_path / "long.html"
    page.write_text("<p>stands for the page the prefetch child extracted</p>", encoding="utf-8")
    whole = _long_article(str(page.resolve()))
    window = make_window()
    window.ctx.prefetch = PreviewPrefetch(page, lambda: whole, 0.5)  # type: ignore[assignment]
    window.open_initial(str(page))
    assert _paragraphs(window) == PARAGRAPHS  # the place is in the whole: no first part shown
    shown = window.view.document().findBlock(window.view.top_position()).text()
    assert shown.startswith("Paragraph 15")  # half way through 3000
    assert window._current is not None
    assert window._current[0] is whole  # what Ctrl+S saves


def test_a_long_article_whose_whole_cannot_be_had_stays_its_first_part_and_is_not_kept(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    page = tmp_path / "long.html"  # the window extracts it itself when the child gives no whole
    page.write_text("<html><body><p>No article here.</p></body></html>", encoding="utf-8")
    window = make_window()
    window.ctx.prefetch = PreviewPrefetch(page, lambda: None)  # type: ignore[assignment]
    window.open_initial(str(page))
    with qtbot.waitSignal(window.view.painted, timeout=2000):
        window.view.viewport().update()
    settle()
    assert _paragraphs(window) == FIRST
    assert "does not look like an article" in window.statusBar().currentMessage()
    assert _kept_html(window) == []


def test_a_long_article_reopened_at_start_opens_deep_where_it_was_left(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, config_dir: Path
) -> None:
    """As the program starts: the article goes in before the window shows. Qt gives the
    scroll bar a long article's height from a timer after the layout; the place must not be
    cut to the height known before (it opened near the top)."""
    page = tmp_path / "long.html"
    body = "".join(f"<p>{_sentence(n)}</p>" for n in range(LONGER))
    page.write_text(f"<html><body><article><h1>A long night</h1>{body}</article></body></html>")
    first = make_window()
    open_file(first, page)
    deep = f"Paragraph {LONGER - 50}:"
    first.view.scroll_to_position(first.view.document().find(deep).position())
    first.close()

    second = MainWindow(AppContext.load(SettingsStore(config_dir), extract=simple_extract))
    qtbot.addWidget(second)
    second.resize(1000, 760)
    second.open_initial(str(page))  # hidden: placed when it shows
    second.show()
    qtbot.waitExposed(second)
    settle()
    top = second.view.document().findBlock(second.view.top_position()).text()
    assert top.startswith(deep)
    second.close()
