"""What a text's writing system asks of the view: whether its letters join one to the next."""

from __future__ import annotations

from bisect import bisect_right

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
# Each range's first code point and the one after its last, in order: a code point is in a range
# when bisect puts it after an odd number of these.
_BOUNDS = tuple(bound for low, high in JOINED_RANGES for bound in (low, high + 1))
_FIRST_JOINED = chr(JOINED_RANGES[0][0])
SAMPLE_CHARS = 1000  # an article's start says what script it is written in


def joins_letters(text: str) -> bool:
    """Whether most letters of ``text``'s start are of a script whose letters join (Arabic,
    Persian, Urdu, Syriac, N'Ko, Mongolian, Adlam...): letter spacing is then left out.
    Measured at every opening, before the first paint: only characters from U+0600 on (a few
    quotes and dashes in most articles) are looked up."""
    sample = text[:SAMPLE_CHARS]
    joined = sum(1 for c in sample if c >= _FIRST_JOINED and bisect_right(_BOUNDS, ord(c)) % 2 == 1)
    return joined > 0 and joined * 2 > sum(map(str.isalpha, sample))
