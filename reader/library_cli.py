"""``reader library ...``: the offline library from the command line.

Subcommands: add, list, search, show, remove, export, import. Machine-readable output is one
JSON object per line; errors the user sees are one plain sentence each.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from reader.core.article import Article
from reader.core.errors import LibraryError, ReaderError
from reader.core.library import Library, Summary

PAGE_SUFFIXES = (".html", ".htm")
_BAR_WIDTH = 30


def _iso(ts: float | None) -> str | None:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(ts)) if ts is not None else None


def _summary_record(s: Summary) -> dict[str, object]:
    record = asdict(s)
    record["saved_at"] = _iso(s.saved_at)
    record["opened_at"] = _iso(s.opened_at)
    return record


def _json_line(out: TextIO, record: dict[str, object]) -> None:
    out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _article_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an article id (a number)") from None


@contextmanager
def _open_library(args: argparse.Namespace) -> Iterator[Library]:
    with Library(args.library) as library:
        if library.notice:
            print(f"reader: {library.notice}", file=sys.stderr)
        yield library


def load_article(spec: str) -> tuple[Article, dict[str, bytes]]:
    """Load and extract one input; for a web page also download its pictures."""
    from reader.core.load import is_url, load_input
    from reader.core.web import extract_page, fetch_article

    if is_url(spec):
        fetched = fetch_article(spec)
        return fetched.article, dict(fetched.pictures)
    return extract_page(load_input(spec), name=spec), {}


def run_add(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Add each input; print {"id", "title"} or {"input", "error"} per input."""
    out = out or sys.stdout  # looked up per call: tests and callers swap sys.stdout
    status = 0
    with _open_library(args) as library:
        for spec in args.inputs:
            try:
                article, pictures = load_article(spec)
                article_id = library.add(article, pictures)
            except ReaderError as exc:
                status = 1
                _json_line(out, {"input": spec, "error": str(exc)})
                continue
            _json_line(out, {"id": article_id, "title": article.title})
    return status


def run_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Every saved article, most recent first."""
    out = out or sys.stdout  # looked up per call: tests and callers swap sys.stdout
    with _open_library(args) as library:
        for s in library.list():
            if args.json:
                _json_line(out, _summary_record(s))
            else:
                state = "read" if s.read else "new"
                site = f" — {s.site_name}" if s.site_name else ""
                date = time.strftime("%Y-%m-%d", time.localtime(s.saved_at))
                out.write(f"{s.id:>5}  {date}  {state:<4}  {s.title or 'Untitled'}{site}\n")
    return 0


def run_search(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Articles matching the query, best first, each with a snippet."""
    out = out or sys.stdout  # looked up per call: tests and callers swap sys.stdout
    with _open_library(args) as library:
        hits = library.search(args.query, limit=args.limit, prefix=False)
        for hit in hits:
            if args.json:
                record = _summary_record(hit.summary) | {"snippet": hit.snippet, "rank": hit.rank}
                _json_line(out, record)
            else:
                s = hit.summary
                site = f" — {s.site_name}" if s.site_name else ""
                out.write(f"{s.id:>5}  {s.title or 'Untitled'}{site}\n       {hit.snippet}\n")
    if not hits and not args.json:
        print(f"reader: nothing in the library matches “{args.query}”.", file=sys.stderr)
    return 0


def run_show(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """One saved article as text, HTML (pictures from local copies) or JSON."""
    out = out or sys.stdout  # looked up per call: tests and callers swap sys.stdout
    with _open_library(args) as library:
        entry = library.get(args.id)
    article = entry.article
    if args.format == "json":
        record = article.to_dict() | _summary_record(entry.summary)
        record |= {"content_hash": entry.content_hash, "pictures": list(entry.pictures)}
        _json_line(out, record)
    elif args.format == "html":
        out.write(article.html.rstrip() + "\n")
    else:
        out.write(f"{article.title}\n\n{article.text.strip()}\n")
    return 0


def run_remove(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Delete a saved article for good (the window offers undo; the command line does not)."""
    out = out or sys.stdout  # looked up per call: tests and callers swap sys.stdout
    with _open_library(args) as library:
        title = library.get(args.id).article.title
        library.remove(args.id, permanent=True)
    out.write(f"Removed {args.id}: {title}\n")
    return 0


def run_export(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Write one saved article as standalone HTML, Markdown or EPUB."""
    out = out or sys.stdout  # looked up per call: tests and callers swap sys.stdout
    from reader.core.library_export import export

    with _open_library(args) as library:
        export(library, args.id, args.format, Path(args.output))
    out.write(f"{args.output}\n")
    return 0


def _progress(done: int, total: int, name: str, stream: TextIO) -> None:
    filled = _BAR_WIDTH * done // max(total, 1)
    bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
    stream.write(f"\r[{bar}] {done}/{total} {name[:40]:<40}")
    stream.flush()


def find_pages(folder: Path) -> list[Path]:
    """Every .html/.htm file below ``folder``, in a stable order."""
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES and p.is_file())


def run_import(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Add every page below a folder; a progress bar on a terminal, then what failed and why."""
    out = out or sys.stdout  # looked up per call: tests and callers swap sys.stdout
    folder = Path(args.folder)
    if not folder.is_dir():
        raise LibraryError(f"{folder} is not a folder.")
    pages = find_pages(folder)
    show_bar = sys.stderr.isatty()
    failed: list[tuple[Path, str]] = []
    added: set[int] = set()
    with _open_library(args) as library:
        for n, page in enumerate(pages, 1):
            if show_bar:
                _progress(n - 1, len(pages), page.name, sys.stderr)
            try:
                article, pictures = load_article(str(page))
                added.add(library.add(article, pictures))
            except ReaderError as exc:
                failed.append((page, str(exc)))
        if show_bar:
            _progress(len(pages), len(pages), "", sys.stderr)
            sys.stderr.write("\n")
    kept = len(pages) - len(failed)
    same = f" ({kept - len(added)} were the same article)" if kept > len(added) else ""
    out.write(f"Imported {kept} of {len(pages)} pages from {folder}{same}.\n")
    if failed:
        out.write(f"{len(failed)} failed:\n")
        for page, reason in failed:
            out.write(f"  {page.relative_to(folder)}: {reason}\n")
    return 1 if failed else 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``reader library`` subcommands."""
    parser.add_argument(
        "--library", type=Path, default=None, metavar="FILE", help="use this library database"
    )
    sub = parser.add_subparsers(dest="library_command", required=True, metavar="COMMAND")
    add = sub.add_parser("add", help="save pages to the library")
    add.add_argument("inputs", nargs="+", metavar="INPUT", help="a file path or http(s) URL")
    add.set_defaults(library_run=run_add)
    lst = sub.add_parser("list", help="list saved articles, most recent first")
    lst.add_argument("--json", action="store_true", help="one JSON object per line")
    lst.set_defaults(library_run=run_list)
    search = sub.add_parser("search", help="search saved articles, best match first")
    search.add_argument("query")
    search.add_argument("--json", action="store_true", help="one JSON object per line")
    search.add_argument("--limit", type=int, default=20, help="at most this many (20)")
    search.set_defaults(library_run=run_search)
    show = sub.add_parser("show", help="print a saved article")
    show.add_argument("id", type=_article_id)
    show.add_argument("--format", choices=("text", "html", "json"), default="text")
    show.set_defaults(library_run=run_show)
    remove = sub.add_parser("remove", help="delete a saved article")
    remove.add_argument("id", type=_article_id)
    remove.set_defaults(library_run=run_remove)
    export = sub.add_parser("export", help="export a saved article to a file")
    export.add_argument("id", type=_article_id)
    export.add_argument("--format", choices=("html", "markdown", "epub"), required=True)
    export.add_argument("-o", "--output", required=True, metavar="FILE")
    export.set_defaults(library_run=run_export)
    imp = sub.add_parser("import", help="add every .html/.htm page below a folder")
    imp.add_argument("folder", metavar="FOLDER")
    imp.set_defaults(library_run=run_import)


def run(args: argparse.Namespace) -> int:
    """Run the chosen ``reader library`` subcommand."""
    result: int = args.library_run(args)
    return result


SUBCOMMAND = (
    "keep articles offline: add, list, search, show, remove, export, import",
    (add_arguments, run),
)
