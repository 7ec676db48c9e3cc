"""What the first paint of the article waits for, seen from inside ``reader FILE`` started from a
bare interpreter on a first start (empty user folders): it shows the article without the
extractor's modules, without PySide6's ``Qt`` namespace or QStyle enums (tens of ms to build),
and before the library database is created or its module imported; the library keeps the
article and the window gets its icon right after that paint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.pyrun import start_reader

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "tests" / "fixtures" / "extract" / "structures.html"

# A probe on the article view's viewport, put in as run_gui shows the window: it notes what is
# loaded or on disk when the view first paints an article, then again after that paint.
DRIVER = """
import gc, json, sys
import reader.app
from reader.core.places import default_config_dir, default_library_path as default_path

seen = {}
prepare = reader.app.prepare_application

def state(window):
    import PySide6.QtCore as core, PySide6.QtWidgets as widgets
    return {
        "text": window.view.toPlainText()[:200],
        "qt_namespace": "Qt" in vars(core),
        "qstyle": "QStyle" in vars(widgets),
        "extractor": sorted(m for m in ("bs4", "lxml", "reader.core.extract") if m in sys.modules),
        "library_module": sorted(m for m in ("reader.core.library", "sqlite3") if m in sys.modules),
        "library_file": default_path().exists(),
        "last_article": last_article(),
        "icon": not window.windowIcon().isNull(),
        "image_plugins": image_plugins(),
        "gc": [gc.isenabled(), gc.get_freeze_count() > 0],
        "pictures": pictures(window.view.document()),
    }

def last_article():
    try:
        with open(default_config_dir() / "settings.json", encoding="utf-8") as saved:
            return json.load(saved).get("last_article")
    except FileNotFoundError:
        return None

def image_plugins():
    with open("/proc/self/maps") as maps:
        return sorted({line.split("/")[-1].strip() for line in maps if "/imageformats/" in line})

def pictures(doc):
    from PySide6.QtGui import QTextDocument
    sizes, block = [], doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                name = fmt.toImageFormat().name()
                image = doc.resource(QTextDocument.ResourceType.ImageResource, name)
                sizes.append([image.width(), image.height()] if image is not None else None)
            it += 1
        block = block.next()
    return sizes

def prepare_and_probe(app, **options):
    prepare(app, **options)
    from PySide6.QtCore import QEvent, QObject, QTimer
    from reader.ui.main_window import MainWindow
    show = MainWindow.show

    def show_and_probe(window):
        view = window.view

        class Probe(QObject):
            def eventFilter(self, watched, event):
                if "article" not in seen and event.type() == QEvent.Type.Paint:
                    seen.setdefault("paint", state(window))  # the window's first paint
                    if not view.document().isEmpty():
                        seen["article"] = state(window)
                        QTimer.singleShot(300, after)
                return False

        def after():
            seen["after"] = state(window)
            library = window.ctx.library
            seen["kept"] = [s.title for s in library.list()] if library else []
            print(json.dumps(seen))
            app.quit()

        view.viewport().installEventFilter(Probe(view))
        show(window)

    MainWindow.show = show_and_probe

"""


def start(path: Path, home: Path) -> dict[str, Any]:
    return start_reader(DRIVER, path, home)


def test_the_first_paint_waits_only_for_the_article(tmp_path: Path) -> None:
    seen = start(ARTICLE, tmp_path)
    # The window's first paint shows the article, or "Opening..." while the child extracts;
    # what waits for that paint may run before the article comes.
    first, article, after = seen["paint"], seen["article"], seen["after"]
    assert "estimate how much water a small river carries" in article["text"]
    assert article["extractor"] == []  # extracted in the prefetch child
    assert first["qt_namespace"] is False
    assert first["qstyle"] is False
    assert first["library_file"] is False  # a first start: created after the paint
    assert first["library_module"] == []  # so not even imported before it
    assert first["icon"] is False
    assert first["last_article"] is None  # the settings file is written after the paint
    assert article["gc"] == [False, False]  # no cyclic collections before the paint
    # Right after the paint: the library exists and keeps the article; the window has its icon.
    assert after["library_file"] is True
    assert len(seen["kept"]) == 1
    assert seen["kept"][0] in after["text"]
    assert after["icon"] is True
    assert after["last_article"] == str(ARTICLE.resolve())
    assert after["gc"] == [True, True]  # on again, what the start made left out of it


def test_a_picture_is_decoded_without_loading_every_image_plugin(tmp_path: Path) -> None:
    # Told a PNG's format, Qt decodes it with its own reader; left to guess, it loads all nine
    # image-format plugins first (~2.5 ms and their shared libraries, before the first paint).
    seen = start(ROOT / "resources" / "sample" / "article.html", tmp_path)
    assert seen["article"]["pictures"] == [[640, 260]]
    assert seen["article"]["image_plugins"] == []


def test_a_second_start_reads_the_library_in_the_child(tmp_path: Path) -> None:
    first_start = start(ARTICLE, tmp_path)
    seen = start(ARTICLE, tmp_path)  # the library kept it: its copy, read by the child
    assert seen["article"]["text"] == first_start["article"]["text"]
    assert seen["paint"]["library_module"] == []  # the window's process had no sqlite3 yet
    assert seen["article"]["extractor"] == []
    assert seen["kept"] == first_start["kept"]
