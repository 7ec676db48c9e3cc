"""The library panel: lists, searches as you type, opens, marks read, deletes with undo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from reader.core.article import Article
from reader.core.library import Library
from reader.ui import library_panel
from reader.ui.library_panel import ID_ROLE, LibraryPanel


@pytest.fixture
def library(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "library.db") as lib:
        lib.add(
            Article(title="Harbour rebuilt", site_name="Coast News", text="the café by the pier")
        )
        lib.add(Article(title="Новая библиотека", site_name="Вести", text="книги и ёлки"))
        lib.add(Article(title="Garden notes", text="tomatoes need sun"))
        yield lib


@pytest.fixture
def panel(qtbot: QtBot, library: Library) -> LibraryPanel:
    widget = LibraryPanel(library)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def titles(panel: LibraryPanel) -> list[str]:
    model = panel.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def select(panel: LibraryPanel, title: str) -> int:
    row = titles(panel).index(title)
    panel.view.setCurrentIndex(panel.model.index(row, 0))
    return int(panel.model.index(row, 0).data(ID_ROLE))


def test_lists_saved_articles_recent_first_with_site_date_state(panel: LibraryPanel) -> None:
    assert titles(panel) == ["Garden notes", "Новая библиотека", "Harbour rebuilt"]
    model = panel.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Title",
        "Site",
        "Saved",
        "State",
    ]
    assert model.index(2, 1).data() == "Coast News"
    assert model.index(2, 2).data()  # a date
    assert model.index(2, 3).data() == "Unread"
    assert "3 saved articles" in panel.status.text()


def test_search_as_you_type_is_debounced(panel: LibraryPanel, qtbot: QtBot) -> None:
    qtbot.keyClicks(panel.search, "cafe")
    assert len(titles(panel)) == 3  # not yet: the query waits for typing to pause
    qtbot.waitUntil(lambda: titles(panel) == ["Harbour rebuilt"], timeout=2000)
    assert "café" in panel.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    panel.search.setText("елки")
    qtbot.waitUntil(lambda: titles(panel) == ["Новая библиотека"], timeout=2000)
    panel.search.setText("zeppelin")
    qtbot.waitUntil(lambda: titles(panel) == [], timeout=2000)
    assert "Nothing matches" in panel.status.text()
    panel.search.clear()
    qtbot.waitUntil(lambda: len(titles(panel)) == 3, timeout=2000)


def test_open_by_button_and_by_activation(panel: LibraryPanel, qtbot: QtBot) -> None:
    article_id = select(panel, "Garden notes")
    with qtbot.waitSignal(panel.openRequested) as signal:
        panel.open_button.click()
    assert signal.args == [article_id]
    panel.view.setFocus()
    with qtbot.waitSignal(panel.openRequested) as signal:
        panel.view.activated.emit(panel.view.currentIndex())
    assert signal.args == [article_id]


def test_mark_read_and_unread(panel: LibraryPanel, library: Library) -> None:
    article_id = select(panel, "Harbour rebuilt")
    panel.read_button.click()
    assert library.get(article_id).summary.read
    assert panel.model.index(titles(panel).index("Harbour rebuilt"), 3).data() == "Read"
    assert panel.read_button.accessibleName() == "Mark unread"
    panel.read_button.click()
    assert not library.get(article_id).summary.read


def test_delete_then_undo_from_the_message_bar(panel: LibraryPanel, library: Library) -> None:
    article_id = select(panel, "Новая библиотека")
    panel.delete_button.click()
    assert "Новая библиотека" not in titles(panel)
    assert len(library) == 2
    assert panel.message_bar.isVisible()
    assert panel.undo_button.isVisible()
    panel.undo_button.click()
    assert "Новая библиотека" in titles(panel)
    assert library.get(article_id).summary.title == "Новая библиотека"
    assert not panel.message_bar.isVisible()
    panel.undo_stack.redo()
    assert len(library) == 2


def test_delete_key_deletes_selected(panel: LibraryPanel, qtbot: QtBot, library: Library) -> None:
    select(panel, "Garden notes")
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert "Garden notes" not in titles(panel)
    assert len(library) == 2


def test_buttons_need_a_selection(panel: LibraryPanel) -> None:
    panel.view.clearSelection()
    assert not panel.open_button.isEnabled()
    assert not panel.delete_button.isEnabled()
    select(panel, "Garden notes")
    assert panel.open_button.isEnabled()


def test_every_focusable_control_has_an_accessible_name(panel: LibraryPanel) -> None:
    unnamed = [
        w.objectName() or type(w).__name__
        for w in panel.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and not w.accessibleName()
    ]
    assert unnamed == []
    assert panel.accessibleName() == "Library"


def test_full_list_loads_a_page_at_a_time(
    qtbot: QtBot, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_panel, "PAGE_SIZE", 2)
    panel = LibraryPanel(library)
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 2
    assert "3 saved articles" in panel.status.text()  # the count is of all, not of a page
    assert panel.model.canFetchMore(QModelIndex())
    panel.model.fetchMore(QModelIndex())
    assert titles(panel) == ["Garden notes", "Новая библиотека", "Harbour rebuilt"]
    assert not panel.model.canFetchMore(QModelIndex())
