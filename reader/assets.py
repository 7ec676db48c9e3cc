"""The one accessor for bundled resources (icons, themes, stylesheets, the sample article)."""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path

_PACKAGE = "reader.resources"


@cache
def _folder() -> Path:
    """The folder of the ``reader.resources`` package, installed or in the source tree (an
    editable install maps it there). Found with find_spec rather than importlib.resources,
    whose import cost every start ~3 ms; the package is always a plain folder on disk."""
    spec = find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"No module named {_PACKAGE!r}", name=_PACKAGE)
    return Path(next(iter(spec.submodule_search_locations)))


def resource(relative: str) -> Path:
    """A bundled resource by its path below ``resources/``, e.g. ``"icons/reader.svg"``."""
    return _folder().joinpath(*relative.split("/"))


def read_text(relative: str) -> str:
    """The text of a bundled resource."""
    return resource(relative).read_text(encoding="utf-8")


def read_bytes(relative: str) -> bytes:
    """The bytes of a bundled resource."""
    return resource(relative).read_bytes()


def resource_file(relative: str) -> Path:
    """A real filesystem path for APIs that need one (Qt icons, fonts)."""
    return resource(relative)
