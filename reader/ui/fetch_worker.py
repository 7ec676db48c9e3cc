"""Run a fetch off the UI thread: progress, cancel, and the result or error back on the UI thread.

The window creates a :class:`FetchWorker`, connects its signals and calls ``start()``. The blocking
work (by default :func:`reader.core.fetch.fetch_page`) runs in a ``QThread``; every signal reaches
the window's slots on the UI thread (queued), so the window never freezes and never touches
widgets from another thread. ``cancel()`` answers within a fraction of a second, because the core
fetch watches the same ``threading.Event``.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThread, Signal, Slot

from reader.core.errors import ReaderError
from reader.core.fetch import FetchCancelled, FetchOptions, Progress, fetch_page

log = logging.getLogger("reader.ui.fetch")

# Workers whose thread has not ended yet. Holding them here means a caller that drops its last
# reference early cannot destroy a running QThread (which aborts the process).
_RUNNING: set[FetchWorker] = set()


class Task(Protocol):
    """Blocking work that reports progress and honours a cancel flag (like ``fetch_page``)."""

    def __call__(self, *, progress: Progress, cancel: threading.Event) -> object: ...


class _Job(QObject):
    """Lives in the worker thread and runs the task there."""

    progressed = Signal(object, object)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, task: Task, cancel: threading.Event) -> None:
        super().__init__()
        self._task = task
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            self._run()
        finally:
            # Stop our own event loop: no need for the UI thread to be free to end the thread.
            QThread.currentThread().quit()

    def _run(self) -> None:
        try:
            result = self._task(progress=self._report, cancel=self._cancel)
        except FetchCancelled:
            self.cancelled.emit()
        except ReaderError as exc:
            self.failed.emit(str(exc))
        except Exception:  # a bug must not kill the thread silently: log it, tell the user
            log.exception("Fetching failed unexpectedly")
            self.failed.emit("Fetching failed because of an error in the reader; see the log.")
        else:
            if self._cancel.is_set():
                self.cancelled.emit()  # cancelled too late to stop it: still honour the cancel
            else:
                self.succeeded.emit(result)

    def _report(self, received: int, total: int | None) -> None:
        self.progressed.emit(received, total)


class FetchWorker(QObject):
    """A fetch running in its own thread; create, connect the signals, then ``start()``.

    Signals (all delivered on the thread that created the worker, normally the UI thread, and
    the outcome only once the worker thread has ended, so the worker can be dropped at once):
    ``progress(received: int, total: int | None)`` bytes so far and the announced size;
    ``finished(result)`` the task's result, a ``reader.core.load.Page`` by default;
    ``failed(message: str)`` one plain sentence for the user; ``cancelled()``; then always
    ``done()`` last, once the thread has stopped.
    """

    progress = Signal(object, object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    done = Signal()

    def __init__(
        self,
        url: str | None = None,
        options: FetchOptions | None = None,
        *,
        task: Task | Callable[..., Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if task is None:
            if url is None:
                raise ValueError("FetchWorker needs a url or a task")
            task = functools.partial(fetch_page, url, options)
        self.url = url
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("reader-fetch")
        self._job = _Job(task, self._cancel)
        self._job.moveToThread(self._thread)
        self._thread.started.connect(self._job.run)
        self._job.progressed.connect(self._on_progress)
        self._job.succeeded.connect(self._on_succeeded)
        self._job.failed.connect(self._on_failed)
        self._job.cancelled.connect(self._on_cancelled)
        self._thread.finished.connect(self._on_thread_finished)
        self._started = False
        self._outcome: Callable[[], object] | None = None  # the signal to send once ended

    def start(self) -> None:
        """Begin the fetch in the worker thread (once)."""
        if self._started:
            raise RuntimeError("a FetchWorker runs once; create a new one")
        self._started = True
        _RUNNING.add(self)
        self._thread.start()

    def cancel(self) -> None:
        """Ask the fetch to stop; ``cancelled`` follows shortly unless it had already ended."""
        self._cancel.set()

    def is_running(self) -> bool:
        """True while the worker thread runs."""
        return self._thread.isRunning()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Cancel and wait for the thread (for closing the window); True if it stopped in time."""
        self._cancel.set()
        if not self._thread.isRunning():
            return True
        return bool(self._thread.wait(timeout_ms))

    @Slot(object, object)
    def _on_progress(self, received: int, total: int | None) -> None:
        if not self._cancel.is_set():
            self.progress.emit(received, total)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._outcome = functools.partial(self.finished.emit, result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._outcome = functools.partial(self.failed.emit, message)

    @Slot()
    def _on_cancelled(self) -> None:
        self._outcome = self.cancelled.emit

    @Slot()
    def _on_thread_finished(self) -> None:
        self._thread.wait()  # ``finished`` comes just before the thread really ends
        _RUNNING.discard(self)
        outcome, self._outcome = self._outcome, None
        if outcome is not None:
            outcome()
        self.done.emit()
