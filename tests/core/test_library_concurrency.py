"""Two processes writing to one library at once: every row lands, nothing is corrupted."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

from reader.core.article import Article
from reader.core.library import Library

PER_WORKER = 40


def _add_many(path: str, worker: int) -> None:
    """Add PER_WORKER articles, each commit racing the other process."""
    with Library(Path(path)) as library:
        for i in range(PER_WORKER):
            text = f"worker {worker} article {i} " + "filler words " * 50
            library.add(Article(title=f"w{worker}-{i}", text=text, html=f"<p>{text}</p>"))
            if i % 10 == 0:
                library.search("filler")


def test_two_processes_adding_at_once(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    # No database yet: the two workers also race to create the schema.
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_add_many, args=(str(path), w)) for w in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    with Library(path) as library:
        titles = {s.title for s in library.list()}
        assert titles == {f"w{w}-{i}" for w in range(2) for i in range(PER_WORKER)}
        assert len(library.search("filler", limit=1000)) == 2 * PER_WORKER
        assert library.check()
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
