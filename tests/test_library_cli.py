"""``reader library ...``: JSON lines, errors per input, search, show, export, import summary."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.library import default_path
from reader.core.load import Page
from tests.httpserver import page, serve, without_proxies

LIBRARY = Path(__file__).parent / "fixtures" / "library"
HARBOUR = str(LIBRARY / "harbour.html")
RUSSIAN = str(LIBRARY / "nested" / "library-ru.htm")
MENU = str(LIBRARY / "nested" / "empty-menu.html")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["library", *args])
    out, err = capsys.readouterr()
    return code, out, err


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_add_prints_one_json_line_per_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "add", HARBOUR, "does-not-exist.html", RUSSIAN)
    assert code == 1
    first, missing, russian = lines(out)
    assert isinstance(first["id"], int)
    assert "harbour" in str(first["title"]).lower()
    assert missing["input"] == "does-not-exist.html"
    assert "does not exist" in str(missing["error"])
    assert russian["title"] == "Новая библиотека открылась"
    assert default_path().exists()


def test_add_all_good_exits_zero_and_same_page_keeps_one_entry(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "add", HARBOUR)[0] == 0
    code, out, _ = run(capsys, "add", HARBOUR)
    assert code == 0
    _, listed, _ = run(capsys, "list", "--json")
    assert [r["id"] for r in lines(listed)] == [lines(out)[0]["id"]]


def test_not_an_article_is_an_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "add", MENU)
    assert code == 1
    (record,) = lines(out)
    assert record["input"] == MENU
    assert "article" in str(record["error"])


def test_list_and_search(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "add", HARBOUR, RUSSIAN)
    _, out, _ = run(capsys, "list")
    assert "Новая библиотека" in out
    assert "harbour" in out.lower()
    code, out, _ = run(capsys, "search", "cafe", "--json")
    assert code == 0
    (hit,) = lines(out)
    assert "[café]" in str(hit["snippet"])
    _, out, _ = run(capsys, "search", "библиотеки", "--json")
    assert [h["title"] for h in lines(out)] == ["Новая библиотека открылась"]
    _, out, err = run(capsys, "search", "zeppelin")
    assert out == ""
    assert "nothing in the library matches" in err


def test_show_formats(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "add", HARBOUR)
    article_id = str(lines(out)[0]["id"])
    _, text, _ = run(capsys, "show", article_id)
    assert "breakwater" in text
    assert "<p>" not in text
    _, html, _ = run(capsys, "show", article_id, "--format", "html")
    assert 'src="file://' in html
    assert "pictures" in html
    _, js, _ = run(capsys, "show", article_id, "--format", "json")
    (record,) = lines(js)
    assert record["id"] == int(article_id)
    assert len(record["pictures"]) == 1  # type: ignore[arg-type]


def test_remove_and_missing_id(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "add", HARBOUR)
    article_id = str(lines(out)[0]["id"])
    code, out, _ = run(capsys, "remove", article_id)
    assert code == 0
    assert "Removed" in out
    code, _, err = run(capsys, "show", article_id)
    assert code == 1
    assert err.strip() == f"reader: There is no article {article_id} in the library."
    assert "Traceback" not in err


def test_export_html_and_epub(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, out, _ = run(capsys, "add", HARBOUR)
    article_id = str(lines(out)[0]["id"])
    assert (
        run(capsys, "export", article_id, "--format", "html", "-o", str(tmp_path / "a.html"))[0]
        == 0
    )
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page
    assert "file:" not in page
    code, _, _ = run(
        capsys, "export", article_id, "--format", "epub", "-o", str(tmp_path / "a.epub")
    )
    assert code == 0
    with zipfile.ZipFile(tmp_path / "a.epub") as book:
        assert book.namelist()[0] == "mimetype"
        assert any(n.startswith("OEBPS/images/") for n in book.namelist())


def test_import_folder_summarises_failures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", str(LIBRARY))
    assert code == 1
    assert "Imported 2 of 3 pages" in out
    assert "1 failed:" in out
    assert "nested/empty-menu.html: " in out
    assert "[" not in err  # no progress bar when stderr is not a terminal
    _, listed, _ = run(capsys, "list", "--json")
    assert len(lines(listed)) == 2


def test_import_shows_progress_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    _, _, err = run(capsys, "import", str(LIBRARY))
    assert "[" + "#" * 30 + "] 3/3" in err


def test_import_of_a_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "import", str(tmp_path / "nope"))
    assert code == 1
    assert "is not a folder" in err


def test_corrupt_library_notice_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"garbage" * 1000)
    code, out, err = run(capsys, "list")
    assert code == 0
    assert out == ""
    assert "was damaged" in err


def test_add_a_web_page_keeps_its_picture(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    without_proxies(monkeypatch)
    with serve() as server:
        server.route("/news/harbour.html", page(Path(HARBOUR).read_bytes()))
        server.route("/news/harbour.png", page((LIBRARY / "harbour.png").read_bytes(), "image/png"))
        code, out, _ = run(capsys, "add", server.url("/news/harbour.html"))
    assert code == 0
    (added,) = lines(out)
    _, js, _ = run(capsys, "show", str(added["id"]), "--format", "json")
    (record,) = lines(js)
    assert record["source"] == server.url("/news/harbour.html")
    assert len(record["pictures"]) == 1  # type: ignore[arg-type]


def test_an_extractor_bug_fails_that_page_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.core.extract

    real = reader.core.extract.extract

    def extract(page: Page) -> object:
        if page.source and page.source.endswith(".htm"):
            raise KeyError("a bug")
        return real(page)

    monkeypatch.setattr(reader.core.extract, "extract", extract)
    code, out, _ = run(capsys, "import", str(LIBRARY))
    assert code == 1
    assert "Imported 1 of 3 pages" in out
    assert "nested/library-ru.htm: " in out
    assert "could not be extracted" in out
