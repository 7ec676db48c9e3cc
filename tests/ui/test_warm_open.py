"""A warm start: a file the library kept since its last change is shown without extracting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.article import Article
from reader.core.load import Page
from reader.ui.main_window import MainWindow

from .conftest import ARTICLE, WindowFactory, open_file, settle, simple_extract


@pytest.fixture
def counted(make_window: WindowFactory) -> Iterator[tuple[WindowFactory, list[str]]]:
    """Windows whose extractor records the source of every page it extracts."""
    calls: list[str] = []
    made: list[MainWindow] = []

    def extract(page: Page) -> Article:
        calls.append(str(page.source))
        return simple_extract(page)

    def make() -> MainWindow:
        window = make_window()
        window.ctx.extract = extract
        made.append(window)
        return window

    yield make, calls
    for window in made:
        window.close()
        window.ctx.close()


@pytest.fixture
def page(tmp_path: Path) -> Path:
    """A copy of the fixture article (with its picture) whose file the test may change."""
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "picture.png").write_bytes((ARTICLE.parent / "picture.png").read_bytes())
    target = folder / "bridge.html"
    target.write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    old = target.stat().st_mtime - 60  # written a minute before the library keeps it
    os.utime(target, (old, old))
    return target


def test_second_start_shows_the_kept_copy(
    counted: tuple[WindowFactory, list[str]], page: Path
) -> None:
    make, calls = counted
    first = make()
    first.open_initial(str(page))
    settle()
    assert len(calls) == 1
    kept_id = first.library_id
    assert kept_id is not None
    title = first.view.article.title if first.view.article else None
    first.close()

    second = make()
    second.open_initial(str(page))
    settle()
    assert len(calls) == 1  # not extracted again
    assert second.library_id == kept_id
    assert second.view.article is not None
    assert second.view.article.title == title
    assert "bridge" in second.view.document().toPlainText()
    assert second.ctx.settings.last_article == str(page.resolve())


def test_a_changed_file_is_extracted_again(
    counted: tuple[WindowFactory, list[str]], page: Path
) -> None:
    make, calls = counted
    make().open_initial(str(page))
    settle()
    page.write_text(
        page.read_text(encoding="utf-8").replace("A bridge for", "A ferry for"), encoding="utf-8"
    )
    later = page.stat().st_mtime + 60  # changed after the library kept it
    os.utime(page, (later, later))

    again = make()
    again.open_initial(str(page))
    settle()
    assert len(calls) == 2
    assert "A ferry for" in again.view.document().toPlainText()


def test_opening_from_the_window_still_extracts(
    counted: tuple[WindowFactory, list[str]], page: Path
) -> None:
    make, calls = counted
    window = make()
    open_file(window, page)
    open_file(window, page)  # File > Open, drops and recent files read the file
    assert len(calls) == 2


def test_without_keeping_articles_every_start_extracts(
    counted: tuple[WindowFactory, list[str]], page: Path
) -> None:
    make, calls = counted
    first = make()
    first.open_initial(str(page))  # kept while keeping is on
    settle()
    first.set_keep(False)
    make().open_initial(str(page))
    settle()
    assert len(calls) == 2
