"""The desktop files share the one app id and pass the freedesktop validators."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reader import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
ICON = ROOT / "resources" / "icons" / f"{APP_ID}.svg"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def _tool(name: str) -> str:
    """The path of a validator; a missing one fails the test, since .ci/run installs it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed; install it (.ci/run does: apt-get install {name})")
    return path


def test_app_id_names_every_desktop_file() -> None:
    """Desktop file, metainfo and icon are all named after reader.APP_ID."""
    assert APP_ID == "io.github.accessiblereader.Reader"
    for path in (DESKTOP, METAINFO, ICON):
        assert path.is_file(), f"missing {path.relative_to(ROOT)}"


def test_desktop_entry_points_at_app() -> None:
    """The menu entry launches `reader`, shows the app icon and offers to open web pages."""
    entry = _desktop_entry()
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "reader"
    mimes = entry["MimeType"].rstrip(";").split(";")
    assert {"text/html", "application/xhtml+xml", "x-scheme-handler/https"} <= set(mimes)
    keywords = entry["Keywords"].lower()
    assert "dyslexia" in keywords
    assert "low vision" in keywords


def test_metainfo_shares_the_app_id() -> None:
    """AppStream id and launchable equal the desktop file's id; the binary is `reader`."""
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("name") == APP_NAME
    assert root.findtext("provides/binary") == "reader"
    versions = [r.get("version") for r in root.iterfind("releases/release")]
    assert versions[0] == __version__


def test_desktop_file_validates() -> None:
    """desktop-file-validate accepts the entry with no error and no warning."""
    result = subprocess.run(
        [_tool("desktop-file-validate"), str(DESKTOP)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()
    assert "warning" not in result.stdout.lower()


def test_metainfo_validates() -> None:
    """appstreamcli accepts the metainfo without network checks."""
    result = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
