"""The shortcuts that make extraction fast give the answers of the definitions they replace."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from reader.core.article import count_words

_WORD = re.compile(r"\w+")


def _words_by_definition(text: str) -> int:
    return len(_WORD.findall(text))


@given(st.text())
def test_count_words_counts_runs_of_word_characters(text: str) -> None:
    assert count_words(text) == _words_by_definition(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_count_words_on_ascii_text_counts_runs_of_word_characters(text: str) -> None:
    assert count_words(text) == _words_by_definition(text)


def test_count_words_splits_at_punctuation_and_keeps_underscores_and_digits() -> None:
    # it, s, a, snake_case, name, 3, 14, done
    assert count_words("it's a snake_case name, 3.14 -- done\x1f") == 8
    assert count_words("naïve café — déjà vu") == 4
    assert count_words("") == 0
