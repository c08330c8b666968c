"""The Routines area: your routines on the left, the selected one in an editable table, and
live guidance on the right (balance, frequency, weekly sets per muscle on the figure).

Every change is one undoable step (Ctrl+Z, Ctrl+Shift+Z) and is saved at once.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt, Signal
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
    QLineEdit,
    QListWidgetItem,
    QMenu,
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

from backcoach.library import Library, exercise_name
from backcoach.model import SessionLog
from backcoach.routines import (
    PURPOSE_NAMES, Purpose, Routine, RoutineBook, RoutineError, format_reps, item_for_exercise,
)
from backcoach.settings import Settings
from backcoach.store import Change, Store
from backcoach.ui.anatomy import AnatomyFigure
from backcoach.ui.exercise_picker import ExercisePicker
from backcoach.ui.flow_layout import FlowLayout
from backcoach.ui.theme import heat_colour
from backcoach.ui.routines_models import RoutineItemsModel, RoutineListModel
from backcoach.ui.widgets import MessageSlot, show_focus, text_label


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
        if not isinstance(other, RoutineEdit) or other.id() != self.id():
            return False
        self.after = other.after
        return True


class TemplatePicker(QDialog):
    """Choose a shipped template, seeing what is in it; it is copied into your routines."""

    def __init__(self, templates, parent: QWidget | None = None,
                 name_of: Callable[[str], str] = lambda exercise_id: exercise_id, unit: str = "kg"):
        super().__init__(parent)
        self.setWindowTitle("New routine from a template")
        self.resize(780, 480)
        self._templates = list(templates)
        self._name_of, self._unit = name_of, unit
        layout = QVBoxLayout(self)
        body = QHBoxLayout()
        self.list = QListWidget()
        self.list.setMinimumWidth(260)
        for t in self._templates:
            item = QListWidgetItem(f"{t.name}\n{t.level.capitalize()}, {t.routine.sessions_per_week}× a week")
            item.setToolTip(t.description)
            self.list.addItem(item)
        self.details = text_label()
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        details_area = QScrollArea()
        details_area.setWidgetResizable(True)
        details_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        details_area.setWidget(self.details)
        self.list.currentRowChanged.connect(self._show)
        self.list.doubleClicked.connect(lambda _i: self.accept())
        body.addWidget(self.list, 2)
        body.addWidget(details_area, 3)
        layout.addLayout(body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Copy into my routines")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        """The template's description and every exercise with its sets, reps and rest."""
        if row < 0:
            self.details.setText("")
            return
        t = self._templates[row]
        items = "".join(
            f"<li><b>{html.escape(self._name_of(i.exercise_id))}</b> — {len(i.sets)} × "
            f"{html.escape(format_reps(i.sets))}, rest {i.rest_seconds} s</li>" for i in t.routine.items)
        self.details.setText(f"<p>{html.escape(t.description)}</p><p><b>Exercises</b></p><ol>{items}</ol>")

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
        self._history: list[SessionLog] | None = None  # loaded on first need: progression and guidance read it
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(200)
        self._current_id: str | None = None
        self._stale: set[Change] = set()  # reported while hidden: caught up when shown

        outer = QHBoxLayout(self)
        outer.setContentsMargins(12, 12, 12, 12)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(splitter)
        splitter.addWidget(self._build_list_column())
        splitter.addWidget(self._build_editor())
        splitter.addWidget(self._build_guidance())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 2000, 260])  # the table gets what is left
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
        show_focus(self.list)
        self.list.selectionModel().currentChanged.connect(self._routine_selected)
        layout.addWidget(self.list, 1)
        self.empty_hint = text_label("No routines yet. Start from a template made for your level and equipment "
                                     "(“From template…”), or make a new one and add exercises.", role="muted")
        layout.addWidget(self.empty_hint)
        self.new_button = QPushButton("New routine…")
        self.template_button = QPushButton("From template…")
        self.duplicate_button = QPushButton("Duplicate")
        self.rename_button = QPushButton("Rename…")
        self.delete_button = QPushButton("Delete…")
        self.import_button = QPushButton("Import…")
        self.export_button = QPushButton("Export…")
        self.new_button.clicked.connect(lambda: self.ask_and_create_routine())
        self.template_button.clicked.connect(lambda: self.create_from_template())
        self.duplicate_button.clicked.connect(self.duplicate_selected)
        self.rename_button.clicked.connect(lambda: self.rename_selected())
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        self.import_button.clicked.connect(lambda: self.import_from())
        self.export_button.clicked.connect(lambda: self.export_to())
        buttons = FlowLayout(spacing=6)
        for b in (self.new_button, self.template_button, self.duplicate_button, self.rename_button,
                  self.delete_button, self.import_button, self.export_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        return column

    def _build_editor(self) -> QWidget:
        editor = QWidget()
        layout = QVBoxLayout(editor)
        layout.setContentsMargins(6, 0, 6, 0)
        self.title = text_label(role="title", wrap=True)
        layout.addWidget(self.title)
        head = QHBoxLayout()
        self.start_button = QPushButton("Start session")
        self.start_button.setMinimumHeight(34)
        self.start_button.clicked.connect(self._start_clicked)
        head.addWidget(self.start_button)
        head.addStretch(1)
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

        self.items_model = RoutineItemsModel(self._name_of, self.commit, self, uses_load=self._uses_load)
        self.items_model.edit_refused.connect(self._edit_refused)
        self.table = QTableView()
        self.table.setModel(self.items_model)
        show_focus(self.table)
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
        header = self.table.horizontalHeader()
        metrics = header.fontMetrics()
        for col, title in enumerate(RoutineItemsModel.COLUMNS):  # every header readable in full
            width = metrics.horizontalAdvance(f"{title} (kg)" if col == RoutineItemsModel.LOAD else title) + 24
            least = {RoutineItemsModel.EXERCISE: 170, RoutineItemsModel.NEXT: 112, RoutineItemsModel.NOTE: 160,
                     RoutineItemsModel.LAST: 150}
            self.table.setColumnWidth(col, max(width, least.get(col, 48)))  # "59 kg × 10" whole
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.viewport().installEventFilter(self)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.columns_menu().exec(header.mapToGlobal(pos)))
        # "Last time" sits beside "Next time" (what was done, what comes next); the model keeps it last.
        header.moveSection(RoutineItemsModel.LAST, RoutineItemsModel.NEXT + 1)
        for col in RoutineItemsModel.COLUMNS_HIDDEN_AT_FIRST:
            self.table.setColumnHidden(col, True)
        layout.addWidget(self.table, 1)
        self.error = text_label(role="cue")
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
        self.columns_button = QPushButton("Columns…")
        self.columns_button.setToolTip("Choose which columns the table shows (also: right-click a column header).")
        self.columns_button.clicked.connect(
            lambda: self.columns_menu().exec(self.columns_button.mapToGlobal(self.columns_button.rect().bottomLeft())))
        buttons = FlowLayout(spacing=6)
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button, self.apply_button,
                  self.columns_button, self.undo_button, self.redo_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.hint = text_label("This window is read-only: BackCoach is open elsewhere with this data folder."
                               if self.store.locked_elsewhere else
                               "Double-click a value to edit it. Changes are saved as you make them.",
                               role="muted", selectable=False)
        self.message_slot = MessageSlot(self.hint, self.error)  # an error takes the hint's place
        layout.addWidget(self.message_slot)
        return editor

    def _build_guidance(self) -> QWidget:
        panel = QScrollArea()
        panel.setWidgetResizable(True)
        panel.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        panel.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(text_label("Guidance", role="heading", wrap=True, selectable=False))
        self.advice = text_label()
        self.advice.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.advice)
        layout.addWidget(text_label("Planned hard sets per week", role="heading", wrap=True, selectable=False))
        self.figure = AnatomyFigure(self.library.muscles, legend=False)
        self.figure.setMinimumSize(200, 220)
        layout.addWidget(self.figure)
        self.sets_text = text_label(role="muted")
        self.sets_text.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.sets_text)
        layout.addStretch(1)
        panel.setMinimumWidth(230)
        return panel

    def columns_menu(self) -> QMenu:
        """A tick per optional column: the table starts with what most routines need."""
        menu = QMenu(self)
        for col, title in enumerate(RoutineItemsModel.COLUMNS):
            if col == RoutineItemsModel.EXERCISE:
                continue
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(col))
            action.toggled.connect(lambda shown, c=col: self._show_column(c, shown))
        return menu

    def _show_column(self, col: int, shown: bool) -> None:
        self.table.setColumnHidden(col, not shown)
        self._fit_exercise_column()

    def _fit_exercise_column(self) -> None:
        """The exercise column takes the room the other columns leave, never less than its
        name needs (the table scrolls sideways instead)."""
        others = sum(self.table.columnWidth(c) for c in range(1, self.items_model.columnCount())
                     if not self.table.isColumnHidden(c))
        self.table.setColumnWidth(RoutineItemsModel.EXERCISE, max(170, self.table.viewport().width() - others))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_exercise_column()
        return super().eventFilter(watched, event)

    # --- data -------------------------------------------------------------------------
    @property
    def unit(self) -> str:
        return self.settings["units"]

    def _name_of(self, exercise_id: str) -> str:
        return exercise_name(exercise_id, self.library, {c.id: c.name for c in self.store.custom_exercises().values()})

    def _uses_load(self, exercise_id: str) -> bool:
        ex = self.library.exercises.get(exercise_id)
        return ex is not None and ex.increment_kg > 0  # the library gives body-weight exercises no step

    def store_changed(self, changed: frozenset[Change]) -> None:
        """The change path (MainWindow._store_changed). Logged, edited or imported sessions
        make Next time, Last time and the guidance stale; routines saved elsewhere (a
        template, a backup import) make the list stale; custom exercises change what a
        routine may hold. While the area is on screen its own saves are what changed, so
        only sessions and custom exercises are caught up at once; the rest waits until it
        is shown."""
        if Change.SESSIONS in changed:
            self._history = None
        if Change.CUSTOM_EXERCISES in changed:
            self.book.known = set(self.library.exercises) | set(self.store.custom_exercises())
        concerns = changed & {Change.SESSIONS, Change.ROUTINES, Change.CUSTOM_EXERCISES}
        if not concerns:
            return
        if self.isVisible():
            concerns -= {Change.ROUTINES}
            if concerns:
                self._show_current()
        else:
            self._stale |= concerns

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._stale:
            self._stale.clear()
            self.refresh_list()
            self._show_current()

    def _show_current(self) -> None:
        """Show the selected routine again from what is saved now."""
        current = next((r for r in self.book.all() if r.id == self._current_id), None)
        if current is not None:
            self._show(current)

    def _start_clicked(self) -> None:
        routine = self.current()
        if routine is not None:
            self.start_requested.emit(routine.id)

    def history(self) -> list[SessionLog]:
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
        self.message_slot.show_message(None)
        editable = routine is not None and not self.store.read_only
        for w in (self.per_week, self.purpose, self.notes, self.add_button, self.remove_button, self.up_button,
                  self.down_button, self.apply_button):
            w.setEnabled(editable)
        self.start_button.setEnabled(routine is not None and editable and bool(routine.items))
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
        from backcoach.guidance import Severity, advise, merge_stalled, planned_weekly_sets

        advice = merge_stalled(advise(routine, self.library, self.settings["level"], self.history(),
                                      self._today or date.today()), routine, self._name_of)
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
        routine = self.current()
        if row >= 0 and routine is not None:
            where = f"{self._name_of(routine.items[row].exercise_id)}, {RoutineItemsModel.COLUMNS[column].lower()}: "
        self.error.setText(f"Not changed — {where}{reason}")
        self.message_slot.show_message(self.error)

    def _per_week_changed(self, value: int) -> None:
        from dataclasses import replace

        routine = self.current()
        if routine is not None and value != routine.sessions_per_week:
            self.commit(replace(routine, sessions_per_week=value), "Change sessions per week")

    def _purpose_changed(self, index: int) -> None:
        from dataclasses import replace

        purpose = Purpose(self.purpose.itemData(index))
        routine = self.current()
        if routine is not None and purpose != routine.purpose:
            self.commit(replace(routine, purpose=purpose), "Change purpose")

    def _notes_edited(self) -> None:
        from dataclasses import replace

        routine = self.current()
        if routine is not None:
            self.commit(replace(routine, notes=self.notes.toPlainText()[:4000]), "Edit notes")

    def selected_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def add_exercises(self, exercise_ids: list[str] | None = None) -> None:
        routine = self.current()
        if routine is None:
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
        self.commit(routine.with_items([*routine.items, *new]), f"Add {what}")
        self.table.setCurrentIndex(self.items_model.index(self.items_model.rowCount() - 1, 0))

    def remove_selected(self) -> None:
        row = self.selected_row()
        routine = self.current()
        if routine is None or row < 0:
            return
        items = list(routine.items)
        removed = items.pop(row)
        self.commit(routine.with_items(items), f"Remove {self._name_of(removed.exercise_id)}")

    def move_selected(self, step: int) -> None:
        row = self.selected_row()
        routine = self.current()
        if routine is None or row < 0:
            return
        target = row + step
        if not 0 <= target < len(routine.items):
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

    def _ask_name(self, title: str, label: str, text: str) -> str | None:
        """A name from the user, in a dialog wide enough for its title ("Renam…utine" otherwise)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        # QInputDialog sizes itself to its label when shown: the width goes on the text field.
        field = dialog.findChild(QLineEdit)
        assert field is not None  # a QInputDialog in text mode has its line edit from the start
        field.setMinimumWidth(dialog.fontMetrics().horizontalAdvance(title) + 240)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.textValue()

    def ask_and_create_routine(self) -> Routine | None:
        """'New routine…': a name first, so the list never fills with "New routine 2", "3"…"""
        name = self._ask_name("New routine", "Name of the routine (you can change it later):",
                              self.book.unique_name("New routine"))
        if name is None:
            return None
        return self.create_routine(name.strip() or None)

    def _default_frequency(self) -> int:
        from backcoach.rules import DEFAULT_SESSIONS_PER_WEEK

        return DEFAULT_SESSIONS_PER_WEEK[self.settings["level"]]

    def create_from_template(self, template_id: str | None = None) -> Routine | None:
        from backcoach.templates import load_templates, routine_from_template

        templates = load_templates(self.library)
        if template_id is None:
            picker = TemplatePicker(templates, self, self._name_of, self.unit)
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
        routine = self.current()
        if routine is not None:
            copy = self.book.duplicate(routine.id)
            self.refresh_list(copy.id)

    def rename_selected(self, name: str | None = None) -> None:
        from dataclasses import replace

        routine = self.current()
        if routine is None:
            return
        if name is None:
            name = self._ask_name("Rename routine", f"New name for “{routine.name}”:", routine.name)
            if name is None:
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
        routine = self.current()
        if routine is None:
            routine = self.create_routine()  # which is shown (and current) from now on
        name = self._name_of(exercise_id)
        if any(item.exercise_id == exercise_id for item in routine.items):
            answer = QMessageBox.question(
                self, "Already in the routine",
                f"{name} is already in “{routine.name}”. Add it a second time?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.message_posted.emit(f"{name} is already in “{routine.name}”: nothing added.")
                return
        self.add_exercises([exercise_id])
        self.message_posted.emit(f"Added {name} to “{routine.name}”.")

    def prepare_screenshot(self, tab: str | None = None, exercise_id: str | None = None) -> None:
        if self.current() is None and not self.store.read_only:
            self.create_from_template("beginner-back")
