"""Font faces for the two panel fonts, with metric-compatible stand-ins when one is missing, and
the reader's own font."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontInfo

from reader.core.settings import FontChoice, ReadingSettings

# Same letter widths, so the same line breaks: Liberation (OFL) and Croscore (Arimo, Tinos).
SUBSTITUTES: dict[FontChoice, tuple[str, ...]] = {
    FontChoice.ARIAL: ("Liberation Sans", "Arimo"),
    FontChoice.TIMES_NEW_ROMAN: ("Liberation Serif", "Tinos"),
}
_GENERIC = {
    FontChoice.ARIAL: QFont.StyleHint.SansSerif,
    FontChoice.TIMES_NEW_ROMAN: QFont.StyleHint.Serif,
}


def install_substitutions() -> None:
    """Tell Qt which installed faces stand in for Arial and Times New Roman (once per app)."""
    for choice, faces in SUBSTITUTES.items():
        if not QFont.substitutes(choice.value):
            QFont.insertSubstitutions(choice.value, list(faces))


def base_font(choice: FontChoice, pixel_size: int, own: str | None = None) -> QFont:
    """The chosen face at a pixel size, with its generic family as the last fallback; for
    FontChoice.OWN the family ``own`` (Arial until the reader has chosen one)."""
    family = (own or FontChoice.ARIAL.value) if choice is FontChoice.OWN else choice.value
    font = QFont(family)
    font.setStyleHint(_GENERIC.get(choice, QFont.StyleHint.SansSerif))
    font.setPixelSize(pixel_size)
    return font


def reading_font(reading: ReadingSettings, *, joined: bool = False) -> QFont:
    """The article's font: face, size, letter and word spacing in px, kerning off when spaced.
    ``joined``: the article is in a script whose letters join (reader.core.scripts), which
    letter spacing would break apart; it is left out, as browsers do."""
    font = base_font(reading.font, reading.pixel_size, reading.own_font)
    letters = 0.0 if joined else reading.letter_spacing_px
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, letters)
    font.setWordSpacing(reading.word_spacing_px)
    font.setKerning(letters == 0)
    return font


def is_installed(family: str) -> bool:
    """True when the face itself (not a stand-in) is installed."""
    from PySide6.QtGui import QFontDatabase  # its enums cost ~2 ms: not at every start

    return family in QFontDatabase.families()


def face_used(choice: FontChoice) -> str:
    """The family Qt really draws for a choice (e.g. "Liberation Sans" for Arial)."""
    return QFontInfo(base_font(choice, 16)).family()


def own_note(family: str | None) -> str:
    """The tooltip of "Your font": which family it is, and whether it is really there."""
    if not family:
        return "Choose any font installed on this computer to read in."
    used = QFontInfo(base_font(FontChoice.OWN, 16, family)).family()
    if used == family:
        return f"Your font: {family}. Use Choose… to pick another."
    return f"Your font {family} is not installed any more; {used} is used instead."


def face_note(choice: FontChoice) -> str:
    """One sentence for a tooltip: which face is really used and why."""
    used = face_used(choice)
    if used == choice.value:
        return f"{choice.value} is installed and used."
    return (
        f"{choice.value} is not installed; {used}, which has the same letter widths, "
        "is used instead."
    )
