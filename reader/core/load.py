"""Bytes, a path or a URL to decoded HTML with its base URL.

Decoding follows the order browsers use: byte-order mark, then the declared charset (HTTP
header, ``<meta charset>``, ``http-equiv``), then detection when the declaration is missing or
wrong, so a page labelled utf-8 but written in windows-1251 still comes out as readable text.
"""

from __future__ import annotations

import codecs
import gzip
import re
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from reader.core.errors import LoadError
from reader.core.html_names import START_TAG_ATTRIBUTE
from reader.core.limits import MAX_INPUT_BYTES

_SNIFF_BYTES = 8192  # browsers look for <meta charset> in the first 1024 bytes; be lenient
_DETECT_BYTES = 256 * 1024  # detection on a prefix is as good and bounded in time

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels that WHATWG maps to windows-1252: decoding with it never loses the C1 range.
_WIN1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "ascii", "us-ascii", "l1"}
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)""", re.I)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:+-]+)""", re.I)
_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.+-]+)""", re.I)
_TAG_RE = re.compile(rb"<[^>]*>")
_ASCII = bytes(range(128))
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_BASE_RE = re.compile(r"""<base\s[^>]*href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_LINK_OR_META_RE = re.compile(r"<(link|meta)\s([^>]*)>", re.I)  # (see find_web_address)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x7fELF", "a program"),
    (b"RIFF", "a media file"),
    (b"OggS", "a media file"),
    (b"ID3", "an audio file"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"BM", "a bitmap image"),
)


@dataclass(frozen=True)
class Page:
    """A decoded page: its HTML text, the URL links resolve against, and where it came from."""

    html: str
    base_url: str | None
    source: str | None
    encoding: str


def normalise_encoding(label: str | None) -> str | None:
    """Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _WIN1252_ALIASES:
        label = "windows-1252"
    try:
        name = codecs.lookup(label).name
    except (LookupError, ValueError):
        return None
    # A page cannot truly be UTF-16 once we read its meta tag as ASCII bytes.
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def _declared_encoding(head: bytes, content_type: str | None) -> str | None:
    if content_type:
        header = _HEADER_CHARSET_RE.search(content_type)
        if header and (enc := normalise_encoding(header.group(1))):
            return enc
    for regex in (_XML_DECL_RE, _META_CHARSET_RE):
        meta = regex.search(head)
        if meta and (enc := normalise_encoding(meta.group(1).decode("ascii", "ignore"))):
            return enc
    return None


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_DETECT_BYTES]).best()
    return normalise_encoding(best.encoding) if best is not None else None


def _is_single_byte(encoding: str | None) -> bool:
    if not encoding or encoding == "utf-8":
        return False
    try:  # multi-byte codecs (Shift JIS, GBK, EUC-KR...) spend two bytes on one of these
        return all(len(ch.encode(encoding, "ignore")) <= 1 for ch in "Aé\u0416\u05d0\u3042")
    except LookupError:
        return False


def _mostly_high_bytes(data: bytes) -> bool:
    """True when most letters outside tags are non-ASCII bytes: not Western European text.

    French or German text has a few accented letters in a hundred; text in another alphabet
    wrongly labelled windows-1252 (or latin-1) has almost nothing but high bytes.
    """
    text = _TAG_RE.sub(b" ", data[:_DETECT_BYTES])
    high = len(text) - len(text.translate(None, _ASCII))
    letters = len(text) - len(text.translate(None, _ASCII_LETTERS))
    return high * 10 > 3 * (high + letters)  # over 30% of the letters


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _maybe_decompress(data: bytes, name: str) -> bytes:
    """Unwrap a gzip or zlib body saved without its Content-Encoding, within the size cap."""
    if not (data.startswith(b"\x1f\x8b") or data[:2] in (b"\x78\x9c", b"\x78\x01", b"\x78\xda")):
        return data
    wbits = 31 if data.startswith(b"\x1f\x8b") else 15
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, MAX_INPUT_BYTES + 1)
    except (zlib.error, gzip.BadGzipFile) as exc:
        raise LoadError(f"{name} is compressed data that could not be unpacked.") from exc
    if len(out) > MAX_INPUT_BYTES:
        raise LoadError(f"{name} unpacks to more than {MAX_INPUT_BYTES // 2**20} MB.")
    if not inflater.eof and not out.strip():  # cut off before any of the page came out
        raise LoadError(f"{name} is compressed data that could not be unpacked.")
    return out


def _refuse_binary(data: bytes, name: str) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise LoadError(f"{name} is {what}, not a web page.")
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.10:
        raise LoadError(f"{name} holds binary data, not a web page.")


def decode_html(
    data: bytes, *, content_type: str | None = None, name: str = "The page"
) -> tuple[str, str]:
    """Decode page bytes to (text, encoding): BOM, declared charset, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace").replace("\x00", ""), encoding
    data = _maybe_decompress(data, name)
    _refuse_binary(data, name)
    declared = _declared_encoding(data[:_SNIFF_BYTES], content_type)
    if declared == "cp1252" and _mostly_high_bytes(data):
        declared = _detect(data) or declared  # Cyrillic or Greek sent as "iso-8859-1"
    # Bytes that are valid UTF-8 and not plain ASCII are UTF-8 whatever a single-byte label says:
    # legacy text almost never forms valid multi-byte sequences by chance.
    prefer_utf8 = _is_single_byte(declared) and not data.isascii()
    order = ("utf-8", declared) if prefer_utf8 else (declared, "utf-8")
    for candidate in order:
        if candidate and (text := _strict(data, candidate)) is not None:
            return text.replace("\x00", ""), candidate
    detected = _detect(data) or declared or "windows-1252"
    return data.decode(detected, "replace").replace("\x00", ""), detected


def find_base_url(html: str, source_url: str | None) -> str | None:
    """The URL relative links resolve against: ``<base href>`` joined to the source URL."""
    m = _BASE_RE.search(html[:65536])
    href = next((g for g in m.groups() if g is not None), "").strip() if m else ""
    if href and urlsplit(href).scheme.lower() in ("", "http", "https"):
        return urljoin(source_url or "", href) or source_url
    return source_url


def find_web_address(html: str) -> str | None:
    """The web address a page gives as its own (``<link rel="canonical">``, else the
    ``og:url`` meta tag) in its first 64 KB, when it is an absolute http(s) URL; else None.
    A page saved to a file still names where it lives on the web."""
    found: dict[str, str] = {}
    for tag in _LINK_OR_META_RE.finditer(html[:65536]):
        attributes = {
            name.lower(): double or single or bare
            for name, double, single, bare in START_TAG_ATTRIBUTE.findall(tag[2])
        }
        if tag[1].lower() == "link" and "canonical" in attributes.get("rel", "").lower().split():
            found.setdefault("canonical", attributes.get("href", ""))
        elif attributes.get("property", "").strip().lower() == "og:url":
            found.setdefault("og:url", attributes.get("content", ""))
    for key in ("canonical", "og:url"):
        address = found.get(key, "").strip().replace("&amp;", "&")
        try:
            parts = urlsplit(address)
        except ValueError:
            continue
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            return address
    return None


def load_bytes(
    data: bytes,
    *,
    source: str | None = None,
    content_type: str | None = None,
    base_url: str | None = None,
) -> Page:
    """Decode ``data`` into a ``Page``; ``source`` names it in errors and is the default base."""
    name = source or "The page"
    if len(data) > MAX_INPUT_BYTES:
        raise LoadError(f"{name} is larger than {MAX_INPUT_BYTES // 2**20} MB.")
    if not data.strip():
        raise LoadError(f"{name} is empty.")
    html, encoding = decode_html(data, content_type=content_type, name=name)
    if not html.strip():
        raise LoadError(f"{name} is empty.")
    base = find_base_url(html, base_url or source)
    return Page(html=html, base_url=base, source=source, encoding=encoding)


def load_path(path: str | Path, *, base_url: str | None = None) -> Page:
    """Read and decode a local file, with a plain error for every way that can fail."""
    p = Path(path)
    try:
        if p.is_dir():
            raise LoadError(f"{p} is a folder, not a web page.")
        mode = p.stat().st_mode
        if not stat.S_ISREG(mode):  # /dev/zero or a named pipe would never end (or never start)
            raise LoadError(f"{p} is a device or pipe, not a web page.")
        if p.stat().st_size > MAX_INPUT_BYTES:
            raise LoadError(f"{p} is larger than {MAX_INPUT_BYTES // 2**20} MB.")
        with p.open("rb") as handle:  # at most one byte past the limit, even if the file grows
            data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError as exc:
        raise LoadError(f"{p} does not exist.") from exc
    except PermissionError as exc:
        raise LoadError(f"{p} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise LoadError(f"{p} cannot be read: {exc.strerror or exc}.") from exc
    return load_bytes(data, source=str(p), base_url=base_url or p.resolve().as_uri())


def is_url(spec: str) -> bool:
    """True for an http or https address."""
    return urlsplit(spec).scheme.lower() in ("http", "https")


def load_input(spec: str, *, base_url: str | None = None) -> Page:
    """Load a path or URL given on the command line or in the window."""
    if is_url(spec):
        from reader.core.fetch import fetch_page  # imported here: fetch itself imports this module

        return fetch_page(spec, base_url=base_url)
    return load_path(spec, base_url=base_url)
