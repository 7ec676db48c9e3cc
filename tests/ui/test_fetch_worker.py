"""The fetch worker: the fetch runs off the UI thread, its signals arrive on the UI thread."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.core.fetch import FetchOptions, Progress
from reader.core.load import Page
from reader.ui.fetch_worker import FetchWorker
from tests.httpserver import TestServer, drip, page, serve, stall, without_proxies

ARTICLE = b"<!doctype html><title>T</title><p>" + b"Hello world. " * 20000 + b"</p>"


@pytest.fixture(autouse=True)
def _no_proxy_from_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    without_proxies(monkeypatch)


@pytest.fixture
def server() -> Iterator[TestServer]:
    with serve() as srv:
        yield srv


def _on_ui_thread() -> bool:
    app = QApplication.instance()
    assert app is not None
    return QThread.currentThread() is app.thread()


def test_page_arrives_on_the_ui_thread_with_progress(qtbot: QtBot, server: TestServer) -> None:
    url = server.route("/article.html", page(ARTICLE))
    worker = FetchWorker(url)
    progress: list[tuple[int, int | None, bool]] = []
    results: list[tuple[object, bool]] = []
    worker.progress.connect(lambda got, total: progress.append((got, total, _on_ui_thread())))
    worker.finished.connect(lambda result: results.append((result, _on_ui_thread())))
    failures: list[str] = []
    worker.failed.connect(failures.append)
    with qtbot.waitSignal(worker.done, timeout=10_000):
        worker.start()
    assert failures == []
    ((loaded, on_ui),) = results
    assert on_ui
    assert isinstance(loaded, Page)
    assert "Hello world." in loaded.html
    assert loaded.base_url == url
    assert progress[-1] == (len(ARTICLE), len(ARTICLE), True)
    assert all(on_ui for _, _, on_ui in progress)
    assert not worker.is_running()


def test_the_task_runs_off_the_ui_thread(qtbot: QtBot) -> None:
    ran_on: list[int] = []

    def task(*, progress: Progress, cancel: threading.Event) -> str:
        ran_on.append(threading.get_ident())
        progress(1, 2)
        return "done"

    worker = FetchWorker(task=task)
    with qtbot.waitSignal(worker.finished, timeout=5_000) as blocker:
        worker.start()
    assert blocker.args == ["done"]
    assert ran_on
    assert ran_on != [threading.get_ident()]
    qtbot.waitUntil(lambda: not worker.is_running(), timeout=5_000)


def test_errors_arrive_as_one_sentence(qtbot: QtBot, server: TestServer) -> None:
    url = server.route("/gone", page(b"", status=404))
    worker = FetchWorker(url)
    results: list[object] = []
    worker.finished.connect(results.append)
    with qtbot.waitSignal(worker.failed, timeout=10_000) as blocker:
        worker.start()
    assert blocker.args == [f"The server answered 404 Not Found for {url}."]
    assert results == []


def test_time_out_is_reported(qtbot: QtBot, server: TestServer) -> None:
    url = server.route("/slow", stall(30))
    worker = FetchWorker(url, FetchOptions(timeout=0.5))
    with qtbot.waitSignal(worker.failed, timeout=10_000) as blocker:
        worker.start()
    assert blocker.args == ["No answer from 127.0.0.1 within 0.5 s."]


def test_cancel_stops_a_download_in_progress(qtbot: QtBot, server: TestServer) -> None:
    # The drip would run for the whole 20 s deadline; only the cancel can end it early with
    # ``cancelled`` (the deadline would give ``failed``, which fails the test).
    url = server.route("/drip", drip(0.05))
    worker = FetchWorker(url)
    outcomes: list[object] = []
    worker.finished.connect(outcomes.append)
    worker.failed.connect(outcomes.append)
    with qtbot.waitSignal(worker.progress, timeout=10_000):
        worker.start()
    with qtbot.waitSignals([worker.cancelled, worker.done], timeout=10_000):
        worker.cancel()
    assert outcomes == []
    assert not worker.is_running()


def test_unexpected_error_is_logged_and_reported_plainly(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*, progress: Progress, cancel: threading.Event) -> None:
        raise KeyError("bug")

    worker = FetchWorker(task=broken)
    with qtbot.waitSignal(worker.failed, timeout=5_000) as blocker:
        worker.start()
    assert "error in the reader" in blocker.args[0]
    assert "KeyError" in caplog.text
    qtbot.waitUntil(lambda: not worker.is_running(), timeout=5_000)


def test_shutdown_stops_a_waiting_fetch(qtbot: QtBot, server: TestServer) -> None:
    # No event loop runs here, as when the window is closing: shutdown must still end the thread.
    url = server.route("/slow", stall(30))
    worker = FetchWorker(url)
    worker.start()
    assert worker.shutdown(10_000)
    assert not worker.is_running()


def test_a_worker_runs_once(qtbot: QtBot) -> None:
    worker = FetchWorker(task=lambda *, progress, cancel: None)
    with qtbot.waitSignal(worker.done, timeout=5_000):
        worker.start()
    with pytest.raises(RuntimeError, match="runs once"):
        worker.start()


def test_dropping_the_worker_while_it_runs_is_safe(qtbot: QtBot, server: TestServer) -> None:
    # A QThread destroyed while running aborts the process; the worker must outlive its thread.
    url = server.route("/slow", stall(0.3))
    ended: list[str] = []
    worker = FetchWorker(url)
    worker.finished.connect(lambda result: ended.append("finished"))
    worker.done.connect(lambda: ended.append("done"))
    worker.start()
    del worker
    gc.collect()
    qtbot.waitUntil(lambda: "done" in ended, timeout=10_000)
    assert ended == ["finished", "done"]
