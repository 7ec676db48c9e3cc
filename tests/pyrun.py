"""Run Python in a fresh interpreter and read back the JSON it prints: for what must start from a
bare process (forking, PySide6's reference counts, the program's real start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_python(code: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run ``code`` with ``args`` (the project on PYTHONPATH); return its last line as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_in_home(code: str, home: Path, *args: str) -> Any:
    """``run_python`` offscreen, with every per-user folder (settings, library, log) in
    ``home``: a start of the program as a user with that home would make it."""
    env = {"QT_QPA_PLATFORM": "offscreen"}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(home / var.lower())
    return run_python(code, *args, env=env)


_START_READER = """
reader.app.prepare_application = prepare_and_probe
from reader.cli import main
sys.exit(main(sys.argv[1:]))
"""


def start_reader(probe: str, path: Path | None, home: Path) -> dict[str, Any]:
    """``reader PATH`` (``reader`` for None) as the installed command runs it, from a bare
    interpreter in ``home``, with ``probe`` first: it imports reader.app and defines
    ``prepare_and_probe(app, **options)``, which run_gui then calls instead of
    prepare_application; it prints the JSON returned."""
    args = [str(path)] if path is not None else []
    result: dict[str, Any] = run_in_home(textwrap.dedent(probe) + _START_READER, home, *args)
    return result
