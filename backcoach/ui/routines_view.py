"""The Routines area: your routines on the left, the selected one in an editable table, and
live guidance on the right (balance, frequency, weekly sets per muscle on the figure).

Every change is one undoable step (Ctrl+Z, Ctrl+Shift+Z) and is saved at once.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from backcoach.library import Library
from backcoach.routines import PURPOSE_NAMES, Purpose, Routine, RoutineBook, RoutineError, item_for_exercise
from backcoach.settings import Settings
from backcoach.store import Store
from backcoach.ui.anatomy import AnatomyFigure
from backcoach.ui.exercise_picker import ExercisePicker
from backcoach.ui.history_view import heat_colour
from backcoach.ui.routines_models import RoutineIdRole, RoutineItemsModel, RoutineListModel
from backcoach.ui.widgets import text_label


class RoutineEdit(QUndoCommand):
    """One change to a routine: the routine before and after (routines are immutable)."""

    def __init__(self, view: RoutinesView, before: Routine, after: Routine, text: str):
        super().__init__(text)
        self.view, self.before, self.after = view, before, after

    NOTES = 1  # merge id: typing in the notes is one step, not one per key

    def redo(self) -> None:
        self.view.apply(self.after)

    def undo(self) -> None:
        self.view.apply(self.before)

    def id(self) -> int:  # noqa: A003 - Qt's name
        return self.NOTES if self.text() == "Edit notes" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        if other.id() != self.id():
            return False
        self.after = other.after
        return True


class TemplatePicker(QDialog):
    """Choose a shipped template; it is copied into your routines."""

    def __init__(self, templates, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New routine from a template")
        self.resize(560, 460)
        self._templates = list(templates)
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        for t in self._templates:
            item = QListWidgetItem(f"{t.name} — {t.level}, {t.routine.sessions_per_week}× a week")
            item.setToolTip(t.description)
            self.list.addItem(item)
        self.description = text_label(role="muted")
        self.list.currentRowChanged.connect(lambda row: self.description.setText(self._templates[row].description if row >= 0 else ""))
        self.list.doubleClicked.connect(lambda _i: self.accept())
        layout.addWidget(self.list, 1)
        layout.addWidget(self.description)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Copy into my routines")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setCurrentRow(0)

    def chosen(self):
        row = self.list.currentRow()
        return self._templates[row] if row >= 0 else None


class RoutinesView(QWidget):
    message_posted = Signal(str)
    start_requested = Signal(str)  # routine id: start a guided session

    def __init__(self, library: Library, store: Store, settings: Settings | None = None,
                 today: date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.store = store
        self.settings = settings or Settings(store)
        self.book = RoutineBook(store, library.exercises.keys() | store.custom_exercises().keys())
        self._today = today
        self._history = None  # loaded on first need: progression and guidance read it
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(200)
        self._current_id: str | None = None

        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter)
        splitter.addWidget(self._build_list_column())
        splitter.addWidget(self._build_editor())
        splitter.addWidget(self._build_guidance())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([180, 720, 300])
        splitter.setChildrenCollapsible(False)

        self.undo_shortcut = QShortcut(QKeySequence.StandardKey.Undo, self, self.undo_stack.undo)
        self.redo_shortcut = QShortcut(QKeySequence("Ctrl+Shift+Z"), self, self.undo_stack.redo)
        QShortcut(QKeySequence("Ctrl+Y"), self, self.undo_stack.redo)
        QShortcut(QKeySequence("Ctrl+Up"), self.table, lambda: self.move_selected(-1))
        QShortcut(QKeySequence("Ctrl+Down"), self.table, lambda: self.move_selected(+1))
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.remove_selected)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.refresh_list()
        if self.store.read_only:
            for w in (self.new_button, self.template_button, self.import_button, self.add_button):
                w.setEnabled(False)

    # --- building -------------------------------------------------------------------------
    def _build_list_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(text_label("Routines", role="title", wrap=False, selectable=False))
        self.list_model = RoutineListModel(self)
        self.list = QListView()
        self.list.setModel(self.list_model)
        self.list.selectionModel().currentChanged.connect(self._routine_selected)
        layout.addWidget(self.list, 1)
        self.empty_hint = text_label("No routines yet. Start from a template built on the articles' advice, "
                                     "or make a new one and add exercises.", role="muted")
        layout.addWidget(self.empty_hint)
        self.new_button = QPushButton("New routine")
        self.template_button = QPushButton("From template…")
        self.duplicate_button = QPushButton("Duplicate")
        self.rename_button = QPushButton("Rename…")
        self.delete_button = QPushButton("Delete…")
        self.import_button = QPushButton("Import…")
        self.export_button = QPushButton("Export…")
        self.new_button.clicked.connect(lambda: self.create_routine())
        self.template_button.clicked.connect(lambda: self.create_from_template())
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.rename_button.clicked.connect(lambda: self.rename_selected())
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.import_button.clicked.connect(lambda: self.import_from())
        self.export_button.clicked.connect(lambda: self.export_to())
        for row in ((self.new_button, self.template_button), (self.duplicate_button, self.rename_button),
                    (self.delete_button,), (self.import_button, self.export_button)):
            line = QHBoxLayout()
            for b in row:
                line.addWidget(b)
            layout.addLayout(line)
        return column

    def _build_editor(self) -> QWidget:
        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(6, 0, 6, 0)
        head = QHBoxLayout()
        self.title = text_label(role="title", wrap=False)
        head.addWidget(self.title, 1)
        self.start_button = QPushButton("Start session")
        self.start_button.setMinimumHeight(34)
        self.start_button.clicked.connect(lambda: self.current() and self.start_requested.emit(self.current().id))
        head.addWidget(self.start_button)
        head.addSpacing(12)
        head.addWidget(text_label("Sessions a week", wrap=False, selectable=False))
        self.per_week = QSpinBox()
        self.per_week.setRange(1, 7)
        self.per_week.valueChanged.connect(self._per_week_changed)
        head.addWidget(self.per_week)
        layout.addLayout(head)
        purpose_row = QHBoxLayout()
        purpose_row.addWidget(text_label("Purpose", wrap=False, selectable=False))
        self.purpose = QComboBox()
        for purpose, label in PURPOSE_NAMES.items():
            self.purpose.addItem(label, purpose.value)
        self.purpose.setToolTip("What the routine is for. A whole-back routine is checked for every movement; "
                                "a specialisation or mobility routine only for what it sets out to do.")
        self.purpose.currentIndexChanged.connect(self._purpose_changed)
        purpose_row.addWidget(self.purpose)
        purpose_row.addStretch(1)
        layout.addLayout(purpose_row)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Notes for this routine (goals, cues, equipment)…")
        self.notes.setFixedHeight(52)
        self.notes.textChanged.connect(self._notes_edited)
        self._notes_timer_text: str | None = None
        layout.addWidget(self.notes)

        self.items_model = RoutineItemsModel(self._name_of, self.commit, self)
        self.items_model.edit_refused.connect(self._edit_refused)
        self.table = QTableView()
        self.table.setModel(self.items_model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setAlternatingRowColors(True)
        widths = (150, 40, 86, 78, 118, 58, 58, 58, 60, 64, 120)
        for col, width in enumerate(widths):
            self.table.setColumnWidth(col, width)
        self.table.setColumnWidth(RoutineItemsModel.LAST, 190)
        # Shown beside "Next time" (what was done, what comes next); the model keeps it last.
        self.table.horizontalHeader().moveSection(RoutineItemsModel.LAST, RoutineItemsModel.NEXT + 1)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.table, 1)
        self.error = text_label(role="cue")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add exercises…")
        self.add_button.clicked.connect(lambda: self.add_exercises())
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button = QPushButton("Move up")
        self.up_button.setToolTip("Ctrl+Up; or drag the row")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.setToolTip("Ctrl+Down; or drag the row")
        self.down_button.clicked.connect(lambda: self.move_selected(+1))
        self.apply_button = QPushButton("Use next-time suggestions")
        self.apply_button.setToolTip("Fill in what progressive overload suggests; you can still change any value.")
        self.apply_button.clicked.connect(self.apply_suggestions)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setToolTip("Ctrl+Z")
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_button.setEnabled(False)
        self.redo_button = QPushButton("Redo")
        self.redo_button.setToolTip("Ctrl+Shift+Z")
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.redo_button.setEnabled(False)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        second = QHBoxLayout()
        second.addWidget(self.apply_button)
        second.addStretch(1)
        second.addWidget(self.undo_button)
        second.addWidget(self.redo_button)
        layout.addLayout(second)
        layout.addWidget(text_label("Double-click a value to edit it. Changes are saved as you make them.",
                                    role="muted", selectable=False))
        return editor

    def _build_guidance(self) -> QWidget:
        panel = QScrollArea()
        panel.setWidgetResizable(True)
        panel.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        panel.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(text_label("Guidance", role="heading", wrap=False, selectable=False))
        self.advice = text_label()
        self.advice.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.advice)
        layout.addWidget(text_label("Planned hard sets per week", role="heading", wrap=False, selectable=False))
        self.figure = AnatomyFigure(self.library.muscles, legend=False)
        self.figure.setMinimumSize(240, 260)
        layout.addWidget(self.figure)
        self.sets_text = text_label(role="muted")
        self.sets_text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.sets_text)
        layout.addStretch(1)
        panel.setMinimumWidth(270)
        return panel

    # --- data -------------------------------------------------------------------------
    @property
    def unit(self) -> str:
        return self.settings["units"]

    def _name_of(self, exercise_id: str) -> str:
        if exercise_id in self.library.exercises:
            return self.library.exercises[exercise_id].name
        custom = self.store.custom_exercises().get(exercise_id)
        return custom.name if custom else exercise_id

    def history(self):
        if self._history is None:
            self._history = self.store.sessions()
        return self._history

    def current(self) -> Routine | None:
        return self.items_model.routine()

    def refresh_list(self, select_id: str | None = None) -> None:
        routines = self.book.all()
        self.list_model.set_routines(routines)
        has = bool(routines)
        self.empty_hint.setVisible(not has)
        for w in (self.duplicate_button, self.rename_button, self.delete_button, self.export_button):
            w.setEnabled(has and (w is self.export_button or not self.store.read_only))
        wanted = select_id or self._current_id
        row = self.list_model.row_of(wanted) if wanted else -1
        if row < 0 and has:
            row = 0
        if row >= 0:
            self.list.selectionModel().setCurrentIndex(self.list_model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        else:
            self._show(None)

    def _routine_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        routine = self.list_model.routine_at(current.row())
        if routine.id != self._current_id:
            self.undo_stack.clear()  # undo works within one routine
        self._show(routine)

    def _show(self, routine: Routine | None) -> None:
        self._current_id = routine.id if routine else None
        self.error.hide()
        editable = routine is not None and not self.store.read_only
        for w in (self.per_week, self.purpose, self.notes, self.add_button, self.remove_button, self.up_button,
                  self.down_button, self.apply_button):
            w.setEnabled(editable)
        self.start_button.setEnabled(editable and bool(routine.items))
        self.items_model.read_only = not editable
        if routine is None:
            self.title.setText("")
            self.items_model.set_routine(None, self.unit)
            self.advice.setText("")
            self.sets_text.setText("")
            return
        self.title.setText(routine.name)
        self.per_week.blockSignals(True)
        self.per_week.setValue(routine.sessions_per_week)
        self.per_week.blockSignals(False)
        self.purpose.blockSignals(True)
        self.purpose.setCurrentIndex(max(0, self.purpose.findData(str(routine.purpose))))
        self.purpose.blockSignals(False)
        if self.notes.toPlainText() != routine.notes:
            self.notes.blockSignals(True)
            self.notes.setPlainText(routine.notes)
            self.notes.blockSignals(False)
        self.items_model.set_routine(routine, self.unit, self._next_texts(routine), self._last_texts(routine))
        self._show_guidance(routine)

    def _next_texts(self, routine: Routine) -> dict[str, tuple[str, str]]:
        from backcoach.progression import suggestions_for_routine

        if not routine.items:
            return {}
        suggestions = suggestions_for_routine(routine, self.library, self.history(), self.unit)
        if self.settings is not None:  # suggested loads are loads the user's plates make
            from backcoach.plates import LoadRounding, round_suggestion

            rounding = LoadRounding.from_settings(self.settings)
            suggestions = {k: round_suggestion(s, self.library.exercises.get(s.exercise_id), rounding)
                           for k, s in suggestions.items()}
        self._suggestions = suggestions
        def short(text: str) -> str:  # the column is headed "Next time" already
            return text.removeprefix("next time: ").removeprefix("Next time: ")

        return {item_id: (short(s.summary(self.unit)), s.reason) for item_id, s in suggestions.items()}

    def _last_texts(self, routine: Routine) -> dict[str, str]:
        """What was done last time, per exercise of the routine."""
        from backcoach.last_time import last_time

        out = {}
        for exercise_id in {i.exercise_id for i in routine.items}:
            last = last_time(exercise_id, self.history())
            if last is not None:
                out[exercise_id] = last.describe(self.unit, today=self._today or date.today())
        return out

    def _show_guidance(self, routine: Routine) -> None:
        from backcoach.guidance import Rule, Severity, advise, planned_weekly_sets

        advice = advise(routine, self.library, self.settings["level"], self.history(), self._today or date.today())
        stalled = [a for a in advice if a.rule == Rule.STALLED_EXERCISE]
        if len(stalled) > 1:  # one line for them all, so the panel stays readable
            names = [self._name_of(next(i.exercise_id for i in routine.items if i.id == a.subject)) for a in stalled]
            merged = type(stalled[0])(
                Rule.STALLED_EXERCISE, Severity.TIP,
                f"No new best for a long while on {', '.join(names[:-1])} and {names[-1]}: "
                "a variation of the same movement can get progress going again.")
            advice = [a for a in advice if a.rule != Rule.STALLED_EXERCISE] + [merged]
        if advice:
            rows = []
            for a in advice:
                mark = "⚠" if a.severity == Severity.WARNING else "•"
                text = html.escape(a.text)
                if a.suggestions:
                    names = ", ".join(html.escape(self._name_of(s)) for s in a.suggestions[:4])
                    text += f"<br><span style='color:gray'>Try: {names}</span>"
                rows.append(f"<p style='margin:0 0 8px 0'><b>{mark}</b> {text}</p>")
            self.advice.setText("".join(rows))
        else:
            self.advice.setText({
                Purpose.BALANCED: "<p>✓ Balanced: vertical pulls, rows, rear delts and lower back are all covered, "
                                  "at a frequency that suits your level.</p>",
                Purpose.SPECIALISATION: "<p>✓ Nothing to add for a specialisation routine at your level; the "
                                        "movements it leaves out belong in your other training.</p>",
                Purpose.MOBILITY: "<p>✓ Nothing to add: drills and trunk holds are not hard sets, so any number "
                                  "of sessions a week is fine.</p>",
            }[routine.purpose])
        sets = planned_weekly_sets(routine, self.library)
        self.figure.set_shades({m: heat_colour(v) for m, v in sets.items()})
        top = sorted(((v, m) for m, v in sets.items() if v > 0), reverse=True)[:8]
        self.sets_text.setText("<br>".join(f"{html.escape(self.library.muscles[m].name)}: <b>{v:g}</b>" for v, m in top)
                               or "Add exercises to see which muscles the routine trains.")

    # --- changing -----------------------------------------------------------------------
    def commit(self, routine: Routine, description: str) -> None:
        """Make a change to the current routine as one undoable, saved step."""
        before = self.current()
        if before is None or routine == before:
            return
        self.undo_stack.push(RoutineEdit(self, before, routine, description))

    def apply(self, routine: Routine) -> None:
        """Save `routine` and show it (used by undo and redo too)."""
        try:
            saved = self.book.save(routine)
        except RoutineError as exc:
            self._edit_refused(-1, -1, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a failed save is reported; the change is kept in memory
            QMessageBox.warning(self, "BackCoach: not saved", str(exc))
            saved = routine
        row = self.table.currentIndex().row()
        col = self.table.currentIndex().column()
        self.list_model.set_routines(self.book.all())
        list_row = self.list_model.row_of(saved.id)
        self.list.selectionModel().blockSignals(True)
        self.list.selectionModel().setCurrentIndex(self.list_model.index(list_row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.selectionModel().blockSignals(False)
        self._show(saved)
        if 0 <= row < self.items_model.rowCount():
            self.table.setCurrentIndex(self.items_model.index(row, max(col, 0)))

    def _edit_refused(self, row: int, column: int, reason: str) -> None:
        where = ""
        if row >= 0 and self.current() is not None:
            where = f"{self._name_of(self.current().items[row].exercise_id)}, {RoutineItemsModel.COLUMNS[column].lower()}: "
        self.error.setText(f"Not changed — {where}{reason}")
        self.error.show()

    def _per_week_changed(self, value: int) -> None:
        from dataclasses import replace

        if self.current() is not None and value != self.current().sessions_per_week:
            self.commit(replace(self.current(), sessions_per_week=value), "Change sessions per week")

    def _purpose_changed(self, index: int) -> None:
        from dataclasses import replace

        purpose = Purpose(self.purpose.itemData(index))
        if self.current() is not None and purpose != self.current().purpose:
            self.commit(replace(self.current(), purpose=purpose), "Change purpose")

    def _notes_edited(self) -> None:
        from dataclasses import replace

        if self.current() is not None:
            self.commit(replace(self.current(), notes=self.notes.toPlainText()[:4000]), "Edit notes")

    def selected_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def add_exercises(self, exercise_ids: list[str] | None = None) -> None:
        if self.current() is None:
            return
        if exercise_ids is None:
            picker = ExercisePicker(self.library, self)
            if picker.exec() != QDialog.DialogCode.Accepted:
                return
            exercise_ids = picker.chosen()
        new = [item_for_exercise(self.library.exercises[i], self.unit) for i in exercise_ids if i in self.library.exercises]
        rest = self.settings["default_rest_seconds"]
        if rest:  # the user's own rest instead of each exercise's recommended one
            from dataclasses import replace

            new = [replace(item, rest_seconds=rest) for item in new]
        if not new:
            return
        what = self._name_of(new[0].exercise_id) if len(new) == 1 else f"{len(new)} exercises"
        self.commit(self.current().with_items([*self.current().items, *new]), f"Add {what}")
        self.table.setCurrentIndex(self.items_model.index(self.items_model.rowCount() - 1, 0))

    def remove_selected(self) -> None:
        row = self.selected_row()
        if self.current() is None or row < 0:
            return
        items = list(self.current().items)
        removed = items.pop(row)
        self.commit(self.current().with_items(items), f"Remove {self._name_of(removed.exercise_id)}")

    def move_selected(self, step: int) -> None:
        row = self.selected_row()
        if self.current() is None or row < 0:
            return
        target = row + step
        if not 0 <= target < len(self.current().items):
            return
        col = max(self.table.currentIndex().column(), 0)
        new_row = self.items_model.move_rows([row], target + (1 if step > 0 else 0))
        self.table.setCurrentIndex(self.items_model.index(new_row, col))

    def apply_suggestions(self) -> None:
        from backcoach.progression import apply_suggestion

        routine = self.current()
        suggestions = getattr(self, "_suggestions", {})
        if routine is None or not suggestions:
            return
        items = [apply_suggestion(i, suggestions[i.id]) if i.id in suggestions else i for i in routine.items]
        self.commit(routine.with_items(items), "Use next-time suggestions")

    # --- routines -----------------------------------------------------------------------
    def create_routine(self, name: str | None = None) -> Routine:
        routine = self.book.save(Routine(name=self.book.unique_name(name or "New routine"),
                                         sessions_per_week=self._default_frequency()))
        self.refresh_list(routine.id)
        self.message_posted.emit(f"Created “{routine.name}”. Add exercises with “Add exercises…”.")
        return routine

    def _default_frequency(self) -> int:
        from backcoach.rules import DEFAULT_SESSIONS_PER_WEEK

        return DEFAULT_SESSIONS_PER_WEEK[self.settings["level"]]

    def create_from_template(self, template_id: str | None = None) -> Routine | None:
        from backcoach.templates import load_templates, routine_from_template

        templates = load_templates(self.library)
        if template_id is None:
            picker = TemplatePicker(templates, self)
            if picker.exec() != QDialog.DialogCode.Accepted or picker.chosen() is None:
                return None
            template = picker.chosen()
        else:
            template = next(t for t in templates if t.id == template_id)
        routine = self.book.save(routine_from_template(template, self.book))
        self.refresh_list(routine.id)
        self.message_posted.emit(f"Copied the template “{template.name}” into your routines.")
        return routine

    def duplicate_selected(self) -> None:
        if self.current() is not None:
            copy = self.book.duplicate(self.current().id)
            self.refresh_list(copy.id)

    def rename_selected(self, name: str | None = None) -> None:
        from dataclasses import replace

        routine = self.current()
        if routine is None:
            return
        if name is None:
            name, ok = QInputDialog.getText(self, "Rename routine", "Name:", text=routine.name)
            if not ok:
                return
        name = name.strip()
        if not name or name == routine.name:
            return
        try:
            self.commit(replace(routine, name=name), "Rename")
        except RoutineError as exc:
            self._edit_refused(-1, -1, str(exc))

    def delete_selected(self, confirm: bool = True) -> None:
        routine = self.current()
        if routine is None:
            return
        if confirm:
            answer = QMessageBox.question(self, "Delete routine", f"Delete the routine “{routine.name}”? "
                                          "Your logged sessions are kept.",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.book.delete(routine.id)
        self._current_id = None
        self.undo_stack.clear()
        self.refresh_list()
        self.message_posted.emit(f"Deleted “{routine.name}”.")

    def import_from(self, path: str | None = None) -> None:
        from backcoach.routine_io import RoutineFileError, import_routines, read_routines

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import routines", str(Path.home()), "Routines (*.json);;All files (*)")
            if not path:
                return
        try:
            pairs = import_routines(self.book, read_routines(Path(path), self.book.known))
        except RoutineFileError as exc:
            QMessageBox.warning(self, "Import failed: nothing was changed", str(exc))
            return
        self.refresh_list()
        renamed = [f"“{a}” as “{b}”" for a, b in pairs if a != b]
        text = f"Imported {len(pairs)} routine{'s' if len(pairs) != 1 else ''}."
        if renamed:
            text += " Names already in use were kept apart: " + ", ".join(renamed) + "."
        QMessageBox.information(self, "Routines imported", text)

    def export_to(self, path: str | None = None) -> None:
        from backcoach.routine_io import write_routines

        routine = self.current()
        if routine is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export routine", str(Path.home() / f"{routine.name}.json"),
                                                  "Routines (*.json)")
            if not path:
                return
        from backcoach.routine_io import RoutineFileError

        try:
            write_routines([routine], Path(path))
        except (RoutineFileError, OSError) as exc:
            QMessageBox.warning(self, "Export failed", str(getattr(exc, "strerror", None) or exc))
            return
        self.message_posted.emit(f"Exported “{routine.name}” to {path}")

    def add_to_current(self, exercise_id: str, routine_id: str | None = None) -> None:
        """From the library's 'Add to routine…': add the exercise to a routine."""
        if routine_id is not None:
            self.refresh_list(routine_id)
        if self.current() is None:
            self.create_routine()
        self.add_exercises([exercise_id])
        self.message_posted.emit(f"Added {self._name_of(exercise_id)} to “{self.current().name}”.")

    def prepare_screenshot(self, tab: str | None = None, exercise_id: str | None = None) -> None:
        if self.current() is None and not self.store.read_only:
            self.create_from_template("beginner-back")
