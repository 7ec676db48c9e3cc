"""Safe HTTP fetching: http(s) only, bounded in time and size, with progress and cancel.

Every limit holds for the whole download: one deadline covers connecting, the headers and the
body (a guard thread closes the socket when it passes, so a server that drips a byte a second
cannot stretch it), and the size cap applies to the decoded body as well as to the bytes on the
wire, so a small gzip or brotli bomb cannot fill the memory. Redirects are followed by hand so
each target is checked. Nothing here imports Qt: the window runs :func:`fetch_page` in a worker.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import logging
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

import brotli

from reader import APP_ID, __version__
from reader.core.errors import FetchError
from reader.core.load import Page, load_bytes

log = logging.getLogger("reader.fetch")

DEFAULT_TIMEOUT = 20.0  # seconds for a whole page: connect, headers and body
DEFAULT_MAX_BYTES = 20 * 2**20  # no article page is this big; larger is a mistake or an attack
DEFAULT_MAX_REDIRECTS = 10  # what browsers allow is about 20; real sites need two or three
DEFAULT_USER_AGENT = f"AccessibleReader/{__version__} (+{APP_ID})"
PICTURE_MAX_BYTES = 10 * 2**20  # each picture on its own
PICTURE_WORKERS = 6  # what browsers open per host
_CHUNK = 64 * 1024
_GUARD_POLL = 0.05  # seconds between the guard's looks at the deadline and the cancel flag
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types that say nothing about the content: the body's first bytes decide.
_VAGUE_TYPES = frozenset({"", "text/plain", "application/octet-stream", "binary/octet-stream"})
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a picture"),
    (b"\xff\xd8\xff", "a picture"),
    (b"GIF8", "a picture"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x7fELF", "a program"),
)
_TYPE_NAMES: Mapping[str, str] = {
    "application/pdf": "a PDF",
    "application/zip": "a ZIP archive",
    "application/json": "JSON data",
    "application/epub+zip": "an EPUB book",
    "application/msword": "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document",
}

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True, kw_only=True)
class FetchOptions:
    """Limits of one download; the defaults suit an article page."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    user_agent: str = DEFAULT_USER_AGENT

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError(f"timeout must be positive, not {self.timeout!r}")
        if self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {self.max_bytes!r}")
        if self.max_redirects < 0:
            raise ValueError(f"max_redirects must not be negative, not {self.max_redirects!r}")
        if not self.user_agent.strip():
            raise ValueError("user_agent must not be empty")


PICTURE_OPTIONS = FetchOptions(max_bytes=PICTURE_MAX_BYTES)


@dataclass(frozen=True)
class FetchResult:
    """What the server sent for ``url`` after following redirects to ``final_url``."""

    url: str
    final_url: str
    status: int
    content_type: str | None
    body: bytes
    headers: Mapping[str, str] = field(repr=False)


class FetchCancelled(FetchError):
    """The user cancelled the download; not a failure to report loudly."""


# ---------------------------------------------------------------------------------------------
# Plain sentences


def _size(n: int) -> str:
    """A byte count as people say it: 20 MB, 512 KB, 300 bytes."""
    if n >= 2**20:
        return f"{n / 2**20:.3g} MB"
    if n >= 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n} bytes"


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url
    except ValueError:
        return url


def _status_phrase(status: int, reason: str) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} {reason}".strip()


def _network_error(exc: BaseException, url: str, timeout: float) -> FetchError:
    """One plain sentence for a failure below HTTP: DNS, refused, reset, TLS, time-out."""
    host = _host(url)
    reason: Any = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        return FetchError(f"The address {host} could not be found; check it and the connection.")
    if isinstance(reason, TimeoutError | socket.timeout):
        return FetchError(f"No answer from {host} within {timeout:g} s.")
    if isinstance(reason, ConnectionRefusedError):
        return FetchError(f"{host} refused the connection.")
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = reason.verify_message or "it is not valid"
        return FetchError(f"The security certificate of {host} cannot be trusted ({detail}).")
    if isinstance(reason, ssl.SSLError):
        return FetchError(f"A secure connection to {host} could not be made.")
    if isinstance(
        reason, ConnectionResetError | http.client.RemoteDisconnected | http.client.IncompleteRead
    ):
        return FetchError(f"{host} closed the connection before the page arrived.")
    if isinstance(reason, http.client.HTTPException):
        return FetchError(f"{host} sent an answer that is not valid HTTP.")
    if isinstance(reason, OSError) and reason.strerror:
        return FetchError(f"{url} could not be fetched: {reason.strerror.lower()}.")
    return FetchError(f"{url} could not be fetched: {reason}.")


# ---------------------------------------------------------------------------------------------
# The guard: one deadline and the cancel flag, enforced on the open socket


class _Guard:
    """Shuts the connection's socket down at the deadline or on cancel, unblocking any read."""

    def __init__(self, deadline: float, cancel: threading.Event | None) -> None:
        self.deadline = deadline
        self._cancel = cancel
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._done = threading.Event()
        self.tripped: str | None = None  # "timeout" or "cancel" once it acted
        self._thread = threading.Thread(target=self._watch, name="reader-fetch-guard", daemon=True)
        self._thread.start()

    def remaining(self) -> float:
        """Seconds left, never quite 0 (a socket time-out of 0 would mean non-blocking)."""
        return max(self.deadline - time.monotonic(), 0.001)

    def check(self) -> None:
        """Raise the guard's verdict if the deadline has passed or cancel is set."""
        if self._cancel is not None and self._cancel.is_set():
            self.tripped = self.tripped or "cancel"
        elif time.monotonic() >= self.deadline:
            self.tripped = self.tripped or "timeout"
        if self.tripped:
            raise _Tripped(self.tripped)

    def attach(self, sock: socket.socket) -> None:
        """Watch a freshly connected socket (shut at once if the guard already acted)."""
        with self._lock:
            self._socks.append(sock)
            if self.tripped:
                _shut(sock)

    def _watch(self) -> None:
        while not self._done.wait(_GUARD_POLL):
            cancelled = self._cancel is not None and self._cancel.is_set()
            if cancelled or time.monotonic() >= self.deadline:
                with self._lock:
                    if self._done.is_set():
                        return
                    self.tripped = "cancel" if cancelled else "timeout"
                    for sock in self._socks:
                        _shut(sock)
                return

    def stop(self) -> str | None:
        """Stop watching; returns what the guard did, if anything."""
        with self._lock:
            self._done.set()
            return self.tripped


class _Tripped(Exception):
    """Internal: the guard's deadline or cancel flag ended the download."""


def _shut(sock: socket.socket) -> None:
    # socket.socket.shutdown, not SSLSocket's: no TLS goodbye from the wrong thread.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _GuardedHTTPConnection(http.client.HTTPConnection):
    """A connection that hands its socket to the guard once connected."""

    def __init__(self, host: str, *, guard: _Guard, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._guard = guard

    def connect(self) -> None:
        super().connect()
        self._guard.attach(self.sock)


class _GuardedHTTPSConnection(_GuardedHTTPConnection, http.client.HTTPSConnection):
    """The same for https: in this order ``super()`` reaches HTTPSConnection, so ``connect``
    wraps the socket in TLS first and the guard gets the TLS socket."""


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    """Opens http connections whose sockets the guard can shut."""

    def __init__(self, guard: _Guard) -> None:
        super().__init__()
        self._guard = guard

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_GuardedHTTPConnection, guard=self._guard), req)


def _tls_settings() -> tuple[str | None, str | None]:
    return os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")


@functools.lru_cache(maxsize=4)
def _tls_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """The system's certificate authorities, loaded once: loading them costs 100 ms or more.

    Keyed on SSL_CERT_FILE and SSL_CERT_DIR, which OpenSSL reads, so a change takes effect.
    """
    return ssl.create_default_context()


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    """Opens https connections, verified against the system's authorities, the guard can shut."""

    def __init__(self, guard: _Guard) -> None:
        super().__init__()
        self._guard = guard

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(_GuardedHTTPSConnection, guard=self._guard)
        return self.do_open(connection, req, context=_tls_context(*_tls_settings()))


class _EveryAnswer(urllib.request.HTTPErrorProcessor):
    """Hand every status back to us: redirects are followed by hand, errors worded by us."""

    def http_response(
        self, request: urllib.request.Request, response: http.client.HTTPResponse
    ) -> http.client.HTTPResponse:
        return response

    https_response = http_response


def _opener(guard: _Guard) -> urllib.request.OpenerDirector:
    """http and https only, proxies from the environment, no automatic redirects."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),  # reads http_proxy, https_proxy, no_proxy now
        urllib.request.UnknownHandler(),
        _GuardedHTTPHandler(guard),
        _GuardedHTTPSHandler(guard),
        _EveryAnswer(),
    ):
        opener.add_handler(handler)
    return opener


# ---------------------------------------------------------------------------------------------
# Content decoding with a cap on what comes out


class _Decoder(Protocol):
    def feed(self, data: bytes, limit: int) -> bytes: ...

    def complete(self) -> bool: ...


class _Identity:
    def feed(self, data: bytes, limit: int) -> bytes:
        return data

    def complete(self) -> bool:
        return True


class _Zlib:
    """gzip, or deflate with or without the zlib wrapper (servers send both)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._inflater: Any = zlib.decompressobj(31) if gzip else None

    def feed(self, data: bytes, limit: int) -> bytes:
        if self._inflater is None:
            if not data:
                return b""
            wrapped = (
                len(data) >= 2 and (data[0] & 0x0F) == 8 and (data[0] << 8 | data[1]) % 31 == 0
            )
            self._inflater = zlib.decompressobj(15 if wrapped else -15)
        # At most limit + 1 bytes: one byte more than allowed is enough to know it is too big.
        return bytes(self._inflater.decompress(data, limit + 1))

    def complete(self) -> bool:
        return self._inflater is not None and bool(self._inflater.eof)


class _Brotli:
    def __init__(self) -> None:
        self._decompressor: Any = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        out = self._decompressor.process(data, output_buffer_limit=limit + 1)
        return bytes(out)

    def complete(self) -> bool:
        return bool(self._decompressor.is_finished())


def _decoders(content_encoding: str, url: str) -> list[_Decoder]:
    """Decoders in the order to apply them (the header lists them in the order applied)."""
    chain: list[_Decoder] = []
    for token in reversed([t.strip().lower() for t in content_encoding.split(",") if t.strip()]):
        if token in ("gzip", "x-gzip"):
            chain.append(_Zlib(gzip=True))
        elif token == "deflate":
            chain.append(_Zlib(gzip=False))
        elif token == "br":
            chain.append(_Brotli())
        elif token != "identity":
            raise FetchError(f"{url} is packed as {token!r}, which the reader cannot unpack.")
    return chain or [_Identity()]


# ---------------------------------------------------------------------------------------------
# The download


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _check_html_type(content_type: str | None, url: str) -> None:
    """Refuse a body the server calls something other than a web page."""
    media = _media_type(content_type)
    if media in _HTML_TYPES or media in _VAGUE_TYPES or media.endswith("+xml"):
        return
    if media in ("text/xml", "application/xml"):
        return
    what = _TYPE_NAMES.get(media)
    if what is None:
        major = media.split("/", 1)[0]
        what = {
            "image": "a picture",
            "video": "a video",
            "audio": "a sound file",
            "font": "a font",
        }.get(major, f"a {media} file")
    raise FetchError(f"{url} is {what}, not a web page.")


def _sniff_html(head: bytes, url: str) -> None:
    """Refuse a body whose first bytes show it is a PDF, picture or archive, whatever its label."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise FetchError(f"{url} is {what}, not a web page.")


def _check_picture_type(content_type: str | None, url: str) -> None:
    if not _media_type(content_type).startswith("image/"):
        shown = _media_type(content_type) or "no type"
        raise FetchError(f"{url} is not a picture ({shown}).")


def _validate_url(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  # raises ValueError for a bad port
    except ValueError as exc:
        raise FetchError(f"{url} is not a valid web address.") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"{url} is not an http or https address.")
    if not parts.hostname:
        raise FetchError(f"{url} is not a valid web address.")
    return url.strip()


def _headers(response: http.client.HTTPResponse) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in response.getheaders():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _read_body(
    response: http.client.HTTPResponse,
    *,
    url: str,
    options: FetchOptions,
    what: str,
    progress: Progress | None,
    guard: _Guard,
    sniff: Callable[[bytes], None] | None,
) -> bytes:
    """Read and decode the body within the size cap, reporting bytes received."""
    too_big = FetchError(f"{what} at {url} is larger than {_size(options.max_bytes)}.")
    length_header = response.getheader("Content-Length")
    total = int(length_header) if length_header and length_header.isdigit() else None
    if total is not None and total > options.max_bytes:
        raise too_big
    chain = _decoders(response.getheader("Content-Encoding") or "", url)
    received = 0
    parts: list[bytes] = []
    size = 0
    if progress is not None:
        progress(0, total)
    while True:
        guard.check()
        chunk = response.read1(_CHUNK)
        guard.check()  # an empty read may be the guard's doing, not the end of the body
        if not chunk:
            break
        received += len(chunk)
        if received > options.max_bytes:
            raise too_big
        data = chunk
        try:
            for decoder in chain:
                data = decoder.feed(data, options.max_bytes - size)
        except (zlib.error, brotli.error) as exc:
            raise FetchError(f"{url} was sent packed in a way that cannot be unpacked.") from exc
        if sniff is not None and size == 0 and data:
            sniff(data)
        size += len(data)
        if size > options.max_bytes:
            raise too_big
        parts.append(data)
        if progress is not None:
            progress(received, total)
    if not all(decoder.complete() for decoder in chain):
        # Browsers show what a cut-short stream held; only an empty result is an error.
        if size == 0:
            raise FetchError(f"{url} was sent packed in a way that cannot be unpacked.")
        log.warning("%s ended before its compressed stream did; keeping what arrived", url)
    return b"".join(parts)


def _download(
    url: str,
    options: FetchOptions,
    *,
    accept: str,
    check_type: Callable[[str | None, str], None],
    sniff: Callable[[bytes], None] | None,
    what: str,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> FetchResult:
    """Follow redirects by hand and read the final body, all within one deadline."""
    original = _validate_url(url)
    current = original
    guard = _Guard(time.monotonic() + options.timeout, cancel)
    opener = _opener(guard)
    try:
        for _hop in range(options.max_redirects + 1):
            request = urllib.request.Request(
                current,
                headers={
                    "User-Agent": options.user_agent,
                    "Accept": accept,
                    "Accept-Encoding": "gzip, deflate, br",
                },
            )
            guard.check()
            response: http.client.HTTPResponse = opener.open(request, timeout=guard.remaining())
            with response:
                status = response.status
                if status in _REDIRECTS:
                    location = response.getheader("Location")
                    if not location:
                        raise FetchError(
                            f"The server answered {_status_phrase(status, response.reason)} "
                            f"for {current} without saying where to."
                        )
                    target = urljoin(current, location.strip())
                    if urlsplit(target).scheme.lower() not in ("http", "https"):
                        raise FetchError(
                            f"{current} redirects to {target}, which is not a web address."
                        )
                    current = _validate_url(target)
                    continue
                if not 200 <= status < 300:
                    raise FetchError(
                        f"The server answered {_status_phrase(status, response.reason)} "
                        f"for {current}."
                    )
                content_type = response.getheader("Content-Type")
                check_type(content_type, original)
                body = _read_body(
                    response,
                    url=current,
                    options=options,
                    what=what,
                    progress=progress,
                    guard=guard,
                    sniff=sniff,
                )
                return FetchResult(
                    url=original,
                    final_url=current,
                    status=status,
                    content_type=content_type,
                    body=body,
                    headers=_headers(response),
                )
        raise FetchError(f"Too many redirects from {original}.")
    except _Tripped as exc:
        raise _tripped_error(str(exc), original, options) from None
    except FetchError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        verdict = guard.stop()
        if verdict is not None:
            raise _tripped_error(verdict, original, options) from exc
        if isinstance(exc, ValueError):
            raise FetchError(f"{current} is not a valid web address.") from exc
        raise _network_error(exc, current, options.timeout) from exc
    finally:
        guard.stop()


def _tripped_error(verdict: str, url: str, options: FetchOptions) -> FetchError:
    if verdict == "cancel":
        return FetchCancelled(f"Fetching {url} was cancelled.")
    return FetchError(f"No answer from {_host(url)} within {options.timeout:g} s.")


# ---------------------------------------------------------------------------------------------
# Public API


def fetch(
    url: str,
    options: FetchOptions | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> FetchResult:
    """Download the web page at ``url``; refuses non-HTML, raises FetchError in a plain sentence.

    ``progress(received, total)`` is called from this thread with bytes received so far and the
    announced length (None when the server does not say); setting ``cancel`` stops the download
    within a fraction of a second with :class:`FetchCancelled`.
    """
    opts = options or FetchOptions()
    return _download(
        url,
        opts,
        accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        check_type=_check_html_type,
        sniff=lambda head: _sniff_html(head, url.strip()),
        what="The page",
        progress=progress,
        cancel=cancel,
    )


def fetch_page(
    url: str,
    options: FetchOptions | None = None,
    *,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    base_url: str | None = None,
) -> Page:
    """Fetch and decode a web page; links resolve against ``base_url`` or the final URL."""
    result = fetch(url, options, progress=progress, cancel=cancel)
    return load_bytes(
        result.body,
        source=result.final_url,
        content_type=result.content_type,
        base_url=base_url or result.final_url,
    )


def fetch_picture(
    url: str, options: FetchOptions | None = None, *, cancel: threading.Event | None = None
) -> bytes:
    """Download one picture (an image/* answer only) within its own time and size limits."""
    result = _download(
        url,
        options or PICTURE_OPTIONS,
        accept="image/*",
        check_type=_check_picture_type,
        sniff=None,
        what="The picture",
        progress=None,
        cancel=cancel,
    )
    return result.body


def fetch_pictures(
    urls: Iterable[str],
    options: FetchOptions | None = None,
    *,
    workers: int = PICTURE_WORKERS,
    cancel: threading.Event | None = None,
) -> dict[str, bytes]:
    """Download pictures in parallel; the ones that fail are logged and left out."""
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    pictures: dict[str, bytes] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="reader-pic") as pool:
        futures = {u: pool.submit(fetch_picture, u, options, cancel=cancel) for u in unique}
        for picture_url, future in futures.items():
            try:
                pictures[picture_url] = future.result()
            except FetchError as exc:
                log.warning("Picture left out: %s", exc)
    return pictures


class _ImageSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            src = dict(attrs).get("src")
            if src:
                self.sources.append(src.strip())


def picture_urls(article_html: str, base_url: str | None = None) -> list[str]:
    """The absolute http(s) ``<img src>`` addresses of an article, once each, in page order."""
    parser = _ImageSources()
    parser.feed(article_html)
    parser.close()
    found: dict[str, None] = {}
    for src in parser.sources:
        absolute = urljoin(base_url, src) if base_url else src
        parts = urlsplit(absolute)
        if parts.scheme.lower() in ("http", "https") and parts.hostname:
            found.setdefault(absolute.split("#", 1)[0], None)
    return list(found)
