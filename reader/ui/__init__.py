"""The Qt side: main window, reading toolbar, article view, themes and fonts."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QLineEdit, QWidget

SCREEN_SHARE = 0.9  # of the screen's free area at most, for a window's frame and a margin


def set_qt_property(obj: QObject, name: str, keys: str) -> None:
    """Set an enum or flags property by its key names: ``(button, "focusPolicy", "StrongFocus")``.

    Through Qt's property system, so building the window never touches PySide6's ``Qt``
    namespace: its first use builds ~95 Python enums (20-30 ms), and the first paint of the
    article need not wait for that. Event handlers, which run later, use ``Qt`` as usual.
    """
    if not obj.setProperty(name, keys):
        raise ValueError(f"{type(obj).__name__} has no property {name} taking {keys!r}")


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` x ``height``, or to SCREEN_SHARE of its screen's free
    area (less panels and docks) when that is smaller: on a laptop at 200% scaling (683x384)
    all of a window and its buttons stay on the screen."""
    screen = widget.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, int(room.width() * SCREEN_SHARE))
        height = min(height, int(room.height() * SCREEN_SHARE))
    widget.resize(width, height)


def add_clear_button(field: QLineEdit, name: str) -> None:
    """Qt's clear button in ``field``, named ``name`` for screen readers (Qt leaves it
    unnamed: "push button", and nothing more, to one who comes upon it). Named when the field
    first gets text, which is when the button first shows: at the start, finding it would
    cost the window's first paint ~3M instructions."""
    field.setClearButtonEnabled(True)

    def name_it() -> None:
        from PySide6.QtWidgets import QToolButton

        field.textChanged.disconnect(name_it)
        for button in field.findChildren(QToolButton):
            button.setAccessibleName(name)

    field.textChanged.connect(name_it)


def _immortalise_singletons() -> None:
    """Work around a PySide6 6.12 reference-count bug on Python 3.11.

    Shiboken 6.12 treats None, True and False as immortal (true from Python 3.12): it hands
    them out without a new reference, so every void Qt call drops one reference to None, every
    ``Signal.emit`` one to True, and every Python slot or event filter Qt calls that returns
    False one to False. After a few thousand such calls the interpreter aborts ("deallocating
    None", "deallocating True or False"). Giving the three the huge count 3.12 gives them makes
    them immortal here too. Remove once the project requires Python >= 3.12.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    # _ctypes rather than ctypes: the package's import costs ~2 ms before the first paint.
    import _ctypes

    class SsizeT(_ctypes._SimpleCData):  # type: ignore[type-arg]  # ctypes.c_ssize_t
        _type_ = "q" if sys.maxsize > 2**32 else "i"

    for singleton in (None, True, False):
        SsizeT.from_address(id(singleton)).value += 1 << 40


def _known_pyside_users() -> None:
    """Spare PySide6 reading the source of each module imported after it.

    For its opt-in ``__feature__`` switches, PySide6 reads the whole source of every module
    imported after it to see whether it names PySide6 (PYSIDE-2029), through inspect and
    linecache: about 0.2 ms a module, ~10 ms of the window's start before the article is
    painted. The answer is known without reading for the standard library (no) and for this
    package (yes: then PySide6 gives our modules its default feature set, which is what they
    are written for); other modules are still read. A PySide6 without this check is left alone.
    """
    import PySide6.QtCore  # noqa: F401  # installs the check (shibokensupport.feature)

    feature = sys.modules.get("shibokensupport.feature")
    reads_source = getattr(feature, "_mod_uses_pyside", None)
    if not callable(reads_source) or getattr(reads_source, "reader_known", False):
        return

    def uses_pyside(module: object) -> bool:
        top = str(getattr(module, "__name__", "")).partition(".")[0]
        if top in sys.stdlib_module_names:
            return False
        if top == __name__.partition(".")[0]:
            return True
        return bool(reads_source(module))

    uses_pyside.reader_known = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]


_immortalise_singletons()
_known_pyside_users()
