"""The prefix index (schema 3): old libraries migrate and keep every article searchable."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from reader.core import library as library_module
from reader.core.article import Article
from reader.core.errors import LibraryError
from reader.core.library import (
    MIGRATIONS,
    PREFIX_MIN_CHARS,
    SCHEMA_VERSION,
    Library,
    fold,
    needs_update,
)

OLD_ARTICLES = (  # title, text, removed
    ("Harbour notes", "The ferry left the harbour at dawn.", False),
    ("Ёлки", "В лесу родилась ёлочка, в лесу она росла.", False),
    ("Gone", "A harbour article removed before the upgrade.", True),
)


def make_version_2_library(path: Path) -> None:
    """A library as schema 2 wrote it: no prefix index, articles indexed folded."""
    raw = sqlite3.connect(path, isolation_level=None)
    raw.create_function("reader_fold", 1, fold, deterministic=True)
    for version in (0, 1):
        for statement in MIGRATIONS[version]:
            raw.execute(statement)
    raw.execute("PRAGMA user_version = 2")
    for i, (title, text, removed) in enumerate(OLD_ARTICLES):
        cur = raw.execute(
            "INSERT INTO articles (title, text, html, content_hash, saved_at, removed_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (title, text, f"<p>{text}</p>", f"hash{i}", float(i), 5.0e9 if removed else None),
        )
        if not removed:
            raw.execute(
                "INSERT INTO articles_fts (rowid, title, byline, site_name, text) "
                "SELECT id, reader_fold(title), reader_fold(byline), reader_fold(site_name), "
                "reader_fold(text) FROM articles WHERE id = ?",
                (cur.lastrowid,),
            )
    raw.close()


def titles(library: Library, query: str, *, prefix: bool = True) -> list[str]:
    return sorted(h.summary.title for h in library.search(query, prefix=prefix))


def fts_sql(path: Path) -> str:
    with sqlite3.connect(path) as raw:
        return str(
            raw.execute("SELECT sql FROM sqlite_schema WHERE name = 'articles_fts'").fetchone()[0]
        )


def test_schema_has_a_prefix_index_of_the_length_search_prefixes_from(tmp_path: Path) -> None:
    with Library(tmp_path / "library.db") as library:
        assert library.schema_version == SCHEMA_VERSION == 3
    assert f"prefix='{PREFIX_MIN_CHARS}'" in fts_sql(tmp_path / "library.db")


def test_version_2_library_migrates_and_finds_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    make_version_2_library(path)
    with pytest.raises(LibraryError, match="schema 2"):  # the prefetch child waits for this
        Library(path, read_only=True)
    with Library(path) as library:
        assert library.schema_version == SCHEMA_VERSION
        assert "prefix=" in fts_sql(path)
        assert titles(library, "harbour") == ["Harbour notes"]  # the removed one stays out
        assert titles(library, "har") == ["Harbour notes"]  # a 3-letter prefix
        assert titles(library, "har", prefix=False) == []
        assert titles(library, "fer") == ["Harbour notes"]
        assert titles(library, "елочка") == ["Ёлки"]  # ё folded as before
        assert titles(library, "ёло") == ["Ёлки"]
        assert [h.summary.title for h in library.search("harbour ferry")] == ["Harbour notes"]
        (hit,) = library.search("dawn")
        assert "[dawn]" in hit.snippet
        assert library.search("elephant") == []
        # Ranking survived the new table: a title match before a body match.
        body = library.add(Article(title="Ships", text="ships in a harbour", html="<p>x</p>"))
        assert [h.summary.title for h in library.search("harbour")] == ["Harbour notes", "Ships"]
        # The index holds the values later deletes remove: remove, restore, check.
        (old,) = library.search("ferry")
        library.remove(old.summary.id)
        assert titles(library, "har") == ["Ships"]
        library.restore(old.summary.id)
        assert titles(library, "har") == ["Harbour notes", "Ships"]
        library.remove(body, permanent=True)
        assert library.check()
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
    with Library(path, read_only=True) as reader:
        assert titles(reader, "har") == ["Harbour notes"]


def test_failed_migration_leaves_the_old_library_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "library.db"
    make_version_2_library(path)
    broken = (*MIGRATIONS[2], "SELECT no_such_function()")
    monkeypatch.setattr(library_module, "MIGRATIONS", (*MIGRATIONS[:2], broken))
    with pytest.raises(LibraryError, match="cannot be opened"):
        Library(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 2
        assert "prefix=" not in fts_sql(path)
        found = raw.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'harbour'"
        ).fetchall()
        assert len(found) == 1
    monkeypatch.undo()
    with Library(path) as library:
        assert titles(library, "har") == ["Harbour notes"]


def test_needs_update_tells_an_older_library_from_a_current_or_missing_one(
    tmp_path: Path,
) -> None:
    old, current = tmp_path / "old.db", tmp_path / "current.db"
    make_version_2_library(old)
    Library(current).close()
    (tmp_path / "garbage.db").write_bytes(b"not a database" * 100)
    assert needs_update(old)
    assert not needs_update(current)
    assert not needs_update(tmp_path / "missing.db")
    assert not needs_update(tmp_path / "garbage.db")
    Library(old).close()  # opening migrates it
    assert not needs_update(old)


@pytest.fixture
def every_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite counts steps per statement: this small library's never reach the real tick."""
    monkeypatch.setattr(library_module, "MIGRATION_TICK_STEPS", 1)


@pytest.mark.usefixtures("every_step")
def test_an_update_calls_while_busy_as_it_goes_and_completes(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    make_version_2_library(path)
    calls: list[int] = []

    def busy() -> bool:
        calls.append(1)
        return True

    with Library(path, while_busy=busy) as library:
        assert library.schema_version == SCHEMA_VERSION
        assert titles(library, "har") == ["Harbour notes"]
    assert calls  # a window would have had its chances to repaint
    count = len(calls)
    Library(path, while_busy=busy).close()  # up to date now: nothing to wait for
    assert len(calls) == count


@pytest.mark.usefixtures("every_step")
def test_a_stopped_update_leaves_the_library_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    make_version_2_library(path)
    with pytest.raises(LibraryError, match="was stopped; it is updated the next time"):
        Library(path, while_busy=lambda: False)
    assert needs_update(path)  # rolled back: still schema 2, nothing half done
    with Library(path) as library:
        assert library.schema_version == SCHEMA_VERSION
        assert titles(library, "harbour") == ["Harbour notes"]


@pytest.mark.usefixtures("every_step")
def test_ctrl_c_during_an_update_stops_it_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    make_version_2_library(path)

    def interrupted() -> bool:
        raise KeyboardInterrupt

    with pytest.raises(LibraryError, match="was stopped"):
        Library(path, while_busy=interrupted)
    assert needs_update(path)
