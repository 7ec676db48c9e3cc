"""Window speed and memory beside a floor: a bare QTextBrowser showing the same HTML.

Each start is a fresh process (QT_QPA_PLATFORM=offscreen, its own empty XDG folders), timed from
just before Popen to the first paint of the article's viewport, which the child prints as a
CLOCK_MONOTONIC stamp (an event filter on the article view's viewport, the same in both). Ours
runs reader.cli.main as the `reader` command does. Peak memory is the child's ru_maxrss from
wait4: the window's process, not the extraction child it forks at a cold start. Relayout is
timed in a child: from a character spacing change (ours: the toolbar's "Large"/"Standard"
button, settings save included; floor: setDefaultFont with letter spacing) until the last block
is laid out. Prints medians; for starts also the median of ours/floor over the runs made in
turn ("paired"), which a machine whose speed drifts during the bench disturbs less.
Our modules are byte-compiled once first, as an installed program's are (pip compiles them).
Targets from issue 3: start-to-painted <= 1.3x the floor, relayout <= 50 ms at 5,000 words.
The "warm" rows start again on a file an earlier child in the same folders opened (so it is in
the library); every other row starts in fresh, empty folders. For the 1 MB page, "whole article
in view" is when the whole of it is in the view: ours paints a long article's first part, then
puts the whole in right after that paint (the floor has the whole at its first paint).

Before the timed starts, one start of each side fills the children's bytecode cache (the
standard library's modules too), so no timed start also compiles them.

`--instructions` prints instead the instructions each side's main process runs to the sample's
first paint, counted by callgrind and stopped by a client request in the paint hook: the same
figures at every run, however the machine's speed moves (the milliseconds above move by up
to 2x here). It needs valgrind and gcc. `--phases` splits that count at each step of the start
(client requests at the same points of both sides: imports, window, article, show, paint), to
show where ours spends what the floor does not.

    .venv/bin/python bench/gui.py [--runs 7] [--relayout-changes 11]
    .venv/bin/python bench/gui.py --instructions
    .venv/bin/python bench/gui.py --phases
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "sample" / "article.html"
WINDOW_SIZE = (1100, 800)  # the reader's default window size, used by the floor too
RELAYOUT_WORDS = 5_000
BIG_BYTES = 1_000_000
PAINTED = "PAINTED"
WHOLE = "WHOLE"  # the whole article is in the view (ours shows a long one's first part first)
START_RATIO_TARGET = 1.3
RELAYOUT_TARGET_MS = 50.0

VOCABULARY = (
    "reading spacing letters library river village bridge evening quiet summer winter morning "
    "people council children teacher baker stone timber harbour lighthouse choir garden market "
    "history weather season journey window table paper story answer question moment evening "
    "the a of and to in is was for on with as by at from that this it they we you he she"
)
WORDS = VOCABULARY.split()


# --- synthetic articles ----------------------------------------------------------------------


def _paragraph(rng: random.Random, words: int) -> str:
    body = rng.choices(WORDS, k=words)
    if words > 30:  # a link and some emphasis, as real articles have
        body[5] = f'<a href="https://example.org/{body[5]}">{body[5]}</a>'
        body[20] = f"<em>{body[20]}</em>"
    return "<p>" + " ".join(body).capitalize() + ".</p>"


def article_page(*, words: int = 0, size: int = 0, seed: int = 3) -> str:
    """A plausible article page (menu, article, sidebar, footer) of ``words`` words or ``size``
    bytes, whichever is given."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = length = 0
    while (words and count < words) or (size and length < size - 1500):
        if paragraphs and len(paragraphs) % 12 == 0:
            paragraphs.append(f"<h2>Part {len(paragraphs) // 12}: {rng.choice(WORDS)}</h2>")
        n = rng.randint(60, 120) if not words else min(rng.randint(60, 120), words - count)
        paragraphs.append(_paragraph(rng, n))
        count += n
        length += len(paragraphs[-1]) + 1
    body = "\n".join(paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A long look at spacing | Bench Weekly</title>
<meta name="author" content="Bench Writer">
<meta property="article:published_time" content="2026-01-05T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>A long look at spacing</h1><p class="byline">By Bench Writer</p>
{body}
</article>
<aside><h3>Related</h3><ul><li><a href="/a">Another story</a></li></ul></aside>
<footer>Bench Weekly · Contact · Privacy</footer>
</body></html>
"""


# --- children: each prints what it measured --------------------------------------------------


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
    view.viewport().installEventFilter(hook)
    return hook


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


def child_relayout_ours(path: str, changes: int) -> int:
    """The window on ``path``; each change clicks the next character spacing button."""
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
        start = time.perf_counter()
        toolbar.spacing_buttons[spacing].setChecked(True)
        _laid_out(doc)
        click.append(time.perf_counter() - start)
        _settle(app)
    for i in range(changes):
        spacing = LetterSpacing.MEDIUM if i % 2 == 0 else LetterSpacing.STANDARD
        new = dataclasses.replace(view.reading, letter_spacing=spacing)
        start = time.perf_counter()
        view.apply_reading(new)
        _laid_out(doc)
        view_only.append(time.perf_counter() - start)
        _settle(app)
    print(json.dumps({"click": click, "view": view_only, "words": _words(doc)}))
    return 0


def child_relayout_floor(path: str, changes: int) -> int:
    """A bare QTextBrowser; each change sets the default font with or without letter spacing."""
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
        start = time.perf_counter()
        doc.setDefaultFont(font)
        _laid_out(doc)
        timings.append(time.perf_counter() - start)
        _settle(app)
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


# --- the parent: fresh processes, medians, one table -------------------------------------------


@dataclass
class Run:
    """What one child reported, with its peak memory."""

    output: str
    seconds: float  # to the first paint of the article
    max_rss_mb: float
    whole_seconds: float = 0.0  # to the whole article in the view


@dataclass
class Figures:
    """Samples per case and side."""

    values: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)  # words each side shows in relayout

    def add(self, case: str, side: str, value: float) -> None:
        self.values.setdefault((case, side), []).append(value)

    def median(self, case: str, side: str) -> float:
        return statistics.median(self.values[(case, side)])

    def paired_ratio(self, case: str) -> float:
        """Median of ours/floor over the runs made one after the other: a machine whose speed
        drifts during the bench (seen here: the floor from 236 to 394 ms) moves both alike."""
        pairs = zip(self.values[(case, "ours")], self.values[(case, "floor")], strict=True)
        return statistics.median(ours / floor for ours, floor in pairs)


def run_child(
    work: Path,
    kind: str,
    *args: str,
    home: Path | None = None,
    prefix: tuple[str, ...] = (),
    extra_env: dict[str, str] | None = None,
) -> Run:
    """One fresh child process in its own empty user folders (or in ``home``'s, to reuse
    what an earlier child left there: settings and the library); ``prefix``: a command that
    runs it (valgrind)."""
    home = home or Path(tempfile.mkdtemp(prefix="run-", dir=work))
    env = dict(os.environ, **(extra_env or {}))
    env["QT_QPA_PLATFORM"] = "offscreen"
    # Byte-compiled once by measure(), as an installed program is: without this a child with
    # PYTHONDONTWRITEBYTECODE set (as here) compiles ~30 of our modules at every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(home / var.lower())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    argv = [*prefix, sys.executable, str(Path(__file__).resolve()), "--child", kind, *args]
    log = home / "stderr.log"
    with log.open("wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL
        )
        assert proc.stdout is not None
        output = proc.stdout.read().decode()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)  # wait4: the child's own peak memory
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        errors = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"bench child {kind} {args} failed ({proc.returncode}):\n{output}{errors}")

    def stamp(marker: str) -> float:
        lines = [line for line in output.splitlines() if line.startswith(marker + " ")]
        return float(lines[0].split()[1]) - start if lines else 0.0

    return Run(output, stamp(PAINTED), usage.ru_maxrss / 1024, stamp(WHOLE))


def _byte_compile(work: Path) -> None:
    """Compile our modules into the children's cache folder (pip does this on install)."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(work / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "compileall", "-q", str(ROOT / "reader"), str(__file__)]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def measure(runs: int, changes: int, work: Path) -> Figures:
    """Alternate ours and the floor so a busy machine slows both alike."""
    figures = Figures()
    _byte_compile(work)
    big = work / "big-article.html"
    big.write_text(article_page(size=BIG_BYTES), encoding="utf-8")
    medium = work / "5000-words.html"
    medium.write_text(article_page(words=RELAYOUT_WORDS), encoding="utf-8")
    starts = {"start: sample": SAMPLE, f"start: {big.stat().st_size / 1e6:.1f} MB": big}
    for side in ("ours", "floor"):  # not counted: fills the cache with the stdlib's bytecode
        run_child(work, f"start-{side}", str(big))
    for case, path in starts.items():
        for _ in range(runs):
            for side in ("ours", "floor"):
                run = run_child(work, f"start-{side}", str(path))
                figures.add(case, side, run.seconds * 1000)
                if path == big:  # ours shows a long article's first part first
                    figures.add(f"{case}: whole article in view", side, run.whole_seconds * 1000)
                figures.add(f"peak memory, {case}", side, run.max_rss_mb)
    for case, path in starts.items():  # warm: the same file again, kept in the library
        for _ in range(runs):
            home = Path(tempfile.mkdtemp(prefix="warm-", dir=work))
            run_child(work, "start-ours", str(path), home=home)  # the first opening keeps it
            for side in ("ours", "floor"):
                run = run_child(work, f"start-{side}", str(path), home=home)
                figures.add(f"{case}, warm", side, run.seconds * 1000)
                if path == big:
                    whole = run.whole_seconds * 1000
                    figures.add(f"{case}, warm: whole article in view", side, whole)
    for _ in range(max(1, runs // 2)):
        for side in ("ours", "floor"):
            run = run_child(work, f"relayout-{side}", str(medium), str(changes))
            data = json.loads(run.output.splitlines()[-1])
            for value in data["click"]:
                figures.add(f"relayout {RELAYOUT_WORDS} words: spacing button", side, value * 1000)
            for value in data["view"]:
                figures.add(f"relayout {RELAYOUT_WORDS} words: view only", side, value * 1000)
            figures.words[side] = data["words"]
            figures.add("peak memory, relayout", side, run.max_rss_mb)
    return figures


# --- instructions: a count that does not drift with the machine ------------------------------

CALLGRIND_STOP = "READER_BENCH_CALLGRIND_STOP"  # the child calls bench_painted() from this library
CALLGRIND_PHASES = "READER_BENCH_CALLGRIND_PHASES"  # set: the child also marks each step
_STOP_SOURCE = """#include <valgrind/callgrind.h>
void bench_painted(void) { CALLGRIND_DUMP_STATS_AT("painted"); CALLGRIND_STOP_INSTRUMENTATION; }
void bench_mark(const char *step) { CALLGRIND_DUMP_STATS_AT(step); }
"""


def _stop_library(work: Path) -> Path:
    """A one-function library whose call ends callgrind's count (a client request)."""
    missing = [tool for tool in ("valgrind", "gcc") if shutil.which(tool) is None]
    if missing:
        needed = " and ".join(missing)
        raise SystemExit(f"--instructions needs {needed} (apt install valgrind gcc).")
    source, library = work / "stop.c", work / "libstop.so"
    source.write_text(_STOP_SOURCE, encoding="utf-8")
    built = subprocess.run(
        ["gcc", "-O1", "-shared", "-fPIC", "-o", str(library), str(source)],
        check=False,
        capture_output=True,
        text=True,
    )
    if built.returncode != 0:
        raise SystemExit(f"--instructions could not build its helper: {built.stderr.strip()}")
    return library


def instructions_to_paint(work: Path, kind: str, path: Path, home: Path | None = None) -> int:
    """Instructions the child's main process runs from its start to the article's first
    paint, counted by callgrind (threads included, the prefetch child not)."""
    return sum(count for _, count in _steps(_callgrind_dumps(work, kind, path, {}, home)))


def _callgrind_dumps(
    work: Path, kind: str, path: Path, extra_env: dict[str, str], home: Path | None = None
) -> list[str]:
    """The text of each callgrind dump the child's main process wrote, in order."""
    out = Path(tempfile.mkdtemp(prefix="callgrind-", dir=work))
    prefix = ("valgrind", "--tool=callgrind", "-q", f"--callgrind-out-file={out}/cg.%p")
    env = {CALLGRIND_STOP: str(_stop_library(work)), **extra_env}
    run_child(work, kind, str(path), home=home, prefix=prefix, extra_env=env)
    by_process: dict[str, list[tuple[int, str]]] = {}
    for dump in out.iterdir():  # cg.PID (the last part) and cg.PID.N (the Nth dump)
        pid, _, part = dump.name.removeprefix("cg.").partition(".")
        by_process.setdefault(pid, []).append(
            (int(part or 1 << 30), dump.read_text("utf-8", "replace"))
        )
    for dumps in by_process.values():
        texts = [text for _, text in sorted(dumps)]
        if any("Client Request: painted" in text for text in texts):
            return texts
    raise SystemExit(f"callgrind left no count at the paint for {kind} on {path}")


def _steps(texts: list[str]) -> list[tuple[str, int]]:
    """(step, instructions) for each dump up to the paint: each dump counts since the last."""
    steps: list[tuple[str, int]] = []
    for text in texts:
        step = count = None
        for line in text.splitlines():
            if line.startswith("desc: Trigger: Client Request: "):
                step = line.removeprefix("desc: Trigger: Client Request: ")
            elif line.startswith("totals:"):
                count = int(line.split()[1])
        if step is not None and count is not None:
            steps.append((step, count))
            if step == "painted":
                break
    return steps


def phase_table(work: Path) -> str:
    """Instructions of each step to the sample's first paint, ours beside the floor's."""
    _byte_compile(work)
    marks = {CALLGRIND_PHASES: "1", CALLGRIND_STOP: str(_stop_library(work))}
    # A first start fills the children's bytecode cache (ctypes too, which _mark imports):
    # else the first counted side would also count compiling those modules.
    run_child(work, "start-ours", str(SAMPLE), extra_env=marks)
    sides = {
        side: dict(_steps(_callgrind_dumps(work, f"start-{side}", SAMPLE, marks)))
        for side in ("ours", "floor")
    }
    order = [step for step in sides["ours"] if step != "painted"]
    order += [s for s in sides["floor"] if s not in order and s != "painted"] + ["painted"]
    lines = [f"{'step (instructions since the one before)':46} |    ours  |   floor", "-" * 68]
    for step in order:
        ours, floor = (sides[side].get(step) for side in ("ours", "floor"))
        cells = [f"{n / 1e6:6.1f}M" if n is not None else "      -" for n in (ours, floor)]
        label = "first paint" if step == "painted" else step
        lines.append(f"{label:46} | {cells[0]:>8} | {cells[1]:>7}")
    totals = [sum(sides[side].values()) / 1e6 for side in ("ours", "floor")]
    lines.append(f"{'total':46} | {totals[0]:7.1f}M | {totals[1]:6.1f}M")
    return "\n".join(lines)


def instruction_table(work: Path) -> str:
    """Ours (cold, warm) and the floor on the sample: instructions to the first paint."""
    _byte_compile(work)
    home = Path(tempfile.mkdtemp(prefix="warm-", dir=work))
    # The first opening keeps it in the library, and fills the children's bytecode cache with
    # ctypes too (the paint's stop imports it): else the first side counted also counts
    # compiling it (~25M).
    stop = {CALLGRIND_STOP: str(_stop_library(work))}
    run_child(work, "start-ours", str(SAMPLE), home=home, extra_env=stop)
    floor = instructions_to_paint(work, "start-floor", SAMPLE)
    rows = [
        ("start: sample", instructions_to_paint(work, "start-ours", SAMPLE)),
        ("start: sample, warm", instructions_to_paint(work, "start-ours", SAMPLE, home)),
    ]
    lines = ["case                | ours     | floor    | ratio", "-" * 48]
    for case, ours in rows:
        counts = f"{ours / 1e6:6.0f}M  | {floor / 1e6:6.0f}M"
        lines.append(f"{case:19} | {counts}  | {ours / floor:.2f}x")
    return "\n".join(lines)


def table(figures: Figures) -> str:
    """case | ours | floor | ratio | paired | target: medians, and for starts the median ratio
    of the runs made in turn; a start meets its target only when both ratios do."""
    rows = [("case", "ours", "floor", "ratio", "paired", "target")]
    for case, side in figures.values:
        if side != "ours":
            continue
        ours, floor = figures.median(case, "ours"), figures.median(case, "floor")
        unit = "MB" if case.startswith("peak") else "ms"
        paired = "-"
        if case.startswith("start"):
            in_turn = figures.paired_ratio(case)
            paired = f"{in_turn:.2f}x"
            if case.endswith("in view"):  # for information: the target is the first paint
                target, verdict = "-", ""
            else:
                target = f"<= {START_RATIO_TARGET}x floor"
                worst = max(ours / floor, in_turn)
                verdict = "met" if worst <= START_RATIO_TARGET else "MISSED"
        elif case.endswith("spacing button"):
            target = f"<= {RELAYOUT_TARGET_MS:g} ms"
            verdict = "met" if ours <= RELAYOUT_TARGET_MS else "MISSED"
        else:
            target, verdict = "-", ""
        rows.append(
            (
                case,
                f"{ours:.1f} {unit}",
                f"{floor:.1f} {unit}",
                f"{ours / floor:.2f}x",
                paired,
                f"{target} {verdict}".strip(),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    lines = [
        " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    """Run the children and print the table, or be a child."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per start case")
    parser.add_argument("--relayout-changes", type=int, default=11, help="changes per child")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instead: callgrind's instruction counts to the sample's first paint (repeatable "
        "whatever the machine's speed; a run takes about a minute)",
    )
    parser.add_argument(
        "--phases",
        action="store_true",
        help="instead: the same count split at each step of the start (Python and the bench, "
        "imports, window, article, show, paint), ours beside the floor",
    )
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("child_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        extra = [int(a) for a in args.child_args[1:]]
        return CHILDREN[args.child](args.child_args[0], *extra)
    if args.phases:
        with tempfile.TemporaryDirectory(prefix="reader-bench-gui-") as tmp:
            print("Instructions of each step to the first paint of the sample (callgrind).")
            print(phase_table(Path(tmp)))
        return 0
    if args.instructions:
        with tempfile.TemporaryDirectory(prefix="reader-bench-gui-") as tmp:
            print("Instructions to the first paint of the sample (callgrind; main process).")
            print(instruction_table(Path(tmp)))
        return 0
    with tempfile.TemporaryDirectory(prefix="reader-bench-gui-") as tmp:
        figures = measure(args.runs, args.relayout_changes, Path(tmp))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    words = ", ".join(f"{side} {n}" for side, n in figures.words.items())
    print(f"Medians; {args.runs} fresh processes per start case; offscreen; load average {load}.")
    print(f"Relayout: {args.relayout_changes} changes per process; words shown: {words}.")
    print(table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
