"""Export a saved article: one standalone HTML file, Markdown, or an EPUB 3 book.

Every format is self-contained: pictures come from the library's local copies (inlined as
``data:`` URIs in HTML, files in the EPUB zip, files beside a Markdown file) and pictures that
were never stored (remote ones) are replaced by their alt text, so nothing is fetched on opening.
"""

from __future__ import annotations

import base64
import html as html_lib
import re
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

from reader.core.article import Article
from reader.core.errors import LibraryError
from reader.core.html_names import VOID_ELEMENTS
from reader.core.library import PICTURE_SCHEME, Entry, Library

FORMATS = ("html", "markdown", "epub")

# Our reading defaults (see notes/reading-settings.md): sans-serif, 1.5 line spacing, lines of
# at most ~70 characters, paragraph spacing, AAA contrast in light and dark.
READING_CSS = """
html { font-family: "Liberation Sans", Arimo, Arial, sans-serif; font-size: 112.5%; }
body { margin: 0 auto; max-width: 38em; padding: 1.5em 1em; line-height: 1.5;
       color: #000; background: #fff; }
p, li, blockquote { margin: 0 0 1.2em; }
h1 { font-size: 1.8em; line-height: 1.25; margin: 0 0 0.5em; }
h2, h3, h4 { line-height: 1.3; margin: 1.5em 0 0.5em; }
img { max-width: 100%; height: auto; }
figure { margin: 1.5em 0; }
figcaption, .meta { color: #333; font-size: 0.9em; }
blockquote { border-left: 0.25em solid #767676; margin-left: 0; padding-left: 1em; }
pre, code { font-family: "Liberation Mono", Cousine, monospace; white-space: pre-wrap; }
table { border-collapse: collapse; } td, th { border: 1px solid #767676; padding: 0.3em; }
a { color: #0645ad; }
@media (prefers-color-scheme: dark) {
  body { color: #fff; background: #000; } figcaption, .meta { color: #ddd; } a { color: #9cf; }
}
""".strip()

_IMG_TAG_RE = re.compile(r"<img\b[^>]*>", re.I)
_ATTR_RE = re.compile(r'\b(src|alt)="([^"]*)"', re.I)
_XHTML_NS = "http://www.w3.org/1999/xhtml"


def _rewrite_pictures(stored_html: str, picture_src: Callable[[str], str | None]) -> str:
    """Point stored pictures where ``picture_src`` says; any other picture becomes its alt text."""

    def swap(m: re.Match[str]) -> str:
        attrs = {k.lower(): v for k, v in _ATTR_RE.findall(m.group(0))}
        src = html_lib.unescape(attrs.get("src", ""))
        if src.startswith(PICTURE_SCHEME) and (new := picture_src(src[len(PICTURE_SCHEME) :])):
            return m.group(0).replace(f'src="{attrs["src"]}"', f'src="{html_lib.escape(new)}"')
        alt = attrs.get("alt", "")
        return f"<span>[{alt}]</span>" if alt else ""

    return _IMG_TAG_RE.sub(swap, stored_html)


def _header_html(article: Article) -> str:
    esc = html_lib.escape
    parts = [f"<h1>{esc(article.title or 'Untitled article')}</h1>"]
    meta = [v for v in (article.byline, article.site_name, article.published, article.place) if v]
    if meta:
        parts.append(f'<p class="meta">{esc(" · ".join(meta))}</p>')
    if article.source:
        parts.append(f'<p class="meta">Source: {esc(article.source)}</p>')
    return "".join(parts)


def _lang_attrs(article: Article) -> str:
    attrs = f' lang="{html_lib.escape(article.lang)}"' if article.lang else ""
    return attrs + (f' dir="{html_lib.escape(article.dir)}"' if article.dir else "")


def export_html(library: Library, entry: Entry, *, css: str = READING_CSS) -> str:
    """One standalone HTML document: pictures as ``data:`` URIs, reading styles inline."""

    def data_uri(hash_: str) -> str | None:
        try:
            mime, data = library.picture(hash_)
        except LibraryError:
            return None
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    article = entry.article
    body = _rewrite_pictures(entry.stored_html, data_uri)
    title = html_lib.escape(article.title or "Untitled article")
    return (
        f'<!DOCTYPE html>\n<html{_lang_attrs(article)}>\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{css}\n</style>\n</head>\n<body>\n<main>\n<article>\n"
        f"<header>{_header_html(article)}</header>\n{body}\n</article>\n</main>\n</body>\n</html>\n"
    )


def _picture_files(library: Library, entry: Entry) -> dict[str, tuple[str, str, bytes]]:
    """hash -> (file name, MIME type, bytes) for each stored picture that can still be read."""
    out: dict[str, tuple[str, str, bytes]] = {}
    for hash_ in entry.pictures:
        try:
            mime, data = library.picture(hash_)
        except LibraryError:
            continue
        out[hash_] = (library.picture_path(hash_).name, mime, data)
    return out


def export_markdown(library: Library, entry: Entry, target: Path) -> str:
    """Markdown text; pictures are written to ``<name>_files/`` beside ``target``."""
    files = _picture_files(library, entry)
    folder = target.with_name(f"{target.stem}_files")
    html = _rewrite_pictures(
        entry.stored_html, lambda h: f"{folder.name}/{files[h][0]}" if h in files else None
    )
    article = replace(entry.article, html=html)
    from reader.core.convert import article_to_markdown

    text = article_to_markdown(article)
    used = {h: f for h, f in files.items() if f[0] in text}
    if used:
        try:
            folder.mkdir(exist_ok=True)
            for name, _mime, data in used.values():
                (folder / name).write_bytes(data)
        except OSError as exc:
            raise LibraryError(f"{folder} cannot be written: {exc.strerror or exc}.") from exc
    return text


class _XhtmlWriter(HTMLParser):
    """Re-serialise HTML as XML: void elements self-closed, attributes quoted and escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.ids: set[str] = set()  # XML forbids a repeated id; keep the first

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        unique = {k: v for k, v in reversed(attrs) if re.fullmatch(r"[a-z][a-z0-9_.-]*", k)}
        if "id" in unique:
            if unique["id"] in self.ids or not (unique["id"] or "").strip():
                del unique["id"]
            else:
                self.ids.add(unique["id"] or "")
        text = "".join(f' {k}="{_xml(k if v is None else v)}"' for k, v in reversed(unique.items()))
        if tag in VOID_ELEMENTS:
            self.out.append(f"<{tag}{text}/>")
        else:
            self.out.append(f"<{tag}{text}>")
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.open:
            return  # a stray end tag: drop it
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        self.out.append(html_lib.escape(data, quote=False))


def html_to_xhtml_body(html: str) -> str:
    """Sanitised HTML as well-formed XHTML markup (for EPUB content documents)."""
    writer = _XhtmlWriter()
    writer.feed(html)
    writer.close()
    writer.out.extend(f"</{tag}>" for tag in reversed(writer.open))
    return "".join(writer.out)


def _xml(text: str | None) -> str:
    return html_lib.escape(text or "", quote=True)


def epub_files(library: Library, entry: Entry) -> list[tuple[str, bytes]]:
    """The EPUB's files in zip order (``mimetype`` first), as (name in the zip, bytes)."""
    article = entry.article
    files = _picture_files(library, entry)
    body_html = _rewrite_pictures(
        entry.stored_html, lambda h: f"images/{files[h][0]}" if h in files else None
    )
    lang = article.lang or "en"
    title = article.title or "Untitled article"
    book_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'reader:' + entry.content_hash)}"
    modified = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    dir_attr = f' dir="{_xml(article.dir)}"' if article.dir in ("ltr", "rtl") else ""
    content = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{_XHTML_NS}" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'xml:lang="{_xml(lang)}" lang="{_xml(lang)}"{dir_attr}>\n'
        f'<head><meta charset="utf-8"/><title>{_xml(title)}</title>'
        '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
        f"<body><section>{html_to_xhtml_body(_header_html(article))}\n"
        f"{html_to_xhtml_body(body_html)}</section></body>\n</html>\n"
    )
    nav = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="{_XHTML_NS}" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'xml:lang="{_xml(lang)}" lang="{_xml(lang)}">\n'
        f"<head><title>{_xml(title)}</title></head>\n"
        '<body><nav epub:type="toc" id="toc"><h1>Contents</h1>'
        f'<ol><li><a href="content.xhtml">{_xml(title)}</a></li></ol></nav></body>\n</html>\n'
    )
    images = "".join(
        f'<item id="img{i}" href="images/{_xml(name)}" media-type="{mime}"/>\n'
        for i, (name, mime, _data) in enumerate(files.values())
    )
    creator = f"<dc:creator>{_xml(article.byline)}</dc:creator>\n" if article.byline else ""
    publisher = (
        f"<dc:publisher>{_xml(article.site_name)}</dc:publisher>\n" if article.site_name else ""
    )
    source = f"<dc:source>{_xml(article.source)}</dc:source>\n" if article.source else ""
    opf = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:identifier id="bookid">{book_id}</dc:identifier>\n'
        f"<dc:title>{_xml(title)}</dc:title>\n<dc:language>{_xml(lang)}</dc:language>\n"
        f"{creator}{publisher}{source}"
        f'<meta property="dcterms:modified">{modified}</meta>\n</metadata>\n<manifest>\n'
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>\n'
        '<item id="content" href="content.xhtml" media-type="application/xhtml+xml"/>\n'
        '<item id="css" href="style.css" media-type="text/css"/>\n'
        f"{images}</manifest>\n"
        '<spine><itemref idref="content"/></spine>\n</package>\n'
    )
    container = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
        '<rootfiles><rootfile full-path="OEBPS/package.opf" '
        'media-type="application/oebps-package+xml"/></rootfiles>\n</container>\n'
    )
    out = [
        ("mimetype", b"application/epub+zip"),
        ("META-INF/container.xml", container.encode()),
        ("OEBPS/package.opf", opf.encode()),
        ("OEBPS/nav.xhtml", nav.encode()),
        ("OEBPS/content.xhtml", content.encode()),
        ("OEBPS/style.css", READING_CSS.encode()),
    ]
    out += [(f"OEBPS/images/{name}", data) for name, _mime, data in files.values()]
    return out


def write_epub(library: Library, entry: Entry, target: Path) -> None:
    """Write an EPUB 3: ``mimetype`` first and stored, everything else deflated."""
    try:
        with zipfile.ZipFile(target, "w") as book:
            for name, data in epub_files(library, entry):
                stored = name == "mimetype"
                book.writestr(
                    zipfile.ZipInfo(name, date_time=time.gmtime()[:6]),
                    data,
                    compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
                )
    except OSError as exc:
        raise LibraryError(f"{target} cannot be written: {exc.strerror or exc}.") from exc


def export(library: Library, article_id: int, fmt: str, target: Path) -> None:
    """Export one saved article to ``target`` in ``fmt`` (html, markdown or epub)."""
    entry = library.get(article_id)
    if not target.parent.is_dir():
        raise LibraryError(
            f"{target} cannot be written: the folder {target.parent} does not exist."
        )
    if fmt == "epub":
        write_epub(library, entry, target)
        return
    if fmt == "html":
        text = export_html(library, entry)
    elif fmt == "markdown":
        text = export_markdown(library, entry, target)
    else:
        raise LibraryError(f"Cannot export to {fmt}; choose one of {', '.join(FORMATS)}.")
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise LibraryError(f"{target} cannot be written: {exc.strerror or exc}.") from exc
