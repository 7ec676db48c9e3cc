"""reader.core.scripts: which texts are in a script whose letters join."""

from __future__ import annotations

from reader.core.scripts import joins_letters


def test_scripts_whose_letters_join_are_told_apart() -> None:
    assert joins_letters("مجلس المدينة يقر خطة تطوير ضفاف النهر")  # Arabic
    assert joins_letters("اردو زبان")  # Urdu
    assert joins_letters("ܫܠܡܐ ܥܠܡܐ")  # Syriac
    assert not joins_letters("The word سلام once in a long English sentence about peace")
    assert not joins_letters("Слово и дело")
    assert not joins_letters("川沿い地区の開発計画")
    assert not joins_letters("")
    assert not joins_letters("12345 ...")
