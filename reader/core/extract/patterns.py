"""Patterns and selectors as data: which classes, ids, roles and tags mean "article" or "not".

Modelled on Readability.js's lists, which Firefox Reader View has tuned on thousands of pages,
plus the view-settings panels ("Select font", "Character spacing") that news sites for the
visually impaired put above the article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


class LazyPattern:
    """A regular expression compiled at its first use, for the patterns many pages never need
    (a dateline, JSON-LD types, pictures): a fresh process, as at start-up, compiles only what
    its page uses. DATELINE alone takes 2 ms to compile."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The pattern, compiled once."""
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        """``re.Pattern.match``."""
        return self.compiled.match(text)

    def findall(self, text: str) -> list[Any]:
        """``re.Pattern.findall``."""
        return self.compiled.findall(text)

    def search(self, text: str) -> re.Match[str] | None:
        """``re.Pattern.search``."""
        return self.compiled.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``re.Pattern.finditer``."""
        return self.compiled.finditer(text)

    def sub(self, replacement: str, text: str) -> str:
        """``re.Pattern.sub`` with a plain replacement string."""
        return self.compiled.sub(replacement, text)


class Fragments:
    """Literal class/id fragments tested by substring, far faster than a long regex alternation.

    ``words`` must match a whole space-separated token (Readability's ``^hid$| hid ``...).
    """

    __slots__ = ("fragments", "words")

    def __init__(self, fragments: str, words: str = "") -> None:
        self.fragments = tuple(fragments.lower().split())
        self.words = frozenset(words.lower().split())

    def search(self, text: str) -> bool:
        """True when ``text`` contains any fragment (case-insensitively)."""
        if not text or text.isspace():
            return False
        low = text.lower()
        if any(map(low.__contains__, self.fragments)):  # the loop in C, not a generator
            return True
        return bool(self.words) and not self.words.isdisjoint(low.split())


# Class/id fragments of page furniture: removed before scoring on the strict pass.
UNLIKELY_CANDIDATES = Fragments(
    "-ad- ai2html banner breadcrumbs combx comment community cover-wrap disqus extra footer gdpr"
    " header legends menu related remark replies rss shoutbox sidebar skyscraper social sponsor"
    " supplemental ad-break agegate pagination pager popup yom-remote special-version impaired"
    " accessibility-panel a11y-panel font-settings view-settings"
)
# ... unless the same class/id also says it may hold the article.
MAYBE_CANDIDATE = Fragments("and article body column content main mathjax shadow")
POSITIVE = Fragments(
    "article body content entry hentry h-entry main page pagination post text blog story"
)
NEGATIVE = Fragments(
    "-ad- hidden banner combx comment com- contact footer gdpr masthead media meta outbrain"
    " promo related scroll share shoutbox sidebar skyscraper sponsor shopping tags widget"
    " breadcrumb subscribe newsletter",
    words="hid",
)
BYLINE = Fragments("byline author dateline writtenby p-author")
SHARE_ELEMENTS = re.compile(r"(\b|_)(share|sharedaddy)(\b|_)", re.I)
UNLIKELY_ROLES = frozenset(
    ["menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"]
)
# Cheap test on the whole page before the panel pattern runs on single elements.
SETTINGS_PANEL_HINTS = (
    "select font",
    "choose font",
    "kerning",
    "character spacing",
    "font size",
    "шрифт",
    "слабовидящ",
    "visually impaired",
)
# Visible text of view-settings panels and "read more" links, dropped wherever they appear.
SETTINGS_PANEL_TEXT = LazyPattern(
    r"(select|choose)\s+font|character\s+spacing|kerning|font\s+size|site\s+colou?rs?"
    r"|version\s+for\s+(the\s+)?visually\s+impaired|выбор\s+шрифта|интервал\s+между\s+буквами"
    r"|размер\s+шрифта|цвета\s+сайта|версия\s+для\s+слабовидящих",
    re.I,
)
READ_MORE_TEXT = re.compile(
    r"^\s*(read|see|view)\s+(more|also|the\s+full\s+story)\b.{0,40}$|^\s*подробнее\s*$"
    r"|^\s*читать\s+(далее|также)\b.{0,40}$",
    re.I,
)

# Dropped with their content at parse time: never article text, and they bloat the tree.
DROP_TAGS = (
    "script",
    "style",
    "svg",
    "template",
    "iframe",
    "object",
    "embed",
    "applet",
    "canvas",
    "link",
    "frame",
    "frameset",
    "noembed",
    "noframes",
    "math",
    "dialog",
    "button",
    "input",
    "select",
    "textarea",
)
# Dropped inside the article (Readability's _clean list, plus furniture that HTML names).
CLEAN_TAGS = ("footer", "aside", "nav", "form", "fieldset", "label", "menu")
TAGS_TO_SCORE = frozenset(["section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"])
# A div holding none of these is really a paragraph.
DIV_TO_P_ELEMS = frozenset(
    ["blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul", "figure", "picture"]
)
ALTER_TO_DIV_EXCEPTIONS = frozenset(["div", "article", "section", "p", "ol", "ul"])
PHRASING_ELEMS = frozenset(
    [
        "abbr",
        "audio",
        "b",
        "bdo",
        "br",
        "button",
        "cite",
        "code",
        "data",
        "datalist",
        "dfn",
        "em",
        "embed",
        "i",
        "img",
        "input",
        "kbd",
        "label",
        "mark",
        "math",
        "meter",
        "noscript",
        "object",
        "output",
        "progress",
        "q",
        "ruby",
        "samp",
        "script",
        "select",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "textarea",
        "time",
        "var",
        "wbr",
        "font",
        "u",
        "s",
        "strike",
        "tt",
        "big",
    ]
)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
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
        "thead",
        "tfoot",
        "tr",
        "ul",
        "caption",
        "picture",
    ]
)
# Attributes that may hold the real address of a lazily loaded picture, best first.
LAZY_SRC_ATTRS = (
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
)
LAZY_SRCSET_ATTRS = ("srcset", "data-srcset", "data-lazy-srcset")
SRCSET_URL = LazyPattern(r"(\S+)(\s+[\d.]+[xw])?(\s*(?:,|$))")
PLACEHOLDER_SRC = LazyPattern(r"^data:|blank|spacer|placeholder|lazy|pixel|1x1", re.I)
IMAGE_URL = LazyPattern(r"\.(jpe?g|png|webp|gif|avif)(\?\S*)?$", re.I)

OTHER_COMMAS = re.compile("[\u060c\ufe50\ufe10\ufe11\u2e41\u2e34\u2e32\uff0c]")
WS_RUN = re.compile(r"\s{2,}")
SENTENCE_END = re.compile(r"\.( |$)")
# Readability's title separators, en and em dashes included ("Title – Site", "Title — Site").
_TITLE_SEPARATOR_CHARS = r"|\-–—\\/>»"
TITLE_SEPARATORS = re.compile(rf"\s[{_TITLE_SEPARATOR_CHARS}]\s")
TITLE_FIRST_PART = LazyPattern(rf"^[^{_TITLE_SEPARATOR_CHARS}]*[{_TITLE_SEPARATOR_CHARS}]")
HIERARCHY_SEPARATORS = re.compile(r"\s[\\/>»]\s")
TOKENIZE = re.compile(r"\W+")

JSONLD_ARTICLE_TYPES = LazyPattern(
    r"^(Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|AskPublicNewsArticle"
    r"|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|ReviewNewsArticle|Report"
    r"|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|SocialMediaPosting|BlogPosting"
    r"|LiveBlogPosting|DiscussionForumPosting|TechArticle|APIReference|WebPage)$"
)
META_PROPERTY = re.compile(
    r"\s*(article|dc|dcterm|og|twitter)\s*:\s*"
    r"(author|creator|description|published_time|title|site_name)\s*",
    re.I,
)
META_NAME = re.compile(
    r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(?:article|webpage))\s*[-.:]\s*)?"
    r"(author|creator|pub-date|description|title|site_name|date)\s*$",
    re.I,
)
# Lists of meta keys, best first, for each field.
TITLE_KEYS = (
    "dc:title",
    "dcterm:title",
    "og:title",
    "weibo:article:title",
    "weibo:webpage:title",
    "title",
    "twitter:title",
    "parsely-title",
)
BYLINE_KEYS = ("dc:creator", "dcterm:creator", "author", "parsely-author")
EXCERPT_KEYS = (
    "dc:description",
    "dcterm:description",
    "og:description",
    "weibo:article:description",
    "weibo:webpage:description",
    "description",
    "twitter:description",
)
PUBLISHED_KEYS = ("article:published_time", "parsely-pub-date", "dc:date", "dcterm:date")

MONTHS = {
    name: i
    for i, names in enumerate(
        [
            "january jan январь января янв",
            "february feb февраль февраля фев",
            "march mar март марта мар",
            "april apr апрель апреля апр",
            "may май мая",
            "june jun июнь июня июн",
            "july jul июль июля июл",
            "august aug август августа авг",
            "september sep sept сентябрь сентября сен",
            "october oct октябрь октября окт",
            "november nov ноябрь ноября ноя",
            "december dec декабрь декабря дек",
        ],
        start=1,
    )
    for name in names.split()
}
# Before a date they name no place: "Monday, 5 December 2002".
_WEEKDAY_NAMES = (
    "monday mon tuesday tue tues wednesday wed weds thursday thu thur thurs friday fri "
    "saturday sat sunday sun понедельник вторник среда среду четверг пятница пятницу "
    "суббота субботу воскресенье пн вт ср чт пт сб вс"
)
WEEKDAYS = frozenset(_WEEKDAY_NAMES.split())
_MONTH = r"(?P<month>[A-Za-zА-Яа-яЁё]{3,9})\.?"
_DATE = (
    r"(?:(?:"
    + _MONTH
    + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4}))|(?:(?P<day2>\d{1,2})\s+"
    + _MONTH.replace("month", "month2")
    + r",?\s+(?P<year2>\d{4})(?:\s*(?:г\.|года))?)|(?:(?P<day3>\d{1,2})\.(?P<month3>\d{1,2})\."
    r"(?P<year3>\d{4})))"
)
# A time after the date, with the common names of time zones ("09:30", "9.30 pm", "10:15 GMT"):
# not a place.
_TIME = (
    r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*(?:UTC|GMT|BST|CES?T|EES?T|MSK|МСК|[ECMP][SD]?T|IST|JST|AES?T|AEDT)\b)?"
)
# "December 5, 2002, Bishkek" / "5 December 2002, 09:30" / "05.12.2002 Bishkek", and the
# wire-service order, the place in capitals first: "CAIRO, 5 December 2002" / "МОСКВА, 5 декабря
# 2002 г.". A place before the date must be in capitals: "John Smith, 5 December 2002" is a
# byline, not a dateline (the capitals are checked in parse_dateline: the pattern ignores case).
DATELINE = LazyPattern(
    r"^\W*(?:(?P<first>[^\W\d][\w .,'’-]{0,40}?)\s*(?:,|\s[—–-])\s*)?"
    + _DATE
    + r"(?:[,\s]+(?:at\s+)?"
    + _TIME
    + r")?(?:[,\s]+(?P<place>[^\W\d][\w .'’-]{1,40}?))?\W*$",
    re.I,
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
