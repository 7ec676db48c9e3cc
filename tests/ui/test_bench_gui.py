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


def test_phase_steps_are_read_in_order_up_to_the_paint() -> None:
    def dump(step: str, count: int) -> str:
        return f"desc: Trigger: Client Request: {step}\nsummary: {count}\ntotals: {count}\n"

    texts = [dump("imports", 10), dump("window built", 5), dump("painted", 2), dump("after", 99)]
    assert gui._steps(texts) == [("imports", 10), ("window built", 5), ("painted", 2)]


def test_each_side_starts_first_in_every_other_pair() -> None:
    orders = [gui._in_turn(run) for run in range(4)]
    assert orders == [("ours", "floor"), ("floor", "ours")] * 2
