"""Window speed and memory beside a floor: a bare QTextBrowser showing the same HTML.

Each start is a fresh process (offscreen, on a 1920x1080 screen, its own empty XDG folders),
timed from just before Popen to the first paint of the article's viewport, which the child
prints as a CLOCK_MONOTONIC stamp (an event filter on the article view's viewport, the same in
both, found by its object name: a first viewport() call costs ~15 ms on each side, which once
pulled the ratio towards 1; the filter still builds QEvent's Python type for the floor, shown by
--phases as "paint hook (bench)"). Ours runs reader.cli.main as the `reader` command does. Peak
memory is the child's ru_maxrss from wait4: the window's process, not the extraction child it
forks at a cold start. Relayout is timed in a child: from a character spacing change (ours: the
toolbar's "Large"/"Standard" button, settings save included; floor: setDefaultFont with letter
spacing) until the last block is laid out. Prints medians; for starts also the median of
ours/floor over the runs made in turn ("paired"), which a machine whose speed drifts during the
bench disturbs less. Within a pair the side that starts first alternates, so neither always
follows the other's exit. Our modules are byte-compiled once first, as an installed program's
are (pip compiles them). Targets from issue 3: start-to-painted <= 1.3x the floor, relayout <=
50 ms at 5,000 words. The "warm" rows start again on a file an earlier child in the same folders
opened (so it is in the library); every other row starts in fresh, empty folders. For the 1 MB
page, "whole article in view" is when the whole of it is in the view: ours paints a long
article's first part, then puts the whole in right after that paint (the floor has the whole at
its first paint).

Before the timed starts, one start of each side fills the children's bytecode cache (the
standard library's modules too), so no timed start also compiles them.
The children live in bench/gui_child.py, which imports nothing the program or the floor would
not import itself: this module's own (subprocess, statistics, json, dataclasses...) were once
loaded in every child before its start, paid by the floor and free for ours (the floor's
count to the sample's paint went from 857M to 794M instructions when they moved out).

`--instructions` prints instead the instructions each side's main thread runs to the sample's
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
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

try:  # run as `python bench/gui.py`, or imported as bench.gui (the tests)
    from gui_child import CALLGRIND_PHASES, CALLGRIND_STOP, PAINTED, WHOLE
except ImportError:
    from bench.gui_child import CALLGRIND_PHASES, CALLGRIND_STOP, PAINTED, WHOLE

ROOT = Path(__file__).resolve().parents[1]
CHILD = Path(__file__).resolve().with_name("gui_child.py")  # the children (see its docstring)
SAMPLE = ROOT / "resources" / "sample" / "article.html"
RELAYOUT_WORDS = 5_000
BIG_BYTES = 1_000_000
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
    env["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen_file(work)}"
    # Byte-compiled once by measure(), as an installed program is: without this a child with
    # PYTHONDONTWRITEBYTECODE set (as here) compiles ~30 of our modules at every start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(home / var.lower())
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    argv = [*prefix, sys.executable, str(CHILD), kind, *args]
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


def _screen_file(work: Path) -> Path:
    """A 1920x1080 screen for the offscreen children (Qt's own is 800x800): the reader fits
    its window to the screen, and the floor's is WINDOW_SIZE whatever the screen; both get
    WINDOW_SIZE on this one."""
    path = work / "screen.json"
    if not path.exists():
        screen = {"name": "bench", "x": 0, "y": 0, "width": 1920, "height": 1080}
        path.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    return path


def _byte_compile(work: Path) -> None:
    """Compile our modules into the children's cache folder (pip does this on install)."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(work / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "compileall", "-q", str(ROOT / "reader"), str(CHILD)]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def _in_turn(run: int) -> tuple[str, str]:
    """The order of the two sides in the ``run``-th pair: ours first, then the floor first, so
    whatever one start leaves behind (writes still being flushed, say) slows each side alike."""
    return ("ours", "floor") if run % 2 == 0 else ("floor", "ours")


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
        for i in range(runs):
            for side in _in_turn(i):
                run = run_child(work, f"start-{side}", str(path))
                figures.add(case, side, run.seconds * 1000)
                if path == big:  # ours shows a long article's first part first
                    figures.add(f"{case}: whole article in view", side, run.whole_seconds * 1000)
                figures.add(f"peak memory, {case}", side, run.max_rss_mb)
    for case, path in starts.items():  # warm: the same file again, kept in the library
        for i in range(runs):
            home = Path(tempfile.mkdtemp(prefix="warm-", dir=work))
            run_child(work, "start-ours", str(path), home=home)  # the first opening keeps it
            for side in _in_turn(i):
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
    """Instructions the child's main thread runs from its start to the article's first
    paint, counted by callgrind (not its other threads, nor the prefetch child)."""
    return sum(count for _, count in _steps(_callgrind_dumps(work, kind, path, {}, home)))


def _callgrind_dumps(
    work: Path, kind: str, path: Path, extra_env: dict[str, str], home: Path | None = None
) -> list[str]:
    """The text of each callgrind dump of the main thread of the child's main process, in
    order."""
    out = Path(tempfile.mkdtemp(prefix="callgrind-", dir=work))
    # One count per thread: the main thread's is the start's critical path; a helper thread
    # (ours sets fontconfig up in one while Python imports Qt) runs on the other core.
    prefix = (
        "valgrind",
        "--tool=callgrind",
        "-q",
        "--separate-threads=yes",
        f"--callgrind-out-file={out}/cg.%p",
    )
    env = {CALLGRIND_STOP: str(_stop_library(work)), **extra_env}
    run_child(work, kind, str(path), home=home, prefix=prefix, extra_env=env)
    by_process: dict[str, list[tuple[int, str]]] = {}
    for dump in out.iterdir():  # cg.PID-TT (the last part), cg.PID.N-TT (the Nth dump)
        name, _, thread = dump.name.removeprefix("cg.").rpartition("-")
        if thread != "01":  # thread 1: the main thread
            continue
        pid, _, part = name.partition(".")
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
    args = parser.parse_args()
    if args.phases:
        with tempfile.TemporaryDirectory(prefix="reader-bench-gui-") as tmp:
            print("Instructions of each step to the first paint of the sample (callgrind).")
            print(phase_table(Path(tmp)))
        return 0
    if args.instructions:
        with tempfile.TemporaryDirectory(prefix="reader-bench-gui-") as tmp:
            print("Instructions to the first paint of the sample (callgrind; main thread).")
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
