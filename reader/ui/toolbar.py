"""The reading toolbar: always visible above the article, like the panel it is modelled on.

Every control is a tab stop with an accessible name and description. The font and character
spacing controls carry exactly the panel's words ("Arial", "Times New Roman", "Standard",
"Medium", "Large") and no other control reuses them. One-of-many choices are radio buttons in
a named group, drawn as segmented buttons (the indicator is hidden by the window stylesheet).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.core.settings import (
    LINE_SPACING_STEPS,
    QUICK_FONT_SIZES,
    ColourScheme,
    FontChoice,
    LetterSpacing,
    LineLength,
    ReadingSettings,
    WordSpacing,
    larger_font_size,
    smaller_font_size,
)
from reader.ui import fonts, set_qt_property, theme

if TYPE_CHECKING:  # annotations only: no need to load them before the first paint
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QWheelEvent

PANEL_NAMES = ("Arial", "Times New Roman", "Standard", "Medium", "Large")
GROUP_END_MARGIN = 8  # px after each labelled group, between it and the next
# In a window too short for all the toolbar's rows (a 1366x768 laptop at 200% is 384 px tall),
# the toolbar takes at most this share of the height it and the article share, and scrolls:
# the article keeps the rest. One row of controls always shows.
TOOLBAR_SHARE = 0.5
OWN_FONT_TEXT = "Your font"  # the button's text until a font is chosen, then that font's name
OWN_FONT_DESCRIPTION = "Show the article in a font you chose from those on this computer."
WORD_SPACING_LABELS = {WordSpacing.STANDARD: "Normal", WordSpacing.MEDIUM: "Wide",
                       WordSpacing.LARGE: "Wider"}  # fmt: skip
LINE_LENGTH_LABELS = {LineLength.SHORT: "Short", LineLength.STANDARD: "Normal",
                      LineLength.LONG: "Long"}  # fmt: skip


def _button(text: str, name: str, description: str, *, checkable: bool = True) -> QToolButton:
    """A toolbar button. Checkable ones are wired to ``toggled``, not ``clicked``: a screen
    reader's "Toggle" action (AT-SPI) toggles the button without emitting ``clicked``."""
    button = QToolButton()
    button.setText(text)
    button.setAccessibleName(name)
    button.setAccessibleDescription(description)
    button.setToolTip(description)
    button.setCheckable(checkable)
    set_qt_property(button, "focusPolicy", "StrongFocus")
    set_qt_property(button, "toolButtonStyle", "ToolButtonTextOnly")
    return button


T = TypeVar("T")


class _Combo(QComboBox):
    """A drop-down that takes the wheel only when it has the focus: turned over it on the way
    down a scrolling toolbar (or the window), the wheel changed a reading choice unasked; now
    it scrolls what is under the drop-down instead."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # on to the parents: the toolbar's scroll area


class Choice(QRadioButton):
    """One choice of a one-of-many group: a radio button to screen readers and a tab stop;
    Left/Right/Up/Down move to and choose the previous/next choice of its group, wrapping.

    Auto-exclusive among the choices of its parent group (Qt gives the radio-button role only
    to auto-exclusive buttons). Qt then takes every unchecked choice out of the Tab chain when
    one gets focus; ``focusInEvent`` puts them back, so low-vision keyboard users still reach
    each choice with Tab. Only ``toggled(True)`` means "chosen".
    """

    def __init__(self, text: str, name: str, description: str) -> None:
        super().__init__(text)
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        set_qt_property(self, "focusPolicy", "StrongFocus")
        self.siblings: list[Choice] = [self]
        # True while choosing this one needs more first (a dialog): arrows then only move to
        # it, and Space or a click chooses it ("Your font" before any font was chosen).
        self.asks_first: Callable[[], bool] = lambda: False
        self.toggled.connect(self.embolden)

    def embolden(self) -> None:
        """Bold when checked, like the toolbar's other checked buttons. Through the QFont: a
        stylesheet's font-weight does not reach a radio button's label, and restyling the
        window resets the font, so the toolbar calls this again after a restyle."""
        font = self.font()
        font.setBold(self.isChecked())
        self.setFont(font)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Let Qt handle focus, then keep every choice of the group a tab stop."""
        super().focusInEvent(event)
        for button in self.siblings:
            set_qt_property(button, "focusPolicy", "StrongFocus")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows move to the previous or next choice of the group and choose it."""
        from PySide6.QtCore import Qt  # not at import: see set_qt_property

        key = event.key()
        arrows = (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Right, Qt.Key.Key_Down)
        if key not in arrows or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        back = key in (Qt.Key.Key_Left, Qt.Key.Key_Up)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.isRightToLeft():
            back = not back
        target = self.siblings[
            (self.siblings.index(self) + (-1 if back else 1)) % len(self.siblings)
        ]
        target.setFocus(
            Qt.FocusReason.BacktabFocusReason if back else Qt.FocusReason.TabFocusReason
        )
        if not target.asks_first():
            target.setChecked(True)
        event.accept()

    def uncheck(self) -> None:
        """Uncheck even the checked choice of the group (a size none of the quick steps is)."""
        self.setAutoExclusive(False)
        self.setChecked(False)
        self.setAutoExclusive(True)


def _times(value: float) -> str:
    """A line spacing as shown: 1.5, 1.75, 2.0, 3.0 (one decimal at least, as the panel's)."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _choices(buttons: list[Choice]) -> None:
    """Make ``buttons`` one group for arrow keys (their order is the arrows' order)."""
    for button in buttons:
        button.siblings = buttons


def _show_choice(buttons: Mapping[T, Choice], current: T) -> None:
    """Check the button of ``current``; with none for it (a size between steps), uncheck all."""
    if current in buttons:
        buttons[current].setChecked(True)  # auto-exclusive: unchecks the others
        return
    for button in buttons.values():
        if button.isChecked():
            button.uncheck()


def _flow(widgets: list[QWidget], width: int, spacing: int, indent: int = 0) -> list[list[QWidget]]:
    """``widgets`` in rows at most ``width`` px wide (by their size hints), in order, the rows
    after the first ``indent`` px in; a widget wider than that has a row of its own."""
    rows: list[list[QWidget]] = [[]]
    x = 0
    for widget in widgets:
        widget_width = widget.sizeHint().width()
        if rows[-1] and x + widget_width > width:
            rows.append([])
            x = indent
        rows[-1].append(widget)
        x += widget_width + spacing
    return rows


def _lay_out(column: QVBoxLayout, rows: list[list[QWidget]], indent: int = 0) -> list[QHBoxLayout]:
    """Make ``column`` hold ``rows``: one left-aligned row of widgets each (returned), the
    rows after the first ``indent`` px in."""
    while (old := column.takeAt(0)) is not None:
        layout = old.layout()
        if layout is not None:
            while layout.takeAt(0) is not None:
                pass
            layout.deleteLater()
    lines: list[QHBoxLayout] = []
    for row in rows:
        line = QHBoxLayout()
        line.setSpacing(column.spacing())
        if lines and indent:
            line.addSpacing(indent - column.spacing())
        for widget in row:
            line.addWidget(widget)
        line.addStretch(1)
        column.addLayout(line)
        lines.append(line)
    return lines


class _Group(QFrame):
    """A labelled run of controls; the label names the group for screen readers too. In a
    column narrower than the run, its controls go on over more rows (``fit``), so none is
    squeezed until its text is cut."""

    def __init__(self, title: str, description: str) -> None:
        super().__init__()
        self.setAccessibleName(title)
        self.setAccessibleDescription(description)
        # One row, the group's own layout, until it first has to wrap (fit): rows nested in a
        # column cost every start a little, for what most windows never need.
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, GROUP_END_MARGIN, 0)
        self.row.setSpacing(2)
        self._column: QVBoxLayout | None = None
        self.label = QLabel(f"{title}:")
        self.label.setProperty("class", "groupLabel")
        self.row.addWidget(self.label)
        self._widgets: list[QWidget] = [self.label]
        self._rows = 1

    def add(self, widget: QWidget) -> QWidget:
        self.row.addWidget(widget)
        self._widgets.append(widget)
        return widget

    def remeasure(self) -> None:
        """After a control's text changed (Your font's family): once wrapped, its new size
        clears the cached size of the group's column only, not of the rows inside it."""
        if self._column is None:
            return
        for index in range(self._column.count()):
            item = self._column.itemAt(index)
            if item is not None and (line := item.layout()) is not None:
                line.invalidate()

    def widest(self) -> int:
        """The widest of its controls (or its label), with its margins: the least it needs."""
        widest = max(widget.sizeHint().width() for widget in self._widgets)
        return widest + GROUP_END_MARGIN

    def fit(self, width: int) -> None:
        """Wrap the controls into rows that fit ``width`` px (one row when they fit)."""
        if self._rows == 1 and self.sizeHint().width() <= width:
            return  # (the common case, measured without asking each control)
        width -= GROUP_END_MARGIN
        spacing = self.row.spacing()
        # Rows after the first under the first control, not under the label, when room allows.
        indent = self.label.sizeHint().width() + spacing
        if indent + max(w.sizeHint().width() for w in self._widgets[1:]) > width:
            indent = 0
        rows = _flow(self._widgets, width, spacing, indent)
        if len(rows) == self._rows == 1:
            return
        self._rows = len(rows)
        if self._column is None:  # the one row becomes the first of a column of rows
            while self.row.takeAt(0) is not None:
                pass
            QWidget().setLayout(self.row)  # (a layout is replaced by deleting it with a widget)
            self._column = QVBoxLayout(self)
            self._column.setContentsMargins(0, 0, GROUP_END_MARGIN, 0)
            self._column.setSpacing(spacing)
        self.row = _lay_out(self._column, rows, indent)[0]


class ReadingToolbar(QFrame):
    """One-of-many choices (font, character spacing, quick sizes, colours) are ``Choice`` radio
    buttons, auto-exclusive within their named group, not in a QButtonGroup. Every choice stays
    a tab stop (see ``Choice``), and arrows move to and choose the next one within a group.

    Emits ``reading_changed`` with the new ``ReadingSettings`` when the user picks something."""

    reading_changed = Signal(object)
    rows_changed = Signal()  # after each re-wrap to a new width: its height may differ
    # "Your font" chosen before any font was, or Choose… pressed: the window asks which one.
    choose_font_requested = Signal()
    read_aloud_toggled = Signal(bool)  # the Read aloud button, pressed or released by the user

    def __init__(self, reading: ReadingSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingToolbar")
        self.setAccessibleName("Reading settings")
        self.setAccessibleDescription("Font, spacing, size, colours and pictures of the article.")
        self._reading = reading
        self._updating = False
        self._rows = QVBoxLayout(self)
        self._rows.setContentsMargins(12, 8, 12, 8)
        self._rows.setSpacing(6)
        self._items: list[QWidget] = []
        self._arranged: list[list[QWidget]] = []

        font_group = _Group("Font", "The typeface of the article.")
        self.font_buttons: dict[FontChoice, Choice] = {}
        for choice in FontChoice:
            if choice is FontChoice.OWN:  # its text and face are its family (set_reading)
                button = Choice(OWN_FONT_TEXT, choice.value, OWN_FONT_DESCRIPTION)
                button.asks_first = lambda: not self._reading.own_font
            else:
                button = Choice(choice.value, choice.value, f"Show the article in {choice.value}.")
                button.setFont(fonts.base_font(choice, 16))
                button.setToolTip(fonts.face_note(choice))
            self.font_buttons[choice] = button
        self._add_choices(font_group, self.font_buttons, "font")
        self.choose_font_button = _button(
            "Choose…",
            "Choose your font",
            "Pick the font for Your font from the fonts installed on this computer.",
            checkable=False,
        )
        self.choose_font_button.clicked.connect(self.choose_font_requested)
        font_group.add(self.choose_font_button)
        self._items.append(font_group)

        spacing_group = _Group(
            "Character spacing", "Extra space between letters (kerning in the panel)."
        )
        self.spacing_buttons: dict[LetterSpacing, Choice] = {
            spacing: Choice(
                spacing.label,
                spacing.label,
                f"{spacing.label} character spacing: {spacing.em:g} em between letters.",
            )
            for spacing in LetterSpacing
        }
        self._add_choices(spacing_group, self.spacing_buttons, "letter_spacing")
        self._items.append(spacing_group)

        size_group = _Group("Size", "Text size, from 100% to 400% (Ctrl+Plus, Ctrl+Minus, Ctrl+0).")
        self.smaller_button = _button(
            "A−", "Smaller text", "Make the text one step smaller (Ctrl+Minus).", checkable=False
        )
        self.smaller_button.clicked.connect(
            lambda: self._change(font_size=smaller_font_size(self._reading.font_size))
        )
        size_group.add(self.smaller_button)
        self.size_buttons: dict[int, Choice] = {}
        for percent, px in zip(QUICK_FONT_SIZES, (15, 19, 23), strict=True):
            button = Choice("A", f"Font size {percent}%", f"Show the text at {percent}% size.")
            quick_font = QFont(button.font())
            quick_font.setPixelSize(px)
            quick_font.setBold(True)
            button.setFont(quick_font)
            self.size_buttons[percent] = button
        self._add_choices(size_group, self.size_buttons, "font_size")
        self.larger_button = _button(
            "A+", "Larger text", "Make the text one step larger (Ctrl+Plus).", checkable=False
        )
        self.larger_button.clicked.connect(
            lambda: self._change(font_size=larger_font_size(self._reading.font_size))
        )
        size_group.add(self.larger_button)
        self.size_label = QLabel()
        self.size_label.setMinimumWidth(52)
        size_group.add(self.size_label)
        self._items.append(size_group)

        colour_group = _Group("Colours", "The colours of the whole window.")
        self.colour_buttons: dict[ColourScheme, Choice] = {
            key: Choice("Aa", scheme.name, f"{scheme.name}: the whole window in these colours.")
            for key, scheme in theme.schemes().items()
        }
        self._add_choices(colour_group, self.colour_buttons, "colour_scheme")
        self._items.append(colour_group)

        picture_group = _Group("Pictures", "Show pictures, or their descriptions instead.")
        self.images_button = _button(
            "On", "Show pictures", "When off, each picture is replaced by its description."
        )
        self.images_button.toggled.connect(lambda on: self._change(images=bool(on)))
        picture_group.add(self.images_button)
        self._items.append(picture_group)

        steps = ", ".join(_times(v) for v in LINE_SPACING_STEPS[:-1])
        last = _times(LINE_SPACING_STEPS[-1])
        self.line_combo = self._combo(
            ("Line spacing", "Space between lines, as a multiple of the text size."),
            f"Space between lines: {steps} or {last} times the text size.",
            {_times(value): value for value in LINE_SPACING_STEPS},
            lambda data: {"line_spacing": float(data)},
        )
        self.word_combo = self._combo(
            ("Word spacing", "Extra space between words."),
            "Space between words: normal, wide or wider.",
            {label: spacing.value for spacing, label in WORD_SPACING_LABELS.items()},
            lambda data: {"word_spacing": WordSpacing(data)},
        )
        chars = {length: length.chars for length in LineLength}
        self.length_combo = self._combo(
            ("Line length", "How many letters a line of the article holds at most."),
            f"Letters a line holds at most: short (about {chars[LineLength.SHORT]}), normal "
            f"(about {chars[LineLength.STANDARD]}) or long (about {chars[LineLength.LONG]}).",
            {label: length.value for length, label in LINE_LENGTH_LABELS.items()},
            lambda data: {"line_length": LineLength(data)},
        )

        self.reset_button = _button(
            "Reset to standard settings",
            "Reset to standard settings",
            "Go back to Arial, standard spacing, 100% size, black on white, pictures on, "
            "normal lines.",
            checkable=False,
        )
        self.reset_button.clicked.connect(self._reset)
        self._items.append(self.reset_button)

        self.read_aloud_button = _button(
            "Read aloud",
            "Read aloud",
            "Read the article aloud from the paragraph at the top, highlighting each sentence "
            "(Ctrl+Shift+U). Press again to stop, and again to go on from there.",
        )
        self.read_aloud_button.toggled.connect(self._read_aloud_toggled)
        self._items.append(self.read_aloud_button)
        self.set_reading(reading)
        # One row for now: the first resize, as the window is shown, wraps the rows to the real
        # width with the sizes the window's stylesheet gives (measuring now, before it is
        # applied, would be thrown away).
        self._arrange([list(self._items)])

    def _reflow(self, width: int) -> None:
        """Wrap the groups into rows that fit ``width``, and a group wider than that into rows
        of its own, so no control is ever cut off.

        Rows of plain box layouts rebuilt on resize, rather than a Python QLayout subclass whose
        itemAt() Qt would call from C++ on every layout pass.
        """
        margins = self._rows.contentsMargins()
        available = width - margins.left() - margins.right()
        for item in self._items:
            if isinstance(item, _Group):
                item.fit(available)
        self._arrange(_flow(self._items, available, self._rows.spacing()))
        self.rows_changed.emit()

    def _arrange(self, rows: list[list[QWidget]]) -> None:
        """Lay the groups out in ``rows`` (unless they are so already)."""
        if rows != self._arranged:
            _lay_out(self._rows, rows)
            self._arranged = rows

    def first_row_height(self) -> int:
        """The height of its first row of controls, with the toolbar's margins: the least of
        it a short window shows (ToolbarArea)."""
        margins = self._rows.contentsMargins()
        first = self._rows.itemAt(0)
        row = first.sizeHint().height() if first is not None else 0
        return row + margins.top() + margins.bottom()

    def minimumSizeHint(self) -> QSize:
        """As narrow as its widest control: a narrower window re-wraps the groups, and the
        groups their controls, into more rows (``resizeEvent``) instead of being held as wide
        as the rows of the moment, or squeezing a control until its text is cut."""
        margins = self._rows.contentsMargins()
        widest = max(
            item.widest() if isinstance(item, _Group) else item.sizeHint().width()
            for item in self._items
        )
        return QSize(widest + margins.left() + margins.right(), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-wrap the rows to the new width."""
        super().resizeEvent(event)
        self._reflow(event.size().width())

    def controls(self) -> list[QWidget]:
        """Every control in tab order."""
        return [
            *self.font_buttons.values(),
            self.choose_font_button,
            *self.spacing_buttons.values(),
            self.smaller_button,
            *self.size_buttons.values(),
            self.larger_button,
            *self.colour_buttons.values(),
            self.images_button,
            self.line_combo,
            self.word_combo,
            self.length_combo,
            self.reset_button,
            self.read_aloud_button,
        ]

    @property
    def reading(self) -> ReadingSettings:
        """The choices the toolbar shows."""
        return self._reading

    def set_reading(self, reading: ReadingSettings) -> None:
        """Show ``reading`` without emitting a change."""
        self._reading = reading
        self._updating = True
        try:
            _show_choice(self.font_buttons, reading.font)
            self._show_own_font(reading.own_font)
            _show_choice(self.spacing_buttons, reading.letter_spacing)
            _show_choice(self.size_buttons, reading.font_size)
            _show_choice(self.colour_buttons, reading.colour_scheme)
            self.images_button.setChecked(reading.images)
            self.images_button.setText("On" if reading.images else "Off")
            self.line_combo.setCurrentIndex(self.line_combo.findData(reading.line_spacing))
            self.word_combo.setCurrentIndex(self.word_combo.findData(reading.word_spacing.value))
            self.length_combo.setCurrentIndex(self.length_combo.findData(reading.line_length.value))
            self.size_label.setText(f"{reading.font_size}%")
            now = f"Now {reading.font_size}%."
            self.smaller_button.setAccessibleDescription(f"Make the text one step smaller. {now}")
            self.larger_button.setAccessibleDescription(f"Make the text one step larger. {now}")
        finally:
            self._updating = False

    def _show_own_font(self, family: str | None) -> None:
        """ "Your font" shows the family chosen, in that family."""
        button = self.font_buttons[FontChoice.OWN]
        text = family or OWN_FONT_TEXT
        changed = button.text() != text
        button.setText(text)
        face = fonts.base_font(FontChoice.OWN, 16, family) if family else QFont()
        face.setBold(button.isChecked())
        button.setFont(face)
        button.setToolTip(fonts.own_note(family))
        description = OWN_FONT_DESCRIPTION + (f" Now {family}." if family else " None yet.")
        button.setAccessibleDescription(description)
        # Named as it reads, for voice control ("click DejaVu Serif") and screen readers alike.
        button.setAccessibleName(f"{FontChoice.OWN.value}: {family}" if family else OWN_FONT_TEXT)
        if changed and self._arranged and self.width() > 0:
            group = button.parentWidget()
            if isinstance(group, _Group):
                group.remeasure()
            self._reflow(self.width())  # its new width may need another row

    def apply_scheme(self, current: theme.Scheme) -> None:
        """Paint each colour button in its own scheme, with the current focus ring."""
        self._show_own_font(self._reading.own_font)  # restyling resets the button's face
        for choices in (self.font_buttons, self.spacing_buttons, self.size_buttons):
            for choice in choices.values():
                choice.embolden()
        for key, button in self.colour_buttons.items():
            scheme = theme.schemes()[key]
            mark = "✓ Aa" if key == self._reading.colour_scheme else "Aa"
            button.setText(mark)
            button.setStyleSheet(
                f"QRadioButton {{ color: {scheme.text}; background-color: {scheme.background};"
                f" border: 1px solid {current.border}; font-weight: bold; }}"
                f" QRadioButton:checked {{ border: 3px solid {current.text}; padding: 3px 13px; }}"
                f" QRadioButton:focus {{ border: 3px solid {current.focus}; padding: 3px 13px; }}"
            )

    def _combo(
        self,
        group: tuple[str, str],
        description: str,
        items: Mapping[str, object],
        changes: Callable[[Any], dict[str, object]],
    ) -> QComboBox:
        """A drop-down alone in a labelled ``group`` (title, description), named by the title,
        one item per label in ``items`` with its data; choosing one applies ``changes(data)``
        to the reading choices."""
        title, group_description = group
        box = _Group(title, group_description)
        combo = _Combo()
        combo.setAccessibleName(title)
        combo.setAccessibleDescription(description)
        set_qt_property(combo, "focusPolicy", "StrongFocus")
        for label, data in items.items():
            combo.addItem(label, data)
        combo.activated.connect(lambda i: self._change(**changes(combo.itemData(i))))
        box.label.setBuddy(combo)
        box.add(combo)
        self._items.append(box)
        return combo

    def _add_choices(self, group: _Group, buttons: Mapping[T, Choice], setting: str) -> None:
        """Put one-of-many ``buttons`` in ``group``, in order, as one arrow-key group; choosing
        one sets the reading ``setting`` to its key."""
        for key, button in buttons.items():
            group.add(button)
            button.toggled.connect(lambda on, k=key: self._chosen(on, **{setting: k}))
        _choices(list(buttons.values()))

    def _chosen(self, on: bool, **changes: object) -> None:
        """A choice's ``toggled``: only the newly checked one says what was chosen."""
        if on:
            self._change(**changes)

    def _change(self, **changes: object) -> None:
        if self._updating:
            return
        if changes.get("font") is FontChoice.OWN and not self._reading.own_font:
            self.set_reading(self._reading)  # not chosen until a font is
            self.choose_font_requested.emit()
            return
        new = dataclasses.replace(self._reading, **changes)  # type: ignore[arg-type]
        self.set_reading(new)
        self.reading_changed.emit(new)

    def show_reading_aloud(self, on: bool) -> None:
        """Show the Read aloud button pressed while the article is read aloud."""
        self._updating = True
        try:
            self.read_aloud_button.setChecked(on)
        finally:
            self._updating = False

    def _read_aloud_toggled(self, on: bool) -> None:
        if not self._updating:
            self.read_aloud_toggled.emit(on)

    def _reset(self) -> None:
        standard = ReadingSettings(own_font=self._reading.own_font)  # the font stays known
        self.set_reading(standard)
        self.reading_changed.emit(standard)


class ToolbarArea(QScrollArea):
    """The reading toolbar's place in the window: all of it when the window has room, else at
    most TOOLBAR_SHARE of the height it shares with the article (``share_with``), with a scroll
    bar, so a short window still shows the article. No control goes away: each stays in the
    Tab order and in the accessibility tree, and the one that gets the focus scrolls into view."""

    def __init__(self, toolbar: ReadingToolbar) -> None:
        # In the toolbar's window from the start: moved through a window of its own, the
        # toolbar's controls would leave their place in the window's Tab order.
        super().__init__(toolbar.parentWidget())
        self.toolbar = toolbar
        self.setObjectName("readingToolbarArea")
        self.setWidget(toolbar)
        self.setWidgetResizable(True)
        set_qt_property(self, "frameShape", "NoFrame")
        set_qt_property(self, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        set_qt_property(self, "focusPolicy", "NoFocus")  # its controls are the tab stops
        self._other: QWidget | None = None  # see share_with
        self._share_pending = False
        toolbar.rows_changed.connect(self.updateGeometry)
        QApplication.instance().focusChanged.connect(self._focus_moved)  # type: ignore[union-attr]

    def sizeHint(self) -> QSize:
        """The whole toolbar, as high as its rows are now."""
        return self.toolbar.sizeHint()

    def minimumSizeHint(self) -> QSize:
        """Its first row, and room beside the widest control for the scroll bar."""
        toolbar = self.toolbar.minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(toolbar.width() + bar, min(toolbar.height(), self.toolbar.first_row_height()))

    def share_with(self, other: QWidget, resized: SignalInstance) -> None:
        """Share the height with ``other`` (the article), which emits ``resized``: whatever
        changed its height (the window, a message above, the find bar below), the share is
        worked out again once the layout pass is over (mid-pass, the two heights can be of
        different passes, and the share would swing between them for ever)."""
        self._other = other
        resized.connect(self._share_soon)
        self._share_soon()

    def _share_soon(self) -> None:
        if not self._share_pending:
            self._share_pending = True
            QTimer.singleShot(0, self._share)

    def _share(self) -> None:
        """Take at most TOOLBAR_SHARE (at least a row) of the height the toolbar and the
        article have between them. Left alone while all of it fits: no layout pass for that."""
        self._share_pending = False
        if self._other is None:
            return
        shared = self.height() + self._other.height()
        limit = max(int(shared * TOOLBAR_SHARE), self.minimumSizeHint().height())
        whole = self.toolbar.sizeHint().height()
        if whole <= limit and self.maximumHeight() >= whole:
            return
        self.setMaximumHeight(limit)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the control with the focus in view (a new colour scheme can change the room)."""
        super().resizeEvent(event)
        self._focus_moved(None, QApplication.focusWidget())

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.toolbar.isAncestorOf(new):
            self.ensureWidgetVisible(new, 0, 0)
