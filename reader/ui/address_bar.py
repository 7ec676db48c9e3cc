"""Reading from the web in the window: the address field and the fetch's progress row.

The blocking work, :func:`reader.core.web.fetch_article`, runs in a
:class:`reader.ui.fetch_worker.FetchWorker` off the UI thread; these widgets only take the address
and show how the fetch is going.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from reader.ui import add_clear_button, set_qt_property

ADDRESS_SHORTCUT = "Alt+D"  # as in web browsers; Ctrl+L is the library panel here


def normalise_address(text: str) -> str:
    """What the user typed as a URL: ``example.org/a`` becomes ``https://example.org/a``."""
    text = text.strip()
    if text and "://" not in text and not text.lower().startswith(("mailto:", "file:", "data:")):
        return "https://" + text
    return text


# ---------------------------------------------------------------------------------------------
# Widgets


class AddressBar(QWidget):
    """A field for a web address and a button to read it; emits ``submitted(url)``."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addressBar")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 2)
        row.setSpacing(6)
        label = QLabel("&Address:")
        self.field = QLineEdit()
        self.field.setObjectName("addressField")
        label.setBuddy(self.field)
        self.field.setPlaceholderText("Type a web address and press Enter to read it")
        self.field.setAccessibleName("Web address")
        self.field.setAccessibleDescription(
            f"The address of a web page to read; press Enter to fetch it. {ADDRESS_SHORTCUT} "
            "comes here."
        )
        add_clear_button(self.field, "Clear the address")
        self.field.returnPressed.connect(self.submit)
        self.button = QPushButton("Read")
        self.button.setAccessibleName("Read web page")
        self.button.setAccessibleDescription("Fetch the web address and show its article.")
        self.button.clicked.connect(self.submit)
        row.addWidget(label)
        row.addWidget(self.field, 1)
        row.addWidget(self.button)
        self.setFocusProxy(self.field)

    def submit(self) -> None:
        """Emit the typed address, completed with https:// when it has no scheme."""
        text = normalise_address(self.field.text())
        if text:
            self.field.setText(text)
            self.submitted.emit(text)

    def set_address(self, url: str) -> None:
        """Show ``url`` (the page being read) in the field."""
        self.field.setText(url)

    def focus_address(self) -> None:
        """Focus the field with its text selected, ready to type over (Alt+D)."""
        from PySide6.QtCore import Qt  # not at import: see set_qt_property

        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()


class FetchStatus(QWidget):
    """What is being fetched, a progress bar and a Cancel button; shown only during a fetch."""

    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        # Imported here, at the first fetch: PySide6 builds a class's Python enums when the
        # class is first imported (QSizePolicy's 26 members, ~3M instructions), and only this
        # row, not the window's first paint, needs these two.
        from PySide6.QtWidgets import QProgressBar, QSizePolicy

        super().__init__(parent)
        self.setObjectName("fetchStatus")
        # The window's style paints every widget in the page colour; here the status bar's shows.
        self.setStyleSheet("#fetchStatus, #fetchStatus QLabel { background: transparent; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        set_qt_property(self.label, "textFormat", "PlainText")
        self.label.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Download progress")
        self.bar.setAccessibleDescription("How much of the web page has arrived.")
        self.bar.setFixedWidth(200)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel download")
        self.cancel_button.setAccessibleDescription(
            "Stop fetching the web page and keep the article shown (Escape)."
        )
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.cancel_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        row.addWidget(self.label)
        row.addWidget(self.bar)
        row.addWidget(self.cancel_button)
        self.hide()

    def begin(self, url: str) -> None:
        """Show the row for a new fetch of ``url``, its size not known yet."""
        host = urlsplit(url).hostname or url
        self.label.setText(f"Fetching {host}…")
        self.bar.setRange(0, 0)  # busy until the size is known
        self.show()

    def set_progress(self, received: int, total: int | None) -> None:
        """Bytes received so far of ``total`` (None: unknown, the bar just shows activity)."""
        if total and total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(min(1000, received * 1000 // total))
            self.bar.setFormat(f"{received // 1024} of {total // 1024} KB")
        else:
            self.bar.setRange(0, 0)
        if total is not None and received >= total > 0:
            self.label.setText("Getting the article and its pictures…")

    def end(self) -> None:
        """Hide the row."""
        self.hide()
        self.bar.reset()
