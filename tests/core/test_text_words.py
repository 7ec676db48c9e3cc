"""count_text_words counts what count_words finds in to_text's text, without making the text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from reader.core.article import count_words
from reader.core.bounded_parse import bounded_soup
from reader.core.errors import ReaderError
from reader.core.extract import locate
from reader.core.extract.render import count_text_words, to_text
from reader.core.load import load_path

REPO = Path(__file__).resolve().parents[2]
_corpus_env = os.environ.get("READER_CORPUS")
CORPUS = Path(_corpus_env) if _corpus_env else REPO.parent / "shared" / "corpus" / "readability"
PAGES = sorted(REPO.glob("tests/**/*.html")) + (
    sorted(CORPUS.glob("*/source.html")) if CORPUS.is_dir() else []
)

SHAPES = [
    "<p>one <b>two</b>three</p><p>four</p>",  # inline tags join a word, blocks part them
    "<div>five<div>six</div>seven</div>",
    "<p>eight<br>nine</p>",
    "<table><tr><td>ten</td><td>eleven</td></tr></table>",
    "<p>twelve<img src='x.png' alt='not text'>thirteen</p>",  # a picture joins them
    "<pre>\n  fourteen  fifteen\n</pre>sixteen",
    "<ul><li>seventeen</li><li>eighteen<!-- not text -->nineteen</li></ul>",
    "<h2>twenty</h2>twenty-one<blockquote>twenty-two</blockquote>",
    "<p>café naïve 東京 слово</p>",  # beyond Latin-1: counted by the regular expression
    "<p>   </p><pre>\n\n</pre>",
]


def _root(html: str) -> Tag:
    soup = BeautifulSoup(f"<article>{html}</article>", "lxml")
    article = soup.article
    assert article is not None
    return article


@pytest.mark.parametrize("html", SHAPES)
def test_the_count_is_the_texts_for_each_shape(html: str) -> None:
    root = _root(html)
    assert count_text_words(root) == count_words(to_text(root))


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO.parent)) for p in PAGES])
def test_the_count_is_the_texts_for_each_page(page: Path) -> None:
    try:
        located = locate(load_path(page))
    except ReaderError:  # no article in it: the whole page is counted instead
        body = bounded_soup(load_path(page).html).body
        assert body is not None
        assert count_text_words(body) == count_words(to_text(body))
        return
    root = located.best.root
    assert count_text_words(root) == count_words(to_text(root))
    assert located.word_count == count_words(located.text)  # whichever is made first
