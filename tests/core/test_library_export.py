"""Exports are self-contained: HTML with data URIs, EPUB 3 structure, Markdown with files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.article import Article
from reader.core.errors import LibraryError
from reader.core.library import Library
from reader.core.library_export import export, html_to_xhtml_body

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"png-body"
OPF = "{http://www.idpf.org/2007/opf}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "db" / "library.db") as library:
        yield library


@pytest.fixture
def saved(lib: Library) -> int:
    html = (
        '<p>Intro &amp; more</p><img src="https://example.org/a.png" alt="Stored one">'
        '<img src="https://cdn.example.net/never.png" alt="Never fetched"><br>'
        '<p>See <a href="https://example.org/other">another page</a>.</p>'
    )
    art = Article(
        title="Ёлки & <trees>",
        byline="Анна",
        site_name="Вести",
        lang="ru",
        html=html,
        text="Intro & more. See another page.",
        source="https://example.org/post",
    )
    return lib.add(art, {"https://example.org/a.png": PNG})


def test_html_export_is_standalone(lib: Library, saved: int, tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    export(lib, saved, "html", target)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="ru">' in page
    assert page.count("data:image/png;base64,") == 1
    assert re.search(r'\bsrc="(?!data:)', page) is None  # no picture from anywhere else
    assert "<link" not in page
    assert "<style>" in page
    assert "[Never fetched]" in page  # the unfetched picture is its alt text
    assert "Ёлки &amp; &lt;trees&gt;" in page
    assert 'href="https://example.org/other"' in page  # links stay links


def test_epub_structure(lib: Library, saved: int, tmp_path: Path) -> None:
    target = tmp_path / "out.epub"
    export(lib, saved, "epub", target)
    with zipfile.ZipFile(target) as book:
        infos = book.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"
        assert book.testzip() is None
        container = ET.fromstring(book.read("META-INF/container.xml"))
        rootfile = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
        assert rootfile is not None
        opf_path = rootfile.get("full-path")
        assert opf_path == "OEBPS/package.opf"
        opf = ET.fromstring(book.read(opf_path))
        assert opf.get("version") == "3.0"
        modified = opf.find(f".//{OPF}meta[@property='dcterms:modified']")
        assert modified is not None
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", modified.text or "")
        items = {i.get("href"): i for i in opf.iter(f"{OPF}item")}
        names = set(book.namelist())
        assert {f"OEBPS/{h}" for h in items} == names - {
            "mimetype",
            "META-INF/container.xml",
            opf_path,
        }
        assert [i.get("href") for i in items.values() if i.get("properties") == "nav"] == [
            "nav.xhtml"
        ]
        nav = ET.fromstring(book.read("OEBPS/nav.xhtml"))
        assert nav.find(f".//{XHTML}nav") is not None
        content = ET.fromstring(book.read("OEBPS/content.xhtml"))  # well-formed XML
        assert content.tag == f"{XHTML}html"
        srcs = [img.get("src") for img in content.iter(f"{XHTML}img")]
        assert len(srcs) == 1
        assert f"OEBPS/{srcs[0]}" in names
        assert items[srcs[0]].get("media-type") == "image/png"
        assert book.read(f"OEBPS/{srcs[0]}") == PNG


def test_xhtml_body_is_well_formed_from_loose_html() -> None:
    body = html_to_xhtml_body(
        '<p id="a">a<br>b &amp; c<img src="x.png" alt="x"><p id="a">open<ul><li>one</ul>'
    )
    ET.fromstring(f"<div>{body}</div>")
    assert "<br/>" in body
    assert "b &amp; c" in body
    assert body.count('id="a"') == 1


def test_markdown_export_writes_pictures_beside_it(
    lib: Library, saved: int, tmp_path: Path
) -> None:
    target = tmp_path / "note.md"
    export(lib, saved, "markdown", target)
    text = target.read_text(encoding="utf-8")
    (picture,) = (tmp_path / "note_files").iterdir()
    assert f"note_files/{picture.name}" in text
    assert picture.read_bytes() == PNG
    assert "cdn.example.net" not in text


def test_export_errors_are_plain_sentences(lib: Library, saved: int, tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="does not exist"):
        export(lib, saved, "html", tmp_path / "missing" / "out.html")
    with pytest.raises(LibraryError, match="no article 77"):
        export(lib, 77, "html", tmp_path / "out.html")
