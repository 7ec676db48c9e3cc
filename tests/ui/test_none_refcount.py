"""PySide6 6.12 on Python 3.11 drops a reference to None on every void call; reader.ui guards it."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import reader.ui  # applies the guard
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
for _ in range(50_000):
    label.setText("x")  # a void call: without the guard this aborts within ~7,000 calls
print("alive")
"""


def test_many_void_qt_calls_do_not_abort_the_interpreter() -> None:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "alive"
