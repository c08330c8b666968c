"""Telling the lifter about the data folder: the banner of damaged files, and running slow
store work (an import) off the UI thread behind a progress dialog.

The decisions (what is damaged, which backup is good, how to restore) are the store's; these
widgets only show them and pass the lifter's choice back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from backcoach.ui.theme import current_theme
from backcoach.ui.widgets import text_label

if TYPE_CHECKING:
    from backcoach.store import Store, StoreProblem

RESTORE_TEXT = "Restore the newest good backup"


def restore_problem(parent: QWidget, store: Store, problem: StoreProblem) -> bool:
    """Restore the newest good backup for `problem`; say so, or say why not."""
    try:
        store.restore_backup(problem)
    except Exception as exc:  # noqa: BLE001 - a full disk or a vanished backup: tell, keep running
        QMessageBox.critical(parent, "BackCoach", f"The backup could not be restored: {exc}")
        return False
    return True


class DataProblemBanner(QWidget):
    """One line per unresolved problem of the data folder, with its restore button.

    Shown at the top of History for as long as the store reports the problem (a damaged
    file is reported at every start until it is restored or set aside for good)."""

    restored = Signal(str)  # the file that was restored

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setAutoFillBackground(True)
        theme = current_theme()
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.border if theme.is_dark else theme.figure.secondary))
        self.setPalette(palette)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(14, 8, 14, 8)
        self._layout.setSpacing(6)
        self.rows: list[tuple[StoreProblem, QWidget, QPushButton | None]] = []
        self.refresh()

    def refresh(self) -> None:
        for _, row, _ in self.rows:
            self._layout.removeWidget(row)
            row.deleteLater()
        self.rows = []
        for problem in list(self.store.problems):
            row = QWidget()
            column = QVBoxLayout(row)  # text above its buttons: fits a 1024-pixel screen
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(4)
            label = text_label(problem.describe())
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            column.addWidget(label)
            line = QHBoxLayout()
            line.addStretch(1)
            button = None
            if problem.backup and not self.store.read_only:
                button = QPushButton(RESTORE_TEXT)
                button.clicked.connect(lambda _=False, p=problem: self._restore(p))
                line.addWidget(button)
            if problem.resolvable and not self.store.read_only:
                keep = QPushButton("Go on without it")
                keep.setToolTip("Move the damaged file to the “damaged” folder, unchanged, and stop reporting it")
                keep.clicked.connect(lambda _=False, p=problem: self._set_aside(p))
                line.addWidget(keep)
            if line.count() > 1:
                column.addLayout(line)
            self._layout.addWidget(row)
            self.rows.append((problem, row, button))
        self.setVisible(bool(self.rows))

    def _set_aside(self, problem: StoreProblem) -> None:
        try:
            self.store.set_aside_for_good(problem)
        except Exception as exc:  # noqa: BLE001 - tell the user, keep running
            QMessageBox.critical(self, "BackCoach", f"The damaged file could not be moved: {exc}")
        self.refresh()

    def _restore(self, problem: StoreProblem) -> None:
        if restore_problem(self, self.store, problem):
            self.refresh()
            self.restored.emit(problem.file)


def run_in_background(parent: QWidget, title: str, work: Callable[[Callable[[str], None]], Any]) -> Any:
    """Run `work(progress)` on a worker thread while a modal progress dialog shows its steps;
    return its result or raise its exception, here on the UI thread.

    The window keeps painting (events are processed while waiting) and the lifter cannot
    start another change meanwhile: the dialog is modal and has no Cancel, since an import
    is all or nothing and stops only when done. The worker never touches a widget; it
    only leaves its latest step where the UI thread reads it.
    """
    import threading

    dialog = QProgressDialog(title, "", 0, 0, parent)
    dialog.setWindowTitle("BackCoach")
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    step: list[str] = [title]
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome[:] = [work(lambda text: step.__setitem__(0, text)), None]
        except BaseException as exc:  # noqa: BLE001 - handed back to the UI thread, which reports it
            outcome[:] = [None, exc]

    worker = threading.Thread(target=run, name="backcoach-import", daemon=True)
    worker.start()
    shown = ""
    while worker.is_alive():
        worker.join(0.03)
        if step[0] != shown:
            shown = step[0]
            dialog.setLabelText(shown)
        QApplication.processEvents()
    dialog.close()
    dialog.deleteLater()
    result, error = outcome
    if error is not None:
        raise error
    return result
