"""``reader FILE`` from a bare interpreter, as the installed command starts: the file is extracted
by the start-up prefetch (a forked child) and the window shows the same article, or the same
sentence, as extracting in the window's own process would."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.pyrun import start_reader

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "tests" / "fixtures" / "extract" / "structures.html"
NOT_ARTICLE = ROOT / "tests" / "fixtures" / "extract" / "not_article.html"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the prefetch needs os.fork")

# Runs reader.cli.main unchanged; the probe goes in when run_gui prepares its QApplication and
# reports, once the window shows an article or a sentence (30 s at most), what it shows and
# whether the prefetch answered.
DRIVER = """
import json, sys
import reader.app, reader.core.prefetch as prefetch

answers = []
take = prefetch.Prefetch.take
def recording_take(self, path):
    try:
        opened = take(self, path)
    except Exception as exc:
        answers.append("sentence")
        raise
    answers.append("none" if opened is None else "stored" if opened.stored else "article")
    return opened
prefetch.Prefetch.take = recording_take

prepare = reader.app.prepare_application
def prepare_and_probe(app, **options):
    prepare(app, **options)
    import time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMainWindow
    deadline = time.monotonic() + 30
    def report():
        window = next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow))
        bar = window.message_bar
        shown = window.view.toPlainText() or bar.isVisible()
        if not shown and time.monotonic() < deadline:  # the article (or sentence) is not in yet
            QTimer.singleShot(50, report)
            return
        print(json.dumps({"answers": answers, "title": window.windowTitle(),
                          "text": window.view.toPlainText(),
                          "message": bar.label.text() if bar.isVisible() else ""}))
        app.quit()
    QTimer.singleShot(50, report)
"""


def start(path: Path | None, home: Path) -> dict[str, Any]:
    return start_reader(DRIVER, path, home)


def test_the_window_shows_the_prefetched_article(tmp_path: Path) -> None:
    from reader.core.load import load_path
    from reader.core.web import extract_page

    expected = extract_page(load_path(ARTICLE), name=str(ARTICLE))
    first = start(ARTICLE, tmp_path)
    assert first["answers"] == ["article"]
    assert expected.title in first["title"]
    assert "estimate how much water a small river carries" in first["text"]
    # The second start: the child finds the file in the library and sends the stored copy.
    second = start(ARTICLE, tmp_path)
    assert second["answers"] == ["stored"]
    assert second["text"] == first["text"]


def test_reader_alone_gets_the_last_article_ready_in_a_child_too(tmp_path: Path) -> None:
    """``reader`` with nothing to open forks its child in run_gui, not in reader.cli: after
    the settings are read. What run_gui starts besides (the fontconfig thread) must come after
    that fork, or the process is no longer single-threaded and the child is not forked."""
    first = start(ARTICLE, tmp_path)
    again = start(None, tmp_path)
    assert again["answers"] == ["stored"]
    assert again["text"] == first["text"]


def test_a_file_that_is_not_an_article_is_said_in_the_window(tmp_path: Path) -> None:
    shown = start(NOT_ARTICLE, tmp_path)
    assert shown["answers"] == ["sentence"]
    assert str(NOT_ARTICLE) in shown["message"]
    assert shown["text"] == ""


SAMPLE = ROOT / "resources" / "sample" / "article.html"

# First start: once the article is in, scroll it to its middle and quit (the window saves the
# position as it closes). Later start: report the line at the top at the view's first paint.
SCROLL_AND_QUIT = """
import json, sys
import reader.app

prepare = reader.app.prepare_application
def prepare_and_probe(app, **options):
    prepare(app, **options)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMainWindow
    def scroll():
        window = next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow))
        view = window.view
        if not view.toPlainText():
            QTimer.singleShot(50, scroll)
            return
        view.scroll_to_position(view.document().characterCount() // 2)
        print(json.dumps({"top": view.top_position()}))
        app.quit()
    QTimer.singleShot(200, scroll)
"""

TOP_AT_FIRST_PAINT = """
import json, sys
import reader.app

prepare = reader.app.prepare_application
def prepare_and_probe(app, **options):
    prepare(app, **options)
    from PySide6.QtCore import QEvent, QObject, QTimer
    from reader.ui.main_window import MainWindow
    first = []
    class FirstPaint(QObject):
        def __init__(self, window):
            super().__init__()
            self.window = window
        def eventFilter(self, watched, event):
            view = self.window.view
            if not first and event.type() == QEvent.Type.Paint and view.toPlainText():
                first.append({"top": view.top_position(),
                              "value": view.verticalScrollBar().value()})
                QTimer.singleShot(0, report)
            return False
    def report():
        print(json.dumps(first[0]))
        app.quit()
    show = MainWindow.show
    def show_and_probe(window):
        window.first_paint_probe = FirstPaint(window)
        window.view.viewport().installEventFilter(window.first_paint_probe)
        show(window)
    MainWindow.show = show_and_probe
"""


def test_a_restart_shows_the_article_where_it_was_left_at_its_first_paint(
    tmp_path: Path,
) -> None:
    """The window puts the article in before it shows; the saved place must still be the
    first thing painted, not the top."""
    left = start_reader(SCROLL_AND_QUIT, SAMPLE, tmp_path)
    assert left["top"] > 0
    shown = start_reader(TOP_AT_FIRST_PAINT, SAMPLE, tmp_path)
    assert shown["value"] > 0
    assert shown["top"] == left["top"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fontconfig is Linux's")
def test_fontconfig_is_set_up_in_a_thread_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import reader.app

    before = set(threading.enumerate())
    reader.app.warm_font_config()
    started = [t for t in threading.enumerate() if t not in before]
    assert [t.name for t in started] in (["reader-fontconfig"], [])  # [] once it has ended
    for thread in started:
        thread.join(10)
        assert not thread.is_alive()
    assert reader.app.init_font_config() is True  # Qt's own library, set up
    monkeypatch.setattr(reader.app, "FONTCONFIG", "libfontconfig-not-here.so.0")
    assert reader.app.init_font_config() is False  # no fontconfig: nothing to warm, no error
