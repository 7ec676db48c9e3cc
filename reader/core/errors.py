"""The one error type the core raises for bad input, carrying a plain sentence for the user."""

from __future__ import annotations


class ReaderError(Exception):
    """A failure the user can act on; ``str(err)`` is one plain sentence, never a traceback."""


class LoadError(ReaderError):
    """The input could not be read or decoded as a web page."""


class NotAnArticleError(ReaderError):
    """The page was read but holds no article we can extract."""


class FetchError(ReaderError):
    """A URL could not be fetched."""


class LibraryError(ReaderError):
    """The offline library could not complete an operation."""
