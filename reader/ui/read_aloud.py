"""Reading aloud: the article spoken a sentence at a time from the paragraph at the top of the
view, the sentence highlighted (and the word being spoken, when the engine says which), and
kept in view.

Qt's text-to-speech module (PySide6-Addons) and the speech engine load at the first use, never
before the first paint. The engine is the system's (speech-dispatcher on Linux). Qt's "mock"
engine, which makes no sound, is used only when READER_SPEECH_ENGINE names it (the tests).
Where the reader is is kept as a place in the text (ArticleView.place_of), so it survives tables
being stacked and the article being made again (pictures or colours changed while reading).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QTextCursor

from reader.core.speech import preferred_voice, sentences, speakable
from reader.ui import theme
from reader.ui.marks import inverted, mark, selection, tinted

if TYPE_CHECKING:
    from PySide6.QtCore import QProcess
    from PySide6.QtTextToSpeech import QTextToSpeech

    from reader.ui.article_view import ArticleView

ENGINE_VARIABLE = "READER_SPEECH_ENGINE"  # an engine by name (tests: "mock")
SPEECHD_ENGINE = "speechd"
SERVER = "speech-dispatcher"  # its server, started before the engine (see _start_server)
SERVER_TIMEOUT_MS = 10_000
MOCK_ENGINE = "mock"
MARKS = "read aloud"  # its marks over the text (ArticleView.set_marks)


def _named_engine() -> str:
    """The engine named in READER_SPEECH_ENGINE, "" when none is."""
    return os.environ.get(ENGINE_VARIABLE, "").strip()


class ReadAloud(QObject):
    """Speaks the article shown in ``view``; says what it does, or why it cannot, in ``message``."""

    reading_changed = Signal(bool)
    server_timeout_ms = SERVER_TIMEOUT_MS  # speech-dispatcher's server must be up by then
    message = Signal(str)
    sentence_started = Signal(str)  # each sentence as it goes to the engine

    def __init__(self, view: ArticleView, scheme: theme.Scheme, rate: float = 0.0) -> None:
        super().__init__(view)
        self._view = view
        self._rate = rate
        self._engine: QTextToSpeech | None = None
        self._reading = False
        self._speaking = False  # the engine has taken the current sentence
        self._sentence: QTextCursor | None = None  # the sentence being spoken, selected
        self._place: tuple[int, int, str] | None = None  # where the next sentence begins
        self._sentence_place: tuple[int, int, str] | None = None  # where the sentence begins
        self._spoken = speakable("")  # what the engine was given for the sentence
        self._followed: QTextCursor | None = None  # the last word or sentence kept in view
        self._scheme = scheme
        # The article and the place of the sentence read when reading stopped: started again
        # while that sentence is still in view, reading resumes there (one button pauses).
        self._stopped: tuple[object, tuple[int, int, str]] | None = None
        # speech-dispatcher's server being started (see _start_server), and whether Stop was
        # pressed meanwhile.
        self._starting: QProcess | None = None
        self._cancelled = False
        self._server_timer = QTimer(self)
        self._server_timer.setSingleShot(True)
        self._server_timer.timeout.connect(self._server_started)
        view.rendered.connect(self._on_rendered)

    @property
    def reading(self) -> bool:
        """True from start() until stop() or the article's end."""
        return self._reading

    @property
    def engine_name(self) -> str:
        """The speech engine in use ("" before the first start)."""
        return self._engine.engine() if self._engine is not None else ""

    def toggle(self) -> None:
        """Start reading, or stop."""
        if self._reading or (self._starting is not None and not self._cancelled):
            self.stop()
        else:
            self.start()

    def start(self) -> bool:
        """Read from the sentence at the top of the view; False (and a message) when there is
        nothing to read or no speech engine."""
        if self._reading:
            return True
        if self._view.article is None:
            self.message.emit("Open an article first: there is nothing to read aloud.")
            self.reading_changed.emit(False)  # the button pressed to start is released
            return False
        if self._starting is not None:  # the server is on its way: reading begins then
            if self._cancelled:
                self._cancelled = False
                self.reading_changed.emit(True)
            return True
        if self._engine is None and self._start_server():
            self.reading_changed.emit(True)  # pressed while the server starts
            return True
        return self._begin()

    def _begin(self) -> bool:
        engine = self._ensure_engine()
        if engine is None:
            self.reading_changed.emit(False)
            return False
        assert self._view.article is not None
        self._speak_language_of(engine, self._view.article.lang)
        self._reading = True
        self._speaking = False
        self.reading_changed.emit(True)
        self._followed = None  # a new start follows
        stopped_at = self._stopped_in_view()
        where = "where it stopped" if stopped_at is not None else "the top of the view"
        top = self._view.shown_top_position()
        self._speak_from(top if stopped_at is None else stopped_at, containing=True)
        if self._reading:
            self.message.emit(
                f"Reading aloud from {where}. Press Ctrl+Shift+U or the Read aloud button to stop."
            )
        return self._reading

    def stop(self, note: str | None = "Stopped reading aloud.") -> None:
        """Stop speaking and take the highlight away; ``note`` goes to the status bar."""
        if self._starting is not None and not self._cancelled:
            self._cancelled = True  # the server still starts (for the next time), nothing is read
            self.reading_changed.emit(False)
            if note:
                self.message.emit(note)
            return
        if not self._reading:
            return
        self._reading = False
        self._speaking = False
        if self._sentence is not None and self._sentence.hasSelection():
            view = self._view
            start = view.canonical_position(self._sentence.selectionStart())
            self._stopped = (view.article, view.place_of(start))
        self._sentence = None
        self._place = None
        self._view.set_marks(MARKS, [])
        if self._engine is not None:
            self._engine.stop()
        self.reading_changed.emit(False)
        if note:
            self.message.emit(note)

    def set_rate(self, rate: float) -> None:
        """The speed, from -1 (slowest) to 1 (fastest); from the next sentence on."""
        self._rate = rate
        if self._engine is not None:
            self._engine.setRate(rate)

    def set_scheme(self, scheme: theme.Scheme) -> None:
        """Highlight in the colours of ``scheme`` (from the next word on)."""
        self._scheme = scheme

    def _stopped_in_view(self) -> int | None:
        """Where reading stopped (shown position), when that sentence of this article is still
        in view; else None."""
        stopped, self._stopped = self._stopped, None
        view = self._view
        if stopped is None or stopped[0] is not view.article:
            return None
        position = view.shown_position(view.position_of(stopped[1]))
        cursor = QTextCursor(view.document())
        cursor.setPosition(position)
        top = view.cursorRect(cursor).top()
        return position if 0 <= top < view.viewport().height() else None

    # --- the engine ------------------------------------------------------------------------------

    def _start_server(self) -> bool:
        """Start speech-dispatcher's server without waiting for it (True when that began).

        Qt's speechd engine starts the server itself when none runs, and waits for it: the
        window would freeze for a second or two (or for good, when the server hangs). Started
        here first, in a process the window does not wait for, the engine then finds it.
        Not for an engine named in READER_SPEECH_ENGINE, nor when speech-dispatcher is not
        installed (the engine then says what is missing)."""
        import shutil

        from PySide6.QtCore import QProcess

        if _named_engine():
            return False
        program = shutil.which(SERVER)
        if program is None or not self._offers(SPEECHD_ENGINE):
            return False
        process = QProcess(self)
        process.finished.connect(self._server_started)
        process.errorOccurred.connect(lambda _error: self._server_started())
        self._starting, self._cancelled = process, False
        self._server_timer.start(self.server_timeout_ms)
        self.message.emit("Starting the speech engine…")
        process.start(program, ["--spawn"])
        return True

    def _server_started(self) -> None:
        """The server runs (or would not start: the engine then says why); read unless the
        reader pressed Stop meanwhile."""
        process, self._starting = self._starting, None
        self._server_timer.stop()
        if process is None:
            return
        timed_out = process.state() != process.ProcessState.NotRunning
        if timed_out:
            process.kill()
        process.deleteLater()
        if self._cancelled:
            return
        if timed_out:
            self.reading_changed.emit(False)
            self.message.emit(
                f"Reading aloud is not available: the speech server did not start within "
                f"{self.server_timeout_ms // 1000} seconds."
            )
            return
        self._begin()

    @staticmethod
    def _offers(name: str) -> bool:
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return False
        return name in QTextToSpeech.availableEngines()

    def _ensure_engine(self) -> QTextToSpeech | None:
        if self._engine is not None and self._engine.state().name != "Error":
            return self._engine
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            self.message.emit(
                "Reading aloud is not available: Qt's speech module (PySide6-Addons) "
                "is not installed."
            )
            return None
        wanted = _named_engine()
        names = [wanted] if wanted else QTextToSpeech.availableEngines()
        failures: list[str] = []
        for name in names:
            if name == MOCK_ENGINE and not wanted:
                continue  # speaks nothing: only for the tests, when asked for by name
            if name not in QTextToSpeech.availableEngines():
                continue
            self.message.emit("Starting the speech engine…")
            engine = QTextToSpeech(name, self)
            if engine.state() == QTextToSpeech.State.Error:
                failures.append(f"{name}: {engine.errorString() or 'it did not start'}")
                engine.deleteLater()
                continue
            engine.setRate(self._rate)
            engine.stateChanged.connect(self._on_state)
            engine.sayingWord.connect(self._on_word)
            self._engine = engine
            return engine
        install = "install speech-dispatcher (and a voice such as espeak-ng), then try again"
        if failures:
            self.message.emit(
                f"Reading aloud is not available: the speech engine did not start "
                f"({'; '.join(failures)}). If it is missing, {install}."
            )
        else:
            self.message.emit(f"Reading aloud needs a speech engine: {install}.")
        return None

    @staticmethod
    def _speak_language_of(engine: QTextToSpeech, lang: str | None) -> None:
        """A voice for the article's language (``lang``, such as "en-GB"), else for the
        system's, else English: an engine's first voice may be for any language at all
        (speech-dispatcher's, in the "C" locale: Bishnupriya Manipuri)."""
        from PySide6.QtCore import QLocale

        offered = engine.availableLocales()
        wanted = [QLocale((lang or "").replace("-", "_")), QLocale.system(), QLocale("en_US")]
        for locale in wanted:
            if locale.language() == QLocale.Language.C:
                continue  # no language, or one Qt does not know
            same = [o for o in offered if o.language() == locale.language()]
            exact = [o for o in same if o.territory() == locale.territory()]
            if same:
                choice = (exact or same)[0]
                if engine.locale() != choice:
                    engine.setLocale(choice)
                voices = {voice.name(): voice for voice in engine.availableVoices()}
                territory = QLocale.territoryToString(choice.territory())
                name = preferred_voice(list(voices), territory)
                if name is not None and engine.voice().name() != name:
                    engine.setVoice(voices[name])
                return

    def _on_state(self, state: object) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if not self._reading or self._engine is None:
            return
        if state == QTextToSpeech.State.Speaking:
            self._speaking = True
        elif state == QTextToSpeech.State.Error:
            reason = self._engine.errorString() or "the speech engine failed"
            self.stop(f"Reading aloud stopped: {reason}.")
        elif state == QTextToSpeech.State.Ready and self._speaking:
            self._speaking = False
            QTimer.singleShot(0, self._speak_next)  # not from inside the engine's signal

    def _on_word(self, _word: str, _id: int, start: int, length: int) -> None:
        """The engine is saying the word at ``start`` of what it was given: highlight it, and
        keep it in view (a long sentence at 400% runs past the view's bottom)."""
        if self._reading and self._sentence is not None and self._sentence.hasSelection():
            offset = self._sentence.selectionStart()
            begin, end = self._spoken.span(start, length)
            word = selection(self._view.document(), offset + begin, offset + end)
            self._highlight(word)
            self._keep_in_view(word)

    # --- which sentence --------------------------------------------------------------------------

    def _speak_next(self) -> None:
        if not self._reading:
            return
        if self._place is None:
            self._finish()
            return
        view = self._view
        self._speak_from(view.shown_position(view.position_of(self._place)), containing=False)

    def _speak_from(self, position: int, *, containing: bool) -> None:
        """Speak the sentence holding ``position`` (``containing``), else the first that begins
        at or after it; at the article's end, stop."""
        doc = self._view.document()
        block = doc.findBlock(max(0, position))
        while block.isValid():
            text = block.text()
            offset = position - block.position()
            for begin, end in sentences(text):
                if (end > offset) if containing else (begin >= offset):
                    self._say(block.position() + begin, block.position() + end, text[begin:end])
                    return
            block = block.next()
            position = block.position()
        self._finish()

    def _finish(self) -> None:
        """The article's end: started again, reading begins at the top of the view."""
        self.stop("Finished reading the article aloud.")
        self._stopped = None

    def _say(self, begin: int, end: int, text: str) -> None:
        assert self._engine is not None
        view = self._view
        cursor = selection(view.document(), begin, end)
        self._sentence = cursor
        self._sentence_place = view.place_of(view.canonical_position(begin))
        self._place = view.place_of(view.canonical_position(end))
        self._highlight(None)
        self._keep_in_view(cursor)
        self.sentence_started.emit(text)
        self._spoken = speakable(text)
        self._engine.say(self._spoken.text)

    def _on_rendered(self) -> None:
        """The article was made again, or a table stacked: the sentence being spoken is found
        again at its place and marked there (the engine goes on saying it)."""
        if not self._reading or self._sentence_place is None:
            return
        view = self._view
        at = view.shown_position(view.position_of(self._sentence_place))
        block = view.document().findBlock(at)
        offset = at - block.position()
        self._sentence = None
        for begin, end in sentences(block.text()):
            if end > offset:
                start = block.position()
                self._sentence = selection(view.document(), start + begin, start + end)
                break
        if self._sentence is None:
            view.set_marks(MARKS, [])
        else:
            self._highlight(None)

    # --- showing it ------------------------------------------------------------------------------

    def _highlight(self, word: QTextCursor | None) -> None:
        """The sentence tinted, and the word being said (if known) inverted."""
        if self._sentence is None:
            return
        selections = [mark(self._sentence, tinted(self._scheme))]
        if word is not None:
            selections.append(mark(word, inverted(self._scheme)))
        self._view.set_marks(MARKS, selections)

    def _keep_in_view(self, marked: QTextCursor) -> None:
        """Scroll when the newly marked sentence or word is not wholly in view (its first line
        a quarter down), as long as the reader is following: the one marked before it was in
        view. Scrolled elsewhere (or taken to a match by Find), the reader is left there, and
        followed again once the spoken text is back in view."""
        following = self._in_view(self._followed) if self._followed is not None else True
        self._followed = QTextCursor(marked)
        if following and not self._in_view(marked):
            top = self._view.cursorRect(self._edge(marked, start=True)).top()
            bar = self._view.verticalScrollBar()
            bar.setValue(bar.value() + top - self._view.viewport().height() // 4)

    def _in_view(self, marked: QTextCursor) -> bool:
        view = self._view
        top = view.cursorRect(self._edge(marked, start=True)).top()
        bottom = view.cursorRect(self._edge(marked, start=False)).bottom()
        return top >= 0 and bottom <= view.viewport().height()

    @staticmethod
    def _edge(marked: QTextCursor, *, start: bool) -> QTextCursor:
        cursor = QTextCursor(marked)
        cursor.setPosition(marked.selectionStart() if start else marked.selectionEnd())
        return cursor
