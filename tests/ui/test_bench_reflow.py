"""bench/reflow.py counts what it says: a page whose code is wider than the window scrolls
sideways in the floor and not in the reader; a table of many columns at 400% in a narrow
window scrolls in the reader too, and is named as a table."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import reflow

PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the article tells how the river town kept its old stone bridge, "
    "who paid for the repairs, and why the ferry came back for a summer.</p>"
    for n in range(8)
)
CODE = "result = transform(" + ", ".join(f"argument_{n}" for n in range(30)) + ")"
TABLE = "<table>" + "<tr>" + "".join(f"<td>characterisation{n}</td>" for n in range(10)) + "</tr>"


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
    assert reflow.main([str(corpus)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Pages with a horizontal scroll bar, of 2 articles (offscreen)"
    counts = {}
    for line in out[2:6]:
        window, ours, floor = line.split("|")
        width, _px, size = window.split()
        counts[int(width), int(size.rstrip("%"))] = (int(ours), int(floor))
    assert counts[1100, 100][0] == 0
    assert counts[1100, 100][1] == 2  # the floor's code and table run off to the right
    assert counts[640, 400][0] == 1
    assert out[6:] == ["ours at 640 px, 400%: table (table)"]
