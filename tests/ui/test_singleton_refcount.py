"""PySide6 6.12 on Python 3.11 drops references to None, True and False (it takes them for
immortal, as 3.12 makes them); reader.ui guards all three. Each case runs far past the point
where an unguarded interpreter aborts, in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PRELUDE = """
import reader.ui  # applies the guard
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
"""

CASES = {
    # a void call: without the guard this aborts within ~7,000 calls ("deallocating None")
    "void calls": """
label = QLabel()
for _ in range(50_000):
    label.setText("x")
""",
    # Signal.emit returns True without a reference: one lost per emit
    "signal emits": """
class Source(QObject):
    changed = Signal(object)
source = Source()
source.changed.connect(lambda value: None)
for _ in range(50_000):
    source.changed.emit(1)
""",
    # a Python slot that returns False (any slot whose last call gives a bool back)
    "slots returning False": """
class Source(QObject):
    changed = Signal(object)
source = Source()
source.changed.connect(lambda value: value > 1)
for _ in range(50_000):
    source.changed.emit(1)
""",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_many_qt_calls_do_not_abort_the_interpreter(case: str) -> None:
    env = os.environ | {"QT_QPA_PLATFORM": "offscreen"}
    script = PRELUDE + CASES[case] + 'print("alive")\n'
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "alive"
