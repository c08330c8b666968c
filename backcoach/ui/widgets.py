"""Small building blocks shared by the areas: themed labels and chips."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QGridLayout, QLabel, QPushButton, QWidget

from backcoach.ui.theme import current_theme, style_text


class ThemedLabel(QLabel):
    """A label with a text role (title, heading, muted, cue) that follows theme changes."""

    def __init__(self, text: str, role: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.role = role
        self._restyling = False
        style_text(self, role)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # The app palette changing reaches a widget with its own palette as PaletteChange;
        # restyling sets the palette again, hence the guard.
        if event.type() == QEvent.Type.PaletteChange and not self._restyling:
            self._restyling = True
            try:
                style_text(self, self.role)
            finally:
                self._restyling = False
        super().changeEvent(event)


class _WheelScrollsThePage(QObject):
    """Over an editor that has no focus, the wheel scrolls the page instead of changing
    (and saving) the value the pointer happens to pass over."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            area = watched.parentWidget()
            while area is not None and not isinstance(area, QAbstractScrollArea):
                area = area.parentWidget()
            if area is not None:
                QApplication.sendEvent(area.verticalScrollBar(), event)
            return True
        return False


_WHEEL_FILTER: _WheelScrollsThePage | None = None


def wheel_only_when_focused(editor: QWidget) -> None:
    """Spin boxes and combo boxes take the wheel only after a click or Tab gives them focus."""
    global _WHEEL_FILTER
    if _WHEEL_FILTER is None:
        _WHEEL_FILTER = _WheelScrollsThePage(QApplication.instance())
    editor.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    editor.installEventFilter(_WHEEL_FILTER)


# QListView and QTableView, not QAbstractItemView: that would frame their headers too.
FOCUS_FRAME = ("QListView, QTableView { border: 2px solid palette(mid); }"
               "QListView:focus, QTableView:focus { border: 2px solid palette(highlight); }")


def show_focus(view: QWidget) -> None:
    """A list or table shows when the keyboard is in it: its frame takes the accent colour.
    (Fusion's frame looks the same focused or not; the selection alone does not tell.)
    Set per view: an application-wide style sheet would slow every widget's painting."""
    view.setStyleSheet(FOCUS_FRAME)


def count_of(n: int, noun: str) -> str:
    """'1 session', '2 sessions', '1,204 sessions'."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


class MessageSlot(QWidget):
    """One place for a standing hint and the messages that replace it for a while (an
    error, an undo offer). They share one cell, tall enough for `lines` of the largest
    text, so showing a message never moves anything else."""

    def __init__(self, hint: QWidget, *messages: QWidget, lines: int = 2, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.hint, self.messages = hint, messages
        for w in (hint, *messages):
            layout.addWidget(w, 0, 0, Qt.AlignmentFlag.AlignVCenter)
            w.hide()
        hint.show()
        self.setMinimumHeight(max(w.fontMetrics().lineSpacing() for w in (hint, *messages)) * lines + 4)

    def show_message(self, message: QWidget | None) -> None:
        """Show `message` in place of the others; None: the hint again."""
        for w in (self.hint, *self.messages):
            w.setVisible(w is (message or self.hint))


def set_column_widths(table, widths) -> None:
    """Give each column `width` px, or more if its header would be cut ("Durat…")."""
    header = table.horizontalHeader()
    model = table.model()
    for col, width in enumerate(widths):
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        table.setColumnWidth(col, max(width, header.fontMetrics().horizontalAdvance(title) + 20))


def text_label(text: str = "", role: str = "body", wrap: bool = True, selectable: bool = True) -> QLabel:
    label = ThemedLabel(text, role)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Chip(QLabel):
    """A rounded tag such as 'Horizontal row' or 'Barbell'."""

    PAD_X, PAD_Y = 10, 3

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)

    def sizeHint(self) -> QSize:  # noqa: N802
        m = self.fontMetrics()
        return QSize(m.horizontalAdvance(self.text()) + 2 * self.PAD_X + 2, m.height() + 2 * self.PAD_Y + 2)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        theme = current_theme()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QColor(theme.border))
        painter.setBrush(QColor(theme.alternate))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(QColor(theme.text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.text())
        painter.end()


def mark_current(button: QPushButton) -> None:
    """Show a button as 'you are here' (the current step of a chain) in the accent colour."""
    theme = current_theme()
    palette = button.palette()
    for group in (palette.ColorGroup.Active, palette.ColorGroup.Inactive, palette.ColorGroup.Disabled):
        palette.setColor(group, palette.ColorRole.Button, QColor(theme.accent))
        palette.setColor(group, palette.ColorRole.ButtonText, QColor(theme.accent_text))
    button.setPalette(palette)
    font = button.font()
    font.setBold(True)
    button.setFont(font)
