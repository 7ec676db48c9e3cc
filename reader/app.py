"""Builds the QApplication and the app context; the one place that wires the program together."""

from __future__ import annotations

import dataclasses
import gc
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import appdirs

from reader import APP_AUTHOR, APP_ID, APP_NAME, assets
from reader.core.article import Article
from reader.core.errors import LibraryError, ReaderError
from reader.core.fork import Forked
from reader.core.places import default_library_path
from reader.core.prefetch import Opened, Prefetch
from reader.core.settings import Settings, SettingsStore
from reader.core.web import is_web_address

if TYPE_CHECKING:  # the library (sqlite3 and more) is imported when it is opened
    from PySide6.QtWidgets import QApplication

    from reader.core.library import Entry, Library
    from reader.core.load import Page
    from reader.ui.main_window import MainWindow

log = logging.getLogger("reader.app")
LIBRARY_PREFIX = "library:"  # last_article for an article read from the library (web pages)
UI_PIXEL_SIZE = 16  # the toolbar and menus: generous without crowding the article


def default_extract(page: Page) -> Article:
    """The core extractor, imported when first needed."""
    try:
        from reader.core.extract import extract
    except ImportError as exc:
        raise ReaderError("Article extraction is not available in this installation.") from exc
    result: Article = extract(page)
    return result


@dataclass
class AppContext:
    """What the window needs, passed explicitly: settings and their store, folders, library.

    The library opens on first use (:meth:`open_library`), at ``library_path`` or in the per-user
    data folder; a damaged database moved aside, or a library that cannot open, adds a sentence
    to ``notice`` for the window to show once.
    """

    store: SettingsStore
    settings: Settings
    notice: str | None = None  # one sentence shown once in the status bar
    extract: Callable[[Page], Article] = default_extract
    log_dir: Path | None = None
    library: Library | None = None
    library_path: Path | None = None  # None: appdirs' user_data_dir
    library_failed: bool = False  # tried and could not open: not retried at every use
    library_opening: bool = False  # being opened (an older one updated): not there yet
    listeners: list[Callable[[Settings], None]] = field(default_factory=list)
    # Called with a sentence to show at once (the window registers one); else it waits in notice.
    notice_listeners: list[Callable[[str], None]] = field(default_factory=list)
    save_failed: bool = False  # told the user once that settings cannot be saved
    prefetch: Prefetch | None = None  # the start-up file, got ready in a child process
    unsaved: bool = False  # the settings changed since they were last written

    @classmethod
    def load(cls, store: SettingsStore | None = None, **kwargs: Any) -> AppContext:
        """A context with settings read from ``store`` (the per-user folder by default)."""
        store = store or SettingsStore()
        result = store.load()
        return cls(store=store, settings=result.settings, notice=result.notice, **kwargs)

    def update(self, settings: Settings, *, save: bool = True) -> None:
        """Replace the settings and save them at once (the moment a choice changes).
        ``save=False``: the caller writes them soon with :meth:`save` (an opening remembers
        its file once the article is painted: the write's fsync need not delay that)."""
        if settings == self.settings:
            return
        self.settings = settings
        self.unsaved = True
        if save:
            self.save()
        for listener in self.listeners:
            listener(settings)

    def save(self) -> None:
        """Write the settings if they changed since the last write; say once if that fails."""
        if not self.unsaved:
            return
        saved = self.store.save(self.settings)
        self.unsaved = not saved
        if not saved and not self.store.keeps_file_untouched and not self.save_failed:
            self.save_failed = True
            self._add_notice(
                f"Your settings could not be saved in {self.store.path}; "
                "they apply until you close the reader."
            )

    def replace(self, **changes: Any) -> None:
        """Change some top-level fields and save."""
        self.update(dataclasses.replace(self.settings, **changes))

    @property
    def library_file(self) -> Path:
        """Where the library is: ``library_path``, else the per-user data folder's."""
        return self.library_path or default_library_path()

    def initial_file(self, spec: str | None) -> Path | None:
        """The file the window opens at start for ``spec`` (what ``reader`` was given): that
        file, or without one the last article read when it was a file that is still there;
        None for a web address, a library id or nothing to open."""
        if spec:
            if is_web_address(spec) or (spec.isdigit() and not Path(spec).exists()):
                return None
            return Path(spec)
        last = self.settings.last_article
        if not (self.settings.keep_opened_articles and last) or last.startswith(LIBRARY_PREFIX):
            return None
        return Path(last) if Path(last).exists() else None

    def stored_copy(self, path: Path) -> Entry | None:
        """The library's copy of the file at ``path`` when it was kept (every opened article
        is) after the file last changed, else None (Library.unchanged_copy)."""
        if not self.settings.keep_opened_articles:
            return None
        library = self.existing_library()
        if library is None:
            return None
        try:
            summary = library.unchanged_copy(path)
            return library.get(summary.id) if summary is not None else None
        except LibraryError as exc:
            log.info("library: no stored copy of %s: %s", path, exc)
            return None

    def known_copy(self, article: Article, *, by_content: bool = True) -> tuple[int | None, float]:
        """The library's id and reading position for ``article`` when it is kept already and
        the user keeps every article, else (None, 0): a read, no write. ``by_content=False``:
        a copy from the same source only (Library.find_copy)."""
        if not self.settings.keep_opened_articles:
            return None, 0.0
        library = self.existing_library()
        if library is None:
            return None, 0.0
        try:
            known = library.find_copy(article, by_content=by_content)
        except LibraryError as exc:
            log.info("library: %s", exc)
            return None, 0.0
        return (known.id, known.position) if known is not None else (None, 0.0)

    def start_prefetch(self, spec: str | None, early: Forked | None = None) -> None:
        """Start getting the file the window will open ready in a child process (the library's
        copy, or the article extracted). Call before Qt is imported: forking needs one thread.
        ``early``: the child reader.cli forked already for ``spec``; it goes on when this is
        the file to open, else it is stopped. The library is passed on only when the user
        keeps every article and it exists."""
        path = self.initial_file(spec)
        prefetch = Prefetch.adopt(early) if early is not None else None
        if prefetch is not None and (path is None or prefetch.path != path.resolve()):
            prefetch.cancel()
            prefetch = None
        if path is None:
            return
        keep = self.settings.keep_opened_articles and self.library_file.exists()
        library = self.library_file if keep else None
        if prefetch is None:
            self.prefetch = Prefetch.start(path, library)
        else:
            prefetch.order(library)
            self.prefetch = prefetch

    def open_file(self, path: Path, *, warm: bool = False) -> Opened:
        """The article in the file at ``path``, ready to show: the start-up prefetch's answer
        when it was for this file, else got here. ``warm`` (at start): the library's copy when
        it kept the file unchanged, rather than extracting again. Raises ReaderError with one
        sentence."""
        prefetch, self.prefetch = self.prefetch, None
        article: Article | None = None
        if prefetch is not None:
            opened = prefetch.take(path)
            if opened is not None and opened.whole is not None:
                return self._asked(self._with_whole(path, opened))
            if opened is not None and (warm or not opened.stored):
                if opened.library_checked:
                    return opened
                article = opened.article  # the child could not ask the library: ask it here
        if warm:
            stored = self.stored_copy(path)
            if stored is not None:
                return Opened(stored.article, stored.id, stored.summary.position, stored=True)
        if article is None:
            article = self._extract_file(path)
        return self._asked(Opened(article, library_checked=False))

    def _extract_file(self, path: Path) -> Article:
        """The article in the file at ``path``, extracted here (ReaderError: one sentence)."""
        from reader.core.load import load_path  # not needed at a start that was prefetched
        from reader.core.web import extract_page

        return extract_page(load_path(path), self.extract, name=str(path))

    def _asked(self, opened: Opened) -> Opened:
        """``opened`` with the library's id and position for a copy from the same source,
        when the library was not asked yet. One of the same text from elsewhere (rare) is
        looked up after the paint: hashing a long text (~20 ms at 1 MB) need not delay the
        first sight; so is everything while an older library waits for its update."""
        if opened.library_checked:
            return opened
        if self.settings.keep_opened_articles and self.library_needs_update():
            return opened  # the window asks once it is open
        library_id, position = self.known_copy(opened.article, by_content=False)
        unasked = library_id is None and self.settings.keep_opened_articles
        return opened._replace(
            library_id=library_id, position=position, library_checked=not unasked
        )

    def _with_whole(self, path: Path, opened: Opened) -> Opened:
        """``opened``, the beginning of a long article from the prefetch, whose ``whole``
        extracts the file here when the child gives no whole (raising ReaderError with one
        sentence when that fails too)."""
        rest = opened.whole
        assert rest is not None

        def whole() -> Article:
            article = rest()
            return article if article is not None else self._extract_file(path)

        return opened._replace(whole=whole)

    def drop_prefetch(self) -> None:
        """The start-up file will not be opened after all."""
        prefetch, self.prefetch = self.prefetch, None
        if prefetch is not None:
            prefetch.cancel()

    def open_library(self, while_busy: Callable[[], bool] | None = None) -> Library | None:
        """The offline library, opened the first time; None when it cannot be opened, or
        while it is being opened: ``while_busy`` runs the window's events while an older
        library is updated (see Library), and what they ask for must wait."""
        if self.library is None and not self.library_failed and not self.library_opening:
            from reader.core.library import Library

            self.library_opening = True
            try:
                self.library = Library(self.library_path, while_busy=while_busy)
            except LibraryError as exc:
                self.library_failed = True
                self._add_notice(str(exc))
            else:
                if self.library.notice:
                    self._add_notice(self.library.notice)
            finally:
                self.library_opening = False
        return self.library

    def existing_library(self) -> Library | None:
        """The library when it is open, or when its file exists and needs no update, else None:
        the article need not wait for a new database to be created, nor for an older one to be
        updated (seconds for a large one); the window opens it right after the first paint."""
        if self.library is None and (not self.library_file.exists() or self.library_needs_update()):
            return None
        return self.open_library()

    def library_needs_update(self) -> bool:
        """True when the library, not open yet, will be migrated when it opens (see
        reader.core.library.needs_update)."""
        if self.library is not None or self.library_failed or not self.library_file.exists():
            return False
        from reader.core.library import needs_update

        return needs_update(self.library_file)

    def _add_notice(self, text: str) -> None:
        log.warning("%s", text)
        if self.notice_listeners:
            for tell in self.notice_listeners:
                tell(text)
            return
        self.notice = f"{self.notice} {text}" if self.notice else text

    def close(self) -> None:
        """Close the library (at exit) and stop a prefetch nobody took."""
        self.drop_prefetch()
        if self.library is not None:
            self.library.close()
            self.library = None


LOG_NAME = "reader.log"
LOG_MAX_BYTES = 1_000_000  # beyond this the log is rotated at the next start
LOG_BACKUPS = 2


def _rotate(log_file: Path) -> None:
    """reader.log -> reader.log.1 -> reader.log.2 when it has grown past LOG_MAX_BYTES. Done
    once per start: a session writes little, and logging.handlers (with socket, pickle and
    queue) would cost every start ~7 ms to rotate mid-session instead."""
    try:
        if log_file.stat().st_size <= LOG_MAX_BYTES:
            return
    except OSError:
        return
    for n in range(LOG_BACKUPS, 0, -1):
        older = log_file.with_name(f"{log_file.name}.{n - 1}") if n > 1 else log_file
        if older.exists():
            older.replace(log_file.with_name(f"{log_file.name}.{n}"))


def setup_logging() -> Path | None:
    """``reader.*`` loggers write to the per-user log folder; None when it cannot be created."""
    log_dir = Path(appdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        _rotate(log_dir / LOG_NAME)
        handler = logging.FileHandler(log_dir / LOG_NAME, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("reader")
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return log_dir


def prepare_application(app: QApplication, *, style: bool = True, icon: bool = True) -> None:
    """Style, UI font, font substitutions and icon: the same in the program and in tests.

    run_gui passes ``style=False`` (its QApplication got ``-style Fusion``: asking a running
    application for its style builds ~300 Python enums of QStyle, ~11 ms) and ``icon=False``
    (it sets the icon once the article is painted, see set_window_icon).
    """
    from PySide6.QtGui import QFont

    from reader.ui import fonts

    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setDesktopFileName(APP_ID)
    if style and app.style().name().lower() != "fusion":  # often the default already
        app.setStyle("Fusion")
    fonts.install_substitutions()
    ui_font = QFont(app.font())
    ui_font.setPixelSize(UI_PIXEL_SIZE)
    app.setFont(ui_font)
    if icon:
        set_window_icon(app)


def set_window_icon(app: QApplication) -> None:
    """The application icon (resources/icons), when the installation has it."""
    from PySide6.QtGui import QIcon

    try:
        path = assets.resource_file(f"icons/{APP_ID}.svg")
    except (FileNotFoundError, ModuleNotFoundError):
        return
    if path.exists():
        app.setWindowIcon(QIcon(str(path)))


def install_excepthook(window: MainWindow, log_dir: Path | None) -> None:
    """Last resort: log an unexpected error and say so in the window; settings are already saved."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        where = f" Details are in {log_dir / LOG_NAME}." if log_dir else ""
        try:
            window.show_error(f"Something went wrong ({exc}); your settings are safe.{where}")
        except Exception:
            sys.__excepthook__(kind, exc, tb)

    sys.excepthook = hook


FONTCONFIG = "libfontconfig.so.1"  # the library Qt's font database uses on Linux and the BSDs


def warm_font_config() -> None:
    """Set fontconfig up in a thread while this one imports Qt. The window's first font calls
    FcInit(), which reads fontconfig's configuration and its font caches: ~24M instructions,
    5-15 ms, that otherwise delay the first paint; done here on the other core, that call
    finds it done."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        import threading

        threading.Thread(target=init_font_config, name="reader-fontconfig", daemon=True).start()


def init_font_config() -> bool:
    """Call fontconfig's FcInit(); False when there is no fontconfig or it failed. Through
    _ctypes, whose ctypes package would cost the importing main thread ~2 ms; the call runs
    without the interpreter's lock."""
    import _ctypes
    import os

    try:
        init = _ctypes.dlsym(_ctypes.dlopen(FONTCONFIG, os.RTLD_NOW), "FcInit")
    except OSError:
        return False

    class Int(_ctypes._SimpleCData):  # type: ignore[type-arg]  # ctypes.c_int
        _type_ = "i"

    class Function(_ctypes.CFuncPtr):  # ctypes.CFUNCTYPE(c_int)
        _flags_ = _ctypes.FUNCFLAG_CDECL
        _restype_ = Int
        _argtypes_ = ()

    return bool(Function(init)())


def run_gui(argv: list[str], early: Forked | None = None) -> int:
    """``reader [FILE | URL | ID]``: open the window on a file, a web page or a library article
    (an integer that is not a file's name), else on the last article read. ``early``: the
    prefetch child reader.cli forked for ``argv``'s file before importing this module."""
    if len(argv) > 1:  # (reader.cli forks an early child only for one file)
        print("reader: open one thing at a time: reader [FILE | URL | ID]", file=sys.stderr)
        return 2
    # Before Qt: the settings say what opens first, and a child process gets that file ready
    # (the library's copy, or extracted) while Qt loads and the window is built
    # (reader.core.prefetch).
    log_dir = setup_logging()
    ctx = AppContext.load(log_dir=log_dir)
    ctx.start_prefetch(argv[0] if argv else None, early)
    warm_font_config()  # after the prefetch's fork: forking needs this process single-threaded

    from PySide6.QtWidgets import QApplication

    from reader.ui.main_window import MainWindow

    made_here = QApplication.instance() is None
    app = QApplication.instance() or QApplication([sys.argv[0], "-style", "Fusion", *argv])
    assert isinstance(app, QApplication)
    prepare_application(app, style=not made_here, icon=False)
    window = MainWindow(ctx)
    install_excepthook(window, log_dir)
    spec = argv[0] if argv else None
    if ctx.prefetch is not None and not ctx.prefetch.ready():
        # Its answer is still on the way: show the window meanwhile (open_initial then opens
        # the article at once if the answer came in the while, else when it comes).
        window.show()
        window.open_initial(spec)
    else:
        # The article goes in before the window shows: the view then lays it out once, at
        # its real size, not at setHtml and again for its block formats and margins.
        window.open_initial(spec)
        window.show()
    window.after_paint(_collect_from_now_on, first=True)
    window.after_paint(lambda: set_window_icon(app))
    # First after the paint: Ctrl+C and SIGTERM then also stop an update of the library.
    window.after_paint(lambda: _quit_on_signals(app), first=True)
    app.aboutToQuit.connect(window.shutdown)
    try:
        return app.exec()
    finally:
        ctx.close()


def _collect_from_now_on() -> None:
    """Cyclic garbage collection again, once the article is painted (reader.cli turned it off
    for the start). What the start made is frozen first: it lives as long as the window, and
    kept out of every later collection it does not lengthen the pauses while reading."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _quit_on_signals(app: QApplication) -> None:
    """SIGTERM and Ctrl+C quit cleanly, saving geometry and position like closing does (from
    the first paint on: before it, the default handlers end a start with nothing to save)."""
    import signal

    from PySide6.QtCore import QTimer

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes: wake it up now and then.
    timer = QTimer(app)
    timer.timeout.connect(lambda: None)
    timer.start(300)
