"""bench/reflow.py counts what it says: a page whose code is wider than the window, or whose
table has too many columns for it, scrolls sideways in the floor and not in the reader (the
table is widened or stacked); a word longer than the view breaks even when stacked, and is
counted with its page's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import reflow
from tests.ui.conftest import long_word_rows

PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the article tells how the river town kept its old stone bridge, "
    "who paid for the repairs, and why the ferry came back for a summer.</p>"
    for n in range(8)
)
CODE = "result = transform(" + ", ".join(f"argument_{n}" for n in range(30)) + ")"
TABLE = "<table>" + "<tr>" + "".join(f"<td>characterisation{n}</td>" for n in range(10)) + "</tr>"
WORDS_TABLE = f"<table>{long_word_rows(6, 3)}</table>"
GIANT = (
    "<table><tr><th>Term</th><th>Meaning</th></tr>"
    "<tr><td>Pneumonoultramicroscopicsilicovolcanoconiosis</td><td>a disease</td></tr></table>"
)


def _page(folder: Path, name: str, body: str) -> None:
    (folder / name).mkdir()
    (folder / name / "source.html").write_text(
        f"<html><head><title>{name}</title></head><body><article><h1>The {name} page</h1>"
        f"{PARAGRAPHS}{body}</article></body></html>",
        encoding="utf-8",
    )


def test_reflow_counts_sideways_scrolling_for_each_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var))  # restored after: measure() moves them
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _page(corpus, "code", f"<pre>{CODE}</pre>{PARAGRAPHS}")
    _page(corpus, "table", f"{TABLE}</table>{PARAGRAPHS}")
    _page(corpus, "words", f"{WORDS_TABLE}{PARAGRAPHS}")
    _page(corpus, "giant", f"{GIANT}{PARAGRAPHS}")
    assert reflow.main([str(corpus)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Pages with a horizontal scroll bar, of 4 articles (offscreen)"
    counts = _counts(out[2:6])
    assert counts[1100, 100] == (0, 2)  # the floor's code and ten columns run off to the right
    assert [ours for ours, _floor in counts.values()] == [0, 0, 0, 0]
    # Words broken inside table cells: none while they fit the view whole; the 45 letters of
    # one word do not at 400%, wherever the table is (stacked: a line of the view's width).
    assert out[6] == "Words broken in two inside table cells, ours"
    broken = _counts(out[8:12])
    assert broken[1100, 100] == broken[640, 100] == (0, 0)
    assert broken[1100, 400] == (broken[1100, 400][0], 1)
    assert broken[640, 400][0] >= broken[1100, 400][0] > 0
    assert out[12:] == [
        f"broken at 1100 px, 400%: giant ({broken[1100, 400][0]})",
        f"broken at 640 px, 400%: giant ({broken[640, 400][0]})",
    ]


def _counts(lines: list[str]) -> dict[tuple[int, int], tuple[int, int]]:
    """The two figures of each row of one of the report's tables, by window and text size."""
    counts = {}
    for line in lines:
        window, first, second = line.split("|")
        width, _px, size = window.split()
        counts[int(width), int(size.rstrip("%"))] = (int(first), int(second))
    return counts
