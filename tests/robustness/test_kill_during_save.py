"""Kill -9 during a save loop, 100 times each: settings and the library still open, intact."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.library import Library
from reader.core.settings import SettingsStore
from tests.robustness.save_loop import read_progress

ROUNDS = 100
ROOT = Path(__file__).resolve().parents[2]


def _kill_rounds(kind: str, folder: Path, rng: random.Random) -> Iterator[int]:
    """Run ``ROUNDS`` save loops, each killed at a random moment; yield the progress after each."""
    helper = subprocess.Popen(
        [sys.executable, "-m", "tests.robustness.save_loop", kind, str(folder)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert helper.stdin is not None
    assert helper.stdout is not None
    try:
        assert helper.stdout.readline().strip() == "ready"
        for _ in range(ROUNDS):
            helper.stdin.write("go\n")
            helper.stdin.flush()
            pid = int(helper.stdout.readline())
            time.sleep(rng.uniform(0.001, 0.05))
            os.kill(pid, signal.SIGKILL)
            assert helper.stdout.readline().strip() == "done"
            yield read_progress(folder)
    finally:
        helper.stdin.close()
        helper.wait(timeout=10)
        helper.stdout.close()


@pytest.mark.slow
def test_settings_survive_kill_9_during_saves(tmp_path: Path) -> None:
    saved_rounds = 0
    for progress in _kill_rounds("settings", tmp_path, random.Random(61)):
        result = SettingsStore(tmp_path).load()
        assert result.notice is None, result.notice  # never damaged, never set aside
        # the last finished save is there, or the one after it (killed before reporting)
        if progress:
            assert result.settings.last_position in (progress, progress + 1)
            assert (
                result.settings.recent_files[0]
                == f"/tmp/article-{result.settings.last_position}.html"
            )
            saved_rounds += 1
    assert saved_rounds > ROUNDS // 2, "most rounds got to save before the kill"
    assert not list(tmp_path.glob("settings.json.corrupt-*"))
    # saves killed midway leave temporary files; the next start clears those over a minute old
    leftovers = list(tmp_path.glob(".settings-*.tmp"))
    assert leftovers
    for tmp in leftovers:
        os.utime(tmp, (time.time() - 120, time.time() - 120))
    SettingsStore(tmp_path).load()
    assert not list(tmp_path.glob(".settings-*.tmp"))


@pytest.mark.slow
def test_library_survives_kill_9_during_saves(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    for progress in _kill_rounds("library", tmp_path, random.Random(62)):
        with Library(path) as library:
            assert library.notice is None, library.notice
            assert library.check()
            # every article whose save finished is kept; at most one more landed
            assert len(library) in (progress, progress + 1)
            if progress:
                entry = library.get(library.list(limit=1)[0].id)
                assert entry.article.title.startswith("Article ")
    assert progress > ROUNDS // 2
    assert not list(tmp_path.glob("library.db.corrupt-*"))
