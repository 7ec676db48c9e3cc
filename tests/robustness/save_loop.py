"""A process that saves settings or library articles in a loop, for kill -9 tests.

Run as ``python -m tests.robustness.save_loop settings|library FOLDER``. It imports the core
once and then, for each ``go`` line on stdin, forks a child that saves in a loop until it is
killed, prints the child's pid, waits for it and prints ``done``. Forking from this helper (not
from pytest) keeps each round to milliseconds. After every completed save the child writes the
save's number to ``FOLDER/progress``, so the test knows what must have survived.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from reader.core.article import Article
from reader.core.library import Library
from reader.core.settings import Settings, SettingsStore

PROGRESS = "progress"


def read_progress(folder: Path) -> int:
    """The number of the last save the child finished (0 before any)."""
    try:
        return int((folder / PROGRESS).read_text() or 0)
    except (FileNotFoundError, ValueError):
        return 0


def _report(fd: int, n: int) -> None:
    os.pwrite(fd, f"{n:<12}".encode(), 0)


def _settings_loop(folder: Path, fd: int) -> None:
    store = SettingsStore(folder)
    n = read_progress(folder)
    while True:
        n += 1
        recent = tuple(f"/tmp/article-{k}.html" for k in range(n, n + 10))
        if store.save(Settings(last_position=n, recent_files=recent)):
            _report(fd, n)


def _library_loop(folder: Path, fd: int) -> None:
    n = read_progress(folder)
    with Library(folder / "library.db") as library:
        while True:
            n += 1
            text = f"Article number {n}. " + "The quay was busy all morning. " * 40
            article_id = library.add(
                Article(title=f"Article {n}", text=text, html=f"<p>{text}</p>", source=f"/a/{n}")
            )
            library.set_position(article_id, 0.5)
            _report(fd, n)


def main() -> None:
    """Fork a saving child for every ``go`` line; report its pid, then ``done`` when it died."""
    kind, folder = sys.argv[1], Path(sys.argv[2])
    loop = _settings_loop if kind == "settings" else _library_loop
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "go":
            break
        pid = os.fork()
        if pid == 0:  # the child: save until killed
            fd = os.open(folder / PROGRESS, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                loop(folder, fd)
            finally:
                os._exit(1)
        print(pid, flush=True)
        os.waitpid(pid, 0)
        print("done", flush=True)


if __name__ == "__main__":
    main()
