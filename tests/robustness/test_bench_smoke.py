"""bench/robustness.py runs: two quick cases through the real subprocess path, one table."""

from __future__ import annotations

import pytest

from bench import robustness


def test_bench_prints_a_row_per_case_with_time_memory_and_outcome(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = robustness.main(["--only", "empty", "script injection", "--timeout", "60"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out[0].split()[:2] == ["case", "engine"]
    rows = {line[:26].strip(): line[26:].split() for line in out[1:-1]}
    assert rows["empty"][0] == "ours"
    assert rows["empty"][3] == "error"
    assert rows["script injection"][3] == "article"
    assert float(rows["script injection"][1]) > 0
    assert int(rows["script injection"][2]) > 10  # MB of a Python process
    assert out[-1].endswith("missed: 0")


def test_active_content_check_catches_what_it_must() -> None:
    found = robustness.active_content(
        "<p onclick='x'>a</p><a href=' JavaScript:x'>b</a><script>x</script><q cite='vbscript:y'>"
    )
    assert "onclick attribute" in found
    assert "<script>" in found
    assert any(f.startswith("href=") for f in found)
    assert any(f.startswith("cite=") for f in found)
    assert robustness.active_content("<p title='javascript: is just words here'>a</p>") == []
