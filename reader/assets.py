"""The one accessor for bundled resources (icons, themes, stylesheets, the sample article)."""

from __future__ import annotations

from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path

_PACKAGE = "reader.resources"


def resource(relative: str) -> Traversable:
    """A bundled resource by its path below ``resources/``, e.g. ``"icons/reader.svg"``."""
    node = files(_PACKAGE)
    for part in relative.split("/"):
        node = node.joinpath(part)
    return node


def read_text(relative: str) -> str:
    """The text of a bundled resource."""
    return resource(relative).read_text(encoding="utf-8")


def read_bytes(relative: str) -> bytes:
    """The bytes of a bundled resource."""
    return resource(relative).read_bytes()


def resource_file(relative: str) -> Path:
    """A real filesystem path for APIs that need one (Qt icons, fonts)."""
    with as_file(resource(relative)) as path:
        return Path(path)
