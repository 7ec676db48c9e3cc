"""A real HTTP(S) server on 127.0.0.1 for tests: routes are functions that write the answer.

The server runs in a thread on a port the system picks. Routes can redirect, stall, drip bytes,
stream forever or send any body and headers, so the fetcher is tested against real sockets and
never against the internet. Every request is recorded with its headers.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

Handler = Callable[["RequestHandler"], None]

CERT_DIR = Path(__file__).parent / "fixtures" / "fetch"
CERT_FILE = CERT_DIR / "test-cert.pem"  # self-signed for 127.0.0.1, valid until 2126
KEY_FILE = CERT_DIR / "test-key.pem"


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: Mapping[str, str] = field(repr=False)


class RequestHandler(BaseHTTPRequestHandler):
    """Dispatches GET to the route registered for the path (query string ignored)."""

    server: TestServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.server.seen.append(
            Seen("GET", self.path, {k.lower(): v for k, v in self.headers.items()})
        )
        route = self.server.routes.get(self.path.split("?", 1)[0], self.server.fallback)
        # The client hanging up is exactly what time-out and size-cap tests provoke.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError):
            route(self)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read ``server.seen`` instead of a log."""

    def send_body(
        self,
        body: bytes,
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: Mapping[str, str] | None = None,
        length: bool = True,
    ) -> None:
        """Send a whole answer in one go."""
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def pause(self, seconds: float) -> bool:
        """Sleep, waking early when the server stops; True if the server is still running."""
        return not self.server.stopping.wait(seconds)


def not_found(handler: RequestHandler) -> None:
    """The default route."""
    handler.send_body(b"<h1>Not here</h1>", status=404)


class TestServer(ThreadingHTTPServer):
    """A threaded server whose routes tests set; ``url(path)`` gives the address to fetch."""

    daemon_threads = True
    __test__ = False  # not a pytest test class

    def __init__(self, *, tls: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), RequestHandler)
        self.routes: dict[str, Handler] = {}
        self.fallback: Handler = not_found
        self.seen: list[Seen] = []
        self.stopping = threading.Event()
        self.scheme = "http"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(CERT_FILE, KEY_FILE)
            self.socket = context.wrap_socket(self.socket, server_side=True)
            self.scheme = "https"

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}"

    def url(self, path: str) -> str:
        """The absolute address of ``path`` on this server."""
        return self.origin + path

    def route(self, path: str, handler: Handler) -> str:
        """Serve ``path`` with ``handler``; returns its URL."""
        self.routes[path] = handler
        return self.url(path)

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up mid-answer are expected here; stay quiet."""


@contextlib.contextmanager
def serve(*, tls: bool = False) -> Iterator[TestServer]:
    """Run a TestServer in a thread for the duration of the block."""
    server = TestServer(tls=tls)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()


def without_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset the machine's proxy variables, so requests reach this server directly."""
    for var in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.upper(), raising=False)


# Route builders -------------------------------------------------------------------------------


def page(
    body: bytes,
    content_type: str | None = "text/html; charset=utf-8",
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    length: bool = True,
) -> Handler:
    """Answer with ``body`` (with no Content-Length of our own when ``length`` is false)."""
    return lambda h: h.send_body(
        body, status=status, content_type=content_type, headers=headers, length=length
    )


def redirect(location: str, status: int = 302) -> Handler:
    """Answer with a redirect to ``location`` (relative or absolute)."""
    return lambda h: h.send_body(b"", status=status, headers={"Location": location})


def stall(seconds: float) -> Handler:
    """Say nothing for ``seconds`` (or until the server stops), then answer a small page."""

    def handler(h: RequestHandler) -> None:
        if h.pause(seconds):
            h.send_body(b"<p>late</p>")

    return handler


def endless(chunk: bytes = b"<p>" + b"x" * 8192 + b"</p>\n") -> Handler:
    """A page with no length that never ends (until the client hangs up or the server stops)."""

    def handler(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        while not h.server.stopping.is_set():
            h.wfile.write(chunk)

    return handler


def drip(interval: float, piece: bytes = b"<p>drip</p>\n", *, length: int = 10**6) -> Handler:
    """Announce ``length`` bytes, then send a small piece every ``interval`` seconds."""

    def handler(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(length))
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.flush()
        while h.pause(interval):
            h.wfile.write(piece)
            h.wfile.flush()

    return handler


def drip_headers(interval: float) -> Handler:
    """Send the status line, then one more header line every ``interval`` seconds, forever."""

    def handler(h: RequestHandler) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        h.wfile.flush()
        n = 0
        while h.pause(interval):
            n += 1
            h.wfile.write(f"X-Pad-{n}: still coming\r\n".encode())
            h.wfile.flush()

    return handler
