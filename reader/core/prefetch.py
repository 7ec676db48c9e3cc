"""Get the file the window will open ready in a forked child while the window is being built.

At a cold start the window spends ~250 ms importing Qt and building itself, and the extractor
spends ~150 ms importing bs4 and more extracting; both are CPU-bound Python, so threads cannot
overlap them. A child forked before Qt is imported can: on another core it reads the library's
copy of the file when the library kept it unchanged, else extracts the file and looks up the
library's id and reading position for it, and sends the answer back through a pipe; the window
imports neither the extractor nor the library (sqlite3) before the article is painted.
The child only reads the library. Anything unexpected (no ``fork``, threads already running,
the child dying) falls back to doing the same in the window's process, so the prefetch can only
make the start faster, never change what is shown.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import marshal
import os
import select
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.article import Article
from reader.core.errors import LibraryError, ReaderError
from reader.core.fork import Forked, fork_prefetch
from reader.core.limits import EXTRACT_TIME_BUDGET_SECONDS

if TYPE_CHECKING:
    from reader.core.library import Library

log = logging.getLogger("reader.prefetch")

# The child has its own extraction budget; beyond twice that something is wrong with it.
WAIT_SECONDS = 2 * EXTRACT_TIME_BUDGET_SECONDS
_OK, _STORED, _ERROR = "ok", "stored", "error"
_GO = "go"  # the window's orders: go on, asking this library


@dataclass(frozen=True)
class Opened:
    """An article ready to show, with what the library knows of it."""

    article: Article
    library_id: int | None = None  # its id when the library keeps it
    position: float = 0.0  # where it was last read, as a fraction of its length
    stored: bool = False  # the library's unchanged copy of the file, not extracted again
    # False: the library was not asked, or only for a copy from the same source: the window
    # asks it again after the paint (the id and position unknown till then).
    library_checked: bool = True


# Optional helpers bs4 imports if it finds them and this child never uses: soupsieve for CSS
# selectors (~80 ms of regular expressions compiled on import) and the encoding guessers of
# its UnicodeDammit (~20 ms; the extractor hands bs4 text that load.py has decoded already).
_BS4_EXTRAS_UNUSED = ("soupsieve", "cchardet", "chardet", "charset_normalizer")


def _import_bs4_lean() -> None:
    """Import bs4 as if its optional helpers were not installed, which bs4 supports: their
    imports were half of bs4's on the way to the article at a cold start. Only for bs4's own
    import: load.py still imports charset_normalizer afterwards when it must guess an
    encoding. Only in the child, which exits after one extraction; bs4's warning about the
    missing selectors is expected here."""
    import warnings

    if "bs4" in sys.modules:
        return
    hidden = [name for name in _BS4_EXTRAS_UNUSED if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "not installed"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import bs4  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, "") is None:
                del sys.modules[name]


def _library(library_file: str | None) -> Library | None:
    """The library, for reading only, when there is one to ask."""
    if library_file is None:
        return None
    from reader.core.library import Library

    try:
        return Library(Path(library_file), read_only=True)
    except LibraryError as exc:  # the window deals with it when it opens the library
        log.info("prefetch: library not asked: %s", exc)
        return None


def _answer(path: str, library_file: str | None) -> tuple[str, dict[str, Any] | str]:
    """(kind, value) for ``path``: the library's unchanged copy, or the article extracted
    with its library id and position (when kept), or the sentence saying why not."""
    library = _library(library_file)
    try:
        if library is not None:
            summary = library.unchanged_copy(Path(path))
            if summary is not None:
                entry = library.get(summary.id)
                return _STORED, _fields(entry.article, entry.id, entry.summary.position)
    except LibraryError as exc:  # extract instead, as the window would
        log.info("prefetch: no stored copy of %s: %s", path, exc)
    _import_bs4_lean()
    from reader.core.load import load_path
    from reader.core.web import extract_page

    try:
        article = extract_page(load_path(path), name=path)
    except ReaderError as exc:
        return _ERROR, str(exc)
    if library is None:  # none given, or one this child cannot read: the window asks
        return _OK, _fields(article, None, 0.0, checked=False)
    try:
        known = library.find_copy(article, by_content=False)  # by content: after the paint
    except LibraryError:
        return _OK, _fields(article, None, 0.0, checked=False)
    if known is None:
        return _OK, _fields(article, None, 0.0, checked=False)
    return _OK, _fields(article, known.id, known.position)


def _fields(
    article: Article, library_id: int | None, position: float, *, checked: bool = True
) -> dict[str, Any]:
    return {
        "article": article.to_dict(),
        "id": library_id,
        "position": position,
        "checked": checked,
    }


def _warm_up() -> None:
    """Import what extracting needs while the window's process reads the settings."""
    _import_bs4_lean()
    import reader.core.load
    import reader.core.web  # noqa: F401  # (the extractor comes with it)


def _read_orders(orders: int) -> tuple[bool, str | None]:
    """(go, library file) from the window's process; go is False when it closed the pipe
    without orders (it no longer wants the answer, or it ended)."""
    chunks: list[bytes] = []
    while chunk := os.read(orders, 1 << 16):
        chunks.append(chunk)
    os.close(orders)
    try:
        order = marshal.loads(b"".join(chunks)) if chunks else None
    except (EOFError, ValueError, TypeError):
        return False, None
    if not (isinstance(order, tuple) and len(order) == 2 and order[0] == _GO):
        return False, None
    return True, order[1] if isinstance(order[1], str) else None


def serve(path: str, pipe_ends: tuple[int, int], orders: int) -> None:
    """In the forked child (reader.core.fork): import the extractor, wait for the orders (which
    library to ask), answer through the pipe, exit; never returns."""
    # No cyclic garbage collection: this process makes one article and exits (os._exit), its
    # memory bounded by the input limits, and bs4's tree is made of cycles the collector would
    # walk again and again while it grows (~48M instructions for a 1 MB page, callgrind).
    gc.disable()
    with contextlib.suppress(Exception):  # an import that fails fails again in _answer
        _warm_up()
    go, library_file = _read_orders(orders)
    if not go:
        os._exit(0)
    _child(path, pipe_ends, library_file)  # exits this process


def _child(path: str, pipe_ends: tuple[int, int], library_file: str | None) -> None:
    """In the forked child: send ``_answer`` back through the pipe; never returns, whatever
    happens (an exception escaping would run the window's code in this process)."""
    status = 0
    read_end, write_end = pipe_ends
    try:
        os.close(read_end)
        # marshal: built in (pickle costs the window ~3 ms to import) and enough for a dict
        # of strings and numbers between two processes of the same interpreter.
        data = marshal.dumps(_answer(path, library_file))
        with contextlib.suppress(OSError, AttributeError):  # Linux: the answer in one go
            import fcntl

            fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, min(max(len(data), 4096), 1 << 20))
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
    except BaseException:  # anything else: the parent sees no reply and does it itself
        status = 1
    finally:
        os._exit(status)  # no atexit handlers, no flushing the parent's buffers twice


class Prefetch:
    """A file being got ready in a child process; :meth:`take` gets the article."""

    def __init__(self, forked: Forked) -> None:
        self.path = Path(forked.path).resolve()
        self._pid = forked.pid
        self._read_end: int | None = forked.answers
        self._orders: int | None = forked.orders

    @classmethod
    def start(cls, path: str | Path, library_file: Path | None = None) -> Prefetch | None:
        """Fork a child getting the file at ``path`` ready, asking the library at
        ``library_file`` first (None: no library to ask); None when forking is not possible
        or not safe here (no fork, threads already running, not a regular file)."""
        forked = fork_prefetch(str(path))
        if forked is None:
            return None
        prefetch = cls(forked)
        prefetch.order(library_file)
        return prefetch

    @classmethod
    def adopt(cls, forked: Forked) -> Prefetch:
        """The child ``reader.core.fork`` forked before anything was imported; it waits for
        :meth:`order` (or :meth:`cancel`)."""
        return cls(forked)

    def order(self, library_file: Path | None) -> None:
        """Let the child go on, asking the library at ``library_file`` (None: none to ask)."""
        if self._orders is None:
            return
        library = str(library_file) if library_file is not None else None
        try:
            os.write(self._orders, marshal.dumps((_GO, library)))  # a few bytes: never blocks
        except OSError as exc:  # the child is gone: take() then sees no answer
            log.info("prefetch: no orders for %s: %s", self.path, exc)
        self._close_orders()

    def _close_orders(self) -> None:
        if self._orders is not None:
            os.close(self._orders)
            self._orders = None

    def fileno(self) -> int | None:
        """The pipe the answer arrives on (for an event loop to watch), None once closed."""
        return self._read_end

    def ready(self) -> bool:
        """True when :meth:`take` would not wait: the answer (or the child's end) is there."""
        if self._read_end is None:
            return True
        return bool(select.select([self._read_end], [], [], 0)[0])

    def take(self, path: str | Path) -> Opened | None:
        """The article for ``path``, waiting for the child; None when this prefetch is for
        another file or the child gave no answer (then the caller does the work itself).

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
        try:
            fields: dict[str, Any] = value  # type: ignore[assignment]  # checked in _receive
            library_id, position = fields["id"], float(fields["position"])
            return Opened(
                Article.from_dict(fields["article"]),
                library_id if isinstance(library_id, int) else None,
                position,
                stored=kind == _STORED,
                library_checked=fields["checked"] is True,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("prefetch: a broken answer for %s: %s", self.path, exc)
            return None

    def _receive(self) -> tuple[str, object] | None:
        self._close_orders()  # never ordered: the child then ends with no answer
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
        if not (isinstance(reply, tuple) and len(reply) == 2):
            return None
        if not (reply[0] == _ERROR or (reply[0] in (_OK, _STORED) and isinstance(reply[1], dict))):
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
        self._close_orders()
        if self._read_end is None:
            return
        os.close(self._read_end)
        self._read_end = None
        with contextlib.suppress(ChildProcessError):  # reaped elsewhere
            os.waitpid(self._pid, 0)
