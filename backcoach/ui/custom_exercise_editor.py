"""Your own exercises: the list (Library → Your exercises…) and the editor.

An imported name the library did not know lands here as an incomplete exercise; the editor
completes it with what a library entry has: name and aliases, pattern, equipment, level,
primary and secondary muscles (clicked on the anatomy figure: once primary, twice secondary,
a third time off), the default prescription, tempo and movement, notes. Saving checks it
with the library's own rules (library.custom_to_exercise) and lists every problem; a saved,
complete exercise is then in the Library, routines, sessions, History and exports.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from backcoach.library import Library, Progression, custom_to_exercise
from backcoach.model import CustomExercise, custom_exercise_id
from backcoach.movement import Sides, Start
from backcoach.rules import MAX_INCREMENT_KG
from backcoach.store import Store
from backcoach.ui.anatomy import AnatomyFigure
from backcoach.ui.widgets import text_label

PATTERN_DEFAULT = ""


class CustomExerciseEditor(QDialog):
    """Edit one custom exercise; Save keeps it only when it passes the library's checks."""

    saved = Signal(str)  # the exercise id

    def __init__(self, library: Library, store: Store, exercise: CustomExercise | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.store = store
        self.original = exercise
        self.setWindowTitle(f"Edit {exercise.name}" if exercise else "New exercise")
        self.resize(980, 680)
        outer = QHBoxLayout(self)

        form_host = QWidget()
        form = QFormLayout(form_host)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Zercher row")
        form.addRow("Name", self.name)
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("Other names, separated by commas")
        form.addRow("Also called", self.aliases)
        self.pattern = self._combo([(PATTERN_DEFAULT, "Choose…"), *library.patterns.items()])
        form.addRow("Pattern", self.pattern)
        self.level = self._combo([(PATTERN_DEFAULT, "Choose…"), *library.levels.items()])
        form.addRow("Level", self.level)
        self.equipment = QListWidget()
        for eq_id, label in library.equipment.items():
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, eq_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.equipment.addItem(item)
        self.equipment.setMaximumHeight(120)
        form.addRow("Equipment", self.equipment)
        self.unilateral = QCheckBox("One side at a time")
        self.timed = QCheckBox("A timed hold (seconds, not reps)")
        form.addRow("", self.unilateral)
        form.addRow("", self.timed)
        dose = QHBoxLayout()
        self.sets = self._spin(1, 10, " sets")
        self.reps_low = self._spin(1, 100, "")
        self.reps_high = self._spin(1, 100, " reps")
        self.seconds = self._spin(5, 600, " s")
        dose.addWidget(self.sets)
        dose.addWidget(text_label("×", wrap=False, selectable=False))
        dose.addWidget(self.reps_low)
        self.reps_dash = text_label("–", wrap=False, selectable=False)
        dose.addWidget(self.reps_dash)
        dose.addWidget(self.reps_high)
        dose.addWidget(self.seconds)
        form.addRow("Prescription", dose)
        self.rest = self._spin(0, 600, " s rest")
        form.addRow("Rest", self.rest)
        self.tempo = QLineEdit()
        self.tempo.setPlaceholderText("e.g. 3-1-1-1 (lower, pause, lift, squeeze); empty: the usual 2-0-1-1")
        form.addRow("Tempo", self.tempo)
        self.start = self._combo([(PATTERN_DEFAULT, "As the pattern"),
                                  (Start.CONCENTRIC.value, "Starts with the lift"),
                                  (Start.ECCENTRIC.value, "Starts with the lowering")])
        form.addRow("A set starts", self.start)
        self.sides = self._combo([(PATTERN_DEFAULT, "As the pattern"),
                                  (Sides.ONE_THEN_OTHER.value, "All reps one side, then the other"),
                                  (Sides.ALTERNATING.value, "Alternating sides rep by rep")])
        form.addRow("One-sided work", self.sides)
        self.increment = QDoubleSpinBox()
        self.increment.setRange(0, MAX_INCREMENT_KG)
        self.increment.setDecimals(2)
        self.increment.setSingleStep(0.5)
        self.increment.setSuffix(" kg")
        self.increment.setSpecialValueText("none (body weight)")
        form.addRow("Load step", self.increment)
        self.progression = self._combo([(PATTERN_DEFAULT, "From the load step"),
                                        *((p.value, p.value.capitalize()) for p in Progression)])
        form.addRow("Progression", self.progression)
        self.focus_cue = QLineEdit()
        self.focus_cue.setPlaceholderText("One short cue shown big during the set, e.g. “elbows to hips”")
        form.addRow("Focus cue", self.focus_cue)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Your cues, set-up, anything worth remembering")
        self.notes.setMaximumHeight(80)
        form.addRow("Notes", self.notes)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_host)
        left = QVBoxLayout()
        left.addWidget(scroll, 1)
        self.problems = text_label(role="cue")
        self.problems.hide()
        left.addWidget(self.problems)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        left.addWidget(buttons)
        outer.addLayout(left, 5)

        right = QVBoxLayout()
        right.addWidget(text_label("Click a muscle: once for primary, again for secondary, again to clear.",
                                   role="muted"))
        # Every layer at once, so the deep muscles (rhomboids, multifidus...) can be clicked too.
        self.figure = AnatomyFigure(library.muscles, views=("back", "deep-back", "front", "deep-front"))
        self.figure.muscle_clicked.connect(self.toggle_muscle)
        right.addWidget(self.figure, 1)
        self.muscle_text = text_label(role="muted")
        right.addWidget(self.muscle_text)
        outer.addLayout(right, 4)

        self.primary: list[str] = []
        self.secondary: list[str] = []
        self.timed.toggled.connect(self._mode_changed)
        self.unilateral.toggled.connect(lambda on: self.sides.setEnabled(on))
        self._load(exercise)

    # --- building blocks --------------------------------------------------------------
    @staticmethod
    def _combo(items) -> QComboBox:
        combo = QComboBox()
        for value, label in items:
            combo.addItem(label, value)
        return combo

    @staticmethod
    def _spin(low: int, high: int, suffix: str) -> QSpinBox:
        box = QSpinBox()
        box.setRange(low, high)
        box.setSuffix(suffix)
        return box

    @staticmethod
    def _choose(combo: QComboBox, value: str | None) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value or PATTERN_DEFAULT)))

    def _load(self, ex: CustomExercise | None) -> None:
        ex = ex or CustomExercise(id="", name="")
        self.name.setText(ex.name)
        self.aliases.setText(", ".join(ex.aliases))
        self._choose(self.pattern, ex.pattern)
        self._choose(self.level, ex.level)
        for i in range(self.equipment.count()):
            item = self.equipment.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in ex.equipment
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.unilateral.setChecked(ex.unilateral)
        self.timed.setChecked(ex.timed)
        self.sets.setValue(ex.sets)
        low, high = ex.reps or (8, 12)
        self.reps_low.setValue(low)
        self.reps_high.setValue(high)
        self.seconds.setValue(ex.seconds or 30)
        self.rest.setValue(ex.rest_seconds)
        self.tempo.setText(ex.tempo or "")
        self._choose(self.start, ex.start)
        self._choose(self.sides, ex.sides)
        self.sides.setEnabled(ex.unilateral)
        self.increment.setValue(ex.increment_kg)
        self._choose(self.progression, ex.progression)
        self.notes.setPlainText(ex.notes)
        self.focus_cue.setText(ex.focus_cue)
        self.primary, self.secondary = list(ex.primary_muscles), list(ex.secondary_muscles)
        self._mode_changed(ex.timed)
        self._show_muscles()

    def _mode_changed(self, timed: bool) -> None:
        for w in (self.reps_low, self.reps_dash, self.reps_high, self.tempo):
            w.setVisible(not timed)
        self.seconds.setVisible(timed)

    # --- muscles ----------------------------------------------------------------------
    def toggle_muscle(self, muscle_id: str) -> None:
        """Off → primary → secondary → off."""
        if muscle_id in self.primary:
            self.primary.remove(muscle_id)
            self.secondary.append(muscle_id)
        elif muscle_id in self.secondary:
            self.secondary.remove(muscle_id)
        else:
            self.primary.append(muscle_id)
        self._show_muscles()

    def _show_muscles(self) -> None:
        self.figure.set_highlight(self.primary, self.secondary)
        names = self.library.muscles

        def listing(ids: list[str]) -> str:
            return ", ".join(names[m].name for m in ids if m in names) or "none yet"

        self.muscle_text.setText(f"Primary: {listing(self.primary)}\nSecondary: {listing(self.secondary)}")

    # --- result -----------------------------------------------------------------------
    def exercise(self) -> CustomExercise:
        """The exercise as the form has it (not yet checked)."""
        name = " ".join(self.name.text().split())
        ex_id = self.original.id if self.original else self._new_id(name)
        timed = self.timed.isChecked()
        return CustomExercise(
            id=ex_id, name=name, source=self.original.source if self.original else "user",
            pattern=self.pattern.currentData() or None, level=self.level.currentData() or None,
            equipment=tuple(self.equipment.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.equipment.count())
                            if self.equipment.item(i).checkState() == Qt.CheckState.Checked),
            primary_muscles=tuple(self.primary), secondary_muscles=tuple(self.secondary),
            aliases=tuple(dict.fromkeys(a for a in (" ".join(p.split()) for p in re.split(r"[,;]", self.aliases.text()))
                                        if a)),
            unilateral=self.unilateral.isChecked(), timed=timed, sets=self.sets.value(),
            reps=None if timed else (self.reps_low.value(), self.reps_high.value()),
            seconds=self.seconds.value() if timed else None, rest_seconds=self.rest.value(),
            tempo=(self.tempo.text().strip() or None) if not timed else None,
            start=self.start.currentData() or None,
            sides=(self.sides.currentData() or None) if self.unilateral.isChecked() else None,
            increment_kg=round(self.increment.value(), 2), progression=self.progression.currentData() or None,
            notes=self.notes.toPlainText().strip(), focus_cue=" ".join(self.focus_cue.text().split()),
        )

    def _new_id(self, name: str) -> str:
        taken = set(self.store.custom_exercises()) | set(self.library.exercises)
        base = new = custom_exercise_id(name or "exercise")
        n = 2
        while new in taken:
            new, n = f"{base}-{n}", n + 1
        return new

    def check(self) -> list[str]:
        """Every problem the library's rules find, in words (empty: it can be saved)."""
        ex = self.exercise()
        problems = []
        missing_fields = set()
        if not ex.complete:
            missing = [(label, key) for label, key, ok in (
                ("a pattern", "pattern", ex.pattern), ("a level", "level", ex.level),
                ("equipment", "equipment", ex.equipment), ("a primary muscle", "primary_muscles", ex.primary_muscles))
                if not ok]
            problems.append("Still needed: " + ", ".join(label for label, _ in missing) + ".")
            missing_fields = {key for _, key in missing}
        others = {c.name.casefold(): c.id for c in self.store.custom_exercises().values()}
        if others.get(ex.name.casefold(), ex.id) != ex.id:
            problems.append(f"You already have an exercise called {ex.name!r}.")
        for text in custom_to_exercise(ex, self.library)[1]:
            field = re.search(r"field '(\w+)'", text)
            if field and field.group(1) in missing_fields:
                continue  # already in "Still needed"
            problems.append(_in_words(text))
        return list(dict.fromkeys(problems))

    def save(self) -> None:
        problems = self.check()
        if problems:
            self.problems.setText("Not saved:\n• " + "\n• ".join(problems))
            self.problems.show()
            return
        ex = self.exercise()
        try:
            self.store.save_custom_exercise(ex)
        except Exception as exc:  # noqa: BLE001 - read-only or a full disk: say so, keep the form
            self.problems.setText(f"Not saved: {exc}")
            self.problems.show()
            return
        self.saved.emit(ex.id)
        self.accept()


_FIELD_WORDS = {"name": "Name", "aliases": "Also called", "pattern": "Pattern", "level": "Level",
                "equipment": "Equipment", "primary_muscles": "Primary muscles", "secondary_muscles": "Secondary muscles",
                "tempo": "Tempo", "reps": "Reps", "seconds": "Seconds", "sets": "Sets", "rest_seconds": "Rest",
                "sides": "One-sided work", "start": "A set starts", "progression": "Progression",
                "increment_kg": "Load step", "id": "Name", "focus_cue": "Focus cue", "tips": "Notes"}


def _in_words(problem: str) -> str:
    """The library's "prescription, field 'tempo': ..." as the form's own labels: "Tempo: ..."."""
    m = re.match(r"(?:[\w ]+, )?field '(\w+)': (.*)", problem)
    if m:
        return f"{_FIELD_WORDS.get(m.group(1), m.group(1))}: {m.group(2)}"
    return problem[:1].upper() + problem[1:]


class CustomExercisesDialog(QDialog):
    """Library → Your exercises: the list, with New, Edit and Delete."""

    changed = Signal()

    def __init__(self, library: Library, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.store = store
        self.editor: CustomExerciseEditor | None = None
        self.setWindowTitle("Your exercises")
        self.resize(560, 460)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(
            "Exercises you added, or that an import brought with it. Complete one (pattern, muscles, dose) and it "
            "joins the Library, so routines and sessions can use it.", role="muted"))
        self.list = QListWidget()
        self.list.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.new_button = QPushButton("New exercise…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        for b in (self.new_button, self.edit_button, self.delete_button):
            b.setEnabled(not store.read_only)
            row.addWidget(b)
        row.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for c in sorted(self.store.custom_exercises().values(), key=lambda c: c.name.casefold()):
            state = "" if c.complete else "  — to complete (pattern, muscles…)"
            item = QListWidgetItem(c.name + state)
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def selected_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select(self, exercise_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == exercise_id:
                self.list.setCurrentRow(i)

    def open_editor(self, exercise_id: str | None) -> CustomExerciseEditor:
        current = self.store.custom_exercises().get(exercise_id) if exercise_id else None
        self.editor = CustomExerciseEditor(self.library, self.store, current, self)
        self.editor.saved.connect(self._saved)
        self.editor.open()
        return self.editor

    def edit_selected(self) -> None:
        if self.selected_id():
            self.open_editor(self.selected_id())

    def _saved(self, exercise_id: str) -> None:
        self.refresh()
        self.select(exercise_id)
        self.changed.emit()

    def delete_selected(self, confirm: bool = True) -> None:
        ex_id = self.selected_id()
        if not ex_id:
            return
        if confirm and QMessageBox.question(self, "Delete the exercise?", "Delete this exercise of yours?") \
                != QMessageBox.StandardButton.Yes:
            return
        try:
            self.store.delete_custom_exercise(ex_id)
        except Exception as exc:  # noqa: BLE001 - it has logged sets, or the disk refused
            QMessageBox.warning(self, "Not deleted", str(exc))
            return
        self.refresh()
        self.changed.emit()

