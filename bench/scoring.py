"""The extraction metric of ``shared/corpus/README.md``: 4-token shingle precision and recall.

Kept apart from the benchmark script so the quality gate in ``tests/`` scores exactly the same way.
Tokens are ``\\w+`` matches (Unicode, case kept); each text is a multiset of 4-token shingles
(a text under 4 tokens is one shorter shingle); a page's precision and recall are averaged over
pages (a page with an empty prediction is left out of the precision average) and F1 is taken of
the two averages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

SHINGLE = 4
_TOKEN_RE = re.compile(r"\w+")
# Elements whose edges separate words, the way a browser lays them out on separate lines.
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "img",
    ]
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})


def html_to_text(html: str) -> str:
    """Visible text of ``html`` with a line break at every block edge (bs4 with lxml)."""
    soup = BeautifulSoup(html, "lxml")
    parts: list[str] = []
    # Iterative walk: an explicit stack of nodes and "close" markers, so depth is unbounded.
    stack: list[object] = [soup]
    while stack:
        node = stack.pop()
        if node is None:
            parts.append("\n")
            continue
        if isinstance(node, Tag):
            if node.name in _SKIPPED_TAGS:
                continue
            block = node.name in BLOCK_TAGS
            if block:
                parts.append("\n")
                stack.append(None)
            stack.extend(reversed(node.contents))
        elif type(node) is NavigableString:  # comments, CDATA and doctypes are not text
            parts.append(str(node))
    return "".join(parts)


def tokens(text: str) -> list[str]:
    """Runs of Unicode word characters, case kept."""
    return _TOKEN_RE.findall(text)


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """Multiset of 4-token shingles; a text under 4 tokens is one shorter shingle."""
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < SHINGLE:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1))


@dataclass(frozen=True)
class PageScore:
    """One page's figures; ``precision`` is None when the prediction is empty."""

    precision: float | None
    recall: float
    tp: float
    fp: float
    fn: float

    @property
    def f1(self) -> float:
        """This page's own F1 (0 for an empty prediction), for listing the worst pages."""
        p = self.precision or 0.0
        r = self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(predicted: str, truth: str) -> PageScore:
    """Compare one page's extracted text with its truth; counts are normalised to sum to 1."""
    pred = shingles(predicted)
    gold = shingles(truth)
    tp = sum((pred & gold).values())
    fp = sum(pred.values()) - tp
    fn = sum(gold.values()) - tp
    total = tp + fp + fn
    if total == 0:  # both empty: nothing to find and nothing wrongly kept
        return PageScore(precision=None, recall=1.0, tp=0.0, fp=0.0, fn=0.0)
    ntp, nfp, nfn = tp / total, fp / total, fn / total
    precision = ntp / (ntp + nfp) if pred else None
    recall = ntp / (ntp + nfn) if gold else 1.0
    return PageScore(precision=precision, recall=recall, tp=ntp, fp=nfp, fn=nfn)


@dataclass(frozen=True)
class Summary:
    """Corpus figures: averaged precision and recall, and F1 of the two averages."""

    precision: float
    recall: float
    f1: float
    pages: int


def summarise(scores: Iterable[PageScore]) -> Summary:
    """Average page figures as the README says: empty predictions skip the precision mean."""
    items = list(scores)
    precisions = [s.precision for s in items if s.precision is not None]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(s.recall for s in items) / len(items) if items else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Summary(precision=p, recall=r, f1=f1, pages=len(items))
