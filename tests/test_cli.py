"""``reader extract`` and ``reader --version``, in-process through ``main`` and as a process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader import __version__
from reader.cli import main
from reader.core.article import count_words

CLI = Path(__file__).parent / "fixtures" / "cli"
ARTICLE = CLI / "article.html"
NOT_ARTICLE = CLI / "links-only.html"
KEYS = [
    "input",
    "title",
    "byline",
    "site_name",
    "published",
    "lang",
    "dir",
    "excerpt",
    "word_count",
    "reading_minutes",
    "html",
    "text",
]
BODY_START = "After forty years of automation"
# The page's byline paragraph stays first: its metadata names the author too (as Readability).
TEXT_START = f"By Ruth Calder\n\n{BODY_START}"
BODY_END = "can only be opened by two people."


def _json_lines(stdout: str) -> list[dict[str, Any]]:
    lines = stdout.splitlines()
    assert lines, "no output"
    return [json.loads(line) for line in lines]


def _assert_one_sentence_error(record: dict[str, Any], spec: str) -> None:
    assert list(record) == ["input", "error"]
    assert record["input"] == spec
    error = record["error"]
    assert isinstance(error, str)
    assert "\n" not in error
    assert error.endswith(".")
    assert Path(spec).name in error
    assert "Traceback" not in error


def test_json_has_exactly_the_documented_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(ARTICLE)]) == 0
    out = capsys.readouterr()
    [record] = _json_lines(out.out)
    assert list(record) == KEYS
    assert record["input"] == str(ARTICLE)
    assert record["title"] == "Lighthouse keepers return to Skerry Point"
    assert "Ruth Calder" in record["byline"]
    assert record["lang"] == "en"
    assert record["text"].startswith(TEXT_START)
    assert record["text"].rstrip().endswith(BODY_END)
    assert "Copyright" not in record["text"]
    assert "Sport" not in record["text"]
    assert record["word_count"] == count_words(record["text"]) > 100
    assert record["reading_minutes"] == 1
    assert "<p>" in record["html"]
    for key in ("site_name", "published", "dir", "excerpt"):
        assert record[key] is None or isinstance(record[key], str)
    assert out.err == ""


def test_missing_input_is_reported_and_others_still_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = str(tmp_path / "nowhere.html")
    assert main(["extract", str(ARTICLE), missing, str(ARTICLE)]) == 1
    out = capsys.readouterr()
    first, error, last = _json_lines(out.out)
    assert first["title"] == last["title"] == "Lighthouse keepers return to Skerry Point"
    _assert_one_sentence_error(error, missing)
    assert "does not exist" in error["error"]
    assert "Traceback" not in out.err


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    binary = tmp_path / "picture.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    noise = tmp_path / "noise.html"
    noise.write_bytes(bytes(range(32)) * 64)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    folder = tmp_path / "folder"
    folder.mkdir()
    return {
        "binary": binary,
        "noise": noise,
        "empty": empty,
        "folder": folder,
        "not an article": NOT_ARTICLE,
    }


@pytest.mark.parametrize("kind", ["binary", "noise", "empty", "folder", "not an article"])
def test_bad_input_gives_one_sentence_not_a_traceback(
    kind: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = str(_bad_inputs(tmp_path)[kind])
    assert main(["extract", bad]) == 1
    out = capsys.readouterr()
    [record] = _json_lines(out.out)
    _assert_one_sentence_error(record, bad)
    assert "Traceback" not in out.err


@pytest.mark.parametrize("fmt", ["text", "html", "markdown"])
def test_other_formats_report_errors_on_stderr(
    fmt: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = str(tmp_path / "gone.html")
    assert main(["extract", "--format", fmt, missing, str(ARTICLE)]) == 1
    out = capsys.readouterr()
    assert BODY_START in out.out
    [line] = out.err.splitlines()
    assert line.startswith("reader: ")
    assert "gone.html does not exist" in line


def test_text_format_is_plain_paragraphs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", "text", str(ARTICLE)]) == 0
    text = capsys.readouterr().out
    assert text.startswith(TEXT_START)
    assert text.endswith(BODY_END + "\n")
    assert "<" not in text
    assert "\n\n" in text  # a blank line between blocks


def test_html_format_is_the_clean_article(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", "html", str(ARTICLE)]) == 0
    html = capsys.readouterr().out
    assert html.count("<p>") >= 4
    assert 'alt="The white tower at dusk"' in html
    assert "<nav" not in html
    assert "<footer" not in html
    assert "About us" not in html


def test_markdown_format_has_title_byline_and_body(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--format", "markdown", str(ARTICLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "# Lighthouse keepers return to Skerry Point"
    assert lines[1] == ""
    assert "Ruth Calder" in lines[2]
    assert lines[2].startswith("*")
    assert any(line.startswith(BODY_START) for line in lines)
    assert any(line.startswith("![The white tower at dusk](") for line in lines)


def test_base_url_makes_links_and_pictures_absolute(capsys: pytest.CaptureFixture[str]) -> None:
    base = "https://example.org/news/2024/"
    assert main(["extract", "--base-url", base, str(ARTICLE)]) == 0
    [record] = _json_lines(capsys.readouterr().out)
    assert 'href="https://example.org/news/2024/history.html"' in record["html"]
    assert 'src="https://example.org/news/2024/images/tower.jpg"' in record["html"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"reader {__version__}"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_subprocess_mixed_good_and_bad_inputs(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path)
    specs = [str(ARTICLE), *(str(p) for p in bad.values()), str(tmp_path / "missing.html")]
    done = _run("extract", *specs)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    records = _json_lines(done.stdout)
    assert [r["input"] for r in records] == specs
    assert list(records[0]) == KEYS
    assert records[0]["text"].startswith(TEXT_START)
    for spec, record in zip(specs[1:], records[1:], strict=True):
        _assert_one_sentence_error(record, spec)


def test_subprocess_version_and_success_exit_code() -> None:
    version = _run("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"reader {__version__}"
    done = _run("extract", "--format", "text", str(ARTICLE))
    assert done.returncode == 0
    assert done.stdout.startswith(TEXT_START)
    assert done.stderr == ""
