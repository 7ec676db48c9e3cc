"""``reader extract URL`` as a real process against a real server on 127.0.0.1."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.httpserver import TestServer, page, redirect, serve

ARTICLE = Path(__file__).parent / "fixtures" / "fetch" / "article.html"
ROOT = Path(__file__).parents[1]


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serve() as srv:
        yield srv


def _reader(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def _record(stdout: str) -> dict[str, Any]:
    (line,) = stdout.splitlines()
    record: dict[str, Any] = json.loads(line)
    return record


def test_extract_fetches_a_url(server: TestServer) -> None:
    # Moved and gzipped, as real sites serve pages: the picture resolves against the final URL.
    server.route("/latest", redirect("/2026/lighthouse.html", 301))
    server.route(
        "/2026/lighthouse.html",
        page(gzip.compress(ARTICLE.read_bytes()), headers={"Content-Encoding": "gzip"}),
    )
    url = server.url("/latest")
    done = _reader("extract", url)
    assert done.returncode == 0, done.stderr
    record = _record(done.stdout)
    assert record["input"] == url
    assert record["title"] == "The lighthouse keepers of Ardnamurchan"
    assert "kept by hand" in record["text"]
    assert "Outer Hebrides" in record["text"]
    assert "Sea stacks" not in record["text"]
    assert server.url("/2026/pictures/tower.png") in record["html"]
    assert server.seen[0].headers["user-agent"].startswith("AccessibleReader/")


@pytest.mark.parametrize(
    ("path", "content_type", "status", "message"),
    [
        ("/gone.html", "text/html", 404, "The server answered 404 Not Found for {url}."),
        ("/paper.pdf", "application/pdf", 200, "{url} is a PDF, not a web page."),
    ],
)
def test_extract_reports_fetch_errors_in_one_sentence(
    server: TestServer, path: str, content_type: str, status: int, message: str
) -> None:
    url = server.route(path, page(b"%PDF-1.7", content_type, status=status))
    done = _reader("extract", url)
    assert done.returncode == 1
    assert _record(done.stdout) == {"input": url, "error": message.format(url=url)}
    assert "Traceback" not in done.stderr
