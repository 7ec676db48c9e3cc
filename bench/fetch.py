"""Fetch figures against a local server: throughput, deadline overrun, cancel latency, pictures.

Run: ``.venv/bin/python -m bench.fetch``. Prints figures; asserts nothing (speed is not a test).
"""

from __future__ import annotations

import contextlib
import gzip
import os
import statistics
import threading
import time
from collections.abc import Callable

import brotli

from reader.core.fetch import FetchError, FetchOptions, fetch, fetch_pictures
from tests.httpserver import RequestHandler, TestServer, drip, drip_headers, page, serve, stall

MB = 2**20


def _best(runs: int, job: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def throughput(server: TestServer) -> None:
    body = (
        b"<p>" + b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 30 + b"</p>\n"
    ) * (19 * MB // 1800)
    packed = {
        "identity": (body, None),
        "gzip": (gzip.compress(body, 6), "gzip"),
        "br": (brotli.compress(body, quality=5), "br"),
    }
    print(f"Page of {len(body) / MB:.1f} MB (repetitive text), best of 3:")
    for name, (data, encoding) in packed.items():
        headers = {"Content-Encoding": encoding} if encoding else None
        url = server.route(f"/big-{name}", page(data, headers=headers))
        seconds = _best(3, lambda url=url: fetch(url))
        print(
            f"  {name:8} {len(data) / 1024:8.0f} KB on the wire  {seconds * 1000:7.0f} ms"
            f"  {len(body) / MB / seconds:6.0f} MB/s decoded"
        )


def deadline(server: TestServer) -> None:
    print("Deadline overrun (timeout 1 s), 5 runs each:")
    for name, handler in (
        ("silent", stall(30)),
        ("body drip", drip(0.05)),
        ("header drip", drip_headers(0.05)),
    ):
        url = server.route(f"/dl-{name.replace(' ', '-')}", handler)
        overruns = []
        for _ in range(5):
            start = time.perf_counter()
            with contextlib.suppress(FetchError):
                fetch(url, FetchOptions(timeout=1))
            overruns.append((time.perf_counter() - start - 1) * 1000)
        print(
            f"  {name:12} median {statistics.median(overruns):5.0f} ms  max {max(overruns):5.0f} ms"
        )


def cancel_latency(server: TestServer) -> None:
    url = server.route("/cancel", drip(0.05))
    latencies = []
    for _ in range(5):
        cancel = threading.Event()
        set_at: list[float] = []

        def on_progress(
            got: int,
            total: int | None,
            cancel: threading.Event = cancel,
            set_at: list[float] = set_at,
        ) -> None:
            if got and not cancel.is_set():
                set_at.append(time.perf_counter())
                cancel.set()

        try:
            fetch(url, progress=on_progress, cancel=cancel)
        except FetchError:
            latencies.append((time.perf_counter() - set_at[0]) * 1000)
    print(f"Cancel during a body drip: median {statistics.median(latencies):.1f} ms after set")

    url = server.route("/cancel-headers", stall(30))
    latencies = []
    for _ in range(5):
        cancel = threading.Event()
        timer = threading.Timer(0.2, cancel.set)
        timer.start()
        start = time.perf_counter()
        try:
            fetch(url, cancel=cancel)
        except FetchError:
            latencies.append((time.perf_counter() - start - 0.2) * 1000)
    print(
        f"Cancel while waiting for headers: median {statistics.median(latencies):.1f} ms after set"
    )


def pictures(server: TestServer) -> None:
    def slow_picture(h: RequestHandler) -> None:
        if h.pause(0.2):
            h.send_body(b"\x89PNG\r\n\x1a\n" + os.urandom(20_000), content_type="image/png")

    urls = [server.route(f"/pic{i}.png", slow_picture) for i in range(12)]
    for workers in (1, 6):
        seconds = _best(1, lambda workers=workers: fetch_pictures(urls, workers=workers))
        print(f"12 pictures, each answered after 0.2 s, {workers} worker(s): {seconds:.2f} s")


def main() -> None:
    for var in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        os.environ.pop(var, None)
        os.environ.pop(var.upper(), None)
    with serve() as server:
        throughput(server)
        deadline(server)
        cancel_latency(server)
        pictures(server)


if __name__ == "__main__":
    main()
