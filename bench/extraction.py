"""Extraction quality and speed, ours beside trafilatura and readability-lxml, from one run.

Usage: ``python bench/extraction.py CORPUS_DIR [--only ours | --peers] [--limit N] [--pinned]
[--per-page N] [--json OUT]``

CORPUS_DIR holds one folder per page with ``source.html``, ``expected.html`` and
``expected-metadata.json`` (see ``shared/corpus/README.md``). Text is scored by ``bench.scoring``.
Every page is decoded once by ``reader.core.load`` and the same text is handed to every
extractor; the clock runs around the extraction call only (parsing included, loading not), and
the extractors take turns page by page so a busy machine slows them all alike.

Metadata is compared after collapsing runs of whitespace and trimming; dates on their
``YYYY-MM-DD`` part. Only pages whose truth is non-null count, printed as "n of m".
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable from the repo root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scoring import PageScore, html_to_text, score_page, summarise
from reader.core.errors import NotAnArticleError, ReaderError
from reader.core.load import Page, load_bytes


@dataclass(frozen=True)
class Output:
    """What an extractor returns for one page; None where it does not offer a field."""

    text: str
    title: str | None = None
    byline: str | None = None
    date: str | None = None


Extractor = Callable[[Page], Output]


def _ours(page: Page) -> Output:
    from reader.core.extract import extract

    try:
        article = extract(page)
    except NotAnArticleError:  # a refusal, not a crash: scored as an empty prediction
        return Output(text="")
    return Output(article.text, article.title, article.byline, article.published)


def _trafilatura(page: Page) -> Output:
    import trafilatura

    doc = trafilatura.bare_extraction(page.html, url=page.base_url, with_metadata=True)
    if doc is None or isinstance(doc, dict):  # None when it finds nothing
        return Output(text="")
    return Output(doc.text or "", doc.title, doc.author, doc.date)


def _readability_lxml(page: Page) -> Output:
    from readability import Document  # type: ignore[import-untyped]

    doc = Document(page.html, url=page.base_url)
    # short_title(): its cleaned-up title, the one the corpus README measured (92 of 127).
    return Output(
        html_to_text(doc.summary(html_partial=True)), doc.short_title(), doc.author(), None
    )


def _whole_page(page: Page) -> Output:
    return Output(html_to_text(page.html))


def _installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


# name -> (module that must import, extractor)
EXTRACTORS: dict[str, tuple[str, Extractor]] = {
    "ours": ("reader.core.extract", _ours),
    "trafilatura": ("trafilatura", _trafilatura),
    "readability-lxml": ("readability", _readability_lxml),
    "whole page text": ("bs4", _whole_page),
}
PEERS = ("trafilatura", "readability-lxml", "whole page text")


@dataclass
class Tally:
    """Running figures for one extractor over the corpus."""

    scores: dict[str, PageScore] = field(default_factory=dict)
    seconds: float = 0.0
    crashes: list[str] = field(default_factory=list)
    matches: dict[str, list[int]] = field(
        default_factory=lambda: {"title": [0, 0], "byline": [0, 0], "date": [0, 0]}
    )


_WS_RE = re.compile(r"\s+")


def _norm(value: str | None) -> str | None:
    return _WS_RE.sub(" ", value).strip() if isinstance(value, str) else None


def _date_part(value: str | None) -> str | None:
    value = _norm(value)
    return value[:10] if value else None


def _count_metadata(tally: Tally, out: Output, truth: dict[str, Any]) -> None:
    pairs = (
        ("title", _norm(out.title), _norm(truth.get("title"))),
        ("byline", _norm(out.byline), _norm(truth.get("byline"))),
        ("date", _date_part(out.date), _date_part(truth.get("publishedTime"))),
    )
    for key, got, want in pairs:
        if want:
            tally.matches[key][1] += 1
            tally.matches[key][0] += got == want


def _load(folder: Path) -> Page:
    data = (folder / "source.html").read_bytes()
    try:
        return load_bytes(data, source=str(folder / "source.html"))
    except ReaderError:
        html = data.decode("utf-8", "replace")
        return Page(html=html, base_url=None, source=str(folder), encoding="utf-8")


def run(folders: list[Path], names: list[str]) -> dict[str, Tally]:
    """Extract every page with every named extractor, taking turns page by page."""
    tallies = {name: Tally() for name in names}
    for folder in folders:
        page = _load(folder)
        truth_text = html_to_text((folder / "expected.html").read_text(encoding="utf-8"))
        meta_file = folder / "expected-metadata.json"
        truth = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        for name in names:
            tally = tallies[name]
            extractor = EXTRACTORS[name][1]
            start = time.perf_counter()
            try:
                out = extractor(page)
            except Exception as exc:  # a crash is a figure here, not a reason to stop
                out = Output(text="")
                tally.crashes.append(f"{folder.name}: {type(exc).__name__}: {exc}"[:160])
            tally.seconds += time.perf_counter() - start
            tally.scores[folder.name] = score_page(out.text, truth_text)
            _count_metadata(tally, out, truth)
    return tallies


def _fraction(pair: list[int]) -> str:
    return f"{pair[0]} of {pair[1]}"


def print_table(tallies: dict[str, Tally], missing: list[str], pages: int) -> None:
    """One table, extractors side by side."""
    ours_rate = None
    if "ours" in tallies and tallies["ours"].seconds:
        ours_rate = pages / tallies["ours"].seconds
    header = (
        f"{'extractor':<18}{'F1':>7}{'prec':>7}{'recall':>7}{'title':>12}{'byline':>11}"
        f"{'date':>10}{'pages/s':>9}{'ours/it':>9}{'crashes':>9}"
    )
    print(f"{pages} pages")
    print(header)
    print("-" * len(header))
    for name, tally in tallies.items():
        summary = summarise(tally.scores.values())
        rate = pages / tally.seconds if tally.seconds else float("inf")
        ratio = f"{ours_rate / rate:.2f}x" if ours_rate and name != "ours" else "-"
        title, byline, date = (_fraction(tally.matches[k]) for k in ("title", "byline", "date"))
        if name == "whole page text":
            title = byline = date = "-"
        elif name == "readability-lxml":
            date = "-"  # it has no date extraction
        print(
            f"{name:<18}{summary.f1:>7.3f}{summary.precision:>7.3f}{summary.recall:>7.3f}"
            f"{title:>12}{byline:>11}{date:>10}{rate:>9.1f}{ratio:>9}{len(tally.crashes):>9}"
        )
    for name in missing:
        print(f"{name:<18}not installed (pip install -e '.[bench]')")
    print(
        "title/byline: exact after whitespace collapse; date: YYYY-MM-DD part; "
        "'ours/it' = our pages/s divided by its pages/s"
    )
    for name, tally in tallies.items():
        for crash in tally.crashes:
            print(f"crash in {name}: {crash}")


def print_worst(tallies: dict[str, Tally], count: int) -> None:
    """Our worst pages by page F1, with the peers' F1 on the same page for comparison."""
    ours = tallies.get("ours")
    if ours is None:
        return
    others = [n for n in tallies if n != "ours"]
    print(f"\nour {count} worst pages (page F1; P and R; peers' page F1)")
    print(f"{'page':<44}{'F1':>6}{'P':>6}{'R':>6}" + "".join(f"{n[:12]:>14}" for n in others))
    worst = sorted(ours.scores.items(), key=lambda item: item[1].f1)[:count]
    for name, score in worst:
        p = f"{score.precision:.2f}" if score.precision is not None else "  -"
        peers = "".join(f"{tallies[n].scores[name].f1:>14.2f}" for n in others)
        print(f"{name[:43]:<44}{score.f1:>6.2f}{p:>6}{score.recall:>6.2f}{peers}")


def write_json(path: Path, tallies: dict[str, Tally], pages: int) -> None:
    """Every figure, per extractor and per page, for later comparison."""
    data: dict[str, Any] = {}
    for name, tally in tallies.items():
        summary = summarise(tally.scores.values())
        data[name] = {
            "f1": summary.f1,
            "precision": summary.precision,
            "recall": summary.recall,
            "pages_per_second": pages / tally.seconds if tally.seconds else None,
            "matches": tally.matches,
            "crashes": tally.crashes,
            "pages": {
                page: {"f1": s.f1, "precision": s.precision, "recall": s.recall}
                for page, s in tally.scores.items()
            },
        }
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def corpus_pages(corpus: Path) -> list[Path]:
    """Page folders of a corpus, in name order."""
    return sorted(
        p
        for p in corpus.iterdir()
        if (p / "source.html").is_file() and (p / "expected.html").is_file()
    )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--only", choices=["ours"], help="run only our extractor")
    group.add_argument("--peers", action="store_true", help="run only the peer extractors")
    parser.add_argument("--limit", type=int, help="score only the first N pages")
    parser.add_argument(
        "--pinned", action="store_true", help="score only the quality gate's pages (floors.json)"
    )
    parser.add_argument("--per-page", type=int, metavar="N", help="list our N worst pages")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write all figures as JSON")
    args = parser.parse_args(argv)

    if not args.corpus.is_dir():
        print(f"extraction: {args.corpus} is not a folder.", file=sys.stderr)
        return 2
    folders = corpus_pages(args.corpus)
    if args.pinned:
        floors = json.loads((Path(__file__).parent / "floors.json").read_text(encoding="utf-8"))
        pinned = set(floors["corpus"]["pages"])
        folders = [f for f in folders if f.name in pinned]
    folders = folders[: args.limit]
    if not folders:
        print(f"extraction: {args.corpus} holds no page folders.", file=sys.stderr)
        return 2
    wanted = ["ours"] if args.only else list(PEERS) if args.peers else ["ours", *PEERS]
    names = [n for n in wanted if _installed(EXTRACTORS[n][0])]
    missing = [n for n in wanted if n not in names]
    tallies = run(folders, names)
    print_table(tallies, missing, len(folders))
    if args.per_page:
        print_worst(tallies, args.per_page)
    if args.json:
        write_json(args.json, tallies, len(folders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
