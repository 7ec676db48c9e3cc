"""Reflow: how many articles make the reader scroll sideways, beside a bare QTextBrowser.

Issue 3 asks for text "up to 400% of the default, reflowing with no horizontal scrolling". For
each page of a corpus folder (``<name>/source.html``) this opens the article in the reader's
window (offscreen, default settings, empty user folders) and, as the floor, the page's HTML in
a bare QTextBrowser with the same pixel size, in a window 1100 px and 640 px wide at 100% and
400%, and counts the pages on which a horizontal scroll bar shows. Ours are named, with what
is wider than the view: a table (WCAG 1.4.10 lets a data table scroll), or anything else.
It also counts, for ours, the words broken in two inside table cells (a line of a cell that
ends between two letters: "Insta ll mo ds"), and the articles with any.

    .venv/bin/python bench/reflow.py ../shared/corpus/readability [--limit N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

WIDTHS = (1100, 640)  # a laptop-wide window, and half a 1280 px screen
SIZES = (100, 400)  # percent of the default 16 px
HEIGHT = 800


def _settle(app: Any, ms: int = 120) -> None:
    """Run events for ``ms``: Qt finishes a long layout from timers."""
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def _sideways(view: Any) -> bool:
    bar = view.horizontalScrollBar()
    return bool(bar.isVisible() and bar.maximum() > 0)


def _wider_part(view: Any) -> str:
    """ "table" when a table is wider than the article's column, else "text"."""
    from PySide6.QtGui import QTextTable

    doc = view.document()
    layout = doc.documentLayout()
    column = view.content_width()
    for frame in doc.rootFrame().childFrames():
        if isinstance(frame, QTextTable) and layout.frameBoundingRect(frame).width() > column:
            return "table"
    return "text"


def _broken_in_tables(view: Any) -> int:
    """Words broken in two inside the article's tables, as the view lays them out."""
    from reader.ui.tables import words_broken

    doc = view.document()
    doc.documentLayout().documentSize()  # laid out
    return sum(words_broken(doc, frame) for frame in view.shown_tables())


def measure(
    pages: list[Path], sizes: tuple[int, ...] = SIZES
) -> tuple[dict[tuple[int, int], dict[str, list[str]]], int]:
    """{(width, percent): {"ours": [page (what), ...], "floor": [page, ...], "broken": [page
    (words), ...]}} at each text size of ``sizes``: the pages that scroll sideways on each
    side, and ours with words broken inside a table; and the number of pages the reader
    opened as articles (the others are left out). Sets the XDG folders to an empty one of its
    own."""
    home = Path(tempfile.mkdtemp(prefix="reflow-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[var] = str(home / var.lower())
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication, QTextBrowser

    from reader.app import AppContext, prepare_application
    from reader.core.settings import pixel_size_for
    from reader.ui import fonts
    from reader.ui.main_window import MainWindow

    # The floor parses whole raw pages: Qt warns of every picture file it cannot open and
    # every colour it does not know, hundreds of lines around the table.
    qInstallMessageHandler(lambda *_: None)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    prepare_application(app)
    ctx = AppContext.load()
    ctx.settings = dataclasses.replace(ctx.settings, keep_opened_articles=False)
    window = MainWindow(ctx)
    window.show()
    floor = QTextBrowser()
    floor.show()
    found: dict[tuple[int, int], dict[str, list[str]]] = {
        (w, s): {"ours": [], "floor": [], "broken": []} for w in WIDTHS for s in sizes
    }
    opened = 0
    for page in pages:
        name = page.parent.name
        window.resize(WIDTHS[0], HEIGHT)
        window.normal_size()
        if not window.open_path(page):
            continue
        _settle(app)
        if window.view.article is None:
            continue
        opened += 1
        window.view.ensure_whole()
        floor.setHtml(page.read_text(encoding="utf-8", errors="replace"))
        for size in sizes:
            window.normal_size()
            while window.view.reading.font_size < size:
                window.larger_text()
            floor.setFont(fonts.base_font(window.view.reading.font, pixel_size_for(size)))
            for width in WIDTHS:
                window.resize(width, HEIGHT)
                floor.resize(width, HEIGHT)
                _settle(app)
                # What the reader shows once the size has settled: its tables are fitted
                # again a moment after the last resize (which itself lays out a long article
                # again for tens of ms, more on a busy machine).
                waited = 0
                while window.view.tables_pending and waited < 3000:
                    _settle(app, 20)
                    waited += 20
                if _sideways(window.view):
                    found[width, size]["ours"].append(f"{name} ({_wider_part(window.view)})")
                if _sideways(floor):
                    found[width, size]["floor"].append(name)
                broken = _broken_in_tables(window.view)
                if broken:
                    found[width, size]["broken"].append(f"{name} ({broken})")
    window.close()
    floor.close()
    qInstallMessageHandler(None)
    return found, opened


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder of <name>/source.html pages")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args(argv)
    pages = sorted(args.corpus.glob("*/source.html"))
    if args.limit:
        pages = pages[: args.limit]
    if not pages:
        print(f"reflow: no <name>/source.html pages in {args.corpus}", file=sys.stderr)
        return 2
    found, opened = measure(pages)
    print(f"Pages with a horizontal scroll bar, of {opened} articles (offscreen)")
    print(f"{'window':7}  {'text size':>9} | {'ours':>4} | {'floor':>5}")
    for (width, size), sides in found.items():
        row = f"{width:>4} px  {size:>8}% | {len(sides['ours']):>4} | {len(sides['floor']):>5}"
        print(row)
    for (width, size), sides in found.items():
        if sides["ours"]:
            print(f"ours at {width} px, {size}%: {', '.join(sides['ours'])}")
    print("Words broken in two inside table cells, ours")
    print(f"{'window':7}  {'text size':>9} | {'words':>5} | {'articles':>8}")
    for (width, size), sides in found.items():
        words = sum(int(entry.rsplit("(", 1)[1].rstrip(")")) for entry in sides["broken"])
        print(f"{width:>4} px  {size:>8}% | {words:>5} | {len(sides['broken']):>8}")
    for (width, size), sides in found.items():
        if sides["broken"]:
            print(f"broken at {width} px, {size}%: {', '.join(sides['broken'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
