"""reader.ui answers PySide6's "does this module use PySide6?" check (PYSIDE-2029) for the
standard library and for our own modules without reading their source, and leaves every other
module to PySide6's own reading. Each case runs in a fresh process: the check is installed
once, when PySide6 is first imported."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import inspect, json, sys, types
    import PySide6.QtCore  # installs the check
    import reader.ui  # installs the answers
    feature = sys.modules["shibokensupport.feature"]
    read = []
    real_getsource = inspect.getsource
    def spying(obj):
        read.append(getattr(obj, "__name__", "?"))
        return real_getsource(obj)
    inspect.getsource = spying
    import colorsys                       # standard library, first imported here
    # (the hook sees the module an import statement returns: a from-import's own module)
    from reader.core.present import format_date   # ours, without a PySide6 import of its own
    from reader.ui.fonts import base_font         # ours, with one
    import thirdparty_with_pyside, thirdparty_without
    table = feature.pyside_feature_dict
    print(json.dumps({"read": read, "table": {name: table.get(name) for name in (
        "colorsys", "reader.core.present", "reader.ui.fonts",
        "thirdparty_with_pyside", "thirdparty_without")}}))
    """
)


def test_known_modules_are_not_read_and_others_are(tmp_path: Path) -> None:
    (tmp_path / "thirdparty_with_pyside.py").write_text("import PySide6.QtCore\n")
    (tmp_path / "thirdparty_without.py").write_text("VALUE = 1\n")
    root = Path(__file__).resolve().parents[2]
    env_path = f"{root}:{tmp_path}"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": env_path, "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # The third-party modules were read; the standard library's and ours were answered from
    # their names (PySide6's own binary modules are still tried, and fail fast).
    read = set(result["read"])
    assert {"thirdparty_with_pyside", "thirdparty_without"} <= read
    assert not read & {"colorsys", "reader.core.present", "reader.ui.fonts"}
    # The answers are PySide6's own: 0 for a module that uses PySide6, -1 ("ignore") otherwise.
    assert result["table"] == {
        "colorsys": -1,
        "reader.core.present": 0,
        "reader.ui.fonts": 0,
        "thirdparty_with_pyside": 0,
        "thirdparty_without": -1,
    }
