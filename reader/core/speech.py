"""Reading aloud, the part without Qt: where each sentence of a paragraph begins and ends, so
the window can speak one sentence at a time and highlight it (the speeds offered are in
reader.core.settings, SPEECH_RATES).

Sentences end at ``.``, ``!``, ``?``, ``…`` (and the Chinese and Japanese full stops) followed by
a space or the paragraph's end, with any closing quote or bracket. A full stop does not end one
after an abbreviation ("Dr. Kivi", "e.g. this") or an initial ("J. R. Tolkien"), nor inside a
number ("3.5"), nor before a small letter ("“Is it?” she asked"). A line break ends one too. A
paragraph without such an ending (a heading, a list item) is one sentence.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_LINE = re.compile(r"[^\u2028]+")
_END = re.compile(r"(?:[.!?…]+|[。！？]+)[\"'”’»)\]]*(?=\s|$)|[。！？]+")
_NEXT_LETTER = re.compile(r"\s+(?:[—–-]\s*)?[\"'“‘«(\[]*([^\W\d_])")
_LAST_WORD = re.compile(r"([^\W\d_]+(?:\.[^\W\d_]+)*)\.$")
# Abbreviations a full stop does not end a sentence after: titles, "e.g.", Russian "ул." ...
_ABBREVIATION_WORDS = (
    "mr mrs ms mx dr prof st jr sr rev hon gen col lt sgt capt cmdr gov sen rep vs "
    "e.g i.e cf approx dept mt ft ave rd blvd "
    "ул им проф акад св см рис стр тыс млн млрд руб коп т.е т.д т.п др пр"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
# ... and those only before a number: "No. 5", "p. 12", "Dec. 5", but "The answer was no. She
# left."
_NUMBERED_WORDS = (
    "no nos p pp fig figs vol vols ch sec art jan feb mar apr jun jul aug sep sept oct nov dec г"
)
_NUMBERED = frozenset(_NUMBERED_WORDS.split())
_NUMBER_NEXT = re.compile(r"\s*\d")
_YEAR_BEFORE = re.compile(r"\d\s*г\.$")
# What a speech engine should not be given: the view's stand-in for a picture, line breaks.
_UNSPOKEN = str.maketrans({"\ufffc": " ", "\u2028": " ", "\u2029": " "})


def sentences(text: str) -> list[tuple[int, int]]:
    """The (begin, end) of each sentence of the paragraph ``text``, without the white space
    around them; sentences with nothing to say (no letter or digit) are left out."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):  # a line break (<br>) ends a sentence too
        _line_sentences(spans, text, line.start(), line.end())
    return spans


def _line_sentences(spans: list[tuple[int, int]], text: str, begin: int, stop: int) -> None:
    for match in _END.finditer(text, begin, stop):
        after = _NEXT_LETTER.match(text, match.end())
        if after is not None and after.group(1).islower():
            continue  # "“Is it?” she asked.", "Wait... what?", "U.S. officials"
        if match.group()[0] == "." and _continues(
            text[begin : match.start() + 1], text, match.end()
        ):
            continue
        _add(spans, text, begin, match.end())
        begin = match.end()
    _add(spans, text, begin, stop)


def _continues(before: str, text: str, after: int) -> bool:
    """True when the full stop ending ``before`` belongs to an abbreviation or an initial
    (``text[after:]`` follows it)."""
    found = _LAST_WORD.search(before)
    if found is None:
        return False
    word = found.group(1)
    if len(word) == 1 and word.isupper() and word.isascii():
        return True  # an initial: "J. R. Tolkien", "Winston S. Churchill"
    lowered = word.lower()
    if lowered == "г":  # "в г. Москве" (город), but "в 2002 г." (год) may end one
        return _YEAR_BEFORE.search(before) is None
    if lowered in _NUMBERED:
        return _NUMBER_NEXT.match(text, after) is not None
    return lowered in _ABBREVIATIONS


def _add(spans: list[tuple[int, int]], text: str, begin: int, end: int) -> None:
    piece = text[begin:end]
    stripped = piece.strip()
    if not any(c.isalnum() for c in stripped):
        return
    begin += len(piece) - len(piece.lstrip())
    spans.append((begin, begin + len(stripped)))


class Spoken(NamedTuple):
    """What a speech engine gets for a text, and where each of its characters is in the text
    (``at[i]``; one more entry for the end), so the words it reports can be found there."""

    text: str
    at: list[int]

    def span(self, start: int, length: int) -> tuple[int, int]:
        """The text's (begin, end) of the engine's word at ``start``, ``length`` long."""
        last = len(self.text)
        begin = self.at[min(max(0, start), last)]
        end = self.at[min(max(0, start + length - 1), last - 1)] + 1 if last else begin
        return begin, max(begin, end)


def speakable(text: str) -> Spoken:
    """``text`` as a speech engine should get it: pictures' placeholders and line breaks as
    spaces, soft hyphens left out ("inter\xadnational" is one word, not two)."""
    kept = [i for i, c in enumerate(text) if c != "\xad"]
    spoken = "".join(text[i] for i in kept).translate(_UNSPOKEN)
    return Spoken(spoken, [*kept, len(text)])


def preferred_voice(names: list[str], territory: str) -> str | None:
    """Of the voices ``names`` for one language, the one to read with: a plain voice (no
    "+variant"), the one named after ``territory`` ("Portuguese (Portugal)" in Portugal), else
    the first by name ("English (America)" before "English (Caribbean)"; speech-dispatcher's
    espeak-ng otherwise starts with whichever it lists first)."""
    plain = sorted(name for name in names if "+" not in name) or sorted(names)
    named = [name for name in plain if territory and territory.lower() in name.lower()]
    found = named or plain
    return found[0] if found else None
