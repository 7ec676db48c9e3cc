"""Sentences for reading aloud: where each begins and ends in a paragraph (reader.core.speech)."""

from __future__ import annotations

import pytest

from reader.core.settings import SPEECH_RATE_STEPS, Settings, settings_from_dict
from reader.core.speech import preferred_voice, sentences, speakable


def _said(text: str) -> list[str]:
    return [text[begin:end] for begin, end in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Dr. Kivi said it works. Then she left! Did she? Yes…",
            ["Dr. Kivi said it works.", "Then she left!", "Did she?", "Yes…"],
        ),
        # initials, a decimal number and "e.g." do not end a sentence
        (
            "J. R. R. Tolkien wrote it in 3.5 years, e.g. slowly. The end.",
            ["J. R. R. Tolkien wrote it in 3.5 years, e.g. slowly.", "The end."],
        ),
        # closing quotes and brackets stay with their sentence; a small letter goes on
        (
            "“Is it?” she asked. “It is.” (Truly.) Yes.",
            ["“Is it?” she asked.", "“It is.”", "(Truly.)", "Yes."],
        ),
        ("U.S. officials met. They agreed.", ["U.S. officials met.", "They agreed."]),
        ("Он сказал. Она ушла.", ["Он сказал.", "Она ушла."]),
        ("日本語の文です。次の文です。", ["日本語の文です。", "次の文です。"]),
        # a heading or list item without a full stop is one sentence; a line break ends one
        ("A heading without a stop", ["A heading without a stop"]),
        ("Maria Holm\u202827 November 2026\u2028", ["Maria Holm", "27 November 2026"]),
        # nothing to say: white space, punctuation, a picture's placeholder
        ("   ", []),
        (" \ufffc — ", []),
        ("  Padded.  Spaces.  ", ["Padded.", "Spaces."]),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert _said(text) == expected


def test_sentences_cover_the_text_in_order_without_overlap() -> None:
    text = "One. Two three! Four? Mr. Five six.\u2028Seven"
    spans = sentences(text)
    assert all(a < b for a, b in spans)
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
    # every letter of the text is in one sentence
    covered = {i for a, b in spans for i in range(a, b)}
    assert {i for i, c in enumerate(text) if c.isalnum()} <= covered


def test_speakable_keeps_the_length_so_word_positions_are_the_texts() -> None:
    text = "A picture \ufffc here\u2028and a\xadsoft hyphen."
    spoken = speakable(text)
    assert len(spoken) == len(text)
    assert "\ufffc" not in spoken
    assert "\u2028" not in spoken
    assert "\xad" not in spoken
    assert spoken.index("here") == text.index("here")


def test_speech_rate_is_remembered_and_checked() -> None:
    assert Settings().speech_rate == 0.0
    assert settings_from_dict(Settings(speech_rate=0.25).to_dict()).speech_rate == 0.25
    assert settings_from_dict({"speech_rate": 3}).speech_rate == 0.0  # not a step
    assert settings_from_dict({"speech_rate": True}).speech_rate == 0.0
    assert 0.0 in SPEECH_RATE_STEPS
    assert all(-1 <= r <= 1 for r in SPEECH_RATE_STEPS)


ESPEAK_EN_US = ["English (Caribbean)", "English (Caribbean)+Adam", "English (America)+Alex",
                "English (America)", "English (America, New York City)"]  # fmt: skip
ESPEAK_PT = ["Portuguese (Brazil)", "Portuguese (Brazil)+Annie", "Portuguese (Portugal)"]


@pytest.mark.parametrize(
    ("names", "territory", "expected"),
    [
        (ESPEAK_EN_US, "United States", "English (America)"),  # plain, then by name
        (ESPEAK_PT, "Portugal", "Portuguese (Portugal)"),  # named after the territory
        (ESPEAK_PT, "Brazil", "Portuguese (Brazil)"),
        (["Bob", "Anne"], "", "Anne"),
        (["Russian+Adam"], "Russia", "Russian+Adam"),  # only variants: still one
        ([], "Finland", None),
    ],
)
def test_preferred_voice(names: list[str], territory: str, expected: str | None) -> None:
    assert preferred_voice(names, territory) == expected
