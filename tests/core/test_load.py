"""Loading and decoding: BOM, declared charset, detection when the declaration is wrong."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from reader.core.errors import LoadError
from reader.core.load import find_base_url, load_bytes, load_path

CYRILLIC = "Выбор шрифта: Arial, Times New Roman. Межбуквенный интервал: стандартный, средний."


def _page(meta: str, body: str) -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


def test_utf8_label_on_windows_1251_bytes_comes_out_readable() -> None:
    data = _page('<meta charset="utf-8">', CYRILLIC).encode("windows-1251")
    assert CYRILLIC in load_bytes(data).html


def test_windows_1251_without_any_declaration_is_detected() -> None:
    data = _page("", CYRILLIC * 3).encode("windows-1251")
    page = load_bytes(data)
    assert CYRILLIC in page.html
    assert page.encoding in ("cp1251", "windows-1251")


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1251">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">',
    ],
)
def test_declared_charset_is_used(meta: str) -> None:
    data = _page(meta, CYRILLIC).encode("windows-1251")
    assert CYRILLIC in load_bytes(data).html


def test_http_header_charset_wins_over_meta() -> None:
    data = _page('<meta charset="iso-8859-5">', CYRILLIC).encode("koi8-r")
    page = load_bytes(data, content_type="text/html; charset=KOI8-R")
    assert CYRILLIC in page.html


def test_utf16_with_bom() -> None:
    data = _page("", CYRILLIC).encode("utf-16")
    assert CYRILLIC in load_bytes(data).html


def test_gzip_bytes_are_unpacked() -> None:
    data = gzip.compress(_page('<meta charset="utf-8">', CYRILLIC).encode("utf-8"))
    assert CYRILLIC in load_bytes(data).html


def test_nul_bytes_are_removed() -> None:
    assert "\x00" not in load_bytes(b"<p>a\x00b</p>").html


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "is empty"),
        (b"   \n\t ", "is empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "PNG image"),
        (b"%PDF-1.7\n", "PDF document"),
        (bytes(range(256)) * 20, "binary data"),
    ],
)
def test_bad_bytes_give_one_plain_sentence(data: bytes, words: str) -> None:
    with pytest.raises(LoadError) as info:
        load_bytes(data, source="page.html")
    message = str(info.value)
    assert words in message
    assert message.startswith("page.html")
    assert message.endswith(".")
    assert "\n" not in message


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="does not exist"):
        load_path(tmp_path / "nope.html")
    with pytest.raises(LoadError, match="is a folder"):
        load_path(tmp_path)


def test_file_base_url_is_its_file_uri(tmp_path: Path) -> None:
    f = tmp_path / "a.html"
    f.write_text("<p>hello</p>", encoding="utf-8")
    assert load_path(f).base_url == f.resolve().as_uri()


def test_base_element_resolves_against_source() -> None:
    html = '<head><base href="/news/"></head>'
    assert find_base_url(html, "https://example.org/a/b.html") == "https://example.org/news/"
    assert find_base_url('<base href="javascript:alert(1)">', "https://e.org/") == "https://e.org/"


def test_utf8_bytes_labelled_windows_1251_stay_utf8() -> None:
    data = _page("", CYRILLIC).encode("utf-8")
    page = load_bytes(data, content_type="text/html; charset=windows-1251")
    assert CYRILLIC in page.html


def test_ascii_page_keeps_its_single_byte_label() -> None:
    page = load_bytes(b"<p>plain ascii</p>", content_type="text/html; charset=windows-1251")
    assert page.encoding == "cp1251"
