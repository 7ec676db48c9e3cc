"""The same page extracts the same way every time in one process, whatever ran before.

Tags removed during extraction are freed, and CPython hands their memory (and so their id())
to the next tag created: any state keyed by id() must not outlive its tag.
"""

from __future__ import annotations

import gc
from pathlib import Path

from reader.core.article import Article
from reader.core.extract import extract, extract_html
from reader.core.load import load_path

PAGES = Path(__file__).parent.parent / "fixtures" / "extract"
BASE = "https://news.example.org/section/story.html"
ROUNDS = 40


def _extract(name: str) -> Article:
    return extract_html((PAGES / name).read_text(encoding="utf-8"), base_url=BASE)


def _result(article: Article) -> tuple[str | None, ...]:
    return (article.title, article.byline, article.excerpt, article.html, article.text)


def test_freed_tags_lend_no_figures_to_new_ones() -> None:
    for _ in range(ROUNDS):
        text = _extract("freed_ids.html").text
        assert "river plan" in text
        assert "Short line" not in text
        gc.collect()


def test_pages_extract_identically_when_repeated_and_interleaved() -> None:
    names = sorted(p.name for p in PAGES.glob("*.html") if p.name != "not_article.html")
    first = {name: _result(extract(load_path(PAGES / name))) for name in names}
    for round_ in range(ROUNDS // 4):
        order = names if round_ % 2 else list(reversed(names))
        for name in order:
            assert _result(extract(load_path(PAGES / name))) == first[name], name
        gc.collect()
