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
import struct
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

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
_PART = "part"  # the beginning of a long article, sent first; the whole (_OK) follows
_GO = "go"  # the window's orders: go on, asking this library
# An article with more text than this is sent in two steps: its beginning as soon as it is
# found (rendering and sanitising 1 MB takes the child ~60 ms more), then the whole.
PREVIEW_TEXT_CHARS = 100_000
_HEADER = struct.Struct(">Q")  # each answer: its length, then its marshal data
_MAX_ANSWER_BYTES = 1 << 30  # far above any article within the input limits: a broken answer


class Opened(NamedTuple):
    """An article ready to show, with what the library knows of it. A named tuple: a frozen
    dataclass compiles its methods from source as the module loads (~0.8 ms of every start)."""

    article: Article
    library_id: int | None = None  # its id when the library keeps it
    position: float = 0.0  # where it was last read, as a fraction of its length
    stored: bool = False  # the library's unchanged copy of the file, not extracted again
    # False: the library was not asked, or only for a copy from the same source: the window
    # asks it again after the paint (the id and position unknown till then).
    library_checked: bool = True
    # Set when ``article`` is only the beginning of a long article (Located.preview): waits
    # for the whole and returns it; None when it could not be had (the beginning is all).
    whole: Callable[[], Article | None] | None = None


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


def _stored(path: str, library: Library | None) -> tuple[str, dict[str, Any]] | None:
    """The library's unchanged copy of the file at ``path`` as an answer, else None."""
    if library is None:
        return None
    try:
        summary = library.unchanged_copy(Path(path))
        if summary is not None:
            entry = library.get(summary.id)
            return _STORED, _fields(entry.article, entry.id, entry.summary.position)
    except LibraryError as exc:  # extract instead, as the window would
        log.info("prefetch: no stored copy of %s: %s", path, exc)
    return None


def _answers(
    path: str, library: Library | None, stored: tuple[str, dict[str, Any]] | None
) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """(kind, value) answers for ``path``: ``stored``, the library's unchanged copy (see
    _stored), or the article extracted with its library id and position (when kept), or the
    sentence saying why not. A long article opened at its top comes in two answers: its
    beginning, then the whole."""
    if stored is not None:
        yield stored
        return
    _import_bs4_lean()
    from reader.core.extract import locate
    from reader.core.load import load_path
    from reader.core.present import FIRST_PART_CHARS
    from reader.core.web import extraction_errors, with_source

    try:
        with extraction_errors(path):
            page = load_path(Path(path))
            located = locate(page)
            long = located.length > PREVIEW_TEXT_CHARS
            first = located.preview(FIRST_PART_CHARS) if long else located.article()
            first = with_source(first, page, path)
            known = _known(library, first)  # by source: the same for the first part and whole
            if long and not (known and known[1]):  # a saved place needs the whole to go to
                yield _PART, _fields(first, *(known or (None, 0.0)), checked=bool(known))
            article = with_source(located.article(), page, path) if long else first
    except ReaderError as exc:
        yield _ERROR, str(exc)
        return
    yield _OK, _fields(article, *(known or (None, 0.0)), checked=known is not None)


def _known(library: Library | None, article: Article) -> tuple[int, float] | None:
    """The library's id and position for ``article`` by its source; None when the library
    was not asked (none given, or one this child cannot read) or keeps no copy of it: the
    window then asks, by content too, after the paint."""
    if library is None:
        return None
    try:
        known = library.find_copy(article, by_content=False)  # by content: after the paint
    except LibraryError:
        return None
    return (known.id, known.position) if known is not None else None


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
    import reader.core.extract
    import reader.core.load
    import reader.core.present
    import reader.core.web  # noqa: F401  # (web.py imports the extractor only when it runs)


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
    """In the forked child (reader.core.fork): get ready (the library's copy, or the extractor
    imported), wait for the orders (which library to ask), answer through the pipe, exit;
    never returns."""
    # No cyclic garbage collection: this process makes one article and exits (os._exit), its
    # memory bounded by the input limits, and bs4's tree is made of cycles the collector would
    # walk again and again while it grows (~48M instructions for a 1 MB page, callgrind).
    gc.disable()
    # The library at the usual place (the one the orders name, unless the user keeps no
    # articles) is asked first: when it kept this file unchanged, the extractor need not be
    # imported (~45 ms of the other core at every warm start). Else the extractor is imported
    # while the window's process reads the settings, as before: asking first costs a cold
    # start nothing, it only comes before that import instead of after the orders.
    from reader.core.places import default_library_path

    usual = default_library_path()
    guess = str(usual) if usual.exists() else None
    library = _library(guess)
    stored = _stored(path, library)
    if stored is None:
        with contextlib.suppress(Exception):  # an import that fails fails again in _answers
            _warm_up()
    go, library_file = _read_orders(orders)
    if not go:
        os._exit(0)
    if library_file != guess:  # not the library guessed (or none): ask the one ordered
        library = _library(library_file)
        stored = _stored(path, library)
    _child(path, pipe_ends, library, stored)  # exits this process


def _child(
    path: str,
    pipe_ends: tuple[int, int],
    library: Library | None,
    stored: tuple[str, dict[str, Any]] | None,
) -> None:
    """In the forked child: send each of ``_answers`` back through the pipe as it comes (its
    length, then its data); never returns, whatever happens (an exception escaping would run
    the window's code in this process)."""
    status = 0
    read_end, write_end = pipe_ends
    try:
        os.close(read_end)
        with os.fdopen(write_end, "wb") as pipe:
            for answer in _answers(path, library, stored):
                # marshal: built in (pickle costs the window ~3 ms to import) and enough for a
                # dict of strings and numbers between two processes of the same interpreter.
                data = marshal.dumps(answer)
                with contextlib.suppress(OSError, AttributeError):  # Linux: one write each
                    import fcntl

                    fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, min(max(len(data), 4096), 1 << 20))
                pipe.write(_HEADER.pack(len(data)) + data)
                pipe.flush()  # the beginning goes now, while the whole is being written
    except BaseException:  # anything else: the parent sees no (whole) reply and does it itself
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
        another file or the child gave no answer (then the caller does the work itself). For
        a long article this may be its beginning, with ``whole`` to wait for the rest.

        Raises ReaderError with the child's sentence when the file is not an article.
        """
        if Path(path).resolve() != self.path:
            self.cancel()
            return None
        return self._opened(self._receive(final=False))

    def _whole(self) -> Article | None:
        """The whole article after its beginning came: waits for the child's last answer;
        None when it gave none or a sentence (the caller then extracts the file itself)."""
        try:
            opened = self._opened(self._receive(final=True))
        except ReaderError:
            return None
        return opened.article if opened is not None else None

    def _opened(self, reply: tuple[str, object] | None) -> Opened | None:
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
                whole=self._whole if kind == _PART else None,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("prefetch: a broken answer for %s: %s", self.path, exc)
            self.cancel()
            return None

    def _receive(self, *, final: bool) -> tuple[str, object] | None:
        """The child's next answer (its beginning first, unless ``final``), or None when it
        sent nothing usable in time; the child is reaped after its last answer."""
        self._close_orders()  # never ordered: the child then ends with no answer
        if self._read_end is None:
            return None
        deadline = time.monotonic() + WAIT_SECONDS
        data = None
        try:
            header = self._read(self._read_end, _HEADER.size, deadline)
            if header is not None and (size := _HEADER.unpack(header)[0]) <= _MAX_ANSWER_BYTES:
                data = self._read(self._read_end, size, deadline)
        except OSError as exc:
            log.warning("prefetch: reading the answer for %s failed: %s", self.path, exc)
        try:
            reply = marshal.loads(data) if data is not None else None
        except Exception as exc:  # a child that died mid-write: extract here instead
            log.warning("prefetch: a broken answer for %s: %s", self.path, exc)
            reply = None
        kinds = (_OK, _STORED) if final else (_OK, _STORED, _PART)
        if not (
            isinstance(reply, tuple)
            and len(reply) == 2
            and (reply[0] == _ERROR or (reply[0] in kinds and isinstance(reply[1], dict)))
        ):
            self.cancel()
            return None
        if reply[0] != _PART:
            self._finish()
        return reply

    def _read(self, fd: int, size: int, deadline: float) -> bytes | None:
        """Exactly ``size`` bytes from ``fd``; None when the child ends or is late first."""
        chunks: list[bytes] = []
        while size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                log.warning("prefetch: no answer for %s in time", self.path)
                return None
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                return None
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

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
