"""Sanitising, always last: an allowlist of what the view may show, and nothing else.

Built on nh3 (Rust's ammonia): a maintained, fast HTML5 allowlist sanitiser. Nothing active
survives: no script, style, event handler, iframe, object, embed, form, ``javascript:`` URL,
``data:`` URL except inline raster pictures.
"""

from __future__ import annotations

import re

import nh3

from reader.core.characters import without_unsafe_markup

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
    ]
)
# Elements removed together with everything inside them (text included).
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "template",
        "iframe",
        "object",
        "embed",
        "applet",
        "frame",
        "frameset",
        "noembed",
        "noframes",
        "noscript",
        "svg",
        "math",
        "form",
        "select",
        "textarea",
        "button",
        "input",
        "canvas",
        "audio",
        "video",
        "source",
        "track",
        "map",
        "area",
        "link",
        "meta",
        "base",
        "title",
        "head",
    ]
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"lang", "dir", "title", "id"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "headers", "scope"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"datetime"},
    "ins": {"datetime"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "file", "data"})
_CONTROLS = re.compile(r"[\x00-\x20\x7f-\x9f\ufffd]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_WEB = ("https://", "http://")  # a URL starting so has a scheme URL_SCHEMES allows
_SAFE_DATA_IMAGES = ("data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Keep ``data:`` only for raster pictures and ``file:`` only for pictures.

    Every URL attribute is checked against ``URL_SCHEMES`` here too: nh3 leaves ``cite`` alone,
    so ``<q cite="javascript:...">`` would otherwise survive. Browsers drop tabs, newlines and
    control characters inside a scheme, so they are dropped before looking at it.
    """
    if attribute in ("href", "src", "cite"):
        if value.startswith(_WEB):
            return value  # (most links: the checks below would keep them as they are)
        compact = _CONTROLS.sub("", value).lower()
        scheme = _SCHEME.match(compact)
        if scheme and scheme.group(1) not in URL_SCHEMES:
            return None
        if compact.startswith("data:"):
            return value if tag == "img" and compact.startswith(_SAFE_DATA_IMAGES) else None
        if compact.startswith("file:") and tag != "img":
            return None
    return value


def sanitize_html(html: str) -> str:
    """Return ``html`` reduced to the allowlist; the result is safe to display and store.

    The characters no reader sees go first, with the references that spell them, which nh3
    would decode (reader.core.characters).
    """
    return nh3.clean(
        without_unsafe_markup(html),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT - ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )
