"""Stage: metadata from JSON-LD, Open Graph, Twitter cards, Dublin Core, meta and itemprop tags,
``<time datetime>`` and visible datelines, plus Readability's title cleaning."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bs4 import BeautifulSoup, Tag

from reader.core.extract.dom import attr, inner_text, iter_tags
from reader.core.extract.patterns import (
    BYLINE_KEYS,
    DATELINE,
    EXCERPT_KEYS,
    HIERARCHY_SEPARATORS,
    ISO_DATE,
    JSONLD_ARTICLE_TYPES,
    META_NAME,
    META_PROPERTY,
    MONTHS,
    PUBLISHED_KEYS,
    TITLE_FIRST_PART,
    TITLE_KEYS,
    TITLE_SEPARATORS,
    TOKENIZE,
    WEEKDAYS,
    WS_RUN,
    LazyPattern,
)

_CDATA = LazyPattern(r"^\s*(?://)?\s*<!\[CDATA\[|(?://)?\s*\]\]>\s*$")
_SCHEMA_ORG = re.compile(r"^https?://schema\.org/?$")


@dataclass
class Metadata:
    """What the page says about itself, before the article is found."""

    title: str = ""
    byline: str | None = None
    excerpt: str | None = None
    site_name: str | None = None
    published: str | None = None
    lead_image: str | None = None
    lang: str | None = None
    dir: str | None = None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = htmllib.unescape(value).strip()
    return value or None


def text_similarity(a: str, b: str) -> float:
    """Share of ``b``'s words (by length) that also occur in ``a`` (Readability's measure)."""
    tokens_a = {t for t in TOKENIZE.split(a.lower()) if t}
    tokens_b = [t for t in TOKENIZE.split(b.lower()) if t]
    if not tokens_a or not tokens_b:
        return 0.0
    unique_b = [t for t in tokens_b if t not in tokens_a]
    return 1 - len(" ".join(unique_b)) / len(" ".join(tokens_b))


def _ld_objects(blocks: list[str]) -> list[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD blocks, lists and @graph flattened."""
    if not blocks:
        return []
    import json  # here: most pages have no JSON-LD, and a fresh process imports it in 2 ms

    found: list[dict[str, Any]] = []
    for block in blocks:
        try:
            data = json.loads(_CDATA.sub("", block))
        except (ValueError, RecursionError):
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack[:0] = item
            elif isinstance(item, dict):
                if isinstance(item.get("@graph"), list):
                    stack[:0] = item["@graph"]
                found.append(item)
    return found


def _types(obj: dict[str, Any]) -> list[str]:
    kind = obj.get("@type")
    return [t for t in (kind if isinstance(kind, list) else [kind]) if isinstance(t, str)]


def _names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if (cleaned := _clean(name)) and not cleaned.startswith("http"):
            names.append(cleaned)
    return names


def from_json_ld(blocks: list[str], doc_title: str) -> dict[str, str]:
    """Title, byline, excerpt, site name, published time and image of the article object."""
    out: dict[str, str] = {}
    for obj in _ld_objects(blocks):
        if not any(JSONLD_ARTICLE_TYPES.match(t) for t in _types(obj)):
            continue
        context = obj.get("@context")
        if isinstance(context, str) and not _SCHEMA_ORG.match(context):
            continue
        if "WebPage" in _types(obj) and not (obj.get("headline") or obj.get("author")):
            continue
        name, headline = _clean(obj.get("name")), _clean(obj.get("headline"))
        if name and headline and name != headline:
            name_like = text_similarity(name, doc_title) > 0.75
            head_like = text_similarity(headline, doc_title) > 0.75
            out["title"] = headline if head_like and not name_like else name
        elif name or headline:
            out["title"] = name or headline or ""
        if names := _names(obj.get("author")):
            out["byline"] = ", ".join(names)
        if excerpt := _clean(obj.get("description")):
            out["excerpt"] = excerpt
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and (site := _clean(publisher.get("name"))):
            out["site_name"] = site
        if published := _clean(obj.get("datePublished")):
            out["published"] = published
        image = obj.get("image")
        image = image[0] if isinstance(image, list) and image else image
        image = image.get("url") if isinstance(image, dict) else image
        if cleaned := _clean(image):
            out["lead_image"] = cleaned
        break
    return {k: v for k, v in out.items() if v}


@dataclass
class _Scan:
    """The elements metadata reads, gathered in one pass over the page."""

    metas: list[Tag] = field(default_factory=list)
    title: Tag | None = None
    headings: list[Tag] = field(default_factory=list)
    html: Tag | None = None


def _scan(soup: BeautifulSoup, index: dict[str, list[Tag]]) -> _Scan:
    found = _Scan(metas=index.get("meta", []))
    found.title = next(iter(index.get("title", [])), None)
    found.headings = index.get("h1", []) + index.get("h2", [])
    html = soup.find("html", recursive=False)
    found.html = html if isinstance(html, Tag) else None
    return found


_DATE_PROP = re.compile(r"\bdatePublished\b")


def _first_with(
    soup: BeautifulSoup, name: str | None, key: str, pattern: re.Pattern[str] | None
) -> Tag | None:
    """``soup.find(name, **{key: pattern or True})`` without bs4's general matcher, which
    costs several calls per element: the first element (named ``name``, if given) whose
    attribute ``key`` is present and, with a ``pattern``, matches it (a list of values matches
    when one of them or all of them joined do, as bs4 has it)."""
    for tag in iter_tags(soup):
        if name is not None and tag.name != name:
            continue
        value = tag.attrs.get(key)
        if value is None:
            continue
        if pattern is None:
            return tag
        values = value if isinstance(value, list) else [value]
        if any(pattern.search(v) for v in values):
            return tag
        if len(values) != 1 and pattern.search(" ".join(values)):
            return tag
    return None


def meta_values(metas: list[Tag]) -> dict[str, str]:
    """Meta tags by normalised property/name: ``og:title``, ``author``, ``dc:creator``..."""
    values: dict[str, str] = {}
    for meta in metas:
        content = _clean(attr(meta, "content"))
        if not content:
            continue
        prop = attr(meta, "property")
        matched = False
        if prop:
            for m in META_PROPERTY.finditer(prop):
                key = f"{m.group(1)}:{m.group(2)}".lower().replace(" ", "")
                values[key] = content  # the last tag wins, as in Readability
                matched = True
        name = attr(meta, "name") or attr(meta, "itemprop")
        if not matched and name and META_NAME.match(name):
            key = re.sub(r"\s*[.:]\s*", ":", name.strip().lower()).replace(" ", "")
            values[key] = content
        if prop.strip().lower() in ("og:image", "og:image:url") or name.lower() in (
            "twitter:image",
            "twitter:image:src",
        ):
            values.setdefault("image", content)
        if name.lower() in ("datepublished", "article:published_time", "date"):
            values.setdefault("article:published_time", content)
    return values


def article_title(title_tag: Tag | None, headings: list[Tag]) -> str:
    """The document title with site suffixes cut the way Readability does."""
    orig = cur = WS_RUN.sub(" ", title_tag.get_text()).strip() if title_tag else ""
    hierarchical = False

    def words(text: str) -> int:
        return len(text.split())

    seps = list(TITLE_SEPARATORS.finditer(orig))
    if seps:
        hierarchical = bool(HIERARCHY_SEPARATORS.search(orig))
        cur = orig[: seps[-1].start()]
        if words(cur) < 3:
            cur = TITLE_FIRST_PART.sub("", orig)
    elif ": " in cur:
        if not any(h.get_text().strip() == cur for h in headings):
            cur = orig[orig.rfind(":") + 1 :]
            if words(cur) < 3:
                cur = orig[orig.find(":") + 1 :]
            elif words(orig[: orig.find(":")]) > 5:
                cur = orig
    elif len(cur) > 150 or len(cur) < 15:
        h1s = [h for h in headings if h.name == "h1"]
        if len(h1s) == 1:
            cur = inner_text(h1s[0])
    cur = WS_RUN.sub(" ", cur.strip())
    n = words(cur)
    if n <= 4 and (not hierarchical or n != words(TITLE_SEPARATORS.sub("", orig)) - 1):
        cur = orig
    return cur


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((values[k] for k in keys if values.get(k)), None)


def read_metadata(
    soup: BeautifulSoup,
    json_ld: list[str],
    index: dict[str, list[Tag]],
    use_json_ld: bool = True,
) -> Metadata:
    """All page-level metadata, each field from the best source that has it."""
    scan = _scan(soup, index)
    doc_title = article_title(scan.title, scan.headings)
    ld = from_json_ld(json_ld, doc_title) if use_json_ld else {}
    values = meta_values(scan.metas)
    meta = Metadata()
    meta.title = ld.get("title") or _first(values, TITLE_KEYS) or doc_title
    meta.byline = ld.get("byline") or _first(values, BYLINE_KEYS)
    author = values.get("article:author")
    if not meta.byline and author and not author.startswith(("http", "/")):
        meta.byline = author
    meta.excerpt = ld.get("excerpt") or _first(values, EXCERPT_KEYS)
    meta.site_name = ld.get("site_name") or values.get("og:site_name")
    meta.published = ld.get("published") or _first(values, PUBLISHED_KEYS)
    if not meta.published and (prop := _first_with(soup, None, "itemprop", _DATE_PROP)):
        meta.published = _clean(attr(prop, "datetime") or attr(prop, "content") or prop.get_text())
    if not meta.published and (time := _first_with(soup, "time", "datetime", None)):
        meta.published = _clean(attr(time, "datetime"))
    meta.published = normalise_date(meta.published)
    meta.lead_image = ld.get("lead_image") or values.get("image")
    html_tag = scan.html
    if html_tag is not None:
        meta.lang = attr(html_tag, "lang").strip() or None
        meta.dir = attr(html_tag, "dir").strip().lower() or None
    return meta


def read_dateline(text: str) -> Dateline | None:
    """The date and place of a dateline such as "December 5, 2002, Bishkek" or "CAIRO, 5 December
    2002" (a place first must be in capitals, as wire services write it, and not a label such as
    "UPDATED" or "REUTERS"); None when ``text`` is not one."""
    if len(text) > 80:
        return None
    m = DATELINE.match(text.strip())
    if not m:
        return None
    from datetime import date  # here: what most pages never reach

    try:
        if m.group("year"):
            month = MONTHS.get(m.group("month").lower())
            day, year = int(m.group("day")), int(m.group("year"))
        elif m.group("year2"):
            month = MONTHS.get(m.group("month2").lower())
            day, year = int(m.group("day2")), int(m.group("year2"))
        else:
            month = int(m.group("month3"))
            day, year = int(m.group("day3")), int(m.group("year3"))
        if month is None:
            return None
        iso = date(year, month, day).isoformat()
    except ValueError:
        return None
    # "N.C." keeps its last full stop, "NORTHFIELD." does not.
    first = _LAST_STOP.sub("", (m.group("first") or "").strip(" ,"))
    if first:
        words = [w.strip(".,'’").lower() for w in first.split()]
        if all(w in WEEKDAYS for w in words):
            return Dateline(iso, None, place_first=False)  # "Monday, 5 December 2002"
        if not _in_capitals(first) or words[0] in ("by", "от") or NOT_PLACES & set(words):
            return None  # "John Smith, ..." "BY ANN LEE, ..." "UPDATED, ..." "REUTERS — ..."
        return Dateline(iso, _from_capitals(first), place_first=True)
    place = (m.group("place") or "").strip(" .,")
    if place and _in_capitals(place):
        place = _from_capitals(place)
    return Dateline(iso, place or None, place_first=False)


def parse_dateline(text: str) -> tuple[str, str | None] | None:
    """("2002-12-05", "Bishkek") for a dateline such as "December 5, 2002, Bishkek"."""
    found = read_dateline(text)
    return (found.date, found.place) if found is not None else None


class Dateline(NamedTuple):
    """A dateline's ISO date and place; ``place_first``: written "CAIRO, 5 December 2002"."""

    date: str
    place: str | None
    place_first: bool


_LAST_STOP = re.compile(r"(?<!\.[^\W\d_])\.$")
# Words in capitals before a date that are no place: labels, sections and news agencies.
_NOT_PLACE_WORDS = (
    "updated last published posted modified opinion analysis editorial comment review "
    "news breaking world sports sport business politics photo photos video watch live "
    "today exclusive edition ap afp reuters upi ians pti tass ria interfax xinhua "
    "обновлено опубликовано новости"
)
NOT_PLACES = frozenset(_NOT_PLACE_WORDS.split())
# Inside a place's name these stay small: "Port-au-Prince", "Stratford-upon-Avon".
_PARTICLE_WORDS = "au aux de des du la le les sur en on upon da di del della von van der"
_PARTICLES = frozenset(_PARTICLE_WORDS.split())


def _in_capitals(text: str) -> bool:
    """A wire-service place: its letters are capitals, and there are at least two."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _from_capitals(place: str) -> str:
    """A place in capitals as it is written in a sentence: "NEW YORK" -> "New York",
    "PORT-AU-PRINCE" -> "Port-au-Prince", "ST. JOHN'S" -> "St. John's" (not str.title's
    "St. John'S"); a short part after a comma is a code and stays: "LONDON, UK"."""
    parts = place.split(",")
    return ",".join(
        part if i > 0 and sum(c.isalpha() for c in part) <= 3 else _words_from_capitals(part)
        for i, part in enumerate(parts)
    )


def _words_from_capitals(text: str) -> str:
    count = 0

    def word(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        lowered = match.group().lower()
        return lowered if count > 1 and lowered in _PARTICLES else match.group().capitalize()

    return re.sub(r"[^\W\d_]+(?:['’][^\W\d_]+)?", word, text)


def normalise_date(value: str | None) -> str | None:
    """Keep ISO 8601 values; turn a written date ("December 5, 2002") into one."""
    if not value:
        return None
    if ISO_DATE.match(value):
        return value
    parsed = parse_dateline(value)
    return parsed[0] if parsed else value
