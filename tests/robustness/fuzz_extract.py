"""Coverage-guided fuzzing of load, extract and sanitise with atheris; run by hand, not by pytest.

    .venv/bin/pip install atheris        # not a project dependency: a by-hand tool
    .venv/bin/python tests/robustness/fuzz_extract.py -max_total_time=120 [CORPUS_DIR]

Each input goes through ``load_bytes`` and ``extract``; the harness fails (and atheris saves the
input as ``crash-*``) when anything but a ReaderError is raised, or when the article's HTML holds
anything outside the sanitiser's allowlist. A second target feeds the bytes as text straight to
``sanitize_html``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports():
    from bench.robustness import active_content
    from reader.core.errors import ReaderError
    from reader.core.extract import extract
    from reader.core.load import load_bytes
    from reader.core.sanitize import sanitize_html


def test_one_input(data: bytes) -> None:
    """One fuzz case: only ReaderError may escape, and the output must be inert."""
    try:
        article = extract(load_bytes(data, source="fuzz.html"))
    except ReaderError:
        article = None
    if article is not None and (problems := active_content(article.html)):
        raise AssertionError(f"active content in the article: {problems}")
    text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    if problems := active_content(sanitize_html(text)):
        raise AssertionError(f"active content after sanitising: {problems}")


def main() -> None:
    """Hand the command line to libFuzzer (``-max_total_time``, ``-runs``, corpus folders)."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
