"""The per-user folders and the library's file: a module light enough for the prefetch child to
ask whether a library exists before it imports anything else (appdirs and pathlib only)."""

from __future__ import annotations

from pathlib import Path

import appdirs

from reader import APP_AUTHOR, APP_NAME

LIBRARY_FILE = "library.db"


def default_config_dir() -> Path:
    """The per-user settings folder (appdirs honours XDG_CONFIG_HOME on Linux)."""
    return Path(appdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def default_library_path() -> Path:
    """Where the offline library lives: ``user_data_dir/library.db`` (XDG_DATA_HOME is
    honoured). Here, beside the settings folder, so that asking whether a library exists
    does not import the library module (sqlite3 and more) at start-up."""
    return Path(appdirs.user_data_dir(APP_NAME, APP_AUTHOR)) / LIBRARY_FILE
