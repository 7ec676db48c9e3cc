"""Extract the file the window will open in a forked child while the window is being built.

At a cold start the window spends ~250 ms importing Qt and building itself, and the extractor
spends ~150 ms importing bs4 and more extracting; both are CPU-bound Python, so threads cannot
overlap them. A child forked before Qt is imported can: it imports the extractor, extracts the
file and sends the article back through a pipe, on another core. Anything unexpected (no
``fork``, threads already running, the child dying) falls back to extracting in the window's
process, so the prefetch can only make the start faster, never change what is shown.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import select
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.errors import ReaderError
from reader.core.limits import EXTRACT_TIME_BUDGET_SECONDS

if TYPE_CHECKING:
    from reader.core.article import Article

log = logging.getLogger("reader.prefetch")

# The child has its own extraction budget; beyond twice that something is wrong with it.
WAIT_SECONDS = 2 * EXTRACT_TIME_BUDGET_SECONDS
_OK, _ERROR = "ok", "error"


def _single_threaded() -> bool:
    """Forking is only safe while this process has one thread (Qt and pools start others)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: only the Python-level view is available
        import threading

        return threading.active_count() == 1


def _child(path: str, write_end: int) -> None:
    """In the forked child: extract ``path`` and send (kind, value) back; never returns."""
    status = 0
    try:
        from reader.core.load import load_path
        from reader.core.web import extract_page

        try:
            article = extract_page(load_path(path), name=path)
            reply: tuple[str, dict[str, Any] | str] = (_OK, article.to_dict())
        except ReaderError as exc:
            reply = (_ERROR, str(exc))
        # marshal: built in (pickle costs the window ~3 ms to import) and enough for a dict
        # of strings and numbers between two processes of the same interpreter.
        data = marshal.dumps(reply)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # anything else: the parent sees no reply and extracts itself
        status = 1
    finally:
        os._exit(status)  # no atexit handlers, no flushing the parent's buffers twice


class Prefetch:
    """A file being extracted in a child process; :meth:`take` gets the article."""

    def __init__(self, path: Path, pid: int, read_end: int) -> None:
        self.path = path
        self._pid = pid
        self._read_end: int | None = read_end

    @classmethod
    def start(cls, path: str | Path) -> Prefetch | None:
        """Fork a child extracting the file at ``path``; None when that is not possible or
        not safe here (no fork, threads already running, not a regular file)."""
        path = Path(path)
        if not hasattr(os, "fork") or sys.platform == "darwin" or not _single_threaded():
            return None
        try:
            if not path.is_file():
                return None
            read_end, write_end = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError as exc:
            log.info("prefetch: no child for %s: %s", path, exc)
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:
            os.close(read_end)
            _child(str(path), write_end)
        os.close(write_end)
        return cls(path.resolve(), pid, read_end)

    def fileno(self) -> int | None:
        """The pipe the answer arrives on (for an event loop to watch), None once closed."""
        return self._read_end

    def ready(self) -> bool:
        """True when :meth:`take` would not wait: the answer (or the child's end) is there."""
        if self._read_end is None:
            return True
        return bool(select.select([self._read_end], [], [], 0)[0])

    def take(self, path: str | Path) -> Article | None:
        """The article for ``path``, waiting for the child; None when this prefetch is for
        another file or the child gave no answer (then the caller extracts the file itself).

        Raises ReaderError with the child's sentence when the file is not an article.
        """
        if Path(path).resolve() != self.path:
            self.cancel()
            return None
        reply = self._receive()
        if reply is None:
            return None
        kind, value = reply
        if kind == _ERROR:
            raise ReaderError(str(value))
        from reader.core.article import Article

        try:
            return Article.from_dict(value)  # type: ignore[arg-type]  # a dict with _OK
        except (TypeError, ValueError) as exc:  # not an article's fields: extract here
            log.warning("prefetch: a broken answer for %s: %s", self.path, exc)
            return None

    def _receive(self) -> tuple[str, object] | None:
        if self._read_end is None:
            return None
        chunks: list[bytes] = []
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._read_end], [], [], left)[0]:
                    log.warning("prefetch: no answer for %s in time", self.path)
                    self.cancel()
                    return None
                chunk = os.read(self._read_end, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError as exc:
            log.warning("prefetch: reading the answer for %s failed: %s", self.path, exc)
            self.cancel()
            return None
        self._finish()
        try:
            reply = marshal.loads(b"".join(chunks)) if chunks else None
        except Exception as exc:  # a child that died mid-write: extract here instead
            log.warning("prefetch: a broken answer for %s: %s", self.path, exc)
            return None
        if not (isinstance(reply, tuple) and len(reply) == 2 and reply[0] in (_OK, _ERROR)):
            return None
        if reply[0] == _OK and not isinstance(reply[1], dict):
            return None
        return reply

    def cancel(self) -> None:
        """Stop the child (when its answer is no longer wanted) and reap it."""
        if self._read_end is not None:
            import signal

            with contextlib.suppress(OSError):  # already gone
                os.kill(self._pid, signal.SIGKILL)
        self._finish()

    def _finish(self) -> None:
        if self._read_end is None:
            return
        os.close(self._read_end)
        self._read_end = None
        with contextlib.suppress(ChildProcessError):  # reaped elsewhere
            os.waitpid(self._pid, 0)
