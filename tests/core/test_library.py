"""The offline library: storage, dedupe, search, state, pictures, migrations, damage."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core import library as library_module
from reader.core.article import Article
from reader.core.errors import LibraryError
from reader.core.library import (
    MIGRATIONS,
    PICTURE_SCHEME,
    SCHEMA_VERSION,
    Library,
    default_path,
    fold,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16 + b"png-body"
GIF = b"GIF89a" + b"gif-body"


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library(tmp_path / "lib" / "library.db")
    yield library
    library.close()


def article(title: str, text: str, source: str | None = None, **kw: str) -> Article:
    return Article(title=title, text=text, html=f"<p>{text}</p>", source=source, **kw)


def test_default_path_is_under_xdg_data_home(tmp_path: Path) -> None:
    assert default_path().is_relative_to(tmp_path / "xdg_data_home")
    with Library() as library:
        assert library.path == default_path()
        assert library.path.exists()


def test_fresh_database_is_wal_at_current_schema(lib: Library) -> None:
    assert lib.schema_version == SCHEMA_VERSION
    with sqlite3.connect(lib.path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_migrates_from_version_one_and_indexes_existing_rows(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    raw = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0]:
        raw.execute(statement)
    raw.execute("PRAGMA user_version = 1")
    raw.execute(
        "INSERT INTO articles (title, text, content_hash, saved_at) "
        "VALUES ('Old piece', 'written before search existed', 'h1', 1.0)"
    )
    raw.close()
    with Library(path) as library:
        assert library.schema_version == SCHEMA_VERSION
        hits = library.search("search existed")
        assert [h.summary.title for h in hits] == ["Old piece"]


def test_refuses_a_database_from_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(LibraryError, match="newer version"):
        Library(path)


def test_round_trip_keeps_every_article_field(lib: Library) -> None:
    original = Article(
        title="Заголовок",
        byline="Анна Иванова",
        site_name="Вести",
        published="2024-05-01",
        place="Бишкек",
        lang="ru",
        dir="ltr",
        excerpt="Кратко",
        lead_image="https://example.org/lead.jpg",
        html="<p>Текст статьи.</p>",
        text="Текст статьи.",
        source="https://example.org/a",
    )
    entry = lib.get(lib.add(original))
    assert entry.article == original
    assert entry.summary.position == 0.0
    assert not entry.summary.read


def test_same_url_updates_one_entry(lib: Library) -> None:
    first = lib.add(article("Draft", "first version", "https://example.org/a#top"))
    second = lib.add(article("Final", "second version", "https://example.org/a"))
    assert first == second
    assert len(lib) == 1
    assert lib.get(first).article.title == "Final"
    assert lib.search("first") == []
    assert [h.summary.id for h in lib.search("second")] == [first]


def test_same_content_from_another_source_updates_one_entry(lib: Library) -> None:
    first = lib.add(article("Copy A", "the very same words", "/tmp/a.html"))
    second = lib.add(article("Copy B", "the  very same\nwords", "https://example.org/b"))
    assert first == second
    assert len(lib) == 1


def test_local_path_dedupes_however_it_is_spelled(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = lib.add(article("One", "text one", "page.html"))
    second = lib.add(article("One again", "text two", str(tmp_path / "page.html")))
    assert first == second


def test_find_source_by_url_or_path_however_spelled(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = lib.add(article("Web", "from the web", "https://example.org/a"))
    monkeypatch.chdir(tmp_path)
    local = lib.add(article("Local", "from a file", str(tmp_path / "page.html")))
    found = lib.find_source("https://example.org/a#section")
    assert found is not None
    assert found.id == web
    found = lib.find_source("page.html")
    assert found is not None
    assert found.id == local
    assert lib.find_source("https://example.org/other") is None
    lib.remove(web)
    assert lib.find_source("https://example.org/a") is None  # removed: not offered again


def test_search_folds_diacritics_both_ways(lib: Library) -> None:
    cafe = lib.add(article("Notes", "We met at the café near the station."))
    naive = lib.add(article("Other", "A naive plan."))
    assert [h.summary.id for h in lib.search("cafe")] == [cafe]
    assert [h.summary.id for h in lib.search("naïve")] == [naive]


def test_search_cyrillic_and_yo(lib: Library) -> None:
    moscow = lib.add(article("Погода", "В Москве ожидается снег и ёлки в снегу."))
    lib.add(article("Other", "Nothing here about weather."))
    assert [h.summary.id for h in lib.search("москве")] == [moscow]
    assert [h.summary.id for h in lib.search("елки")] == [moscow]
    assert [h.summary.id for h in lib.search("ЁЛКИ")] == [moscow]
    assert fold("ёлка Ёж") == "елка Еж"


def test_snippet_marks_the_match_in_the_original_spelling(lib: Library) -> None:
    filler = " ".join(["word"] * 60)
    lib.add(article("Long", f"{filler} the ёлка stood there {filler}"))
    (hit,) = lib.search("елка", highlight=("<<", ">>"))
    assert "<<ёлка>>" in hit.snippet
    assert hit.snippet.startswith("…")


def test_search_ranks_title_matches_first(lib: Library) -> None:
    body = lib.add(article("Gardening", "Among other things, tomatoes need sun."))
    title = lib.add(article("Tomatoes", "A guide to growing them well."))
    assert [h.summary.id for h in lib.search("tomatoes")] == [title, body]


def test_search_needs_every_word_and_prefixes_the_last(lib: Library) -> None:
    both = lib.add(article("A", "quick brown fox"))
    lib.add(article("B", "quick red hen"))
    assert [h.summary.id for h in lib.search("quick bro")] == [both]
    assert lib.search("quick bro", prefix=False) == []
    assert lib.search("quick br") == []  # two letters: a whole word, not a prefix
    assert lib.search('"; DROP TABLE articles; --') == []
    assert lib.search("   ") == []


def test_list_is_most_recent_first(lib: Library) -> None:
    ids = [lib.add(article(f"T{i}", f"body number {i}")) for i in range(3)]
    assert [s.id for s in lib.list()] == ids[::-1]
    lib.add(article("T0", "body number 0"))  # saving again makes it recent
    assert lib.list()[0].id == ids[0]


def test_position_read_archived_opened_round_trip(lib: Library) -> None:
    art = lib.add(article("T", "text"))
    lib.set_position(art, 0.42)
    lib.mark_read(art)
    lib.set_archived(art)
    lib.touch_opened(art)
    summary = lib.get(art).summary
    assert (summary.position, summary.read, summary.archived) == (0.42, True, True)
    assert summary.opened_at is not None
    assert [s.id for s in lib.list(archived=False)] == []
    lib.mark_read(art, read=False)
    assert not lib.get(art).summary.read
    with pytest.raises(LibraryError, match="between 0 and 1"):
        lib.set_position(art, 1.5)
    with pytest.raises(LibraryError, match="no article 999"):
        lib.mark_read(999)


def test_position_survives_an_update_of_the_same_page(lib: Library) -> None:
    art = lib.add(article("T", "text", "https://example.org/x"))
    lib.set_position(art, 0.7)
    lib.add(article("T", "text revised", "https://example.org/x"))
    assert lib.get(art).summary.position == 0.7


def test_local_pictures_are_copied_and_html_points_at_them(lib: Library, tmp_path: Path) -> None:
    page_dir = tmp_path / "site"
    page_dir.mkdir()
    (page_dir / "a.png").write_bytes(PNG)
    (page_dir / "notes.txt").write_bytes(b"not a picture")
    html = (
        f'<p>x</p><img src="{(page_dir / "a.png").as_uri()}" alt="A">'
        '<img src="a.png" alt="same, relative"><img src="notes.txt" alt="text">'
        '<img src="missing.png" alt="gone">'
    )
    art = Article(title="Pics", text="x", html=html, source=str(page_dir / "page.html"))
    entry = lib.get(lib.add(art))
    (hash_,) = entry.pictures
    assert entry.stored_html.count(PICTURE_SCHEME + hash_) == 2
    local = lib.picture_path(hash_)
    assert local.read_bytes() == PNG
    assert entry.article.html.count(local.as_uri()) == 2
    assert 'src="notes.txt"' in entry.article.html  # not a picture: left as it was
    (page_dir / "a.png").unlink()  # the library copy does not depend on the original
    assert lib.picture(hash_) == ("image/png", PNG)


def test_given_picture_bytes_are_stored_for_web_pages(lib: Library) -> None:
    html = '<img src="https://example.org/img/b.gif" alt="b"><img src="/img/c.png" alt="c">'
    art = Article(title="Web", text="web", html=html, source="https://example.org/post")
    pictures = {"https://example.org/img/b.gif": GIF, "https://example.org/img/c.png": PNG}
    entry = lib.get(lib.add(art, pictures))
    assert len(entry.pictures) == 2
    assert "example.org" not in entry.stored_html
    assert {lib.picture(h)[0] for h in entry.pictures} == {"image/gif", "image/png"}


def test_html_is_sanitised_before_storage(lib: Library) -> None:
    art = Article(title="X", text="t", html='<p onclick="evil()">t</p><script>alert(1)</script>')
    stored = lib.get(lib.add(art)).stored_html
    assert "script" not in stored
    assert "onclick" not in stored


def test_remove_then_restore_then_purge(lib: Library, tmp_path: Path) -> None:
    art = lib.add(Article(title="Gone", text="ephemeral words", html="<p>x</p>"))
    keep = lib.add(article("Kept", "staying words"))
    lib.remove(art)
    assert [s.id for s in lib.list()] == [keep]
    assert lib.search("ephemeral") == []
    with pytest.raises(LibraryError):
        lib.get(art)
    lib.restore(art)
    assert [h.summary.id for h in lib.search("ephemeral")] == [art]
    lib.remove(art)
    assert lib.purge_removed(older_than=0) == 1
    with pytest.raises(LibraryError):
        lib.restore(art)
    assert lib.check()


def test_permanent_remove_deletes_unused_pictures_only(lib: Library) -> None:
    html = '<img src="https://example.org/p.png" alt="p">'
    one = lib.add(
        Article(title="1", text="one", html=html, source="https://example.org/1"),
        {"https://example.org/p.png": PNG},
    )
    two = lib.add(
        Article(title="2", text="two", html=html, source="https://example.org/2"),
        {"https://example.org/p.png": PNG},
    )
    (hash_,) = lib.get(one).pictures
    path = lib.picture_path(hash_)
    lib.remove(one, permanent=True)
    assert path.exists()
    lib.remove(two, permanent=True)
    assert not path.exists()
    assert len(lib) == 0


def test_corrupt_database_is_moved_aside_and_a_fresh_one_started(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    path.write_bytes(b"this is not a database at all" * 100)
    with Library(path) as library:
        assert library.notice is not None
        assert "damaged" in library.notice
        assert len(library) == 0
        library.add(article("New", "fresh start"))
    aside = list(tmp_path.glob("library.db.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].name in library.notice
    assert aside[0].read_bytes().startswith(b"this is not a database")


def test_damaged_pages_are_detected_on_open(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    with Library(path) as library:
        for i in range(50):
            library.add(article(f"T{i}", f"text {i} " * 200))
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage garbage!"  # the header magic
    path.write_bytes(bytes(data))
    for side in ("-wal", "-shm"):
        path.with_name(path.name + side).unlink(missing_ok=True)
    with Library(path) as library:
        assert library.notice is not None
        assert len(library) == 0


def test_very_common_words_rank_only_the_most_recent_matches(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_module, "RANK_CANDIDATES", 2)
    lib.add(article("Apple apple apple", "apple orchard"))  # the best match, but the oldest
    middle = lib.add(article("Middle", "one apple"))
    newest = lib.add(article("Newest", "an apple a day, apple pie"))
    assert [h.summary.id for h in lib.search("apple")] == [newest, middle]
    assert len(lib.search("orchard")) == 1  # fewer matches than the cap: all ranked


def test_trash_older_than_a_day_is_purged_on_opening(lib: Library) -> None:
    old = lib.add(article("Old", "removed long ago"))
    recent = lib.add(article("Recent", "removed just now"))
    lib.remove(old)
    lib.remove(recent)
    with lib._write() as db:
        db.execute("UPDATE articles SET removed_at = removed_at - 2 * 86400 WHERE id = ?", (old,))
    with Library(lib.path) as again:
        again.restore(recent)
        with pytest.raises(LibraryError):
            again.restore(old)


def test_snippets_for_the_first_hits_only_and_on_demand(lib: Library) -> None:
    ids = [lib.add(article(f"T{i}", f"walrus number {i} " + "pad " * i)) for i in range(3)]
    hits = lib.search("walrus", snippets=1)
    assert [bool(h.snippet) for h in hits] == [True, False, False]
    later = hits[2].summary.id
    assert "[walrus]" in lib.snippet(later, "walrus")
    assert lib.snippet(later, "zebra") == ""
    assert {h.summary.id for h in hits} == set(ids)


def test_find_copy_names_the_entry_add_would_update(lib: Library) -> None:
    page = article("Mill bridge", "The bridge opened in May.", "https://example.org/bridge")
    assert lib.find_copy(page) is None
    kept = lib.add(page)
    lib.set_position(kept, 0.4)
    same_source = article(
        "Mill bridge (updated)", "Now with a photo.", "https://example.org/bridge"
    )
    copied = article("Mill bridge", "The bridge opened in May.", "/home/reader/bridge.html")
    other = article("Ferry", "The ferry stopped.", "https://example.org/ferry")
    for version in (same_source, copied):
        found = lib.find_copy(version)
        assert found is not None
        assert (found.id, found.position) == (kept, 0.4)
    # By source alone (no hash of the text): the same source only.
    found = lib.find_copy(same_source, by_content=False)
    assert found is not None
    assert found.id == kept
    assert lib.find_copy(copied, by_content=False) is None
    assert lib.add(copied) == kept  # the entry find_copy named is the one add updates
    assert lib.find_copy(other) is None
    lib.remove(kept)
    assert lib.find_copy(page) is None  # a removed article is not a copy to resume
    assert lib.find_copy(same_source, by_content=False) is None


def test_add_as_opened_records_the_opening_in_the_same_write(lib: Library) -> None:
    page = article("Mill bridge", "The bridge opened in May.", "https://example.org/bridge")
    kept = lib.add(page)
    assert lib.get(kept).summary.opened_at is None  # saved is not read
    again = lib.add(page, opened=True)
    assert again == kept
    opened_at = lib.get(kept).summary.opened_at
    assert opened_at is not None
    fresh = lib.add(article("Ferry", "The ferry stopped.", "/tmp/ferry.html"), opened=True)
    assert lib.get(fresh).summary.opened_at is not None
    lib.add(page)  # saving again does not forget when it was opened
    assert lib.get(kept).summary.opened_at == opened_at
