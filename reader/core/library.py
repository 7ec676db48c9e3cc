"""The offline library: every saved article in one SQLite database with full-text search.

One database file (``library.db``) in WAL mode under ``appdirs.user_data_dir`` holds each
article's metadata, clean HTML, text, source, reading position and state. Writes run in
``BEGIN IMMEDIATE`` transactions with a busy timeout, so two processes (two windows, or a window
and the CLI) writing at once wait for each other instead of corrupting anything, and a crash
mid-write loses at most the article being written.

Pictures are stored as files named by their SHA-256 under ``pictures/`` beside the database.
The saved HTML refers to them as ``reader-library:picture/<sha256>`` so the database stays valid
if the data folder moves; ``get()`` hands back HTML whose pictures are ``file:`` URLs of the
local copies, which the view (and the sanitiser) accept with no network.

Search uses FTS5 over title, byline, site and text with the ``unicode61`` tokenizer and
diacritics folded ("cafe" finds "café"); Cyrillic "ё" is folded to "е" as Russian readers type.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import html as html_lib
import json
import logging
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from reader.core.article import Article
from reader.core.errors import LibraryError
from reader.core.pictures import MAX_PICTURE_BYTES, picture_type
from reader.core.places import default_library_path


def _url2pathname(path: str) -> str:
    """The local path of a file: URL's path part. On POSIX that is just the unquoted path, as
    urllib.request does it; importing urllib.request would pull in http.client and email (about
    20 ms on every window start that keeps an article with local pictures)."""
    if os.name == "nt":  # drive letters and backslashes: let the standard library do it
        from urllib.request import url2pathname

        return url2pathname(path)
    return unquote(path)


log = logging.getLogger("reader.library")

PICTURES_DIR = "pictures"
PICTURE_SCHEME = "reader-library:picture/"
BUSY_TIMEOUT_MS = 15_000  # how long a writer waits for another process before giving up
# While an older library is updated, ``while_busy`` is called every this many SQLite steps
# (well under a millisecond apart; the caller decides how often it does anything).
MIGRATION_TICK_STEPS = 10_000
TRASH_KEEP_SECONDS = 24 * 3600  # removed articles stay restorable this long
SNIPPET_TOKENS = 12
PREFIX_MIN_CHARS = 3  # shorter last words are matched whole, not as prefixes
# (the FTS table keeps a prefix index of this length: migration 2 -> 3)
RANK_CANDIDATES = 1000  # rank at most this many matches by bm25 (see search())

# ``<img src="…">`` as the sanitiser writes it (double quotes): groups are the text before the
# URL, the URL as written, and the closing quote. reader.core.web uses it too.
IMG_SRC_RE = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.I)
_PLACEHOLDER_RE = re.compile(re.escape(PICTURE_SCHEME) + r"([0-9a-f]{64})")
_QUERY_WORD_RE = re.compile(r"\w+")

# Ordered migrations: MIGRATIONS[n] takes a database from user_version n to n + 1. Never edit a
# released step; append a new one. Each runs in its own transaction with the version bump.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 0 -> 1: articles and their pictures
        # Small columns first and the long html/text last: listing reads only the first part of
        # each row, never the overflow pages the bodies live in (10,000 rows: ms, not 300 ms).
        """CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            source_key TEXT UNIQUE,
            content_hash TEXT NOT NULL UNIQUE,
            saved_at REAL NOT NULL,
            opened_at REAL,
            position REAL NOT NULL DEFAULT 0,
            read INTEGER NOT NULL DEFAULT 0,
            archived INTEGER NOT NULL DEFAULT 0,
            removed_at REAL,
            word_count INTEGER NOT NULL DEFAULT 0,
            reading_minutes INTEGER NOT NULL DEFAULT 0,
            title TEXT NOT NULL DEFAULT '',
            byline TEXT,
            site_name TEXT,
            source TEXT,
            published TEXT,
            place TEXT,
            lang TEXT,
            dir TEXT,
            lead_image TEXT,
            excerpt TEXT,
            html TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX articles_by_saved ON articles (removed_at, saved_at DESC, id DESC)",
        """CREATE TABLE pictures (
            hash TEXT PRIMARY KEY,
            mime TEXT NOT NULL,
            ext TEXT NOT NULL,
            size INTEGER NOT NULL
        )""",
        """CREATE TABLE article_pictures (
            article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            hash TEXT NOT NULL REFERENCES pictures (hash),
            PRIMARY KEY (article_id, hash)
        ) WITHOUT ROWID""",
        "CREATE INDEX article_pictures_by_hash ON article_pictures (hash)",
    ),
    (  # 1 -> 2: full-text index; external content so the text is stored once. Weights:
        # title matters most when ranking, then byline and site, then body text.
        """CREATE VIRTUAL TABLE articles_fts USING fts5 (
            title, byline, site_name, text,
            content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        )""",
        """INSERT INTO articles_fts (rowid, title, byline, site_name, text)
            SELECT id, reader_fold(title), reader_fold(byline), reader_fold(site_name),
                   reader_fold(text)
            FROM articles WHERE removed_at IS NULL""",
        # Ranking lives in the index config so ORDER BY rank is done inside FTS5, which stops
        # after LIMIT rows (no sort of every match, no snippet for rows not shown).
        "INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(8.0, 2.0, 2.0, 1.0)')",
    ),
    (  # 2 -> 3: a prefix index for 3-character prefixes (PREFIX_MIN_CHARS), the first query
        # typed "as you type". Without it "bap*" merges the doclists of every word starting
        # with "bap": p95 21-29 ms in a 10,000-article library, 4-5 ms with it, for about
        # 3 KB more per article. 2-letter prefixes are never queried; 4-letter ones are
        # already fast enough (p95 ~10 ms) to not pay as much again in size. FTS5 options
        # cannot be altered, so the table is made anew and filled from the articles, folded
        # as in 1 -> 2 (not 'rebuild', which would index unfolded text that later deletes
        # could not remove), and the rank setting, kept in the dropped table, set again.
        "DROP TABLE articles_fts",
        """CREATE VIRTUAL TABLE articles_fts USING fts5 (
            title, byline, site_name, text,
            content='articles', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2', prefix='3'
        )""",
        """INSERT INTO articles_fts (rowid, title, byline, site_name, text)
            SELECT id, reader_fold(title), reader_fold(byline), reader_fold(site_name),
                   reader_fold(text)
            FROM articles WHERE removed_at IS NULL""",
        "INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(8.0, 2.0, 2.0, 1.0)')",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_SUMMARY_COLUMNS = (
    "a.id, a.title, a.byline, a.site_name, a.source, a.published, a.saved_at, a.opened_at, "
    "a.position, a.read, a.archived, a.word_count, a.reading_minutes"
)
_ARTICLE_FIELDS = (
    "title",
    "byline",
    "site_name",
    "published",
    "place",
    "lang",
    "dir",
    "excerpt",
    "lead_image",
    "html",
    "text",
    "source",
    "word_count",
    "reading_minutes",
)


def needs_update(path: Path) -> bool:
    """True when the library file at ``path`` was written by an earlier version of the reader:
    opening it migrates it, once, which takes seconds for thousands of articles."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return False
    finally:
        db.close()
    return 0 < version < SCHEMA_VERSION


def default_path() -> Path:
    """Where the library lives: ``user_data_dir/library.db`` (XDG_DATA_HOME is honoured)."""
    return default_library_path()


def fold(value: str | None) -> str | None:
    """Fold what unicode61 does not: Cyrillic ё to е, so either spelling finds both."""
    return value.replace("ё", "е").replace("Ё", "Е") if value else value


@functools.lru_cache(maxsize=2)
def content_hash(article: Article) -> str:
    """SHA-256 of the article's text with whitespace collapsed (its HTML when it has no text).

    Remembered for the last two articles: a window asks whether an article is kept already
    (find_copy) and then keeps it (add), and at 1 MB each hash is ~20 ms.
    """
    import hashlib  # OpenSSL's start-up: only when hashing, not to open or list the library

    basis = " ".join(article.text.split()) or article.html
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def source_key(source: str | None) -> str | None:
    """The identity of a source: a URL without its fragment, or an absolute file path."""
    if not source:
        return None
    parts = urlsplit(source)
    if parts.scheme.lower() in ("http", "https"):
        return urlunsplit(parts._replace(scheme=parts.scheme.lower(), fragment=""))
    if parts.scheme.lower() == "file":
        return str(Path(_url2pathname(parts.path)).resolve())
    return str(Path(source).expanduser().resolve())


def picture_url(hash_: str) -> str:
    """The placeholder URL the stored HTML uses for a picture."""
    return PICTURE_SCHEME + hash_


@dataclass(frozen=True)
class Summary:
    """One row of the library list: what a list or search result shows, without the body."""

    id: int
    title: str
    byline: str | None
    site_name: str | None
    source: str | None
    published: str | None
    saved_at: float
    opened_at: float | None
    position: float
    read: bool
    archived: bool
    word_count: int
    reading_minutes: int


@dataclass(frozen=True)
class SearchHit:
    """A search result: the article's summary, a snippet around the match and its bm25 rank."""

    summary: Summary
    snippet: str
    rank: float


@dataclass(frozen=True)
class Entry:
    """A saved article in full. ``article.html`` shows pictures from ``file:`` URLs."""

    summary: Summary
    article: Article
    stored_html: str  # the HTML as stored, with reader-library: picture URLs
    content_hash: str
    pictures: tuple[str, ...]  # hashes of the pictures it shows

    @property
    def id(self) -> int:
        """The article's id."""
        return self.summary.id


@dataclass(frozen=True)
class _Picture:
    hash: str
    mime: str
    ext: str
    data: bytes


def _summary(row: sqlite3.Row) -> Summary:
    return Summary(
        id=row["id"],
        title=row["title"],
        byline=row["byline"],
        site_name=row["site_name"],
        source=row["source"],
        published=row["published"],
        saved_at=row["saved_at"],
        opened_at=row["opened_at"],
        position=row["position"],
        read=bool(row["read"]),
        archived=bool(row["archived"]),
        word_count=row["word_count"],
        reading_minutes=row["reading_minutes"],
    )


def _fts_query(query: str, *, prefix: bool) -> str | None:
    """Words of ``query`` as an FTS5 AND query; the last word matches as a prefix if asked.

    A one- or two-letter prefix matches thousands of words and costs 50 ms and more in a big
    library, and says little, so it stays a whole word until a third letter is typed.
    """
    words = _QUERY_WORD_RE.findall(fold(query) or "")
    if not words:
        return None
    terms = [f'"{w}"' for w in words]
    if prefix and len(words[-1]) >= PREFIX_MIN_CHARS:
        terms[-1] += "*"
    return " ".join(terms)


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    message = str(exc).lower()
    return any(s in message for s in ("malformed", "not a database", "corrupt", "encrypted"))


class Library:
    """The offline library. Open one per process (or per window); close it when done."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        read_only: bool = False,
        while_busy: Callable[[], bool] | None = None,
    ) -> None:
        """Open (creating, migrating or starting afresh as needed) the library at ``path``.

        ``read_only``: only read the library as it is, for a process that must change nothing
        (the start-up prefetch); LibraryError when it is missing, unreadable or at another
        schema version, which whoever opens it fully then deals with.
        ``while_busy``: called again and again while an older library is updated (seconds for
        thousands of articles), so a window can stay responsive; returning False stops the
        update, leaves the file as it was (updated at its next opening) and raises
        LibraryError.
        """
        self.path = Path(path) if path is not None else default_path()
        self.pictures_dir = self.path.parent / PICTURES_DIR
        #: A sentence for the user when something happened on opening (corrupt file moved aside).
        self.notice: str | None = None
        self._while_busy = while_busy
        self._update_stopped = False
        if read_only:
            self._db = self._open_for_reading()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(
                f"The library folder {self.path.parent} cannot be created: {exc.strerror or exc}."
            ) from exc
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            if not _is_corrupt(exc):
                raise LibraryError(f"The library {self.path} cannot be opened: {exc}.") from exc
            self._db = self._start_afresh()
        self._purge_old_trash()

    # ----------------------------------------------------------------- opening and migrating
    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.create_function("reader_fold", 1, fold, deterministic=True)
        return db

    def _open(self) -> sqlite3.Connection:
        db = self._connect()
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                log.warning("%s: WAL mode unavailable; using the default journal", self.path)
            db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable up to a crash
            db.execute("PRAGMA foreign_keys = ON")
            self._migrate(db)
            db.execute("SELECT count(*) FROM articles").fetchone()
        except BaseException:
            db.close()
            raise
        return db

    def _open_for_reading(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise LibraryError(f"There is no library at {self.path}.")
        try:
            db = self._connect()
        except sqlite3.Error as exc:
            raise LibraryError(f"The library {self.path} cannot be read: {exc}.") from exc
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            db.execute("SELECT count(*) FROM articles").fetchone()
        except sqlite3.Error as exc:
            db.close()
            raise LibraryError(f"The library {self.path} cannot be read: {exc}.") from exc
        if version != SCHEMA_VERSION:
            db.close()
            raise LibraryError(
                f"The library {self.path} is at schema {version}, not {SCHEMA_VERSION}."
            )
        return db

    def _start_afresh(self) -> sqlite3.Connection:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        try:
            self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.replace(aside.with_name(aside.name + suffix))
        except OSError as exc:
            raise LibraryError(
                f"The library {self.path} is damaged and could not be moved aside: "
                f"{exc.strerror or exc}."
            ) from exc
        self.notice = (
            f"The library {self.path} was damaged; it was kept as {aside.name} "
            "and a new, empty library was started."
        )
        log.warning("%s", self.notice)
        return self._open()

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"The library {self.path} was written by a newer version of the reader "
                f"(schema {version}, this one knows {SCHEMA_VERSION})."
            )
        if version < SCHEMA_VERSION and self._while_busy is not None:
            db.set_progress_handler(self._migration_tick, MIGRATION_TICK_STEPS)
        try:
            while version < SCHEMA_VERSION:
                db.execute("BEGIN IMMEDIATE")
                try:
                    # Another process may have migrated while we waited for the lock.
                    version = db.execute("PRAGMA user_version").fetchone()[0]
                    if version < SCHEMA_VERSION:
                        for statement in MIGRATIONS[version]:
                            db.execute(statement)
                        version += 1
                        db.execute(f"PRAGMA user_version = {version}")
                    db.execute("COMMIT")
                except BaseException:
                    db.set_progress_handler(None, 0)  # a stopped update: let ROLLBACK run
                    if db.in_transaction:  # (SQLite rolls an interrupted statement back)
                        db.execute("ROLLBACK")
                    raise
                log.info("%s: schema now at version %d", self.path, version)
        except sqlite3.OperationalError as exc:
            if not self._update_stopped:
                raise
            raise LibraryError(
                f"Updating the library {self.path} was stopped; it is updated the next time "
                "it opens."
            ) from exc
        finally:
            db.set_progress_handler(None, 0)
            self._while_busy = None  # the caller (a window) need not live as long as this

    def _migration_tick(self) -> int:
        """SQLite's progress handler while migrating: 0 goes on, 1 interrupts (stopped)."""
        if self._while_busy is None or self._update_stopped:
            return int(self._update_stopped)
        try:
            go_on = self._while_busy()
        except Exception:  # the caller's trouble must not break the update
            log.exception("%s: while_busy failed during the update", self.path)
            return 0
        except BaseException:  # Ctrl+C and the like: stop, as the caller would
            go_on = False
        self._update_stopped = not go_on
        return int(self._update_stopped)

    @property
    def schema_version(self) -> int:
        """The database's ``PRAGMA user_version``."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with the write lock so concurrent writers queue up."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise LibraryError(f"The library {self.path} is busy or locked: {exc}.") from exc
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"The library {self.path} could not be read: {exc}.") from exc

    # ----------------------------------------------------------------- pictures
    def picture_path(self, hash_: str, ext: str | None = None) -> Path:
        """Where a picture's file lives (``pictures/ab/abcdef….png``)."""
        if ext is None:
            row = self._query("SELECT ext FROM pictures WHERE hash = ?", (hash_,))
            if not row:
                raise LibraryError(f"The library has no picture {hash_}.")
            ext = str(row[0]["ext"])
        return self.pictures_dir / hash_[:2] / f"{hash_}.{ext}"

    def picture(self, hash_: str) -> tuple[str, bytes]:
        """A stored picture's (MIME type, bytes)."""
        rows = self._query("SELECT mime, ext FROM pictures WHERE hash = ?", (hash_,))
        if not rows:
            raise LibraryError(f"The library has no picture {hash_}.")
        path = self.picture_path(hash_, rows[0]["ext"])
        try:
            return str(rows[0]["mime"]), path.read_bytes()
        except OSError as exc:
            raise LibraryError(f"The picture {path} cannot be read: {exc.strerror}.") from exc

    def resolve_html(self, stored_html: str) -> str:
        """Stored HTML with each ``reader-library:picture/…`` URL made a ``file:`` URL."""
        if PICTURE_SCHEME not in stored_html:
            return stored_html
        exts = {
            r["hash"]: r["ext"]
            for r in self._query(
                "SELECT hash, ext FROM pictures WHERE hash IN (SELECT value FROM json_each(?))",
                (json.dumps(_PLACEHOLDER_RE.findall(stored_html)),),
            )
        }

        def to_file(m: re.Match[str]) -> str:
            ext = exts.get(m.group(1))
            return self.picture_path(m.group(1), ext).as_uri() if ext else m.group(0)

        return _PLACEHOLDER_RE.sub(to_file, stored_html)

    def _collect_pictures(
        self, html: str, base: str | None, given: Mapping[str, bytes]
    ) -> tuple[str, list[_Picture]]:
        """Rewrite picture URLs to local copies; read ``file:`` pictures, use ``given`` bytes."""
        found: dict[str, _Picture] = {}
        given_abs = {(urljoin(base, k) if base else k): v for k, v in given.items()}

        def rewrite(m: re.Match[str]) -> str:
            raw = html_lib.unescape(m.group(2))
            url = urljoin(base, raw) if base else raw
            data = given.get(raw)
            if data is None:
                data = given_abs.get(url)
            if data is None and urlsplit(url).scheme.lower() == "file":
                data = _read_local_picture(url)
            kind = picture_type(data) if data and len(data) <= MAX_PICTURE_BYTES else None
            if data is None or kind is None:
                return m.group(0)
            import hashlib

            hash_ = hashlib.sha256(data).hexdigest()
            found[hash_] = _Picture(hash_, kind[0], kind[1], data)
            return m.group(1) + picture_url(hash_) + m.group(3)

        return IMG_SRC_RE.sub(rewrite, html), list(found.values())

    def _store_picture_file(self, picture: _Picture) -> None:
        """Write a picture file atomically; an existing file with that hash is the same."""
        path = self.picture_path(picture.hash, picture.ext)
        if path.exists():
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(picture.data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            raise LibraryError(f"The picture {path} cannot be saved: {exc.strerror}.") from exc

    # ----------------------------------------------------------------- writing
    def add(
        self,
        article: Article,
        pictures: Mapping[str, bytes] | None = None,
        *,
        opened: bool = False,
    ) -> int:
        """Save ``article`` and return its id; the same source or content updates one entry.

        ``pictures`` maps picture URLs as they appear in the HTML (or resolved against the
        article's source) to their bytes, for web pages; ``file:`` pictures are read here.
        ``opened``: it is being read now (as :meth:`touch_opened`, in the same write: a long
        article's row is rewritten once, not twice).
        """
        key = source_key(article.source)
        base = _base_url(article.source)
        from reader.core.sanitize import sanitize_html  # nh3: not needed to open the library

        clean = sanitize_html(article.html)
        stored_html, found = self._collect_pictures(clean, base, pictures or {})
        for picture in found:
            self._store_picture_file(picture)
        digest = content_hash(article)
        values = {f: getattr(article, f) for f in _ARTICLE_FIELDS} | {"html": stored_html}
        now = time.time()
        try:
            with self._write() as db:
                matches = db.execute(
                    "SELECT id, removed_at FROM articles WHERE source_key = ? OR content_hash = ? "
                    "ORDER BY source_key IS ? DESC",
                    (key, digest, key),
                ).fetchall()
                if matches:
                    article_id = int(matches[0]["id"])
                    for other in matches[1:]:  # same content under another source: merge
                        self._delete_rows(db, int(other["id"]))
                    if matches[0]["removed_at"] is None:
                        self._fts_delete(db, article_id)
                    sets = ", ".join(f"{f} = :{f}" for f in values)
                    db.execute(
                        f"UPDATE articles SET {sets}, source_key = :key, content_hash = :hash, "
                        "saved_at = :now, removed_at = NULL, "
                        "opened_at = CASE WHEN :opened THEN :now ELSE opened_at END "
                        "WHERE id = :id",
                        values
                        | {"key": key, "hash": digest, "now": now, "id": article_id}
                        | {"opened": opened},
                    )
                    db.execute("DELETE FROM article_pictures WHERE article_id = ?", (article_id,))
                else:
                    cols = ", ".join(values)
                    marks = ", ".join(f":{f}" for f in values)
                    cur = db.execute(
                        f"INSERT INTO articles ({cols}, source_key, content_hash, saved_at, "
                        f"opened_at) VALUES ({marks}, :key, :hash, :now, :opened_at)",
                        values
                        | {"key": key, "hash": digest, "now": now}
                        | {"opened_at": now if opened else None},
                    )
                    article_id = int(cur.lastrowid or 0)
                self._fts_insert(db, article_id)
                for picture in found:
                    db.execute(
                        "INSERT OR IGNORE INTO pictures (hash, mime, ext, size) "
                        "VALUES (?, ?, ?, ?)",
                        (picture.hash, picture.mime, picture.ext, len(picture.data)),
                    )
                    db.execute(
                        "INSERT INTO article_pictures (article_id, hash) VALUES (?, ?)",
                        (article_id, picture.hash),
                    )
        except sqlite3.DatabaseError as exc:
            raise LibraryError(
                f"The article “{article.title or article.source}” could not be saved: {exc}."
            ) from exc
        return article_id

    @staticmethod
    def _fts_insert(db: sqlite3.Connection, article_id: int) -> None:
        db.execute(
            "INSERT INTO articles_fts (rowid, title, byline, site_name, text) "
            "SELECT id, reader_fold(title), reader_fold(byline), reader_fold(site_name), "
            "reader_fold(text) FROM articles WHERE id = ?",
            (article_id,),
        )

    @staticmethod
    def _fts_delete(db: sqlite3.Connection, article_id: int) -> None:
        """Drop a row from the index; external content needs the exact values indexed."""
        db.execute(
            "INSERT INTO articles_fts (articles_fts, rowid, title, byline, site_name, text) "
            "SELECT 'delete', id, reader_fold(title), reader_fold(byline), "
            "reader_fold(site_name), reader_fold(text) FROM articles WHERE id = ?",
            (article_id,),
        )

    def _delete_rows(self, db: sqlite3.Connection, article_id: int) -> None:
        row = db.execute("SELECT removed_at FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return
        if row["removed_at"] is None:
            self._fts_delete(db, article_id)
        db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def _update(self, article_id: int, sql: str, params: Sequence[object]) -> None:
        try:
            with self._write() as db:
                cur = db.execute(sql, (*params, article_id))
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"The library {self.path} could not be updated: {exc}.") from exc
        if cur.rowcount == 0:
            raise LibraryError(f"There is no article {article_id} in the library.")

    def set_position(self, article_id: int, position: float) -> None:
        """Remember how far the article was read, as a fraction from 0.0 to 1.0."""
        if not 0.0 <= position <= 1.0:
            raise LibraryError(f"A reading position must be between 0 and 1, not {position}.")
        self._update(article_id, "UPDATE articles SET position = ? WHERE id = ?", (position,))

    def mark_read(self, article_id: int, read: bool = True) -> None:
        """Mark the article read (or unread)."""
        self._update(article_id, "UPDATE articles SET read = ? WHERE id = ?", (int(read),))

    def set_archived(self, article_id: int, archived: bool = True) -> None:
        """Archive the article (or bring it back)."""
        self._update(article_id, "UPDATE articles SET archived = ? WHERE id = ?", (int(archived),))

    def touch_opened(self, article_id: int) -> None:
        """Record that the article was opened now."""
        self._update(article_id, "UPDATE articles SET opened_at = ? WHERE id = ?", (time.time(),))

    def remove(self, article_id: int, *, permanent: bool = False) -> None:
        """Remove an article; unless ``permanent`` it stays restorable for a day (undo)."""
        try:
            with self._write() as db:
                row = db.execute(
                    "SELECT removed_at FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                if row is None or (row["removed_at"] is not None and not permanent):
                    raise LibraryError(f"There is no article {article_id} in the library.")
                if permanent:
                    self._delete_rows(db, article_id)
                else:
                    self._fts_delete(db, article_id)
                    db.execute(
                        "UPDATE articles SET removed_at = ? WHERE id = ?", (time.time(), article_id)
                    )
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"The library {self.path} could not be updated: {exc}.") from exc
        if permanent:
            self._drop_unused_pictures()

    def restore(self, article_id: int) -> None:
        """Undo ``remove``: the article is back in the list and in search."""
        try:
            with self._write() as db:
                cur = db.execute(
                    "UPDATE articles SET removed_at = NULL WHERE id = ? AND removed_at IS NOT NULL",
                    (article_id,),
                )
                if cur.rowcount == 0:
                    raise LibraryError(f"Article {article_id} is not among removed articles.")
                self._fts_insert(db, article_id)
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"The library {self.path} could not be updated: {exc}.") from exc

    def purge_removed(self, older_than: float = TRASH_KEEP_SECONDS) -> int:
        """Delete for good articles removed more than ``older_than`` seconds ago; how many."""
        cutoff = time.time() - older_than
        with self._write() as db:
            ids = [
                int(r["id"])
                for r in db.execute(
                    "SELECT id FROM articles WHERE removed_at IS NOT NULL AND removed_at <= ?",
                    (cutoff,),
                )
            ]
            for article_id in ids:
                self._delete_rows(db, article_id)
        if ids:
            self._drop_unused_pictures()
        return len(ids)

    def _purge_old_trash(self) -> None:
        """On opening: delete for good what was removed more than a day ago (undo is over)."""
        cutoff = time.time() - TRASH_KEEP_SECONDS
        try:
            stale = self._db.execute(
                "SELECT 1 FROM articles WHERE removed_at IS NOT NULL AND removed_at <= ? LIMIT 1",
                (cutoff,),
            ).fetchone()
            if stale:
                self.purge_removed()
        except (sqlite3.DatabaseError, LibraryError) as exc:  # tidying must never stop opening
            log.warning("%s: old removed articles not purged: %s", self.path, exc)

    def _drop_unused_pictures(self) -> None:
        """Forget pictures no article shows any more, then delete their files."""
        with self._write() as db:
            rows = db.execute(
                "SELECT hash, ext FROM pictures WHERE hash NOT IN "
                "(SELECT hash FROM article_pictures)"
            ).fetchall()
            db.executemany("DELETE FROM pictures WHERE hash = ?", [(r["hash"],) for r in rows])
        for r in rows:  # after the commit: a crash here leaves a stray file, never a lost one
            with contextlib.suppress(OSError):
                self.picture_path(r["hash"], r["ext"]).unlink()

    # ----------------------------------------------------------------- reading
    def get(self, article_id: int, *, include_removed: bool = False) -> Entry:
        """The article in full; its HTML shows pictures from their local copies."""
        rows = self._query(
            f"SELECT {_SUMMARY_COLUMNS}, a.place, a.lang, a.dir, a.excerpt, a.lead_image, "
            "a.html, a.text, a.content_hash, a.removed_at FROM articles a WHERE a.id = ?",
            (article_id,),
        )
        if not rows or (rows[0]["removed_at"] is not None and not include_removed):
            raise LibraryError(f"There is no article {article_id} in the library.")
        row = rows[0]
        pictures = tuple(
            r["hash"]
            for r in self._query(
                "SELECT hash FROM article_pictures WHERE article_id = ? ORDER BY hash",
                (article_id,),
            )
        )
        article = Article(**{f: row[f] for f in _ARTICLE_FIELDS})
        return Entry(
            summary=_summary(row),
            article=replace(article, html=self.resolve_html(row["html"])),
            stored_html=row["html"],
            content_hash=row["content_hash"],
            pictures=pictures,
        )

    def list(
        self, *, archived: bool | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Summary]:
        """Saved articles, most recently saved first; ``archived`` filters when not None.

        ``limit`` and ``offset`` page through a big library (the panel loads a page at a time).
        """
        where = "a.removed_at IS NULL"
        params: list[object] = []
        if archived is not None:
            where += " AND a.archived = ?"
            params.append(int(archived))
        params += [-1 if limit is None else limit, offset]
        rows = self._query(
            f"SELECT {_SUMMARY_COLUMNS} FROM articles a INDEXED BY articles_by_saved "
            f"WHERE {where} ORDER BY a.saved_at DESC, a.id DESC LIMIT ? OFFSET ?",
            params,
        )
        return [_summary(r) for r in rows]

    def find_source(self, source: str) -> Summary | None:
        """The saved article kept from ``source`` (same URL or file, by ``source_key``), if any:
        one indexed lookup, so the window can ask at every start whatever the library's size."""
        rows = self._query(
            f"SELECT {_SUMMARY_COLUMNS} FROM articles a "
            "WHERE a.source_key = ? AND a.removed_at IS NULL",
            [source_key(source)],
        )
        return _summary(rows[0]) if rows else None

    def unchanged_copy(self, path: Path) -> Summary | None:
        """The kept copy of the file at ``path`` when it was saved after the file last changed
        (every opened article is kept), else None. Only sources kept as absolute paths count:
        a relative one may have named another file from another folder."""
        try:
            modified = path.stat().st_mtime
        except OSError:
            return None
        summary = self.find_source(str(path))
        if (
            summary is not None
            and summary.source
            and summary.saved_at >= modified
            and Path(summary.source).is_absolute()
        ):
            return summary
        return None

    def find_copy(self, article: Article, *, by_content: bool = True) -> Summary | None:
        """The saved article that :meth:`add` would update for ``article`` (same source, else
        same content), if any: read-only, so a window can show its position before saving.
        ``by_content=False``: by its source alone, which needs no hash of its whole text
        (~20 ms for 1 MB)."""
        key = source_key(article.source)
        if not by_content:
            if key is None:
                return None
            rows = self._query(
                f"SELECT {_SUMMARY_COLUMNS} FROM articles a "
                "WHERE a.source_key = ? AND a.removed_at IS NULL LIMIT 1",
                [key],
            )
            return _summary(rows[0]) if rows else None
        digest = content_hash(article)
        rows = self._query(
            f"SELECT {_SUMMARY_COLUMNS} FROM articles a "
            "WHERE (a.source_key = ? OR a.content_hash = ?) AND a.removed_at IS NULL "
            "ORDER BY a.source_key IS ? DESC LIMIT 1",
            [key, digest, key],
        )
        return _summary(rows[0]) if rows else None

    def __len__(self) -> int:
        return int(self._query("SELECT count(*) FROM articles WHERE removed_at IS NULL")[0][0])

    def search(
        self,
        query: str,
        *,
        limit: int = 50,
        prefix: bool = True,
        highlight: tuple[str, str] = ("[", "]"),
        snippets: int | None = None,
    ) -> builtins.list[SearchHit]:
        """Articles matching every word of ``query``, best first (bm25), with snippets.

        With ``prefix`` the last word (three letters or more) also matches longer words, for
        results as you type. When more than ``RANK_CANDIDATES`` articles match, only the most
        recently added ones are ranked, which keeps a common word fast in a library of any
        size. A snippet means tokenizing the article again (0.3 ms in English, 1.5 ms in
        Russian), so only the first ``snippets`` hits get one (all when None; the others
        have ``""``, see :meth:`snippet`).
        """
        match = _fts_query(query, prefix=prefix)
        if match is None:
            return []
        # bm25 costs a lookup per matching article (~6 µs): a word found in every article of a
        # big library would take 60 ms and more. Past RANK_CANDIDATES matches, rank only the
        # most recently added ones; a query that broad is rare and another word narrows it.
        cut = self._query(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? "
            "ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (match, RANK_CANDIDATES - 1),
        )
        lowest = int(cut[0][0]) if cut else 0
        rows = self._query(
            f"SELECT {_SUMMARY_COLUMNS}, rank AS score "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid "
            "WHERE articles_fts MATCH ? AND articles_fts.rowid >= ? ORDER BY rank LIMIT ?",
            (match, lowest, limit),
        )
        wanted = [r["id"] for r in rows[: len(rows) if snippets is None else snippets]]
        texts = self._snippets(match, wanted, highlight)
        return [SearchHit(_summary(r), texts.get(r["id"], ""), r["score"]) for r in rows]

    def _snippets(
        self, match: str, ids: Sequence[int], highlight: tuple[str, str]
    ) -> dict[int, str]:
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self._query(
            f"SELECT rowid, snippet(articles_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) "
            f"FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({marks})",
            (highlight[0], highlight[1], match, *ids),
        )
        return {int(r[0]): " ".join(str(r[1]).split()) for r in rows}

    def snippet(
        self,
        article_id: int,
        query: str,
        *,
        prefix: bool = True,
        highlight: tuple[str, str] = ("[", "]"),
    ) -> str:
        """The snippet of one article for ``query`` ("" when it does not match)."""
        match = _fts_query(query, prefix=prefix)
        if match is None:
            return ""
        return self._snippets(match, [article_id], highlight).get(article_id, "")

    def check(self) -> bool:
        """True when SQLite's integrity check passes."""
        return bool(self._query("PRAGMA integrity_check")[0][0] == "ok")


def _base_url(source: str | None) -> str | None:
    """The URL relative picture addresses resolve against: a web URL or a file: URL."""
    if not source:
        return None
    if urlsplit(source).scheme.lower() in ("http", "https", "file"):
        return source
    return Path(source).expanduser().resolve().as_uri()


def _read_local_picture(url: str) -> bytes | None:
    """The bytes of a ``file:`` picture, or None when it is missing, too big or unreadable."""
    path = Path(_url2pathname(urlsplit(url).path))
    try:
        if not path.is_file() or path.stat().st_size > MAX_PICTURE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None
