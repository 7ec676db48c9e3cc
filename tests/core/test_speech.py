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
        # "no", "p.", a month: abbreviations before a number only; "Inc." may end a sentence
        ("The answer was no. She left.", ["The answer was no.", "She left."]),
        ("See No. 5 and p. 12 on Dec. 5. Done.", ["See No. 5 and p. 12 on Dec. 5.", "Done."]),
        ("Apple Inc. The company grew.", ["Apple Inc.", "The company grew."]),
        # Russian abbreviations, and dialogue after a dash
        ("Мы едем в г. Москву. Там тепло.", ["Мы едем в г. Москву.", "Там тепло."]),
        ("Он живёт на ул. Ленина. Это далеко.", ["Он живёт на ул. Ленина.", "Это далеко."]),
        ("— Привет! — сказал он. — Как дела?", ["— Привет! — сказал он.", "— Как дела?"]),
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


def test_speakable_leaves_soft_hyphens_out_and_maps_words_back_to_the_text() -> None:
    text = "A picture \ufffc here\u2028and an inter\xadnational com\xadmittee."
    spoken = speakable(text)
    assert "\ufffc" not in spoken.text
    assert "\u2028" not in spoken.text
    assert "international committee" in spoken.text  # one word each, as written
    start = spoken.text.index("international")
    begin, end = spoken.span(start, len("international"))
    assert text[begin:end] == "inter\xadnational"
    begin, end = spoken.span(spoken.text.index("here"), 4)
    assert text[begin:end] == "here"
    assert speakable("").span(0, 0) == (0, 0)


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
