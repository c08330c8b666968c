"""The import preview: what a file would add, before anything is written.

Shows the app the file came from (recognised or chosen), the sessions, dates, sets and reps,
what was skipped, and every exercise name: the ones matched to the library, and the unknown
ones, each of which the lifter can send to a library exercise or keep as their own (a new
custom exercise, completed later in the exercise editor). The parsing happened already, off
the UI thread (transfer.preview_file); this dialog only shows it and collects the choices.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from backcoach.library import Library
from backcoach.model import CustomExercise
from backcoach.transfer import ImportPreview
from backcoach.ui.widgets import text_label

KEEP_AS_MINE = ""  # the combo's data for "keep it as my own exercise"


class ImportPreviewDialog(QDialog):
    """Accepting it means "import with these choices"; `mapping()` gives them."""

    def __init__(self, preview: ImportPreview, library: Library, customs: dict[str, CustomExercise],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"Import {preview.file_name}")
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        how = "recognised from the file" if preview.detected else "as you chose"
        self.app_label = text_label(f"{preview.app_name} ({how})", role="heading")
        layout.addWidget(self.app_label)
        result = preview.result
        self.combos: dict[str, QComboBox] = {}
        if result is None:
            layout.addWidget(text_label(
                "A BackCoach backup is merged whole: its sessions, custom exercises, body weights and routines are "
                "added, and sessions you already have are left as they are."))
            self.summary_label = text_label("")
        else:
            if result.sessions:
                first = result.sessions[0].start.date()
                last = result.sessions[-1].start.date()
                span = f"{first:%d %b %Y}" if first == last else f"{first:%d %b %Y} to {last:%d %b %Y}"
                text = (f"{len(result.sessions):,} sessions, {span}: {result.set_count:,} sets, "
                        f"{result.rep_count:,} reps.")
            else:
                text = "No workouts with sets were found in the file."
            self.summary_label = text_label(text)
            layout.addWidget(self.summary_label)
            notes = [line for line in result.summary()[1:] if "new custom exercise" not in line
                     and "matched to exercises" not in line]
            if notes:
                layout.addWidget(text_label(" ".join(notes), role="muted"))
            layout.addWidget(text_label(
                "Exercise names in the file. Send an unknown one to a library exercise, or keep it as your own: "
                "you can complete it later (muscles, pattern, tempo) under Library → Your exercises.", role="muted"))
            self.names = QTableWidget(len(result.mapped), 2)
            self.names.setHorizontalHeaderLabels(["In the file", "In BackCoach"])
            self.names.verticalHeader().hide()
            self.names.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            self.names.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the choices are the combos, not the cells
            self.names.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            self.names.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.names.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            unknown = set(result.created)
            choices = sorted(((ex.name, ex.id) for ex in library.exercises.values()), key=lambda c: c[0].casefold())
            choices += sorted(((c.name + " (yours)", c.id) for c in customs.values() if c.id not in library.exercises),
                              key=lambda c: c[0].casefold())
            # Unknown names first: they are what needs a decision.
            ordered = [n for n in result.mapped if n in unknown] + [n for n in result.mapped if n not in unknown]
            for row, name in enumerate(ordered):
                self.names.setItem(row, 0, QTableWidgetItem(name))
                if name in unknown:
                    combo = QComboBox()
                    combo.addItem("Keep as my own exercise (new)", KEEP_AS_MINE)
                    for label, ex_id in choices:
                        combo.addItem(label, ex_id)
                    combo.currentIndexChanged.connect(lambda _i: self._update_count())
                    self.names.setCellWidget(row, 1, combo)
                    self.combos[name] = combo
                else:
                    ex_id = result.mapped[name]
                    label = (library.exercises[ex_id].name if ex_id in library.exercises
                             else customs[ex_id].name + " (yours)" if ex_id in customs else ex_id)
                    self.names.setItem(row, 1, QTableWidgetItem("✓ " + label))
            self.names.setMinimumHeight(min(360, 34 + 30 * len(ordered)))
            layout.addWidget(self.names, 1)
        self.count_label = text_label(role="muted")
        layout.addWidget(self.count_label)
        buttons = QDialogButtonBox()
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.import_button.setDefault(True)
        self._update_count()

    def unknown_names(self) -> list[str]:
        return list(self.combos)

    def map_name(self, name: str, exercise_id: str) -> None:
        """Send a file's unknown name to an exercise (KEEP_AS_MINE keeps it as a new one)."""
        combo = self.combos[name]
        combo.setCurrentIndex(combo.findData(exercise_id))

    def mapping(self) -> dict[str, str]:
        """The lifter's choices: the file's name -> an exercise id (kept-as-own names left out)."""
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData()}

    def _update_count(self) -> None:
        if self.preview.result is None:
            self.count_label.setText("")
            return
        new = sum(1 for combo in self.combos.values() if not combo.currentData())
        self.count_label.setText(f"{new} new exercise{'s' if new != 1 else ''} of your own will be added."
                                 if new else "Every name is matched to an exercise.")
