"""Reading an article from the web: fetch the page, extract it, download its pictures.

One task for every front: the window runs :func:`fetch_article` in a worker thread (with progress
and cancel), ``reader library add URL`` calls it directly. The caller then keeps the article with
its pictures in the library, or shows it with :func:`inline_pictures`; nothing here touches Qt.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urljoin, urlsplit

from reader.core.article import Article
from reader.core.errors import ReaderError

# The library module (sqlite3 and more), for pictures, is imported where pictures are handled:
# the window imports this module at start for is_web_address.
if TYPE_CHECKING:  # fetch pulls in http.client and ssl: imported when a page is fetched
    from reader.core.fetch import FetchOptions, Progress
    from reader.core.load import Page

log = logging.getLogger("reader.web")

Extractor = Callable[["Page"], Article]


class FetchedArticle(NamedTuple):
    """An article read from the web with the pictures it shows, keyed by their ``src``. A named
    tuple: the window imports this module at start, and a frozen dataclass compiles its methods
    from source as it loads (~0.8 ms)."""

    url: str
    article: Article
    pictures: Mapping[str, bytes]


def is_web_address(text: str) -> bool:
    """True for an http or https URL with a host."""
    parts = urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _default_extract(page: Page) -> Article:
    from reader.core.extract import extract  # imported when first needed: it is the heavy part

    return extract(page)


@contextmanager
def extraction_errors(name: str) -> Iterator[None]:
    """Let a ReaderError through; turn any other error (an extractor bug) into one sentence
    naming ``name``, the URL or path the user gave, with the details in the log."""
    try:
        yield
    except ReaderError:
        raise
    except Exception as exc:
        log.exception("extraction failed for %s", name)
        raise ReaderError(
            f"{name} could not be shown: the article could not be extracted."
        ) from exc


def with_source(article: Article, page: Page, name: str) -> Article:
    """``article`` with its source filled in: the page's, else ``name`` as the last resort."""
    return article if article.source else replace(article, source=page.source or name)


def extract_page(page: Page, extract: Extractor | None = None, *, name: str) -> Article:
    """Extract ``page``'s article, its source filled in; an extractor bug becomes one sentence.

    ``name`` is the URL or path the user gave, for the sentence and as the last-resort source.
    """
    with extraction_errors(name):
        article = (extract or _default_extract)(page)
    return with_source(article, page, name)


def _check(cancel: threading.Event | None, url: str) -> None:
    if cancel is not None and cancel.is_set():
        from reader.core.fetch import FetchCancelled

        raise FetchCancelled(f"Fetching {url} was cancelled.")


def fetch_article(
    url: str,
    extract: Extractor | None = None,
    options: FetchOptions | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> FetchedArticle:
    """Fetch ``url``, extract its article and download its pictures in parallel (blocking).

    ``extract`` defaults to the core extractor; ``progress`` and ``cancel`` are as for
    :func:`reader.core.fetch.fetch`, and a cancel between stages raises ``FetchCancelled``.
    """
    from reader.core.fetch import fetch_page, fetch_pictures, picture_urls

    page = fetch_page(url, options, progress=progress, cancel=cancel)
    _check(cancel, url)
    article = extract_page(page, extract, name=url)
    _check(cancel, url)
    wanted = picture_urls(article.html, page.base_url)
    got = fetch_pictures(wanted, cancel=cancel)
    _check(cancel, url)
    return FetchedArticle(url, article, pictures_by_src(article.html, page.base_url, got))


def pictures_by_src(
    article_html: str, base_url: str | None, got: Mapping[str, bytes]
) -> dict[str, bytes]:
    """Pictures keyed by their absolute URL and by ``src`` as written in the HTML.

    The library resolves ``src`` against the article's source; a page with its own ``<base>``
    resolves elsewhere, so the exact ``src`` is given too.
    """
    from html import unescape  # here, not at import: the window imports this module at start

    from reader.core.library import IMG_SRC_RE

    pictures = dict(got)
    for match in IMG_SRC_RE.finditer(article_html):
        raw = unescape(match.group(2)).strip()
        absolute = (urljoin(base_url, raw) if base_url else raw).split("#", 1)[0]
        if absolute in got:
            pictures[raw] = got[absolute]
    return pictures


def inline_pictures(article: Article, pictures: Mapping[str, bytes]) -> Article:
    """The article with each downloaded picture as a ``data:`` URL (for not keeping it)."""
    if not pictures:
        return article
    from html import unescape

    from reader.core.library import IMG_SRC_RE
    from reader.core.pictures import picture_type

    def to_data(match: re.Match[str]) -> str:
        data = pictures.get(unescape(match.group(2)).strip())
        kind = picture_type(data) if data else None
        if data is None or kind is None:
            return match.group(0)
        encoded = base64.b64encode(data).decode("ascii")
        return f"{match.group(1)}data:{kind[0]};base64,{encoded}{match.group(3)}"

    return replace(article, html=IMG_SRC_RE.sub(to_data, article.html))
