"""The Qt side: main window, reading toolbar, article view, themes and fonts."""

from __future__ import annotations

import sys


def _immortalise_none() -> None:
    """Work around a PySide6 6.12 reference-count bug on Python 3.11.

    Shiboken 6.12 treats None as immortal (true from Python 3.12): every void Qt call made from
    Python drops one reference to None, and after a few thousand calls the interpreter aborts
    with "deallocating None". Giving None the huge count 3.12 gives it makes it immortal here
    too. Remove once the project requires Python >= 3.12.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


_immortalise_none()
