"""How the addresses in an article resolve: one rule for the extractor and the view.

A page read from a file resolves its links against the file's ``file:`` URI, as a browser
does, with one exception: a network-path reference (``//upload.wikimedia.org/a.png``, which
Wikipedia and many sites write) means "the same scheme as this page", and the page came from
the web, not from a file server named ``upload.wikimedia.org``. Joined to ``file:`` it gave
``file://upload.wikimedia.org/a.png``: a blank where a picture's alt text belongs, and a link
the view refused as a local file. Such references get ``https:``, the web's scheme.

The extractor also resolves a saved page's links (not its pictures) against the web address
the page names as its own, when it names one (``reader.core.load.find_web_address``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

WEB_SCHEME = "https"


def absolute_url(base_url: str | None, url: str) -> str:
    """``url`` made absolute against ``base_url`` (see the module's docstring); an in-page
    ``#anchor``, an empty ``url`` or one without a base is returned stripped, as it was."""
    url = url.strip()
    if not base_url or not url or url.startswith("#"):
        return url
    if url.startswith("//") and base_url[:5].lower() == "file:":
        return f"{WEB_SCHEME}:{url}"
    try:
        return urljoin(base_url, url)
    except ValueError:  # a malformed address (an unclosed IPv6 bracket): kept as written
        return url


def local_file_path(url: str) -> Path | None:
    """The path a ``file:`` URL of this computer (no host, or ``localhost``) names, else None;
    an article extracted before the rule above can hold ``file://example.org/...``, which is
    not one."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() != "file" or parts.netloc.lower() not in ("", "localhost"):
        return None
    return Path(unquote(parts.path))


def is_local_file_url(url: str) -> bool:
    """True for a ``file:`` URL of this computer (see local_file_path)."""
    return local_file_path(url) is not None
