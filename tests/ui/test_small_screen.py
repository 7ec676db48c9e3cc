"""On a small screen (a 1366x768 laptop at 200% scaling is 683x384) the window and the font
dialog fit on it: each is sized to the screen, and the window, held taller by the whole toolbar
until the first paint, gets that size back once the toolbar can scroll."""

from __future__ import annotations

import json
from pathlib import Path

from tests.pyrun import run_python
from tests.ui.conftest import ARTICLE

PROBE = """
import json, sys, time
from PySide6.QtWidgets import QApplication
import reader.ui
from reader.app import AppContext, prepare_application
from reader.ui.font_chooser import FontChooser
from reader.ui.main_window import MainWindow

app = QApplication([sys.argv[0]])
prepare_application(app)
window = MainWindow(AppContext.load())
window.show()
window.open_path(sys.argv[1])
asked = [window.width(), window.height()]
held = 0
deadline = time.monotonic() + 20
while window.toolbar_area is None and time.monotonic() < deadline:
    held = max(held, window.height())
    app.processEvents()
for _ in range(20):
    app.processEvents()
dialog = FontChooser(None, window)
print(json.dumps({
    "asked": asked, "held": held, "window": [window.width(), window.height()],
    "dialog": [dialog.width(), dialog.height()],
}))
"""


def test_the_window_and_the_font_dialog_fit_a_small_screen(tmp_path: Path) -> None:
    screen = tmp_path / "screen.json"
    laptop = {"name": "laptop", "x": 0, "y": 0, "width": 683, "height": 384}
    screen.write_text(json.dumps({"screens": [{**laptop, "logicalDpi": 96, "dpr": 1}]}))
    env = {"QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[var] = str(tmp_path / var.lower())
    sizes = run_python(PROBE, str(ARTICLE), env=env)
    width, height = sizes["asked"]
    assert width <= 683
    assert height <= 384
    assert sizes["held"] > 384  # the whole toolbar held it taller before the first paint ...
    assert sizes["window"] == [width, height]  # ... and it is back to the size it asked for
    assert sizes["dialog"][0] <= 683
    assert sizes["dialog"][1] <= 384
