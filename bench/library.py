"""Library speed and size on synthetic articles: add, search, list, panel load, bytes per article.

Articles are 800-1500 words drawn from a Zipf-like vocabulary (one in ten in Russian), in a temp
folder. Prints figures only; targets from issue 4: search p95 <= 20 ms, panel open <= 100 ms.

    .venv/bin/python bench/library.py [--articles 10000] [--queries 200]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.core.article import Article
from reader.core.library import Library

LATIN = "ba be bi bo bu ca ce ci co da de di do fa fe ga ge la le li lo ma me mi mo na ne ni no "
LATIN += "pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi za ze"
CYRILLIC = "ба бе би бо ва ве ви во да де ди до жа же за зе ка ке ки ко ла ле ли ло ма ме ми мо "
CYRILLIC += "на не ни но па пе по ра ре ри ро са се си со та те ти то ёл ёж"
VOCABULARY = 20_000


def make_vocabulary(syllables: str, rng: random.Random) -> list[str]:
    """Distinct pseudo-words of 1-4 syllables; earlier words are the common ones."""
    parts = syllables.split()
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        words["".join(rng.choices(parts, k=rng.choice((1, 2, 2, 3, 3, 4))))] = None
    return list(words)


def zipf_weights(n: int) -> list[float]:
    """Cumulative weights 1/rank: a few words everywhere, most words rare."""
    return list(itertools.accumulate(1.0 / rank for rank in range(1, n + 1)))


def make_article(i: int, words: list[str], cum: list[float], rng: random.Random) -> Article:
    count = rng.randint(800, 1500)
    body = rng.choices(words, cum_weights=cum, k=count)
    paragraphs = [" ".join(body[j : j + 90]).capitalize() + "." for j in range(0, count, 90)]
    title = " ".join(rng.choices(words, cum_weights=cum, k=6)).capitalize()
    return Article(
        title=title,
        byline=f"{words[rng.randrange(200, 2000)].capitalize()} {words[rng.randrange(2000)]}",
        site_name=f"site{i % 50}.example",
        html="".join(f"<p>{p}</p>" for p in paragraphs),
        text="\n\n".join(paragraphs),
        source=f"https://site{i % 50}.example/articles/{i}",
    )


def timed(fn: Callable[[], object], repeat: int = 1) -> list[float]:
    """Milliseconds per call."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, ms: Sequence[float]) -> None:
    print(
        f"  {name:<44} p50 {statistics.median(ms):7.2f} ms   p95 {pct(ms, 0.95):7.2f} ms"
        f"   max {max(ms):7.2f} ms"
    )


def bench_search(library: Library, label: str, queries: list[str], **kw: object) -> None:
    ms = [t for q in queries for t in timed(lambda q=q: library.search(q, **kw))]  # type: ignore[misc]
    report(f"search {label} ({len(queries)})", ms)


def bench_panel(library: Library) -> None:
    """Build the panel offscreen (it lists every article); skipped if Qt is missing."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from PySide6.QtWidgets import QApplication

        from reader.ui.library_panel import LibraryPanel
    except ImportError as exc:
        print(f"  panel: not measured ({exc})")
        return
    app = QApplication.instance() or QApplication([])
    panels: list[LibraryPanel] = []

    def open_panel() -> None:
        panels.append(LibraryPanel(library))
        panels[-1].show()
        app.processEvents()  # first layout and paint

    ms = timed(open_panel, repeat=5)
    report("open panel, shown and painted", ms)
    panel = panels[-1]
    words = ["bap", "mena", "rito", "sela", "ba", "example"] * 5
    ms = [
        t
        for w in words
        for t in timed(lambda w=w: (panel.search.setText(w), panel.refresh(), app.processEvents()))
    ]
    report("panel search refresh", ms)
    ms = timed(lambda: (panel.search.setText(""), panel.refresh(), app.processEvents()), 10)
    report("panel back to full list", ms)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="keep the database in this folder (reused)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    latin = make_vocabulary(LATIN, rng)
    cyrillic = make_vocabulary(CYRILLIC, rng)
    cum = zipf_weights(VOCABULARY)

    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        folder = args.keep or Path(tmp)
        path = folder / "library.db"
        library = Library(path)
        start = time.perf_counter()
        generated = 0.0
        words_total = 0
        first = len(library)  # with --keep, only the missing articles are added
        for i in range(first, args.articles):
            g = time.perf_counter()
            vocab = cyrillic if i % 10 == 0 else latin
            article = make_article(i, vocab, cum, rng)
            generated += time.perf_counter() - g
            words_total += article.word_count
            library.add(article)
        elapsed = time.perf_counter() - start - generated
        words_total = sum(s.word_count for s in library.list())
        print(f"{args.articles} articles, {words_total / args.articles:.0f} words on average")
        if first < args.articles:
            n = args.articles - first
            print(f"  add: {n / elapsed:.0f} articles/s ({elapsed:.1f} s, one commit each)")

        common = [latin[r] for r in range(10)] * (args.queries // 10)
        rare = rng.sample(latin[5_000:], args.queries)
        ru_common = [cyrillic[r] for r in range(10)] * (args.queries // 10)
        two = [f"{latin[rng.randrange(50)]} {latin[rng.randrange(50, 2000)]}" for _ in range(100)]
        typed = [w[:3] for w in latin[: args.queries] if len(w) >= 3]
        panel = {"prefix": False, "snippets": 0}  # what the panel asks: hits, snippets on hover
        cli = {"prefix": False, "limit": 20}  # what `reader library search` asks: 20 snippets
        bench_search(library, "common word", common, **panel)
        bench_search(library, "rare word", rare, **panel)
        bench_search(library, "common Cyrillic word", ru_common, **panel)
        bench_search(library, "two words", two, **panel)
        bench_search(library, "3-letter prefix (as you type)", typed, snippets=0)
        bench_search(library, "CLI: common word + 20 snippets", common, **cli)
        bench_search(library, "CLI: rare word + 20 snippets", rare, **cli)
        bench_search(library, "CLI: Cyrillic word + 20 snippets", ru_common, **cli)
        report("list all", timed(library.list, repeat=20))
        report("list 200 most recent (a panel page)", timed(lambda: library.list(limit=200), 50))
        ids = [s.id for s in library.list(limit=200)]
        report("get one article", [t for i in ids for t in timed(lambda i=i: library.get(i))])
        bench_panel(library)
        library.close()
        with Library(path) as again:  # reopening: what every window and CLI call pays
            report("open library", timed(lambda: Library(path).close(), repeat=10))
            again.check()
        size = sum(p.stat().st_size for p in folder.glob("library.db*"))
        print(
            f"  database: {size / 2**20:.1f} MB, {size / args.articles / 1024:.1f} KB per article"
            f" (text alone {words_total * 6.5 / args.articles / 1024:.1f} KB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
