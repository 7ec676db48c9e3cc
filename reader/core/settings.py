"""Reading settings: typed, validated, versioned, and stored per user as JSON.

The model is a frozen dataclass tree with a schema ``version``. Loading runs the ordered
migrations, then validates field by field: a bad value falls back to its default with a logged
warning. A corrupt file, or one written by a newer version, is kept aside as a backup and the
user is told once. Saving writes a temporary file in the same folder, fsyncs it and renames it
into place, so a crash never leaves half a settings file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from reader.core.places import default_config_dir

log = logging.getLogger("reader.settings")

SCHEMA_VERSION = 1
SETTINGS_FILE = "settings.json"
MAX_RECENT_FILES = 10
MAX_FAMILY_CHARS = 120  # a font family's name, as stored
STALE_TEMP_SECONDS = 60  # a save's temporary file older than this was left by a killed save


class FontChoice(StrEnum):
    """The two faces of the panel (metric-compatible faces stand in when one is missing), and
    the reader's own: any installed family, named in ``ReadingSettings.own_font``."""

    ARIAL = "Arial"
    TIMES_NEW_ROMAN = "Times New Roman"
    OWN = "Your font"


class LetterSpacing(StrEnum):
    """Character spacing ("Kerning" in the panel); the extra space is ``em`` × font size."""

    STANDARD = "standard"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def em(self) -> float:
        """Extra space after each character, in em (see shared/notes/reading-settings.md)."""
        return _LETTER_EM[self]

    @property
    def label(self) -> str:
        """The word the panel shows and screen readers announce."""
        return self.value.capitalize()


_LETTER_EM = {LetterSpacing.STANDARD: 0.0, LetterSpacing.MEDIUM: 0.125, LetterSpacing.LARGE: 0.25}


class WordSpacing(StrEnum):
    """Extra space between words, in em; WCAG 1.4.12 uses 0.16 em."""

    STANDARD = "standard"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def em(self) -> float:
        """Extra space after each word, in em."""
        return _WORD_EM[self]


_WORD_EM = {WordSpacing.STANDARD: 0.0, WordSpacing.MEDIUM: 0.16, WordSpacing.LARGE: 0.32}


class LineLength(StrEnum):
    """How many characters the longest lines of the article hold: shorter lines help readers
    with dyslexia and those who follow each line with a magnifier. The standard length keeps
    within the 80 that WCAG 1.4.8 asks for; a reader may choose longer ones."""

    SHORT = "short"
    STANDARD = "standard"
    LONG = "long"

    @property
    def chars(self) -> int:
        """The most characters a line holds (its average is about 85% of that)."""
        return _LINE_CHARS[self]


_LINE_CHARS = {LineLength.SHORT: 50, LineLength.STANDARD: 75, LineLength.LONG: 95}


class ColourScheme(StrEnum):
    """Site colours; the colours themselves live in resources/themes/schemes.json."""

    BLACK_ON_WHITE = "black-on-white"
    WHITE_ON_BLACK = "white-on-black"
    DARK_BLUE_ON_LIGHT_BLUE = "dark-blue-on-light-blue"
    BROWN_ON_BEIGE = "brown-on-beige"
    GREEN_ON_DARK_BROWN = "green-on-dark-brown"


# Font size as a percentage of the default (16 px): the panel's three quick steps and finer ones.
DEFAULT_PIXEL_SIZE = 16
FONT_SIZE_STEPS: tuple[int, ...] = (100, 125, 150, 175, 200, 250, 300, 350, 400)
QUICK_FONT_SIZES: tuple[int, ...] = (100, 150, 200)
# The panel's 1.5 / 2.0 / 2.5, with steps between and one beyond: readers ask for finer line
# spacing (shared/notes/reading-settings.md); never under WCAG 1.4.8's 1.5.
LINE_SPACING_STEPS: tuple[float, ...] = (1.5, 1.75, 2.0, 2.25, 2.5, 3.0)


def pixel_size_for(percent: int) -> int:
    """The text's pixel size at ``percent`` of the default."""
    return round(DEFAULT_PIXEL_SIZE * percent / 100)


def letter_spacing_px(spacing: LetterSpacing, pixel_size: int) -> float:
    """Letter spacing in px for a pixel size, so the spacing grows with the text."""
    return round(spacing.em * pixel_size, 2)


def larger_font_size(percent: int) -> int:
    """The next font size step up (stays at the largest)."""
    return next((s for s in FONT_SIZE_STEPS if s > percent), FONT_SIZE_STEPS[-1])


def smaller_font_size(percent: int) -> int:
    """The next font size step down (stays at the smallest)."""
    return next((s for s in reversed(FONT_SIZE_STEPS) if s < percent), FONT_SIZE_STEPS[0])


def stepped_font_size(percent: int, steps: int) -> int:
    """The size ``steps`` steps up from ``percent`` (down when negative), within the steps."""
    for _ in range(abs(steps)):
        percent = larger_font_size(percent) if steps > 0 else smaller_font_size(percent)
    return percent


# Reading aloud: (label, QTextToSpeech rate from -1 to 1), the View menu's choices.
SPEECH_RATES: tuple[tuple[str, float], ...] = (
    ("Slow", -0.5),
    ("A Little Slow", -0.25),
    ("Normal", 0.0),
    ("A Little Fast", 0.25),
    ("Fast", 0.5),
)
SPEECH_RATE_STEPS = tuple(rate for _label, rate in SPEECH_RATES)


@dataclass(frozen=True, kw_only=True)
class ReadingSettings:
    """How the article looks: every choice of the reading toolbar."""

    font: FontChoice = FontChoice.ARIAL
    letter_spacing: LetterSpacing = LetterSpacing.STANDARD
    font_size: int = 100
    colour_scheme: ColourScheme = ColourScheme.BLACK_ON_WHITE
    line_spacing: float = 1.5
    word_spacing: WordSpacing = WordSpacing.STANDARD
    line_length: LineLength = LineLength.STANDARD
    images: bool = True
    own_font: str | None = None  # the family of FontChoice.OWN, once the reader chose one

    @property
    def family(self) -> str:
        """The family the article is shown in: the panel's choice, or the reader's own."""
        if self.font is FontChoice.OWN:
            return self.own_font or FontChoice.ARIAL.value
        return self.font.value

    @property
    def pixel_size(self) -> int:
        """The body text's pixel size."""
        return pixel_size_for(self.font_size)

    @property
    def letter_spacing_px(self) -> float:
        """Letter spacing in px at the current size."""
        return letter_spacing_px(self.letter_spacing, self.pixel_size)

    @property
    def word_spacing_px(self) -> float:
        """Word spacing in px at the current size."""
        return round(self.word_spacing.em * self.pixel_size, 2)


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything remembered per user: reading choices and where the reader left off."""

    version: int = SCHEMA_VERSION
    reading: ReadingSettings = field(default_factory=ReadingSettings)
    window_geometry: str | None = None  # opaque (base64 of Qt's saveGeometry)
    last_article: str | None = None
    last_position: int = 0  # character position at the top of the view
    recent_files: tuple[str, ...] = ()
    keep_opened_articles: bool = True
    speech_rate: float = 0.0  # reading aloud: one of SPEECH_RATE_STEPS

    def with_reading(self, **changes: Any) -> Settings:
        """A copy with some reading choices changed."""
        return dataclasses.replace(self, reading=dataclasses.replace(self.reading, **changes))

    def with_recent(self, path: str) -> Settings:
        """A copy with ``path`` first in the recent files."""
        recent = (path, *(p for p in self.recent_files if p != path))[:MAX_RECENT_FILES]
        return dataclasses.replace(self, recent_files=recent)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (enums as their values)."""
        data = dataclasses.asdict(self)
        data["recent_files"] = list(self.recent_files)
        return data


# --- Migrations --------------------------------------------------------------------------------


def _migrate_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    """Unversioned drafts kept the reading choices at the top level; move them under ``reading``."""
    reading_keys = {f.name for f in dataclasses.fields(ReadingSettings)}
    reading = dict(data.get("reading") or {})
    rest: dict[str, Any] = {}
    for key, value in data.items():
        if key in reading_keys:
            reading.setdefault(key, value)
        elif key != "reading":
            rest[key] = value
    return rest | {"reading": reading, "version": 1}


# Ordered: MIGRATIONS[n] turns version n into version n + 1.
MIGRATIONS: tuple[Callable[[dict[str, Any]], dict[str, Any]], ...] = (_migrate_0_to_1,)
assert len(MIGRATIONS) == SCHEMA_VERSION


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a stored dict up to ``SCHEMA_VERSION`` (a newer one is returned unchanged)."""
    version = data.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        log.warning("settings: bad schema version %r, treating the file as version 0", version)
        version = 0
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


# --- Validation --------------------------------------------------------------------------------

E = TypeVar("E", bound=Enum)
T = TypeVar("T")


def _enum(data: Mapping[str, Any], key: str, kind: type[E], default: E) -> E:
    if key not in data:
        return default
    try:
        return kind(data[key])
    except ValueError:
        log.warning("settings: unknown %s %r, using %r", key, data[key], default.value)
        return default


def _choice(data: Mapping[str, Any], key: str, allowed: tuple[T, ...], default: T) -> T:
    value = data.get(key, default)
    if isinstance(value, bool) or value not in allowed:
        log.warning("settings: %s %r is not one of %s, using %r", key, value, allowed, default)
        return default
    return next(a for a in allowed if a == value)  # the canonical type (e.g. 2 -> 2.0)


def _typed(data: Mapping[str, Any], key: str, kind: type[T], default: T) -> T:
    value = data.get(key, default)
    if value is None and default is None:
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        log.warning("settings: %s %r is not a %s, using %r", key, value, kind.__name__, default)
        return default
    return value


def _reading_from(data: Any) -> ReadingSettings:
    d = ReadingSettings()
    if not isinstance(data, Mapping):
        if data is not None:
            log.warning("settings: reading choices are not an object, using defaults")
        return d
    own_font = _family(data.get("own_font"))
    font = _enum(data, "font", FontChoice, d.font)
    if font is FontChoice.OWN and own_font is None:
        log.warning("settings: font %r without its family, using %r", font.value, d.font.value)
        font = d.font
    return ReadingSettings(
        font=font,
        letter_spacing=_enum(data, "letter_spacing", LetterSpacing, d.letter_spacing),
        font_size=_choice(data, "font_size", FONT_SIZE_STEPS, d.font_size),
        colour_scheme=_enum(data, "colour_scheme", ColourScheme, d.colour_scheme),
        line_spacing=_choice(data, "line_spacing", LINE_SPACING_STEPS, d.line_spacing),
        word_spacing=_enum(data, "word_spacing", WordSpacing, d.word_spacing),
        line_length=_enum(data, "line_length", LineLength, d.line_length),
        images=_typed(data, "images", bool, d.images),
        own_font=own_font,
    )


def _family(value: Any) -> str | None:
    """A font family name as stored: a short single line, else None."""
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_FAMILY_CHARS:
        log.warning("settings: own_font %r is not a font family name, using none", value)
        return None
    return " ".join(value.split())


def settings_from_dict(data: Mapping[str, Any]) -> Settings:
    """Validated ``Settings`` from a migrated dict; bad values become defaults, with a warning."""
    d = Settings()
    recent_raw = data.get("recent_files", [])
    if not isinstance(recent_raw, list):
        log.warning("settings: recent_files is not a list, starting with none")
        recent_raw = []
    recent = tuple(p for p in recent_raw if isinstance(p, str) and p)[:MAX_RECENT_FILES]
    position = _typed(data, "last_position", int, d.last_position)
    return Settings(
        reading=_reading_from(data.get("reading")),
        window_geometry=_typed(data, "window_geometry", str, None),
        last_article=_typed(data, "last_article", str, None),
        last_position=max(0, position),
        recent_files=recent,
        keep_opened_articles=_typed(data, "keep_opened_articles", bool, d.keep_opened_articles),
        speech_rate=_choice(data, "speech_rate", SPEECH_RATE_STEPS, d.speech_rate),
    )


# --- Store -------------------------------------------------------------------------------------


class LoadResult(NamedTuple):
    """Settings as loaded, and at most one sentence to show the user once. A named tuple, not
    a frozen dataclass: every start loads this module, and a dataclass compiles six methods
    from source as its class is made (~2M instructions before the window's first paint)."""

    settings: Settings
    notice: str | None = None


def _new_temp_file(folder: Path) -> tuple[int, str]:
    """A new file in ``folder`` for an atomic save (``.settings-*.tmp``), opened for writing:
    tempfile.mkstemp's guarantee (created here, by this process, readable by the user only)
    without importing tempfile and random before the first paint (~2 ms)."""
    while True:
        name = str(folder / f".settings-{os.getpid()}-{time.monotonic_ns()}.tmp")
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), name
        except FileExistsError:
            continue


class SettingsStore:
    """Loads and atomically saves ``Settings`` as JSON in one folder."""

    def __init__(self, config_dir: Path | None = None) -> None:
        self.config_dir = config_dir if config_dir is not None else default_config_dir()
        self.path = self.config_dir / SETTINGS_FILE
        self._refuse_overwrite = False

    def _backup(self, reason: str) -> Path | None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{SETTINGS_FILE}.{reason}-{stamp}")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{SETTINGS_FILE}.{reason}-{stamp}-{n}")
            n += 1
        import shutil  # only for a damaged file: not imported at every start (~2 ms)

        try:
            shutil.copy2(self.path, target)
        except OSError as exc:
            log.warning("settings: could not back up %s: %s", self.path, exc)
            return None
        return target

    def _remove_stale_temp_files(self) -> None:
        """Temporary files of saves killed midway: never the settings, only clutter."""
        cutoff = time.time() - STALE_TEMP_SECONDS  # a younger one may be another window's save
        with contextlib.suppress(OSError):
            for tmp in self.config_dir.glob(".settings-*.tmp"):
                with contextlib.suppress(OSError):
                    if tmp.stat().st_mtime < cutoff:
                        tmp.unlink()

    def load(self) -> LoadResult:
        """Read the settings; never raises. Missing file: defaults and no notice."""
        self._remove_stale_temp_files()
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LoadResult(Settings())
        except OSError as exc:
            log.warning("settings: cannot read %s: %s", self.path, exc)
            self._refuse_overwrite = True
            return LoadResult(
                Settings(),
                f"Your settings file {self.path} cannot be read ({exc.strerror or exc}), "
                "so standard settings are used and it is left untouched.",
            )
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            log.warning("settings: %s is corrupt: %s", self.path, exc)
            backup = self._backup("corrupt")
            where = f"kept as {backup.name}" if backup else "could not be kept"
            return LoadResult(
                Settings(),
                f"Your settings file was damaged and has been {where}; standard settings are used.",
            )
        version = data.get("version", 0)
        notice = None
        if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
            backup = self._backup(f"v{version}")
            if backup is None:
                self._refuse_overwrite = True
            where = f"a copy is kept as {backup.name}" if backup else "it is left untouched"
            log.warning("settings: %s is from newer schema %s", self.path, version)
            notice = (
                "Your settings were saved by a newer version of Accessible Reader; "
                f"the choices this version knows are used and {where}."
            )
        return LoadResult(settings_from_dict(migrate(data)), notice)

    @property
    def keeps_file_untouched(self) -> bool:
        """True when loading chose never to overwrite the file (unreadable or from a newer
        version); the load notice already told the user, so failed saves need no new one."""
        return self._refuse_overwrite

    def save(self, settings: Settings) -> bool:
        """Write atomically (temp file, fsync, rename); False and a logged warning on failure."""
        if self._refuse_overwrite:
            return False
        payload = json.dumps(settings.to_dict(), indent=2, ensure_ascii=False, sort_keys=True)
        tmp_name: str | None = None
        try:
            self.config_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = _new_temp_file(self.config_dir)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp_name, self.path)
            tmp_name = None
        except OSError as exc:
            log.warning("settings: could not save %s: %s", self.path, exc)
            return False
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
        return True
