"""The workout overview during a session: every set of the plan in order, the done ones
ticked, the current one marked; picking a set not done yet jumps to it (Enter or a double
click). Dark and large like the rest of gym mode."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from backcoach.library import Library, exercise_name
from backcoach.session import SessionFlow, Stage
from backcoach.units import format_load
from backcoach.workout import set_position

BACKGROUND, PANEL, TEXT, MUTED, DONE = "#101114", "#1b1d22", "#f4f2ee", "#a8a6a2", "#3ddc84"


def overview_lines(flow: SessionFlow, library: Library, unit: str) -> list[tuple[str, bool, bool]]:
    """(text, done, current) per step of the plan, in order."""
    done = flow.logged_steps
    current = flow.index if flow.stage in (Stage.WORK, Stage.LOG) else None
    lines = []
    for i, step in enumerate(flow.steps):
        dose = f"{step.seconds:g} s" if step.seconds is not None else f"{step.target_reps or '?'} reps"
        load = f" @ {format_load(step.load_kg, unit)}" if step.load_kg else ""
        mark = "✓" if done[i] else ("▶" if i == current else "·")
        text = f"{mark}  {exercise_name(step.exercise_id, library)} — {set_position(flow.steps, step).text()}: {dose}{load}"
        lines.append((text, done[i], i == current))
    return lines


class WorkoutOverview(QDialog):
    def __init__(self, flow: SessionFlow, library: Library, unit: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Workout overview")
        self.chosen_index: int | None = None
        palette = self.palette()
        for role, colour in ((QPalette.ColorRole.Window, BACKGROUND), (QPalette.ColorRole.Base, PANEL),
                             (QPalette.ColorRole.Text, TEXT), (QPalette.ColorRole.WindowText, TEXT),
                             (QPalette.ColorRole.Button, PANEL), (QPalette.ColorRole.ButtonText, TEXT),
                             (QPalette.ColorRole.Highlight, DONE), (QPalette.ColorRole.HighlightedText, BACKGROUND)):
            palette.setColor(role, QColor(colour))
        self.setPalette(palette)
        font = QFont(self.font())
        font.setPixelSize(22)
        self.setFont(font)
        layout = QVBoxLayout(self)
        hint = QLabel("Done sets are ticked. Pick a set not done yet and press Enter to go to it.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.list = QListWidget()
        current_row = first_open = None
        for i, (text, done, current) in enumerate(overview_lines(flow, library, unit)):
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, i)
            if done:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable & ~Qt.ItemFlag.ItemIsEnabled)
                item.setForeground(QColor(MUTED))
            elif first_open is None:
                first_open = i
            if current:
                current_row = i
                bold = QFont(font)
                bold.setBold(True)
                item.setFont(bold)
            self.list.addItem(item)
        first_open = current_row if current_row is not None else first_open
        self.list.itemActivated.connect(self._pick)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if first_open is not None:
            self.list.setCurrentRow(first_open)
        self.list.setFocus()
        if parent is not None:
            self.resize(int(parent.width() * 0.7), int(parent.height() * 0.8))

    def _pick(self, item: QListWidgetItem) -> None:
        if not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return
        self.chosen_index = int(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def pick_row(self, row: int) -> None:
        """For keys and tests: as if row `row` were activated."""
        self._pick(self.list.item(row))
