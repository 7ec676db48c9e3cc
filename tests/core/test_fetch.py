"""The fetcher against a real HTTP server on 127.0.0.1: limits, redirects, encodings, errors."""

from __future__ import annotations

import gzip
import logging
import socket
import ssl
import threading
import zlib
from collections.abc import Iterator

import brotli
import pytest

from reader import __version__
from reader.core import fetch as fetch_module
from reader.core.errors import FetchError, ReaderError
from reader.core.fetch import (
    DEFAULT_USER_AGENT,
    FetchCancelled,
    FetchOptions,
    fetch,
    fetch_page,
    fetch_pictures,
    picture_urls,
)
from reader.core.load import load_input
from tests.httpserver import (
    CERT_FILE,
    Handler,
    RequestHandler,
    TestServer,
    drip,
    drip_headers,
    endless,
    page,
    redirect,
    serve,
    stall,
    without_proxies,
)

ARTICLE = b"<!doctype html><html><head><title>T</title></head><body><p>Hello</p></body></html>"
SMALL = FetchOptions(timeout=1.0, max_bytes=64 * 1024)


@pytest.fixture(autouse=True)
def _no_proxy_from_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to 127.0.0.1 directly unless a test sets a proxy itself."""
    without_proxies(monkeypatch)


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serve() as srv:
        yield srv


# Basics ----------------------------------------------------------------------------------------


def test_fetch_returns_body_type_and_final_url(server: TestServer) -> None:
    url = server.route("/article.html", page(ARTICLE, headers={"X-Test": "yes"}))
    result = fetch(url)
    assert result.body == ARTICLE
    assert result.status == 200
    assert result.url == result.final_url == url
    assert result.content_type == "text/html; charset=utf-8"
    assert result.headers["x-test"] == "yes"


def test_user_agent_and_encodings_are_announced(server: TestServer) -> None:
    fetch(server.route("/a", page(ARTICLE)))
    (seen,) = server.seen
    assert seen.headers["user-agent"] == DEFAULT_USER_AGENT
    assert seen.headers["user-agent"].startswith(f"AccessibleReader/{__version__} (+")
    assert {"gzip", "deflate", "br"} <= {
        t.strip() for t in seen.headers["accept-encoding"].split(",")
    }


def test_custom_user_agent_is_sent(server: TestServer) -> None:
    fetch(server.route("/a", page(ARTICLE)), FetchOptions(user_agent="Probe/1"))
    assert server.seen[0].headers["user-agent"] == "Probe/1"


@pytest.mark.parametrize(
    "kwargs", [{"timeout": 0}, {"max_bytes": 0}, {"max_redirects": -1}, {"user_agent": " "}]
)
def test_bad_options_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must"):
        FetchOptions(**kwargs)


# Redirects -------------------------------------------------------------------------------------


def test_redirects_are_followed_and_final_url_is_the_base(server: TestServer) -> None:
    server.route("/old", redirect("/middle", 301))
    server.route("/middle", redirect(server.url("/new/article.html"), 307))
    final = server.route("/new/article.html", page(b'<p>moved</p><img src="pic.png">'))
    result = fetch(server.url("/old"))
    assert result.final_url == final
    assert result.url == server.url("/old")
    loaded = fetch_page(server.url("/old"))
    assert loaded.base_url == final
    assert picture_urls(loaded.html, loaded.base_url) == [server.url("/new/pic.png")]


@pytest.mark.parametrize(("hops", "limit", "ok"), [(3, 3, True), (4, 3, False), (1, 0, False)])
def test_redirect_limit(server: TestServer, hops: int, limit: int, ok: bool) -> None:
    for i in range(hops):
        server.route(f"/r{i}", redirect(f"/r{i + 1}"))
    server.route(f"/r{hops}", page(ARTICLE))
    options = FetchOptions(max_redirects=limit)
    if ok:
        assert fetch(server.url("/r0"), options).final_url == server.url(f"/r{hops}")
    else:
        with pytest.raises(FetchError, match=r"^Too many redirects from .*/r0\.$"):
            fetch(server.url("/r0"), options)


def test_redirect_loop_stops_after_the_limit(server: TestServer) -> None:
    url = server.route("/loop", redirect("/loop"))
    with pytest.raises(FetchError, match="Too many redirects"):
        fetch(url)
    assert len(server.seen) == 11  # the first request and ten redirects


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/file.html", "file:///etc/passwd"])
def test_redirect_to_other_schemes_is_refused(server: TestServer, target: str) -> None:
    url = server.route("/away", redirect(target))
    with pytest.raises(FetchError, match="which is not a web address") as err:
        fetch(url)
    assert target in str(err.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/a.html", "is not an http or https address"),
        ("file:///etc/passwd", "is not an http or https address"),
        ("http://", "is not a valid web address"),
        ("http://127.0.0.1:99999/", "is not a valid web address"),
    ],
)
def test_only_http_and_https_addresses(url: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        fetch(url)


# Server answers and network failures -----------------------------------------------------------


@pytest.mark.parametrize(("status", "phrase"), [(404, "Not Found"), (500, "Internal Server Error")])
def test_error_status_is_one_sentence(server: TestServer, status: int, phrase: str) -> None:
    url = server.route("/e", page(b"<p>oops</p>", status=status))
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert str(err.value) == f"The server answered {status} {phrase} for {url}."


def test_connection_refused(server: TestServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError, match=r"^127\.0\.0\.1 refused the connection\.$"):
        fetch(f"http://127.0.0.1:{port}/")


def test_unknown_host_is_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_name(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with pytest.raises(FetchError, match=r"^The address nowhere\.example could not be found"):
        fetch("http://nowhere.example/page.html")


def test_silent_server_times_out(server: TestServer) -> None:
    url = server.route("/slow", stall(30))
    with pytest.raises(FetchError) as err:
        fetch(url, FetchOptions(timeout=0.5))
    assert str(err.value) == "No answer from 127.0.0.1 within 0.5 s."
    assert not isinstance(err.value, FetchCancelled)


def test_slow_drip_cannot_outlast_the_deadline(server: TestServer) -> None:
    # Each piece arrives well within the time-out, so only a whole-page deadline stops this.
    url = server.route("/drip", drip(0.05))
    with pytest.raises(FetchError, match=r"^No answer from 127\.0\.0\.1 within 1 s\.$"):
        fetch(url, FetchOptions(timeout=1))


def test_headers_dripping_in_cannot_outlast_the_deadline(server: TestServer) -> None:
    url = server.route("/drip-headers", drip_headers(0.05))
    with pytest.raises(FetchError, match=r"^No answer from 127\.0\.0\.1 within 1 s\.$"):
        fetch(url, FetchOptions(timeout=1))


# Size caps -------------------------------------------------------------------------------------


def test_endless_page_hits_the_size_cap(server: TestServer) -> None:
    url = server.route("/endless", endless())
    with pytest.raises(FetchError) as err:
        fetch(url, SMALL)
    assert str(err.value) == f"The page at {url} is larger than 64 KB."


def test_announced_oversized_page_is_refused(server: TestServer) -> None:
    url = server.route("/big", page(b"<p>" + b"x" * 100_000 + b"</p>"))
    with pytest.raises(FetchError, match="is larger than 64 KB"):
        fetch(url, SMALL)


def test_default_cap_is_20_mb(server: TestServer) -> None:
    url = server.route(
        "/huge", page(b"x", headers={"Content-Length": str(21 * 2**20)}, length=False)
    )
    with pytest.raises(FetchError, match=r"is larger than 20 MB\.$"):
        fetch(url)


# Content encodings -----------------------------------------------------------------------------


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(data) + packer.flush()


PACKERS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,  # the zlib wrapper, as the standard says
    "raw-deflate": _raw_deflate,  # what some servers send as deflate anyway
    "br": lambda data: brotli.compress(data, quality=5),
}


@pytest.mark.parametrize("packing", sorted(PACKERS))
def test_packed_bodies_are_unpacked(server: TestServer, packing: str) -> None:
    body = b"<!doctype html><p>" + "Привет, мир. ".encode() * 2000 + b"</p>"
    encoding = "deflate" if packing == "raw-deflate" else packing
    url = server.route(
        "/packed", page(PACKERS[packing](body), headers={"Content-Encoding": encoding})
    )
    assert fetch(url).body == body


@pytest.mark.parametrize("packing", ["gzip", "deflate", "br"])
def test_decompression_bomb_hits_the_cap(server: TestServer, packing: str) -> None:
    packed = PACKERS[packing](b"\0" * (8 * 2**20))
    assert len(packed) < 64 * 1024  # small on the wire: only the decoded size is too big
    url = server.route("/bomb", page(packed, headers={"Content-Encoding": packing}))
    with pytest.raises(FetchError, match="is larger than 1 MB"):
        fetch(url, FetchOptions(max_bytes=2**20))


def test_corrupt_gzip_is_one_sentence(server: TestServer) -> None:
    url = server.route(
        "/bad", page(b"\x1f\x8b\x08\x00garbage", headers={"Content-Encoding": "gzip"})
    )
    with pytest.raises(FetchError, match="cannot be unpacked"):
        fetch(url)


def test_cut_short_gzip_keeps_what_arrived(server: TestServer) -> None:
    body = b"<p>" + b"words " * 5000 + b"</p>"
    url = server.route("/cut", page(gzip.compress(body)[:-8], headers={"Content-Encoding": "gzip"}))
    assert fetch(url).body == body  # only the trailer is missing


def test_unknown_encoding_is_refused(server: TestServer) -> None:
    url = server.route("/z", page(b"???", headers={"Content-Encoding": "zstd"}))
    with pytest.raises(FetchError, match="'zstd', which the reader cannot unpack"):
        fetch(url)


# Charsets --------------------------------------------------------------------------------------

CYRILLIC = "Съешь же ещё этих мягких французских булок, да выпей чаю."


def _page_in(charset: str, meta: str) -> bytes:
    html = f'<html><head><meta charset="{meta}"><title>t</title></head><body><p>{CYRILLIC}</p>'
    return (html + "</body></html>").encode(charset)


def test_header_charset_wins_over_a_wrong_meta(server: TestServer) -> None:
    body = _page_in("windows-1251", meta="utf-8")
    url = server.route("/ru", page(body, "text/html; charset=windows-1251"))
    loaded = fetch_page(url)
    assert CYRILLIC in loaded.html
    assert loaded.encoding == "cp1251"


def test_meta_charset_used_when_the_header_has_none(server: TestServer) -> None:
    url = server.route("/ru", page(_page_in("koi8-r", meta="koi8-r"), "text/html"))
    assert CYRILLIC in fetch_page(url).html


def test_wrong_header_charset_falls_back_to_detection(server: TestServer) -> None:
    # Labelled utf-8 everywhere but written in windows-1251: not valid utf-8, so detection runs.
    url = server.route(
        "/ru", page(_page_in("windows-1251", meta="utf-8"), "text/html; charset=utf-8")
    )
    assert CYRILLIC in fetch_page(url).html


# Not a web page --------------------------------------------------------------------------------


def test_pdf_refused_by_content_type(server: TestServer) -> None:
    url = server.route("/y.pdf", page(b"%PDF-1.7 ...", "application/pdf"))
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert str(err.value) == f"{url} is a PDF, not a web page."


def test_pdf_refused_by_its_first_bytes_when_mislabelled(server: TestServer) -> None:
    url = server.route("/report", page(b"%PDF-1.4\n%binary", "text/html"))
    with pytest.raises(FetchError) as err:
        fetch(url)
    assert str(err.value) == f"{url} is a PDF, not a web page."


@pytest.mark.parametrize(
    ("content_type", "what"),
    [("image/png", "a picture"), ("video/mp4", "a video"), ("application/json", "JSON data")],
)
def test_other_types_refused(server: TestServer, content_type: str, what: str) -> None:
    url = server.route("/thing", page(b"data", content_type))
    with pytest.raises(FetchError, match=f"is {what}, not a web page"):
        fetch(url)


def test_page_without_a_type_is_accepted(server: TestServer) -> None:
    url = server.route("/untyped", page(ARTICLE, None))
    assert "Hello" in fetch_page(url).html


# Progress and cancel ---------------------------------------------------------------------------


def test_progress_reports_bytes_and_total(server: TestServer) -> None:
    body = b"<p>" + b"y" * 300_000 + b"</p>"
    url = server.route("/long", page(body))
    calls: list[tuple[int, int | None]] = []
    fetch(url, progress=lambda got, total: calls.append((got, total)))
    assert calls[0] == (0, len(body))
    assert calls[-1] == (len(body), len(body))
    received = [got for got, _ in calls]
    assert received == sorted(received)
    assert len(calls) > 2


def test_progress_total_is_none_without_a_length(server: TestServer) -> None:
    url = server.route("/endless", endless())
    calls: list[tuple[int, int | None]] = []
    with pytest.raises(FetchError):
        fetch(url, SMALL, progress=lambda got, total: calls.append((got, total)))
    assert calls
    assert {total for _, total in calls} == {None}


def test_cancel_before_start(server: TestServer) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(FetchCancelled, match="was cancelled"):
        fetch(server.route("/a", page(ARTICLE)), cancel=cancel)
    assert server.seen == []


def test_cancel_stops_a_running_download(server: TestServer) -> None:
    # The drip would outlast the 20 s deadline; cancelling from the progress callback must win.
    url = server.route("/drip", drip(0.05))
    cancel = threading.Event()

    def on_progress(got: int, total: int | None) -> None:
        if got > 0:
            cancel.set()

    with pytest.raises(FetchCancelled) as err:
        fetch(url, progress=on_progress, cancel=cancel)
    assert isinstance(err.value, ReaderError)
    assert str(err.value) == f"Fetching {url} was cancelled."


def test_cancel_from_another_thread_while_waiting_for_headers(server: TestServer) -> None:
    url = server.route("/slow", stall(30))
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    with pytest.raises(FetchCancelled):
        fetch(url, cancel=cancel)


# Proxies and TLS -------------------------------------------------------------------------------


def test_http_proxy_from_the_environment_is_used(
    server: TestServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxied: list[str] = []

    def proxy(h: RequestHandler) -> None:
        proxied.append(h.path)
        h.send_body(b"<p>via the proxy</p>")

    server.fallback = proxy
    monkeypatch.setenv("http_proxy", server.origin)
    # .invalid never resolves: only a proxy can answer for it.
    result = fetch("http://reader-test.invalid/article.html")
    assert result.body == b"<p>via the proxy</p>"
    assert proxied == ["http://reader-test.invalid/article.html"]  # absolute form: a proxy request


def test_no_proxy_bypasses_the_proxy(server: TestServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as proxy_server:
        proxy_server.fallback = page(b"<p>proxy</p>")
        monkeypatch.setenv("http_proxy", proxy_server.origin)
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        url = server.route("/direct", page(b"<p>direct</p>"))
        assert fetch(url).body == b"<p>direct</p>"
        assert proxy_server.seen == []


def test_https_with_a_trusted_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT_FILE))
    with serve(tls=True) as tls_server:
        url = tls_server.route("/secure.html", page(ARTICLE))
        assert url.startswith("https://")
        assert fetch(url).body == ARTICLE


def test_the_cancel_guard_holds_the_tls_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    # A cancel shuts the socket the guard holds; for https that must be the TLS socket, or a
    # stalled secure fetch would only notice the cancel at its time-out.
    monkeypatch.setenv("SSL_CERT_FILE", str(CERT_FILE))
    held: list[socket.socket] = []
    attach = fetch_module._Guard.attach

    def spy(guard: fetch_module._Guard, sock: socket.socket) -> None:
        held.append(sock)
        attach(guard, sock)

    monkeypatch.setattr(fetch_module._Guard, "attach", spy)
    with serve(tls=True) as tls_server:
        assert fetch(tls_server.route("/secure.html", page(ARTICLE))).body == ARTICLE
    assert [type(s) for s in held] == [ssl.SSLSocket]


def test_https_with_an_untrusted_certificate() -> None:
    with serve(tls=True) as tls_server:
        url = tls_server.route("/secure.html", page(ARTICLE))
        with pytest.raises(
            FetchError, match=r"^The security certificate of 127\.0\.0\.1 cannot be trusted"
        ):
            fetch(url)


def test_https_to_a_plain_http_server(server: TestServer) -> None:
    url = server.route("/a", page(ARTICLE)).replace("http://", "https://")
    with pytest.raises(FetchError, match=r"^A secure connection to 127\.0\.0\.1 could not be made"):
        fetch(url)


# Pictures --------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_pictures_download_in_parallel_and_failures_are_left_out(
    server: TestServer, caplog: pytest.LogCaptureFixture
) -> None:
    # Each good picture waits until all three are requested at once: a one-by-one downloader
    # would break the barrier and get a 500 for each.
    barrier = threading.Barrier(3, timeout=5)

    def together(body: bytes, content_type: str) -> Handler:
        def handler(h: RequestHandler) -> None:
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                h.send_body(b"", status=500)
                return
            h.send_body(body, content_type=content_type)

        return handler

    good = {
        server.route("/a.png", together(PNG + b"a", "image/png")): PNG + b"a",
        server.route("/b.jpg", together(b"\xff\xd8\xffb", "image/jpeg")): b"\xff\xd8\xffb",
        server.route("/c.svg", together(b"<svg/>", "image/svg+xml")): b"<svg/>",
    }
    missing = server.route("/missing.png", page(b"", status=404))
    too_big = server.route("/big.png", page(PNG * 2000, "image/png"))
    not_picture = server.route("/page.png", page(ARTICLE))
    urls = [*good, missing, too_big, not_picture, next(iter(good))]
    with caplog.at_level(logging.WARNING, logger="reader.fetch"):
        got = fetch_pictures(urls, FetchOptions(timeout=5, max_bytes=64 * 1024))
    assert got == good
    warnings = "\n".join(r.getMessage() for r in caplog.records)
    assert "404 Not Found" in warnings
    assert "larger than 64 KB" in warnings
    assert "is not a picture (text/html)" in warnings
    assert sum(s.path == "/a.png" for s in server.seen) == 1  # duplicates fetched once


def test_pictures_of_nothing() -> None:
    assert fetch_pictures([]) == {}


def test_picture_urls_are_absolute_http_once_each() -> None:
    html = (
        '<p><img src="https://x.example/a.png" alt=""><img src="data:image/png;base64,AAAA">'
        '<img src="/rel.png"><img src="https://x.example/a.png#frag"><img alt="no source">'
        '<img src="http://y.example/b.jpg"><img src="file:///etc/x.png"></p>'
    )
    assert picture_urls(html) == ["https://x.example/a.png", "http://y.example/b.jpg"]
    assert picture_urls(html, "https://x.example/dir/page.html") == [
        "https://x.example/a.png",
        "https://x.example/rel.png",
        "http://y.example/b.jpg",
    ]


# Wiring into load_input ------------------------------------------------------------------------


def test_load_input_fetches_urls(server: TestServer) -> None:
    url = server.route("/article.html", page(ARTICLE))
    loaded = load_input(url)
    assert "<p>Hello</p>" in loaded.html
    assert loaded.base_url == url


def test_load_input_reports_fetch_errors_as_reader_errors(server: TestServer) -> None:
    url = server.route("/gone", page(b"", status=410))
    with pytest.raises(ReaderError, match="410 Gone"):
        load_input(url)
