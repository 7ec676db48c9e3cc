"""Reading aloud (reader.ui.read_aloud) with Qt's mock speech engine, which speaks nothing but
reports its words as a real engine does."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from reader.core.settings import SPEECH_RATES
from reader.ui import theme
from reader.ui.main_window import MainWindow
from reader.ui.marks import TINT, mix
from reader.ui.read_aloud import ENGINE_VARIABLE, ReadAloud
from tests.ui.conftest import WindowFactory, open_file, settle

SENTENCES = ["The river is calm.", "Dr. Kivi rows across it.", "Then she waves!"]


@pytest.fixture(autouse=True)
def _mock_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_VARIABLE, "mock")


def _article(
    tmp_path: Path, paragraphs: list[str], name: str = "aloud.html", lang: str = ""
) -> Path:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    path = tmp_path / name
    path.write_text(
        f'<html lang="{lang}"><body><article><h1>On the river</h1>{body}</article></body></html>',
        encoding="utf-8",
    )
    return path


def _open(make_window: WindowFactory, article: Path) -> MainWindow:
    """A fresh window showing ``article``."""
    window = make_window()
    open_file(window, article)
    return window


def _reading_until(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path, *, sentences: int, heard: int
) -> tuple[MainWindow, list[str]]:
    """A window reading aloud an article of numbered sentences, once sentence ``heard`` has
    gone to the engine; and the list of what was said (see _heard)."""
    window = _open(
        make_window, _article(tmp_path, [f"Sentence {n} is said." for n in range(sentences)])
    )
    said = _heard(window)
    _press(window)
    qtbot.waitUntil(lambda: f"Sentence {heard} is said." in said, timeout=20_000)
    return window, said


def _press(window: MainWindow) -> None:
    window.toolbar.read_aloud_button.click()


def _heard(window: MainWindow) -> list[str]:
    """Each sentence as it goes to the engine, with the sentence highlighted at that moment."""
    said: list[str] = []

    def record(text: str) -> None:
        marked = window.view.extraSelections()
        assert marked
        assert marked[0].cursor.selectedText() == text
        said.append(text)

    window.read_aloud.sentence_started.connect(record)
    return said


def test_the_article_is_read_a_sentence_at_a_time_from_the_top(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _open(make_window, _article(tmp_path, [" ".join(SENTENCES), "Last words."]))
    said = _heard(window)
    _press(window)
    assert window.read_aloud.reading
    assert window.toolbar.read_aloud_button.isChecked()
    assert window.read_aloud.engine_name == "mock"
    assert "Reading aloud" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not window.read_aloud.reading, timeout=20_000)
    # the title, the header's lines (byline, date and place), then the body's sentences
    assert said[0] == "On the river"
    assert said[-4:] == [*SENTENCES, "Last words."]
    assert window.statusBar().currentMessage() == "Finished reading the article aloud."
    assert not window.toolbar.read_aloud_button.isChecked()
    assert window.view.extraSelections() == []
    said.clear()
    _press(window)  # again after the end: from the top of the view, not the last sentence
    assert said == ["On the river"]
    window.read_aloud.stop()


def test_the_word_being_said_is_highlighted_within_its_sentence(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _open(make_window, _article(tmp_path, SENTENCES))
    _press(window)
    qtbot.waitUntil(lambda: len(window.view.extraSelections()) == 2, timeout=5000)
    sentence, word = window.view.extraSelections()
    assert word.cursor.selectedText()
    assert word.cursor.selectedText() in sentence.cursor.selectedText()
    assert sentence.cursor.selectionStart() <= word.cursor.selectionStart()
    assert word.cursor.selectionEnd() <= sentence.cursor.selectionEnd()
    scheme = theme.schemes()[window.ctx.settings.reading.colour_scheme]
    assert word.format.background().color().name().upper() == scheme.text.upper()
    window.read_aloud.stop()


def test_reading_starts_at_the_paragraph_at_the_top_of_the_view(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window()
    paragraphs = [f"Paragraph {n} is here. It says a little more." for n in range(80)]
    open_file(window, _article(tmp_path, paragraphs))
    view = window.view
    view.scroll_to_position(view.document().find("Paragraph 40 is").selectionStart())
    settle()
    said = _heard(window)
    _press(window)
    assert said == ["Paragraph 40 is here."]
    qtbot.waitUntil(lambda: len(said) == 2, timeout=10_000)
    assert said[1] == "It says a little more."
    window.read_aloud.stop()


def test_the_view_follows_the_reading_until_the_reader_looks_elsewhere(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window = _open(make_window, _article(tmp_path, [f"Line {n} is short." for n in range(120)]))
    view = window.view
    bar = view.verticalScrollBar()
    said = _heard(window)
    _press(window)
    qtbot.waitUntil(lambda: len(said) >= 2, timeout=10_000)
    assert bar.value() == 0  # in view already: no jump
    bar.setValue(bar.maximum())  # the reader scrolls away, to the end
    heard = len(said)
    qtbot.waitUntil(lambda: len(said) > heard + 1, timeout=10_000)
    assert bar.value() == bar.maximum()  # left where they went
    # back to the spoken sentence: followed again, down past the view's bottom
    view.scroll_to_position(view.canonical_position(view.marks("read aloud")[0].cursor.position()))
    settle()
    back = bar.value()
    heard = len(said)
    qtbot.waitUntil(lambda: len(said) > heard + 25, timeout=20_000)  # more than a screenful
    rect = view.cursorRect(view.marks("read aloud")[0].cursor)
    assert 0 <= rect.top() < view.viewport().height()
    assert bar.value() > back  # it scrolled to keep up
    window.read_aloud.stop()


def test_started_again_it_resumes_at_the_sentence_it_stopped_in(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window, said = _reading_until(make_window, qtbot, tmp_path, sentences=80, heard=2)
    _press(window)  # stop in sentence 2
    said.clear()
    _press(window)
    assert said == ["Sentence 2 is said."]
    assert "where it stopped" in window.statusBar().currentMessage()
    _press(window)
    # scrolled away, out of its sight: from the top of the view again
    view = window.view
    view.scroll_to_position(view.document().find("Sentence 60").selectionStart())
    settle()
    said.clear()
    _press(window)
    assert said == ["Sentence 60 is said."]
    window.read_aloud.stop()


def test_stopping_takes_the_highlight_away_and_says_so(window: MainWindow, qtbot: QtBot) -> None:
    _press(window)
    assert window.read_aloud.reading
    qtbot.waitUntil(lambda: bool(window.view.extraSelections()), timeout=5000)
    _press(window)
    assert not window.read_aloud.reading
    assert window.view.extraSelections() == []
    assert not window.toolbar.read_aloud_button.isChecked()
    assert window.statusBar().currentMessage() == "Stopped reading aloud."


def test_the_shortcut_and_the_menu_start_and_stop_it(window: MainWindow, qtbot: QtBot) -> None:
    window.menu_actions  # noqa: B018 (the menus' actions come right after the first paint)
    QTest.keyClick(window, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert window.read_aloud.reading
    assert window.toolbar.read_aloud_button.isChecked()
    (action,) = [a for a in window.view_menu.actions() if a.text().startswith("Read &Aloud")]
    action.trigger()
    assert not window.read_aloud.reading
    assert not window.toolbar.read_aloud_button.isChecked()


def test_opening_another_article_stops_reading(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    _press(window)
    assert window.read_aloud.reading
    open_file(window, _article(tmp_path, SENTENCES, "other.html"))
    assert not window.read_aloud.reading
    assert not window.toolbar.read_aloud_button.isChecked()
    assert window.view.extraSelections() == []


def test_reading_goes_on_from_its_place_when_the_article_is_made_again(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    window, said = _reading_until(make_window, qtbot, tmp_path, sentences=12, heard=1)
    # pictures off: the article is made again from its HTML while "Sentence 1" is spoken
    window.apply_reading(window.ctx.settings.with_reading(images=False).reading)
    assert window.read_aloud.reading
    marked = window.view.marks("read aloud")  # found again at its place, and marked there
    assert marked
    assert marked[0].cursor.selectedText() == said[-1]
    qtbot.waitUntil(lambda: len(said) > said.index("Sentence 1 is said.") + 1, timeout=10_000)
    assert said[said.index("Sentence 1 is said.") + 1] == "Sentence 2 is said."
    window.read_aloud.stop()


def test_without_a_speech_engine_the_reader_says_what_to_install(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENGINE_VARIABLE, "no-such-engine")
    _press(window)
    assert not window.read_aloud.reading
    assert not window.toolbar.read_aloud_button.isChecked()
    assert "install speech-dispatcher" in window.statusBar().currentMessage()


def test_the_mock_engine_is_never_chosen_unasked(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Qt ships a "mock" engine that makes no sound: with it alone, there is no engine. (Only
    the mock is offered here, so that no test starts a real engine, which would speak.)"""
    from PySide6.QtTextToSpeech import QTextToSpeech

    monkeypatch.delenv(ENGINE_VARIABLE)
    monkeypatch.setattr(QTextToSpeech, "availableEngines", staticmethod(lambda: ["mock"]))
    _press(window)
    assert not window.read_aloud.reading
    assert window.read_aloud.engine_name == ""
    assert "install speech-dispatcher" in window.statusBar().currentMessage()


def test_the_speed_is_chosen_in_the_view_menu_saved_and_used(
    window: MainWindow, config_dir: Path
) -> None:
    window.menu_actions  # noqa: B018 (the menus' actions come right after the first paint)
    menu = next(a.menu() for a in window.view_menu.actions() if a.menu() is not None)
    fast = next(a for a in menu.actions() if a.text() == "Fast")
    fast.trigger()
    assert fast.isChecked()
    assert window.ctx.settings.speech_rate == dict(SPEECH_RATES)["Fast"]
    saved = json.loads((config_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved["speech_rate"] == 0.5
    _press(window)
    engine = window.read_aloud._engine
    assert engine is not None
    assert engine.rate() == pytest.approx(0.5)
    window.read_aloud.stop()


@pytest.mark.parametrize("key", list(theme.schemes()))
def test_the_spoken_sentence_keeps_its_text_readable_in_every_scheme(key: object) -> None:
    scheme = theme.schemes()[key]  # type: ignore[index]
    tint = mix(scheme.background, scheme.focus, TINT)
    assert theme.contrast(scheme.text, tint) >= 4.5
    assert theme.contrast(scheme.background, tint) > 1.3  # and it shows


@pytest.mark.parametrize(("lang", "language"), [("fi", "Finnish"), ("en-US", "English"),
                                                ("", "English"), ("xx", "English")])  # fmt: skip
def test_the_voice_speaks_the_articles_language(
    make_window: WindowFactory, tmp_path: Path, lang: str, language: str
) -> None:
    """Qt's mock engine has English, Norwegian and Finnish voices; no language (or one Qt does
    not know) gets the system's, here none, so English."""
    window = _open(make_window, _article(tmp_path, SENTENCES, lang=lang))
    _press(window)
    engine = window.read_aloud._engine
    assert engine is not None
    assert engine.locale().language().name == language
    window.read_aloud.stop()


def test_with_no_article_the_button_comes_back_up(make_window: WindowFactory) -> None:
    window = make_window()  # nothing opened
    _press(window)
    assert not window.read_aloud.reading
    assert not window.toolbar.read_aloud_button.isChecked()
    assert "Open an article first" in window.statusBar().currentMessage()


def test_the_word_is_kept_in_view_in_a_sentence_longer_than_the_view(
    make_window: WindowFactory, qtbot: QtBot, tmp_path: Path
) -> None:
    """At 400% one long sentence runs past the view's bottom: the view follows the word."""
    words = " ".join(f"word{n}" for n in range(220))
    window = _open(make_window, _article(tmp_path, [f"Start {words} end."]))
    for _ in range(12):
        window.larger_text()
    view = window.view
    view.verticalScrollBar().setValue(0)
    settle()
    said = _heard(window)
    _press(window)
    qtbot.waitUntil(lambda: len(said) >= 2, timeout=10_000)  # the title, then the sentence
    height = view.viewport().height()
    seen = []
    for _ in range(30):
        qtbot.wait(100)
        marks = view.extraSelections()
        if len(marks) == 2:
            rect = view.cursorRect(marks[1].cursor)
            seen.append(rect.top() >= 0 and rect.bottom() <= height)
    window.read_aloud.stop()
    assert len(seen) > 10
    assert all(seen)
    assert view.verticalScrollBar().value() > 0  # it had to scroll


def _fake_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seconds: float) -> Path:
    """A speech-dispatcher on the PATH that takes ``seconds`` to start; a file marks it ran."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    ran = tmp_path / "server-ran"
    server = bin_dir / "speech-dispatcher"
    server.write_text(f'#!/bin/sh\ntouch "{ran}"\nsleep {seconds}\n', encoding="utf-8")
    server.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    monkeypatch.delenv(ENGINE_VARIABLE)
    return ran


def test_the_speech_server_starts_without_freezing_the_window(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Qt's speechd engine would start speech-dispatcher itself and wait for it (1-2 s here,
    for good when it hangs); the reader starts it first and keeps answering meanwhile."""
    ran = _fake_server(tmp_path, monkeypatch, 0.6)
    asked: list[bool] = []
    monkeypatch.setattr(ReadAloud, "_ensure_engine", lambda self: asked.append(True))
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(50)
    _press(window)
    assert window.statusBar().currentMessage() == "Starting the speech engine…"
    assert window.toolbar.read_aloud_button.isChecked()
    assert asked == []  # not before the server is there
    qtbot.waitUntil(lambda: asked == [True], timeout=5000)
    timer.stop()
    assert ran.exists()
    assert len(ticks) >= 5  # the window's events ran while the server started
    assert not window.toolbar.read_aloud_button.isChecked()  # no engine here: released


def test_stop_while_the_server_starts_reads_nothing(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_server(tmp_path, monkeypatch, 0.3)
    asked: list[bool] = []
    monkeypatch.setattr(ReadAloud, "_ensure_engine", lambda self: asked.append(True))
    _press(window)
    _press(window)  # Stop, before the server is there
    assert not window.toolbar.read_aloud_button.isChecked()
    qtbot.wait(800)
    assert asked == []
    assert not window.read_aloud.reading


def test_a_server_that_never_comes_up_is_given_up(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_server(tmp_path, monkeypatch, 30)
    monkeypatch.setattr(ReadAloud, "server_timeout_ms", 400)
    asked: list[bool] = []
    monkeypatch.setattr(ReadAloud, "_ensure_engine", lambda self: asked.append(True))
    _press(window)
    qtbot.waitUntil(lambda: "did not start within" in window.statusBar().currentMessage())
    assert asked == []
    assert not window.toolbar.read_aloud_button.isChecked()
