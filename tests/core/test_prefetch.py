"""The start-up prefetch: a forked child extracts the file and the window's process gets the same
article (or the same sentence) it would have made itself; anything odd falls back to extracting
in-process. Forking needs a single-threaded process, so each case runs in a fresh interpreter."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

from reader.app import LIBRARY_PREFIX, AppContext
from reader.core.article import Article
from reader.core.errors import ReaderError
from reader.core.library import Library
from reader.core.load import load_path
from reader.core.prefetch import Opened
from reader.core.settings import SettingsStore
from reader.core.web import extract_page
from tests.pyrun import run_in_home, run_python

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
ARTICLE = FIXTURES / "extract" / "structures.html"
NOT_ARTICLE = FIXTURES / "extract" / "not_article.html"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the prefetch needs os.fork")

PRELUDE = """
import dataclasses, json, os, sys, threading
from pathlib import Path
import reader.core.prefetch as prefetch
from reader.core.errors import ReaderError
from reader.core.load import load_path
from reader.core.web import extract_page

def here(path):
    try:
        return ["ok", dataclasses.asdict(extract_page(load_path(path), name=path))]
    except ReaderError as exc:
        return ["error", str(exc)]

def via(job, path):
    if job is None:
        return ["none", None]
    try:
        opened = job.take(path)
    except ReaderError as exc:
        return ["error", str(exc)]
    return ["ok", dataclasses.asdict(opened.article)] if opened is not None else ["none", None]

def children_left():
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return False
    return True
"""


def run(script: str, *args: str) -> Any:
    """Run ``script`` (after PRELUDE) in a fresh interpreter; it prints one JSON value."""
    return run_python(PRELUDE + textwrap.dedent(script), *args)


def test_prefetched_article_is_the_one_extracted_in_process() -> None:
    result = run(
        """
        path = sys.argv[1]
        job = prefetch.Prefetch.start(path)
        print(json.dumps({"started": job is not None, "child": via(job, path),
                          "here": here(path), "left": children_left()}))
        """,
        str(ARTICLE),
    )
    assert result["started"]
    assert result["child"][0] == "ok"
    assert result["child"] == result["here"]
    assert "estimate how much water" in result["child"][1]["html"]  # a real article came back
    assert not result["left"]  # the child was reaped


def test_a_page_that_is_not_an_article_gives_the_same_sentence() -> None:
    result = run(
        """
        path = sys.argv[1]
        print(json.dumps({"child": via(prefetch.Prefetch.start(path), path),
                          "here": here(path)}))
        """,
        str(NOT_ARTICLE),
    )
    assert result["child"][0] == "error"
    assert result["child"] == result["here"]
    assert str(NOT_ARTICLE) in result["child"][1]


def test_asking_for_another_file_stops_the_child_and_says_none() -> None:
    result = run(
        """
        job = prefetch.Prefetch.start(sys.argv[1])
        print(json.dumps({"other": via(job, sys.argv[2]), "again": via(job, sys.argv[1]),
                          "left": children_left()}))
        """,
        str(ARTICLE),
        str(NOT_ARTICLE),
    )
    assert result == {"other": ["none", None], "again": ["none", None], "left": False}


def test_a_child_that_dies_gives_none_so_the_caller_extracts_itself() -> None:
    result = run(
        """
        prefetch._child = lambda path, ends, *library: os._exit(3)  # dies before answering
        path = sys.argv[1]
        print(json.dumps({"child": via(prefetch.Prefetch.start(path), path),
                          "left": children_left()}))
        """,
        str(ARTICLE),
    )
    assert result == {"child": ["none", None], "left": False}


@pytest.mark.parametrize(
    "answer", ["b'not marshal data'", "marshal.dumps(('ok', 'an article, says the child'))"]
)
def test_a_child_that_sends_garbage_gives_none(answer: str) -> None:
    result = run(
        f"""
        import marshal
        def garbage(path, ends, *library):
            os.write(ends[1], {answer})
            os._exit(0)
        prefetch._child = garbage
        path = sys.argv[1]
        print(json.dumps(via(prefetch.Prefetch.start(path), path)))
        """,
        str(ARTICLE),
    )
    assert result == ["none", None]


def test_no_fork_once_threads_run_or_for_what_is_not_a_file(tmp_path: Path) -> None:
    result = run(
        """
        stop = threading.Event()
        folder = sys.argv[2]
        no_file = prefetch.Prefetch.start(folder)
        worker = threading.Thread(target=stop.wait)
        worker.start()
        threaded = prefetch.Prefetch.start(sys.argv[1])
        stop.set()
        worker.join()
        print(json.dumps({"folder": no_file is None, "threaded": threaded is None}))
        """,
        str(ARTICLE),
        str(tmp_path),
    )
    assert result == {"folder": True, "threaded": True}


def _long_page(folder: Path) -> Path:
    """An article with more text than PREVIEW_TEXT_CHARS: the child sends it in two steps."""
    body = "".join(
        f"<p>Paragraph {n}: the river rose through the village all night, said the keeper "
        "of the mill, and nobody slept.</p>"
        for n in range(1500)
    )
    page = folder / "long.html"
    page.write_text(
        f"<html><head><title>A long night</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>A long night</h1>{body}</article></body></html>",
        encoding="utf-8",
    )
    return page


def test_a_long_article_comes_as_its_beginning_then_the_whole(tmp_path: Path) -> None:
    result = run(
        """
        path = sys.argv[1]
        opened = prefetch.Prefetch.start(path).take(path)
        part = dataclasses.asdict(opened.article)
        whole = opened.whole()
        print(json.dumps({"part": part, "whole": dataclasses.asdict(whole), "here": here(path),
                          "again": opened.whole(), "left": children_left()}))
        """,
        str(_long_page(tmp_path)),
    )
    part, whole = result["part"], result["whole"]
    assert ["ok", whole] == result["here"]  # the whole is what the window would extract
    assert len(whole["text"]) > 100_000
    assert part["text"] == ""
    assert part["word_count"] == whole["word_count"]
    assert 0 < len(part["html"]) < len(whole["html"]) // 4
    assert "Paragraph 0:" in part["html"]
    assert {k: v for k, v in part.items() if k not in ("html", "text")} == {
        k: v for k, v in whole.items() if k not in ("html", "text")
    }
    assert result["again"] is None  # the whole comes once; the child is gone after it
    assert not result["left"]


def test_a_child_that_dies_after_the_beginning_gives_no_whole(tmp_path: Path) -> None:
    result = run(
        """
        answers = prefetch._answers
        def dying(path, *library):
            yield next(answers(path, *library))
            os._exit(3)
        prefetch._answers = dying
        path = sys.argv[1]
        opened = prefetch.Prefetch.start(path).take(path)
        print(json.dumps({"part": opened.article.title, "whole": opened.whole(),
                          "left": children_left()}))
        """,
        str(_long_page(tmp_path)),
    )
    assert result == {"part": "A long night", "whole": None, "left": False}


def test_a_long_article_read_before_comes_whole_to_go_back_to_its_place(tmp_path: Path) -> None:
    page = _long_page(tmp_path)
    result = run(
        """
        from reader.core.library import Library
        page, library_file = Path(sys.argv[1]), Path(sys.argv[2])
        with Library(library_file) as library:
            kept = library.add(extract_page(load_path(page), name=str(page.resolve())))
            library.set_position(kept, 0.25)
        os.utime(page)  # changed since it was kept: extracted again
        opened = prefetch.Prefetch.start(page, library_file).take(page)
        print(json.dumps({"kept": kept, "id": opened.library_id, "position": opened.position,
                          "whole": opened.whole is None, "chars": len(opened.article.text)}))
        """,
        str(page),
        str(tmp_path / "library.db"),
    )
    assert result["id"] == result["kept"]
    assert result["position"] == 0.25
    assert result["whole"]  # no beginning first: the window goes straight to the place
    assert result["chars"] > 100_000


def test_a_warm_start_child_answers_from_the_library_without_importing_the_extractor(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(ARTICLE.read_bytes())
    result = run_in_home(
        PRELUDE
        + textwrap.dedent(
            """
            from reader.core.fork import fork_prefetch
            from reader.core.library import Library
            from reader.core.places import default_library_path
            page, marker = Path(sys.argv[1]), Path(sys.argv[2])
            import_bs4 = prefetch._import_bs4_lean
            def noted():  # in the child: the extractor is being imported
                marker.write_text("imported")
                import_bs4()
            prefetch._import_bs4_lean = noted
            def start(library):
                job = prefetch.Prefetch.adopt(fork_prefetch(str(page)))
                job.order(library)
                opened = job.take(page)
                imported = marker.exists()
                marker.unlink(missing_ok=True)
                return [opened.stored, imported]
            usual = default_library_path()
            answers = [start(None)]  # no library yet: extracted
            usual.parent.mkdir(parents=True)
            with Library(usual) as library:
                library.add(extract_page(load_path(page), name=str(page.resolve())))
            answers.append(start(usual))  # kept unchanged: the library's copy
            answers.append(start(None))  # the user keeps no articles: extracted after all
            print(json.dumps(answers))
            """
        ),
        tmp_path / "home",
        str(page),
        str(tmp_path / "marker"),
    )
    assert result == [[False, True], [True, False], [False, True]]


# --- what the window's context prefetches --------------------------------------------------


def _context(tmp_path: Path) -> AppContext:
    ctx = AppContext.load(SettingsStore(tmp_path / "settings.json"))
    ctx.library_path = tmp_path / "library.db"
    return ctx


def test_initial_file_follows_what_the_window_opens(tmp_path: Path) -> None:
    ctx = _context(tmp_path)
    assert ctx.initial_file(str(ARTICLE)) == ARTICLE
    assert ctx.initial_file("https://example.org/a") is None
    assert ctx.initial_file("42") is None  # a library id, not a file here
    assert ctx.initial_file(None) is None  # nothing read yet
    ctx.replace(last_article=str(ARTICLE))
    assert ctx.initial_file(None) == ARTICLE
    ctx.replace(last_article=f"{LIBRARY_PREFIX}7")
    assert ctx.initial_file(None) is None
    ctx.replace(last_article=str(tmp_path / "gone.html"))
    assert ctx.initial_file(None) is None
    ctx.replace(last_article=str(ARTICLE), keep_opened_articles=False)
    assert ctx.initial_file(None) is None


def test_the_library_is_passed_on_only_when_it_exists_and_keeps_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[tuple[Path, Path | None]] = []
    monkeypatch.setattr("reader.app.Prefetch.start", lambda *args: started.append(args))
    page = tmp_path / "page.html"
    page.write_bytes(ARTICLE.read_bytes())
    ctx = _context(tmp_path)
    ctx.start_prefetch(str(page))
    Library(tmp_path / "library.db").close()
    ctx.start_prefetch(str(page))
    ctx.replace(keep_opened_articles=False)
    ctx.start_prefetch(str(page))
    assert started == [(page, None), (page, tmp_path / "library.db"), (page, None)]
    ctx.close()


def test_the_child_answers_with_the_librarys_copy_of_an_unchanged_file(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(ARTICLE.read_bytes())
    library_file = tmp_path / "library.db"
    result = run(
        """
        from reader.core.library import Library
        page, library_file = Path(sys.argv[1]), Path(sys.argv[2])
        def ask():
            opened = prefetch.Prefetch.start(page, library_file).take(page)
            return [opened.stored, opened.library_id, opened.position, opened.article.title]
        first = ask()  # not kept yet: extracted
        with Library(library_file) as library:
            kept = library.add(extract_page(load_path(page), name=str(page.resolve())))
            library.set_position(kept, 0.25)
        second = ask()  # kept after its last change: the library's copy
        os.utime(page)  # changed since: extracted again, with the kept copy's id and position
        third = ask()
        print(json.dumps({"kept": kept, "answers": [first, second, third]}))
        """,
        str(page),
        str(library_file),
    )
    kept = result["kept"]
    title = "How to measure the flow of a small river"
    assert result["answers"] == [
        [False, None, 0.0, title],
        [True, kept, 0.25, title],
        [False, kept, 0.25, title],
    ]


def test_open_file_takes_the_prefetched_answer_once(tmp_path: Path) -> None:
    prefetched = Opened(Article(title="From the child", html="<p>Prefetched body.</p>"), 7, 0.5)

    class Answer:
        def take(self, path: Path) -> Opened | None:
            assert Path(path) == ARTICLE
            return prefetched

        def cancel(self) -> None:
            raise AssertionError("a taken prefetch is not cancelled")

    ctx = _context(tmp_path)
    calls: list[object] = []

    def extract(page: object) -> Article:
        calls.append(page)
        return Article(title="Extracted here", html="<p>Here.</p>")

    ctx.extract = extract
    ctx.prefetch = Answer()  # type: ignore[assignment]
    assert ctx.open_file(ARTICLE) is prefetched
    assert calls == []
    assert ctx.open_file(ARTICLE).article.title == "Extracted here"  # used once only
    assert len(calls) == 1


def test_a_stored_answer_is_only_for_a_warm_opening(tmp_path: Path) -> None:
    stored = Opened(Article(title="Kept", html="<p>Kept body.</p>"), 3, 0.0, stored=True)

    class Answer:
        def take(self, path: Path) -> Opened | None:
            return stored

    ctx = _context(tmp_path)
    ctx.extract = lambda page: Article(title="Extracted here", html="<p>Here.</p>")
    ctx.prefetch = Answer()  # type: ignore[assignment]
    assert ctx.open_file(ARTICLE).article.title == "Extracted here"  # File > Open: extract
    ctx.prefetch = Answer()  # type: ignore[assignment]
    assert ctx.open_file(ARTICLE, warm=True) is stored


def test_open_file_passes_on_the_childs_sentence(tmp_path: Path) -> None:
    class Refusal:
        def take(self, path: Path) -> Opened | None:
            raise ReaderError(f"{path} is not an article.")

    ctx = _context(tmp_path)
    ctx.prefetch = Refusal()  # type: ignore[assignment]
    with pytest.raises(ReaderError, match="is not an article"):
        ctx.open_file(ARTICLE)


def test_ready_says_whether_take_would_wait() -> None:
    result = run(
        """
        import time
        child = prefetch._child
        def slow(path, ends, *library):
            time.sleep(0.8)
            child(path, ends, *library)
        prefetch._child = slow
        path = sys.argv[1]
        job = prefetch.Prefetch.start(path)
        early = job.ready()
        watched = job.fileno() is not None
        deadline = time.monotonic() + 30
        while not job.ready() and time.monotonic() < deadline:
            time.sleep(0.02)
        late = job.ready()
        answer = via(job, path)
        print(json.dumps({"early": early, "late": late, "watched": watched,
                          "answer": answer[0], "closed": job.fileno() is None and job.ready()}))
        """,
        str(ARTICLE),
    )
    assert result == {
        "early": False,
        "late": True,
        "watched": True,
        "answer": "ok",
        "closed": True,
    }


UNDECLARED = ("<p>Съешь же ещё этих мягких французских булок, да выпей чаю.</p>" * 30).encode(
    "cp1251"
)


def test_the_child_imports_bs4_lean_and_still_parses_and_guesses_encodings(
    tmp_path: Path,
) -> None:
    from reader.core.load import load_bytes

    page = tmp_path / "undeclared.html"
    page.write_bytes(UNDECLARED)
    result = run(
        """
        prefetch._import_bs4_lean()
        import bs4
        from bs4 import BeautifulSoup
        soup = BeautifulSoup("<div><p class='a'>One</p><p>Two</p></div>", "lxml")
        lean = [m for m in ("soupsieve", "chardet", "charset_normalizer") if m in sys.modules]
        from reader.core.load import load_bytes
        html = load_bytes(Path(sys.argv[1]).read_bytes()).html
        print(json.dumps({"texts": [p.get_text() for p in soup.find_all("p")], "lean": lean,
                          "css": bs4.css.soupsieve is None, "html": html}))
        """,
        str(page),
    )
    assert result["texts"] == ["One", "Two"]
    assert result["lean"] == []  # none imported by bs4, and no stand-ins left behind
    assert result["css"] is True
    assert result["html"] == load_bytes(UNDECLARED).html  # load.py still guesses the same
    assert "французских" in result["html"]


def test_when_the_child_could_not_ask_the_library_the_window_does(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(ARTICLE.read_bytes())
    ctx = _context(tmp_path)
    extracted = extract_page(load_path(page), name=str(page.resolve()))
    with Library(tmp_path / "library.db") as library:
        kept = library.add(extracted)
        library.set_position(kept, 0.25)

    class Unasked:  # e.g. a library the child could not read (one still to migrate)
        def take(self, path: Path) -> Opened | None:
            return Opened(extracted, library_checked=False)

    ctx.prefetch = Unasked()  # type: ignore[assignment]
    opened = ctx.open_file(page)
    assert (opened.library_id, opened.position, opened.stored) == (kept, 0.25, False)
    ctx.prefetch = Unasked()  # type: ignore[assignment]
    opened = ctx.open_file(page, warm=True)  # kept after its last change: the library's copy
    assert (opened.library_id, opened.position, opened.stored) == (kept, 0.25, True)
    ctx.close()


# --- the early fork: `reader FILE` forks before it imports the rest ----------------------------


def test_reader_file_forks_its_child_before_importing_the_app_and_logging() -> None:
    result = run_python(
        textwrap.dedent(
            """
            import json, os, sys
            import reader.core.fork as fork
            seen = {}
            real = fork.fork_prefetch
            def recording(path):
                seen.update({name: name in sys.modules
                             for name in ("reader.app", "logging", "argparse", "PySide6")})
                forked = real(path)
                seen["forked"] = forked is not None
                import reader.core.prefetch as prefetch
                prefetch.Prefetch.adopt(forked).cancel()
                print(json.dumps(seen), flush=True)
                os._exit(0)
            fork.fork_prefetch = recording
            from reader.cli import main
            main([sys.argv[1]])
            """
        ),
        str(ARTICLE),
    )
    assert result == {
        "reader.app": False,
        "logging": False,
        "argparse": False,
        "PySide6": False,
        "forked": True,
    }


def test_an_early_child_goes_on_only_for_the_file_the_window_opens(tmp_path: Path) -> None:
    result = run(
        """
        from reader.app import AppContext
        from reader.core.fork import fork_prefetch
        from reader.core.settings import SettingsStore
        ctx = AppContext.load(SettingsStore(Path(sys.argv[3])))
        ctx.start_prefetch(sys.argv[1], fork_prefetch(sys.argv[1]))  # the same file: ordered
        same = via(ctx.prefetch, sys.argv[1])
        ctx.prefetch = None
        ctx.start_prefetch("https://example.org/a", fork_prefetch(sys.argv[2]))  # not a file
        web = ctx.prefetch
        print(json.dumps({"same": same == here(sys.argv[1]), "web": web is None,
                          "left": children_left()}))
        """,
        str(ARTICLE),
        str(NOT_ARTICLE),
        str(tmp_path / "config"),
    )
    assert result == {"same": True, "web": True, "left": False}


def test_a_child_never_ordered_ends_without_an_answer() -> None:
    result = run(
        """
        from reader.core.fork import fork_prefetch
        job = prefetch.Prefetch.adopt(fork_prefetch(sys.argv[1]))  # no order() given
        print(json.dumps({"answer": via(job, sys.argv[1]), "left": children_left()}))
        """,
        str(ARTICLE),
    )
    assert result == {"answer": ["none", None], "left": False}
