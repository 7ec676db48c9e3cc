"""The start-up file still being extracted: the window paints at once and opens the article when
the prefetch answers; an opening the user makes meanwhile wins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core.load import load_path
from reader.core.prefetch import Opened
from reader.ui.main_window import MainWindow

from .conftest import ARTICLE, WindowFactory, settle, simple_extract


class SlowPrefetch:
    """Stands in for reader.core.prefetch.Prefetch: its answer is there once a byte is written
    to its pipe (the real child writes its answer there, as marshal data)."""

    def __init__(self, path: Path) -> None:
        self.path = path.resolve()
        self._read, self._write = os.pipe()
        self.closed = False
        self.taken: list[Path] = []

    def answer(self) -> None:
        os.write(self._write, b"x")
        os.close(self._write)

    def fileno(self) -> int | None:
        return None if self.closed else self._read

    def ready(self) -> bool:
        import select

        return self.closed or bool(select.select([self._read], [], [], 0)[0])

    def take(self, path: Path) -> Opened | None:
        self.taken.append(Path(path))
        self.cancel()
        if Path(path).resolve() != self.path:
            return None
        return Opened(simple_extract(load_path(self.path)))

    def cancel(self) -> None:
        if not self.closed:
            os.close(self._read)  # as the real one does: the window must not watch it after
            self.closed = True


@pytest.fixture
def pending(tmp_path: Path) -> SlowPrefetch:
    page = tmp_path / "slow.html"
    page.write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "picture.png").write_bytes((ARTICLE.parent / "picture.png").read_bytes())
    return SlowPrefetch(page)


def _waiting(make_window: WindowFactory, pending: SlowPrefetch) -> MainWindow:
    """A window started on the pending file, the event loop run once."""
    window = make_window()
    window.ctx.prefetch = pending  # type: ignore[assignment]
    window.open_initial(str(pending.path))
    settle()
    return window


def test_the_window_paints_first_and_opens_the_file_when_it_is_extracted(
    make_window: WindowFactory, qtbot: QtBot, pending: SlowPrefetch
) -> None:
    window = _waiting(make_window, pending)
    assert window.view.toPlainText() == ""  # nothing yet, and the window did not wait
    assert "Opening slow.html" in window.statusBar().currentMessage()
    assert window.view.placeholderText() == "Opening slow.html…"  # in the view too
    assert pending.taken == []
    pending.answer()
    qtbot.waitUntil(lambda: window.view.toPlainText().startswith("A bridge for the mill"))
    assert window.view.placeholderText() == ""
    assert pending.taken == [pending.path]
    assert window.ctx.prefetch is None


def test_an_opening_made_meanwhile_wins_over_the_late_answer(
    make_window: WindowFactory, qtbot: QtBot, pending: SlowPrefetch
) -> None:
    window = _waiting(make_window, pending)
    assert window.open_path(ARTICLE)  # the user opened another file before the answer
    assert pending.closed  # asked for another file: the prefetch was stopped
    pending.answer()
    qtbot.wait(100)
    settle()
    assert window.ctx.settings.last_article == str(ARTICLE.resolve())
    assert pending.taken == [ARTICLE]  # the late answer did not reopen the slow file


def test_a_notice_shown_while_waiting_stays_when_the_article_comes(
    make_window: WindowFactory, qtbot: QtBot, pending: SlowPrefetch
) -> None:
    window = _waiting(make_window, pending)
    window.show_notice("Your settings file was damaged; it was kept aside.")
    pending.answer()
    qtbot.waitUntil(lambda: window.view.toPlainText().startswith("A bridge for the mill"))
    assert window.message_bar.isVisible()
    assert "settings file was damaged" in window.message_bar.label.text()


def test_work_for_after_the_paint_waits_for_the_coming_article(
    make_window: WindowFactory, qtbot: QtBot, pending: SlowPrefetch
) -> None:
    # Run at a paint of the window without the article, that work (the menus, the library)
    # would hold up taking the article when it comes.
    window = _waiting(make_window, pending)
    seen: list[str] = []
    window.after_paint(lambda: seen.append(window.view.toPlainText()))
    window.view.viewport().update()  # the empty window paints again
    qtbot.wait(50)
    settle()
    assert seen == []
    pending.answer()
    qtbot.waitUntil(lambda: bool(seen), timeout=800)  # at its paint, not at PAINT_WAIT_MS
    assert seen[0].startswith("A bridge for the mill")


def test_work_for_after_the_paint_runs_when_the_coming_article_fails(
    make_window: WindowFactory, qtbot: QtBot, pending: SlowPrefetch
) -> None:
    window = _waiting(make_window, pending)
    seen: list[bool] = []
    window.after_paint(lambda: seen.append(True))
    pending.path.write_bytes(b"\x89PNG\r\n\x1a\nnot a page")  # the answer: it cannot be opened
    pending.take = lambda path: None  # type: ignore[method-assign]  # extracted here, failing
    pending.answer()
    qtbot.waitUntil(lambda: bool(seen), timeout=800)
    assert window.message_bar.isVisible()
