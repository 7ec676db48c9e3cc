"""Site colours: colour schemes read from resources/themes/schemes.json, turned into a palette."""

from __future__ import annotations

import json
from functools import cache
from string import Template
from typing import NamedTuple

from PySide6.QtGui import QColor, QPalette

from reader import assets
from reader.core.settings import ColourScheme

# The toolbar's one-of-many choices are radio buttons (for screen readers) drawn like its other
# buttons: no indicator, the same box, an inverted checked state and the 3 px focus ring.
# (Checked choices are bold through their QFont: a font-weight rule has no effect on them.)
TOOLBAR_CHOICES = Template("""
QFrame#readingToolbar QRadioButton {
    background-color: $background;
    color: $text;
    border: 1px solid $border;
    border-radius: 4px;
    padding: 5px 15px;
    margin: 2px;
    min-height: 28px;
    min-width: 20px; /* also the least a choice shrinks to before the toolbar re-wraps */
    spacing: 0px;
    outline: none;
}

QFrame#readingToolbar QRadioButton::indicator {
    width: 0px;
    height: 0px;
    border: none;
    image: none;
}

QFrame#readingToolbar QRadioButton:hover {
    border: 2px solid $text;
    padding: 4px 14px;
}

QFrame#readingToolbar QRadioButton:checked {
    background-color: $text;
    color: $background;
}

QFrame#readingToolbar QRadioButton:focus, QFrame#readingToolbar QRadioButton:checked:focus {
    border: 3px solid $focus;
    padding: 3px 13px;
}
""")


class Scheme(NamedTuple):
    """The colours of one scheme, as ``#RRGGBB`` strings. A named tuple: a frozen dataclass
    would compile six methods from source as the window's modules load (~2M instructions)."""

    key: ColourScheme
    name: str
    text: str
    background: str
    controls: str
    border: str
    link: str
    link_visited: str
    focus: str


@cache
def schemes() -> dict[ColourScheme, Scheme]:
    """Every scheme from the bundled data file."""
    data = json.loads(assets.read_text("themes/schemes.json"))
    return {
        key: Scheme(key=key, **{k: v for k, v in data[key.value].items() if not k.startswith("_")})
        for key in ColourScheme
    }


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def palette_for(scheme: Scheme) -> QPalette:
    """A palette for the whole window: article, toolbar, menus, status bar and tooltips alike."""
    text, bg, controls = QColor(scheme.text), QColor(scheme.background), QColor(scheme.controls)
    pal = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        roles = {
            QPalette.ColorRole.Window: bg,
            QPalette.ColorRole.WindowText: text,
            QPalette.ColorRole.Base: bg,
            QPalette.ColorRole.AlternateBase: controls,
            QPalette.ColorRole.Text: text,
            QPalette.ColorRole.Button: controls,
            QPalette.ColorRole.ButtonText: text,
            QPalette.ColorRole.BrightText: text,
            QPalette.ColorRole.ToolTipBase: bg,
            QPalette.ColorRole.ToolTipText: text,
            QPalette.ColorRole.PlaceholderText: text,
            # Selection is the scheme inverted: the same high contrast, unmistakable.
            QPalette.ColorRole.Highlight: text,
            QPalette.ColorRole.HighlightedText: bg,
            QPalette.ColorRole.Link: QColor(scheme.link),
            QPalette.ColorRole.LinkVisited: QColor(scheme.link_visited),
            QPalette.ColorRole.Light: controls,
            QPalette.ColorRole.Midlight: controls,
            QPalette.ColorRole.Mid: QColor(scheme.border),
            QPalette.ColorRole.Dark: QColor(scheme.border),
            QPalette.ColorRole.Shadow: QColor(scheme.border),
        }
        for role, colour in roles.items():
            pal.setColor(group, role, colour)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(scheme.border))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(scheme.border))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Window, bg)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, bg)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, controls)
    return pal


def stylesheet_for(scheme: Scheme) -> str:
    """The window stylesheet (visible focus, checked states) filled with the scheme's colours."""
    template = Template(assets.read_text("styles/reader.qss") + TOOLBAR_CHOICES.template)
    return template.substitute(
        text=scheme.text,
        background=scheme.background,
        controls=scheme.controls,
        border=scheme.border,
        link=scheme.link,
        focus=scheme.focus,
    )
