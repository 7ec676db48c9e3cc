"""Accessible Reader: article web pages as calm, clean, readable pages."""

__version__ = "0.1.0"
APP_ID = "io.github.accessiblereader.Reader"
APP_NAME = "Accessible Reader"
APP_AUTHOR = "AccessibleReader"
