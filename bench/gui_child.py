"""The children of bench/gui.py: each starts as the program (or the floor) does and prints what
it measured. A module of its own, which imports nothing before the start beyond what each side
needs itself (os, sys, time, and functools, pathlib and typing, which Python's start-up and
PySide6 import anyway): the bench's own modules (subprocess, statistics, json, dataclasses...)
would otherwise be loaded for free for ours and paid by the floor, or the other way round.

    python bench/gui_child.py KIND ARG...   (run by bench/gui.py)
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

WINDOW_SIZE = (1200, 800)  # the reader's default window size, used by the floor too
PAINTED = "PAINTED"
WHOLE = "WHOLE"  # the whole article is in the view (ours shows a long one's first part first)
CALLGRIND_STOP = "READER_BENCH_CALLGRIND_STOP"  # the child calls bench_painted() from this library
CALLGRIND_PHASES = "READER_BENCH_CALLGRIND_PHASES"  # set: the child also marks each step


def _paint_hook(view: Any, on_painted: Callable[[], None]) -> Any:
    """An event filter for ``view``'s viewport that calls ``on_painted`` once, right after its
    first paint with content. Installed on that viewport only: an application-wide Python
    filter makes PySide6 wrap every object that gets an event, which cost the floor ~50 ms
    (and ours more: more widgets) and measured the probe rather than the program."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Hook(QObject):
        done = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                not self.done
                and event.type() == QEvent.Type.Paint
                and not view.document().isEmpty()
            ):
                self.done = True
                QTimer.singleShot(0, on_painted)  # runs once this paint has finished
            return False

    hook = Hook(view)
    _viewport(view).installEventFilter(hook)
    return hook


def _viewport(view: Any) -> Any:
    """``view``'s viewport, found by its object name: the first ``viewport()`` call makes
    PySide6 look for the most derived Python class of the QWidget it returns, which builds
    the Python enums of every QtWidgets class (77 of them, ~15 ms). The program never makes
    that call before its paint; made by this probe, it was a cost added to both sides alike
    (and so a ratio nearer 1 than the programs' own)."""
    from PySide6.QtWidgets import QWidget

    found = view.findChild(QWidget, "qt_scrollarea_viewport")
    return found if found is not None else view.viewport()


def _painted_then_quit(view: Any = None) -> None:
    """Print the paint's stamp, then the stamp of the whole article in the view (at once for
    the floor; for ours once a long article's first part has been replaced by the whole),
    and quit."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    stop = os.environ.get(CALLGRIND_STOP)
    if stop:  # --instructions: the counts end here, the same way on both sides
        import ctypes

        ctypes.CDLL(stop).bench_painted()
    print(f"{PAINTED} {time.monotonic():.6f}", flush=True)

    def whole_then_quit() -> None:
        if view is not None and not view.whole_shown:
            QTimer.singleShot(1, whole_then_quit)
            return
        print(f"{WHOLE} {time.monotonic():.6f}", flush=True)
        QApplication.quit()

    whole_then_quit()


_marker: list[Any] = []  # the loaded stop library, in a --phases child


def _mark(step: str) -> None:
    """--phases: end one step's count here (a callgrind dump named ``step``); else nothing."""
    if not os.environ.get(CALLGRIND_PHASES):
        return
    if not _marker:
        import ctypes

        _marker.append(ctypes.CDLL(os.environ[CALLGRIND_STOP]))
    _marker[0].bench_mark(step.encode())


def _when_imported(name: str, then: Callable[[Any], None]) -> None:
    """Call ``then(module)`` right after module ``name`` is first imported, by whoever. The
    finder is a plain class (sys.meta_path takes any object with find_spec): importlib.abc
    would import importlib.resources (~2 ms), which the program itself does not import."""
    import importlib.util

    class Finder:
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            assert spec is not None
            assert spec.loader is not None
            load = spec.loader.exec_module

            def exec_module(module: Any) -> None:
                load(module)
                then(module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())


def child_start_ours(path: str) -> int:
    """The real entry point (reader.cli.main -> run_gui) on ``path``, from a bare interpreter as
    the ``reader`` command starts, stopped after the paint. The paint hook goes in when run_gui
    shows the window, so nothing of Qt is loaded before run_gui loads it, and reader.app is
    hooked as main imports it (main forks its prefetch child before that import)."""
    _mark("python and the bench started")
    from reader.cli import main

    _when_imported("reader.app", _hook_ours)
    _when_imported("PySide6.QtWidgets", lambda _: _mark("PySide6 imported"))
    _when_imported("reader.ui.main_window", lambda _: _mark("our Qt modules imported"))
    return main([path])


def _hook_ours(app_module: Any) -> None:
    """Put the paint hook on the window run_gui shows (see child_start_ours)."""
    _mark("reader.cli, the fork and reader.app")
    prepare = app_module.prepare_application

    def prepare_and_hook(app: Any, **options: Any) -> None:
        prepare(app, **options)
        _mark("QApplication and its style")
        from reader.ui.main_window import MainWindow  # imported by run_gui already

        show, build = MainWindow.show, MainWindow.__init__

        def build_and_mark(window: Any, *args: Any) -> None:
            build(window, *args)
            _mark("window built")

        def show_and_hook(window: Any) -> None:
            _mark("article set (when it was there before show)")
            _paint_hook(window.view, lambda: _painted_then_quit(window.view))
            _mark("paint hook (bench)")
            show(window)
            _mark("window shown")

        MainWindow.__init__ = build_and_mark  # type: ignore[method-assign]
        MainWindow.show = show_and_hook  # type: ignore[method-assign]

    app_module.prepare_application = prepare_and_hook


def child_start_floor(path: str) -> int:
    """A bare QTextBrowser with the page's HTML, stopped after the first paint."""
    _mark("python and the bench started")
    from PySide6.QtWidgets import QApplication, QTextBrowser

    _mark("PySide6 imported")
    app = QApplication([sys.argv[0]])
    _mark("QApplication and its style")
    browser = QTextBrowser()
    _mark("window built")
    _paint_hook(browser, _painted_then_quit)
    _mark("paint hook (bench)")
    browser.resize(*WINDOW_SIZE)
    # Its pictures beside it, as ours finds them: else the floor shows a broken-image icon.
    browser.setSearchPaths([str(Path(path).parent)])
    browser.setHtml(Path(path).read_text(encoding="utf-8", errors="replace"))
    _mark("article set (when it was there before show)")
    browser.show()
    _mark("window shown")
    return app.exec()


def _laid_out(doc: Any) -> None:
    """Force the layout of the whole document (Qt lays out lazily)."""
    doc.documentLayout().blockBoundingRect(doc.lastBlock())


def _settle(app: Any) -> None:
    for _ in range(5):
        app.processEvents()


def _relayout_seconds(app: Any, doc: Any, change: Callable[[], object]) -> float:
    """Time ``change`` until ``doc``'s last block is laid out, then let the events settle:
    the one measure of a relayout, the same for ours and the floor."""
    start = time.perf_counter()
    change()
    _laid_out(doc)
    seconds = time.perf_counter() - start
    _settle(app)
    return seconds


def child_relayout_ours(path: str, changes: int) -> int:
    """The window on ``path``; each change clicks the next character spacing button."""
    import dataclasses
    import json

    from PySide6.QtWidgets import QApplication

    import reader.ui  # noqa: F401  (PySide6 6.12 None refcount guard, before any Qt call)
    from reader.app import AppContext, prepare_application
    from reader.core.settings import LetterSpacing
    from reader.ui.main_window import MainWindow

    app = QApplication([sys.argv[0]])
    prepare_application(app)
    window = MainWindow(AppContext.load())
    window.resize(*WINDOW_SIZE)
    window.show()
    if not window.open_path(path):
        print(json.dumps({"error": f"{path} did not open"}))
        return 1
    doc = window.view.document()
    _laid_out(doc)
    _settle(app)
    toolbar, view = window.toolbar, window.view
    click: list[float] = []
    view_only: list[float] = []
    for i in range(changes):
        spacing = LetterSpacing.LARGE if i % 2 == 0 else LetterSpacing.STANDARD
        button = toolbar.spacing_buttons[spacing]
        click.append(_relayout_seconds(app, doc, partial(button.setChecked, True)))
    for i in range(changes):
        spacing = LetterSpacing.MEDIUM if i % 2 == 0 else LetterSpacing.STANDARD
        new = dataclasses.replace(view.reading, letter_spacing=spacing)
        view_only.append(_relayout_seconds(app, doc, partial(view.apply_reading, new)))
    print(json.dumps({"click": click, "view": view_only, "words": _words(doc)}))
    return 0


def child_relayout_floor(path: str, changes: int) -> int:
    """A bare QTextBrowser; each change sets the default font with or without letter spacing."""
    import json

    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication, QTextBrowser

    app = QApplication([sys.argv[0]])
    browser = QTextBrowser()
    browser.resize(*WINDOW_SIZE)
    browser.setHtml(Path(path).read_text(encoding="utf-8", errors="replace"))
    browser.show()
    doc = browser.document()
    _laid_out(doc)
    _settle(app)
    timings: list[float] = []
    for i in range(changes):
        font = QFont("Arial")
        font.setPixelSize(16)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 4.0 if i % 2 == 0 else 0.0)
        timings.append(_relayout_seconds(app, doc, partial(doc.setDefaultFont, font)))
    print(json.dumps({"click": timings, "view": timings, "words": _words(doc)}))
    return 0


def _words(doc: Any) -> int:
    return len(doc.toPlainText().split())


CHILDREN: dict[str, Callable[..., int]] = {
    "start-ours": child_start_ours,
    "start-floor": child_start_floor,
    "relayout-ours": child_relayout_ours,
    "relayout-floor": child_relayout_floor,
}


def main(argv: list[str]) -> int:
    """Run the child ``argv[0]`` with its arguments (numbers after the path are ints)."""
    kind, path, *rest = argv
    return CHILDREN[kind](path, *(int(a) for a in rest))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
