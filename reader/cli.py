"""The command line: a thin front on the core. ``reader [INPUT]`` opens the window."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from reader import __version__
from reader.core.errors import ReaderError

# argparse, json and logging are imported by the commands that use them: `reader FILE` forks
# its prefetch child before importing anything it does not need (reader.core.fork).
if TYPE_CHECKING:
    import argparse

    # Each subcommand module registers itself here: name -> (add_arguments, run).
    Subcommand = tuple[
        Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]
    ]


def _extract_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("json", "text", "html", "markdown"), default="json")
    parser.add_argument("--base-url", help="resolve relative links against this URL")
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="a file path or http(s) URL")


def run_extract(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Extract each input; a failure is reported for that input and the others still run."""
    out = out or sys.stdout  # looked up per call, so a replaced sys.stdout is honoured
    import json
    import logging

    from reader.core.convert import article_to_markdown
    from reader.core.extract import extract
    from reader.core.load import load_input

    status = 0
    for spec in args.inputs:
        try:
            article = extract(load_input(spec, base_url=args.base_url))
        except Exception as exc:  # a bug on one page must not cost the user the other pages
            status = 1
            if not isinstance(exc, ReaderError):
                # Details go to the log (when configured); the user gets one sentence.
                logging.getLogger("reader.cli").debug("extracting %s failed", spec, exc_info=True)
                kind = type(exc).__name__
                exc = ReaderError(f"{spec} could not be extracted: an internal error ({kind}).")
            if args.format == "json":
                out.write(json.dumps({"input": spec, "error": str(exc)}, ensure_ascii=False) + "\n")
            else:
                print(f"reader: {exc}", file=sys.stderr)
            continue
        if args.format == "json":
            keys = (
                "title",
                "byline",
                "site_name",
                "published",
                "lang",
                "dir",
                "excerpt",
                "word_count",
                "reading_minutes",
                "html",
                "text",
            )
            record = {"input": spec} | {k: getattr(article, k) for k in keys}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif args.format == "text":
            out.write(article.text.rstrip() + "\n")
        elif args.format == "html":
            out.write(article.html.rstrip() + "\n")
        else:
            out.write(article_to_markdown(article).rstrip() + "\n")
    return status


SUBCOMMANDS: dict[str, tuple[str, Subcommand]] = {
    "extract": ("print the clean article of each input", (_extract_arguments, run_extract)),
}


def _subcommands() -> dict[str, tuple[str, Subcommand]]:
    """Every subcommand; each lives in its own module, imported only when the CLI needs it."""
    from reader.library_cli import SUBCOMMAND as library

    return SUBCOMMANDS | {"library": library}


COMMAND_NAMES = frozenset({"extract", "library"})


def build_parser() -> argparse.ArgumentParser:
    """The full parser: ``reader [INPUT]`` or ``reader COMMAND ...``."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="reader",
        usage="%(prog)s [FILE | URL | ID]\n       %(prog)s COMMAND ...",
        description="Accessible Reader. With no command it opens the window: on a web page "
        "FILE, on a web address URL (fetched with its pictures, kept in the library), on the "
        "saved library article number ID (see `reader library list`; a number that is not a "
        "file's name), or else on the last article read. In the window Alt+D goes to the web "
        "address, Ctrl+L shows the library and Ctrl+S saves the article to it.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command")
    for name, (help_text, (add_arguments, _run)) in _subcommands().items():
        add_arguments(sub.add_parser(name, help=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``reader`` command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMAND_NAMES and not argv[0].startswith("-")):
        # `reader FILE`: the child that gets the file ready is forked first, so that it imports
        # the extractor while this process imports the rest (reader.core.fork).
        # No cyclic garbage collection until the article is painted: what the start makes
        # lives as long as the window, and ~45 collections cost ~9 ms before that paint
        # (run_gui turns it back on).
        gc.disable()
        early = None
        if len(argv) == 1:
            from reader.core.fork import fork_prefetch

            early = fork_prefetch(argv[0])
        from reader.app import run_gui  # Qt is imported only when a window is wanted

        return run_gui(argv, early)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    _help, (_add, run) = _subcommands()[args.command]
    try:
        return run(args)
    except ReaderError as exc:
        print(f"reader: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
