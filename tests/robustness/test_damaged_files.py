"""Damaged, unreadable and newer settings and library files: start, say so, keep a backup."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.core.article import Article
from reader.core.errors import LibraryError
from reader.core.library import Library
from reader.core.settings import Settings, SettingsStore

GOOD = Settings().with_reading(font_size=200).with_recent("/tmp/a.html")


def _saved_settings(folder: Path) -> bytes:
    store = SettingsStore(folder)
    assert store.save(GOOD)
    return store.path.read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],
        lambda raw: os.urandom(300),
        lambda raw: b"",
        lambda raw: b"[1, 2, 3]",
        lambda raw: raw.replace(b"{", b"\xff\xfe{", 1),
    ],
    ids=["truncated", "garbage", "empty", "not-an-object", "bad-utf8"],
)
def test_damaged_settings_are_kept_aside_and_defaults_used(
    damage: Callable[[bytes], bytes], tmp_path: Path
) -> None:
    raw = _saved_settings(tmp_path)
    broken = damage(raw)
    (tmp_path / "settings.json").write_bytes(broken)
    store = SettingsStore(tmp_path)
    result = store.load()
    assert result.settings == Settings()
    assert result.notice is not None
    assert "damaged" in result.notice
    backups = list(tmp_path.glob("settings.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].name in result.notice
    assert backups[0].read_bytes() == broken  # nothing of it is lost
    assert store.save(GOOD)  # and the next change saves normally
    assert SettingsStore(tmp_path).load().settings == GOOD


def test_settings_from_a_newer_version_keep_what_this_version_knows(tmp_path: Path) -> None:
    data = {"version": 99, "reading": {"font_size": 200, "sparkle": True}, "future": [1, 2]}
    raw = json.dumps(data).encode()
    (tmp_path / "settings.json").write_bytes(raw)
    result = SettingsStore(tmp_path).load()
    assert result.settings.reading.font_size == 200
    assert result.notice is not None
    assert "newer version" in result.notice
    backups = list(tmp_path.glob("settings.json.v99-*"))
    assert [b.read_bytes() for b in backups] == [raw]


def test_unreadable_settings_are_left_untouched(tmp_path: Path) -> None:
    (tmp_path / "settings.json").mkdir()  # reading fails even for root
    store = SettingsStore(tmp_path)
    result = store.load()
    assert result.settings == Settings()
    assert result.notice is not None
    assert "cannot be read" in result.notice
    assert not store.save(GOOD)  # it is not overwritten
    assert (tmp_path / "settings.json").is_dir()


def test_a_read_only_settings_folder_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _saved_settings(tmp_path)

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")  # what a read-only folder does

    monkeypatch.setattr("reader.core.settings._new_temp_file", refuse)
    store = SettingsStore(tmp_path)
    assert store.load().settings == GOOD
    assert not store.save(Settings())
    assert (tmp_path / "settings.json").read_bytes() == raw


def _library_with_one_article(path: Path) -> None:
    with Library(path) as library:
        library.add(Article(title="Kept", text="The quay was busy. " * 30, source="/a/1"))


@pytest.mark.parametrize(
    "damage",
    [lambda raw: raw[: len(raw) // 2], lambda raw: os.urandom(8192), lambda raw: raw[:100]],
    ids=["truncated", "garbage", "header-only"],
)
def test_a_damaged_library_is_kept_aside_and_a_new_one_started(
    damage: Callable[[bytes], bytes], tmp_path: Path
) -> None:
    path = tmp_path / "library.db"
    _library_with_one_article(path)
    for side in ("library.db-wal", "library.db-shm"):
        (tmp_path / side).unlink(missing_ok=True)
    broken = damage(path.read_bytes())
    path.write_bytes(broken)
    with Library(path) as library:
        assert library.notice is not None
        assert "damaged" in library.notice
        assert len(library) == 0
        library.add(Article(title="New", text="Fresh text for the new library. " * 5))
        assert library.check()
    aside = list(tmp_path.glob("library.db.corrupt-*"))
    assert [a.read_bytes() for a in aside if not a.name.endswith(("-wal", "-shm"))] == [broken]


def test_a_library_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    _library_with_one_article(path)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="newer version") as caught:
        Library(path)
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before


def test_the_window_starts_with_damaged_files_and_says_so(tmp_path: Path, qtbot: QtBot) -> None:
    from reader.app import AppContext
    from reader.ui.main_window import MainWindow

    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_bytes(b'{"version": 1, "reading": {"font_si')
    library_path = tmp_path / "data" / "library.db"
    library_path.parent.mkdir()
    library_path.write_bytes(os.urandom(4096))
    ctx = AppContext.load(SettingsStore(config), library_path=library_path)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()  # both are said right after the first paint, in one message
    qtbot.waitUntil(lambda: "library" in window.message_bar.label.text())
    shown = window.message_bar.label.text()
    assert "settings file was damaged" in shown
    assert "library" in shown
    assert "damaged" in shown
    assert list(config.glob("settings.json.corrupt-*"))
    assert list(library_path.parent.glob("library.db.corrupt-*"))
    assert ctx.library is not None
    ctx.library.close()
