"""Cutting scripts, styles and comments out of the source before parsing never joins the two
sides of a cut into new markup that hides the rest of the page."""

from __future__ import annotations

import pytest

from reader.core.extract import extract_html
from reader.core.extract.prepare import cut_source

STORY = "".join(
    f"<p>Paragraph {i} of the harbour story tells, at some length, how the new pier was built.</p>"
    for i in range(5)
)
AFTER = "The ferry returns to its old timetable on the first of May, the council said."


@pytest.mark.parametrize(
    "evasion",
    [
        "<scr<script>ipt>alert(1)</scr</script>ipt>",
        "<scr<style>x</style>ipt>alert(1)</scr<style>x</style>ipt>",
        "<scr<!-- -->ipt>alert(1)</scr<!-- -->ipt>",
        "<<script>x</script>script>alert(1)<<script>x</script>/script>",
        "<script<style>x</style> src=x>",
    ],
)
def test_text_after_a_split_script_tag_survives(evasion: str) -> None:
    html = f"<html><body><article>{STORY}{evasion}<p>{AFTER}</p></article></body></html>"
    article = extract_html(html, base_url="https://example.org/a")
    assert AFTER in article.text
    assert "<script" not in article.html.lower()


def test_cut_keeps_json_ld_and_joins_text_around_comments() -> None:
    html = '<p>5<!-- -->%</p><script type="application/ld+json">{"a": 1}</script><p>b</p>'
    cut, json_ld = cut_source(html)
    assert cut == "<p>5%</p><p>b</p>"
    assert json_ld == ['{"a": 1}']
