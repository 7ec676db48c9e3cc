"""What a text's writing system asks of the view: whether its letters join one to the next."""

from __future__ import annotations

from functools import cache

# Scripts whose letters join one to the next: spacing between letters breaks their words apart,
# so browsers leave letter spacing out for them (CSS Text 3, "cursive scripts"): Arabic and its
# supplements and presentation forms, Syriac, N'Ko, Mandaic, Mongolian, Hanifi Rohingya, Adlam.
JOINED_RANGES = (
    (0x0600, 0x074F),
    (0x0750, 0x077F),
    (0x07C0, 0x07FF),
    (0x0840, 0x086F),
    (0x08A0, 0x08FF),
    (0x1800, 0x18AF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x10D00, 0x10D3F),
    (0x1E900, 0x1E95F),
)
_FIRST_JOINED = chr(JOINED_RANGES[0][0])
SAMPLE_CHARS = 4000  # an article's start says what script it is written in


def joins_letters(text: str) -> bool:
    """Whether most letters of ``text`` are of a script whose letters join (Arabic, Persian,
    Urdu, Syriac, N'Ko, Mongolian, Adlam...): letter spacing is then left out. Measured at
    every opening, so in C loops: most articles have no such letter at all (``max``)."""
    sample = text[:SAMPLE_CHARS]
    if not sample or max(sample) < _FIRST_JOINED:
        return False
    joined = len(sample) - len(sample.translate(_joined_letters()))
    return joined * 2 > sum(map(str.isalpha, sample))


@cache
def _joined_letters() -> dict[int, None]:
    """A str.translate table that deletes the letters of JOINED_RANGES."""
    return dict.fromkeys(code for low, high in JOINED_RANGES for code in range(low, high + 1))
