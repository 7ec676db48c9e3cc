"""Settings: round trip, validation fallbacks, migrations, corrupt and newer files, atomic save."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from reader.core import settings as s
from reader.core.settings import (
    ColourScheme,
    FontChoice,
    LetterSpacing,
    LineLength,
    Settings,
    SettingsStore,
    WordSpacing,
)


def _store(tmp_path: Path) -> SettingsStore:
    return SettingsStore(tmp_path / "cfg")


def test_missing_file_gives_defaults_without_notice(tmp_path: Path) -> None:
    result = _store(tmp_path).load()
    assert result.settings == Settings()
    assert result.notice is None


def test_default_folder_honours_xdg_config_home(tmp_path: Path) -> None:
    store = SettingsStore()
    assert store.path.is_relative_to(tmp_path / "xdg_config_home")
    store.save(Settings().with_reading(font=FontChoice.TIMES_NEW_ROMAN))
    assert SettingsStore().load().settings.reading.font is FontChoice.TIMES_NEW_ROMAN


def test_round_trip_every_field(tmp_path: Path) -> None:
    store = _store(tmp_path)
    saved = Settings(
        reading=s.ReadingSettings(
            font=FontChoice.TIMES_NEW_ROMAN,
            letter_spacing=LetterSpacing.LARGE,
            font_size=250,
            colour_scheme=ColourScheme.GREEN_ON_DARK_BROWN,
            line_spacing=2.5,
            word_spacing=WordSpacing.MEDIUM,
            line_length=LineLength.SHORT,
            images=False,
        ),
        window_geometry="AdnQywAD",
        last_article="/tmp/a.html",
        last_position=1234,
        recent_files=("/tmp/a.html", "/tmp/b.html"),
        keep_opened_articles=False,
    )
    assert store.save(saved)
    assert store.load() == s.LoadResult(saved, None)
    on_disk = json.loads(store.path.read_text(encoding="utf-8"))
    assert on_disk["version"] == s.SCHEMA_VERSION
    assert on_disk["reading"]["font"] == "Times New Roman"
    assert on_disk["reading"]["letter_spacing"] == "large"
    assert on_disk["reading"]["line_length"] == "short"


def test_save_leaves_no_temp_files(tmp_path: Path) -> None:
    store = _store(tmp_path)
    for size in s.FONT_SIZE_STEPS:
        store.save(Settings().with_reading(font_size=size))
    assert [p.name for p in store.config_dir.iterdir()] == ["settings.json"]


def test_bad_values_fall_back_one_by_one(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = _store(tmp_path)
    store.config_dir.mkdir(parents=True)
    store.path.write_text(
        json.dumps(
            {
                "version": 1,
                "reading": {
                    "font": "Comic Sans",
                    "letter_spacing": "medium",
                    "font_size": 133,
                    "colour_scheme": "white-on-black",
                    "line_spacing": True,
                    "line_length": "endless",
                    "images": "no",
                },
                "last_position": "ten",
                "recent_files": ["/a", 7, "", "/b"],
            }
        ),
        encoding="utf-8",
    )
    with caplog.at_level(logging.WARNING, logger="reader.settings"):
        result = store.load()
    reading = result.settings.reading
    assert reading.font is FontChoice.ARIAL
    assert reading.letter_spacing is LetterSpacing.MEDIUM
    assert reading.font_size == 100
    assert reading.colour_scheme is ColourScheme.WHITE_ON_BLACK
    assert reading.line_spacing == 1.5
    assert reading.line_length is LineLength.STANDARD
    assert reading.images is True
    assert result.settings.last_position == 0
    assert result.settings.recent_files == ("/a", "/b")
    assert result.notice is None
    assert "Comic Sans" in caplog.text
    assert "133" in caplog.text
    assert "endless" in caplog.text


def test_unversioned_file_is_migrated(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.config_dir.mkdir(parents=True)
    store.path.write_text(
        json.dumps({"font": "Times New Roman", "line_spacing": 2, "last_article": "/x.html"}),
        encoding="utf-8",
    )
    loaded = store.load().settings
    assert loaded.reading.font is FontChoice.TIMES_NEW_ROMAN
    assert loaded.reading.line_spacing == 2.0
    assert loaded.last_article == "/x.html"


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe\x00garbage", b"[1, 2]"])
def test_corrupt_file_is_kept_aside(tmp_path: Path, content: bytes) -> None:
    store = _store(tmp_path)
    store.config_dir.mkdir(parents=True)
    store.path.write_bytes(content)
    result = store.load()
    assert result.settings == Settings()
    assert result.notice is not None
    assert "damaged" in result.notice
    backups = list(store.config_dir.glob("settings.json.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == content
    assert backups[0].name in result.notice


def test_newer_file_is_backed_up_and_known_fields_used(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.config_dir.mkdir(parents=True)
    newer = {"version": 99, "reading": {"font": "Times New Roman", "hologram": 1}}
    store.path.write_text(json.dumps(newer), encoding="utf-8")
    result = store.load()
    assert result.settings.reading.font is FontChoice.TIMES_NEW_ROMAN
    assert result.notice is not None
    assert "newer version" in result.notice
    backups = list(store.config_dir.glob("settings.json.v99-*"))
    assert len(backups) == 1
    assert json.loads(backups[0].read_text(encoding="utf-8")) == newer


def test_unreadable_file_is_never_overwritten(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.path.mkdir(parents=True)  # a folder where the file should be: reading it fails
    result = store.load()
    assert result.notice is not None
    assert result.settings == Settings()
    assert store.save(Settings()) is False
    assert store.path.is_dir()


def test_letter_spacing_in_px_grows_with_the_text() -> None:
    assert s.letter_spacing_px(LetterSpacing.STANDARD, 16) == 0
    assert s.letter_spacing_px(LetterSpacing.MEDIUM, 16) == 2
    assert s.letter_spacing_px(LetterSpacing.LARGE, 16) == 4
    assert s.letter_spacing_px(LetterSpacing.MEDIUM, 32) == 4
    assert s.letter_spacing_px(LetterSpacing.LARGE, 32) == 8


def test_font_size_steps_reach_400_and_stop() -> None:
    size = 100
    seen = [size]
    while (size := s.larger_font_size(size)) != seen[-1]:
        seen.append(size)
    assert seen[-1] == 400
    assert set(s.QUICK_FONT_SIZES) <= set(seen)
    assert s.smaller_font_size(100) == 100
    assert s.smaller_font_size(400) == 350


def test_stepped_font_size_moves_whole_steps_within_the_range() -> None:
    assert s.stepped_font_size(100, 2) == 150
    assert s.stepped_font_size(150, -2) == 100
    assert s.stepped_font_size(200, 0) == 200
    assert s.stepped_font_size(350, 5) == 400
    assert s.stepped_font_size(125, -9) == 100


def test_recent_files_are_unique_and_bounded() -> None:
    settings = Settings()
    for n in range(15):
        settings = settings.with_recent(f"/f{n}")
    settings = settings.with_recent("/f10")
    assert settings.recent_files[0] == "/f10"
    assert len(settings.recent_files) == s.MAX_RECENT_FILES
    assert len(set(settings.recent_files)) == s.MAX_RECENT_FILES


def test_your_font_is_remembered_and_checked() -> None:
    from reader.core.settings import ReadingSettings, Settings, settings_from_dict

    reading = ReadingSettings(font=FontChoice.OWN, own_font="Atkinson Hyperlegible")
    again = settings_from_dict(Settings(reading=reading).to_dict()).reading
    assert (again.font, again.own_font, again.family) == (
        FontChoice.OWN,
        "Atkinson Hyperlegible",
        "Atkinson Hyperlegible",
    )
    for bad in (7, "", "   ", "x" * 500, ["Arial"]):
        assert settings_from_dict({"reading": {"own_font": bad}}).reading.own_font is None
    spaced = settings_from_dict({"reading": {"own_font": " Open\tDyslexic "}}).reading
    assert spaced.own_font == "Open Dyslexic"
    # "Your font" before any was chosen reads in Arial; the panel's fonts are themselves
    assert ReadingSettings(font=FontChoice.OWN).family == "Arial"
    assert ReadingSettings(font=FontChoice.TIMES_NEW_ROMAN).family == "Times New Roman"


def test_your_font_without_its_family_reads_in_arial() -> None:
    from reader.core.settings import settings_from_dict

    for own in (None, "x" * 500):
        data = {"reading": {"font": "Your font", "own_font": own}}
        assert settings_from_dict(data).reading.font is FontChoice.ARIAL
