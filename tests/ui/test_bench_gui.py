"""bench/gui.py's start children still measure what they say: the real program and the floor
each report the first paint of the article, then the whole of it in the view."""

from __future__ import annotations

from pathlib import Path

from bench import gui


def test_the_start_children_report_the_paint_and_the_whole(tmp_path: Path) -> None:
    for side in ("ours", "floor"):
        run = gui.run_child(tmp_path, f"start-{side}", str(gui.SAMPLE))
        assert 0 < run.seconds <= run.whole_seconds, (side, run.output)
        assert run.max_rss_mb > 0
