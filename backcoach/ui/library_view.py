"""The Library area: search and filters on the left, the selected exercise on the right."""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backcoach.library import Exercise, Library
from backcoach.units import format_step
from backcoach.ui.anatomy import AnatomyFigure
from backcoach.ui.flow_layout import FlowLayout
from backcoach.ui.theme import BASE_POINT_SIZE, TEXT_ROLES
from backcoach.ui.widgets import Chip, mark_current, show_focus, text_label
from backcoach.ui.models import ExerciseDelegate, ExerciseIdRole, ExerciseListModel


def _html_section(heading: str, items: tuple[str, ...], ordered: bool) -> str:
    """A heading and a list, styled like the `heading` text role."""
    size = TEXT_ROLES["heading"][0] * BASE_POINT_SIZE
    tag = "ol" if ordered else "ul"
    body = "".join(f"<li style='margin-bottom:4px'>{html.escape(i)}</li>" for i in items)
    return (f"<p style='font-size:{size:.1f}pt; font-weight:600; margin-top:10px; margin-bottom:2px'>"
            f"{html.escape(heading)}</p><{tag} style='margin-left:-14px; -qt-list-indent:1'>{body}</{tag}>")


class ExerciseDetail(QScrollArea):
    """Everything about one exercise: figure, prescription, steps, tips, mistakes, chain."""

    exercise_requested = Signal(str)
    muscle_clicked = Signal(str)
    add_to_routine_requested = Signal(str)
    start_now_requested = Signal(str)

    def __init__(self, library: Library, can_add_to_routine: bool = False, can_start: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._library = library
        self.unit = "kg"  # the user's unit for loads; LibraryView.set_unit changes it
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.setWidget(body)
        outer = QVBoxLayout(body)
        outer.setContentsMargins(20, 14, 20, 20)
        outer.setSpacing(8)

        self.title = text_label(role="title")
        self.aliases = text_label(role="muted")
        chips_box = QWidget()
        self.chips = FlowLayout(chips_box)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title, 1)
        self.add_button = QPushButton("Add to routine…")
        self.add_button.setVisible(can_add_to_routine)
        self.add_button.clicked.connect(self._add_to_routine)
        title_row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.start_button = QPushButton("Start now")
        self.start_button.setVisible(can_start)
        self.start_button.setToolTip("A guided session of this exercise's default prescription")
        self.start_button.clicked.connect(self._start_now)
        title_row.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(title_row)
        outer.addWidget(self.aliases)
        outer.addWidget(chips_box)

        top = QHBoxLayout()
        top.setSpacing(18)
        self.figure = AnatomyFigure(library.muscles)
        self.figure.setMinimumSize(240, 300)  # fits a maximised 1024×600 window
        self.figure.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.figure.muscle_clicked.connect(self.muscle_clicked)
        top.addWidget(self.figure, 5)
        side = QVBoxLayout()
        side.setSpacing(4)
        side.addWidget(text_label("Default prescription", role="heading"))
        self.prescription = text_label()
        self.prescription.setTextFormat(Qt.TextFormat.RichText)
        side.addWidget(self.prescription)
        self.cue_heading = text_label("Focus during the set", role="heading")
        side.addWidget(self.cue_heading)
        self.cue = text_label(role="cue")
        side.addWidget(self.cue)
        side.addWidget(text_label("Muscles", role="heading"))
        self.muscle_text = text_label()
        self.muscle_text.setTextFormat(Qt.TextFormat.RichText)
        side.addWidget(self.muscle_text)
        side.addStretch(1)
        top.addLayout(side, 4)
        outer.addLayout(top)

        # Steps, tips and mistakes are one document: one layout pass instead of six.
        self.guide = text_label()
        self.guide.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.guide)
        outer.addWidget(text_label("Progression", role="heading"))
        self.chain_hint = text_label(role="muted")
        outer.addWidget(self.chain_hint)
        self.chain_box = QWidget()
        self.chain = FlowLayout(self.chain_box, spacing=4)
        outer.addWidget(self.chain_box)
        self.branches = text_label(role="muted")
        self.branches.setTextFormat(Qt.TextFormat.RichText)
        self.branches.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.branches.linkActivated.connect(self.exercise_requested)
        outer.addWidget(self.branches)
        outer.addStretch(1)
        self._exercise: Exercise | None = None

    def exercise(self) -> Exercise | None:
        return self._exercise

    def clear(self) -> None:
        """Nothing on show: the buttons then act on no exercise."""
        self._exercise = None

    def set_unit(self, unit: str) -> None:
        self.unit = unit
        if self._exercise is not None:
            self.show_exercise(self._exercise)

    def _add_to_routine(self) -> None:
        if self._exercise is not None:
            self.add_to_routine_requested.emit(self._exercise.id)

    def _start_now(self) -> None:
        if self._exercise is not None:
            self.start_now_requested.emit(self._exercise.id)

    def show_exercise(self, ex: Exercise) -> None:
        lib = self._library
        self._exercise = ex
        self.title.setText(ex.name)
        self.aliases.setText("Also called: " + ", ".join(ex.aliases[:6]) if ex.aliases else "")
        self.aliases.setVisible(bool(ex.aliases))
        self._set_chips([
            lib.patterns[ex.pattern], lib.levels[ex.level],
            *(lib.equipment[e] for e in ex.equipment),
            *({"one-then-other": ["One side at a time"], "alternating": ["Alternating sides"]}.get(ex.movement.sides, [])),
            *(["Timed hold"] if ex.is_timed else []),
        ])
        self.figure.set_highlight(ex.primary_muscles, ex.secondary_muscles)
        p = ex.prescription
        lines = [f"<span style='font-size:15pt; font-weight:600'>{html.escape(p.describe(ex.unilateral))}</span>"]
        if p.tempo is not None:
            lines.append(f"Tempo <b>{p.tempo}</b>: {html.escape(p.tempo.describe(ex.movement))}")
        if ex.increment_kg:
            lines.append(f"Add {format_step(ex.increment_kg, self.unit)} when every rep is clean")
        self.prescription.setText("<br>".join(lines))
        self.cue.setText(f"“{ex.focus_cue}”")
        for widget in (self.cue_heading, self.cue):  # a custom exercise may have none
            widget.setVisible(bool(ex.focus_cue))
        prim = ", ".join(lib.muscles[m].name for m in ex.primary_muscles)
        sec = ", ".join(lib.muscles[m].name for m in ex.secondary_muscles) or "—"
        self.muscle_text.setText(f"<b>Primary:</b> {html.escape(prim)}<br><b>Secondary:</b> {html.escape(sec)}")
        self.guide.setText(
            _html_section("How to do it", ex.steps, ordered=True)
            + _html_section("Form tips", ex.tips, ordered=False)
            + _html_section("Common mistakes", ex.mistakes, ordered=False)
        )
        self._set_chain(ex)
        self.verticalScrollBar().setValue(0)

    def _set_chips(self, texts: list[str]) -> None:
        _clear_layout(self.chips)
        for text in texts:
            self.chips.addWidget(Chip(text))

    def _set_chain(self, ex: Exercise) -> None:
        _clear_layout(self.chain)
        chain = self._library.progression_chain(ex.id)
        if len(chain) == 1:
            self.chain_hint.setText("This exercise has no easier or harder variation in the library.")
            self.chain_box.hide()
        else:
            self.chain_hint.setText("Easier on the left, harder on the right. Click a step to open it.")
            self.chain_box.show()
            for i, step in enumerate(chain):
                if i:
                    self.chain.addWidget(text_label("→", role="muted", wrap=False, selectable=False))
                button = QPushButton(step.name)
                if step.id == ex.id:
                    mark_current(button)
                    button.setEnabled(False)
                else:
                    button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(lambda _=False, target=step.id: self.exercise_requested.emit(target))
                self.chain.addWidget(button)
        in_chain = {s.id for s in chain}
        others = [("Also easier", [i for i in ex.easier if i not in in_chain]),
                  ("Also harder", [i for i in ex.harder if i not in in_chain])]
        parts = []
        for title, ids in others:
            if ids:
                links = ", ".join(f"<a href='{i}'>{html.escape(self._library.exercises[i].name)}</a>" for i in ids)
                parts.append(f"{title}: {links}")
        self.branches.setText("<br>".join(parts))
        self.branches.setVisible(bool(parts))


def _clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()  # deleteLater runs later; until then it must not paint
            widget.deleteLater()


class _ArrowsToList(QObject):
    """Up/Down/PageUp/PageDown typed in the search box move through the list."""

    KEYS = {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}

    def __init__(self, target: QListView):
        super().__init__(target)
        self._target = target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in self.KEYS:
            self._target.setFocus()
            forwarded = QKeyEvent(event.type(), event.key(), event.modifiers())
            self._target.keyPressEvent(forwarded)
            if isinstance(watched, QWidget):
                watched.setFocus()
            return True
        return False


class LibraryView(QWidget):
    """Browse, search and filter the exercise library."""

    exercise_selected = Signal(str)
    add_to_routine_requested = Signal(str)
    start_now_requested = Signal(str)
    custom_exercises_requested = Signal()  # "Your exercises…"

    ALL = ""

    def __init__(self, library: Library, can_add_to_routine: bool = False, can_start: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._library = library
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(14, 14, 8, 14)
        left_layout.setSpacing(8)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search exercises (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(34)
        left_layout.addWidget(self.search)

        filters = QGridLayout()
        filters.setHorizontalSpacing(6)
        filters.setVerticalSpacing(6)
        self.muscle_filter = self._combo("All muscles", [(m.id, m.name) for m in library.muscles.values()])
        self.pattern_filter = self._combo("All patterns", list(library.patterns.items()))
        self.equipment_filter = self._combo("Any equipment", list(library.equipment.items()))
        self.level_filter = self._combo("All levels", list(library.levels.items()))
        filters.addWidget(self.muscle_filter, 0, 0)
        filters.addWidget(self.pattern_filter, 0, 1)
        filters.addWidget(self.equipment_filter, 1, 0)
        filters.addWidget(self.level_filter, 1, 1)
        left_layout.addLayout(filters)

        status = QHBoxLayout()
        self.count_label = text_label(role="muted", wrap=False, selectable=False)
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.clicked.connect(self.clear_filters)
        status.addWidget(self.count_label, 1)
        status.addWidget(self.clear_button)
        left_layout.addLayout(status)
        self.custom_button = QPushButton("Your exercises…")
        self.custom_button.setToolTip("Create your own exercises, and complete the ones an import brought")
        self.custom_button.clicked.connect(self.custom_exercises_requested)
        self.custom_button.setVisible(can_add_to_routine)
        status.addWidget(self.custom_button)

        self.model = ExerciseListModel(library, self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setItemDelegate(ExerciseDelegate(self.list))
        show_focus(self.list)
        self.list.setUniformItemSizes(True)
        self.list.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        left_layout.addWidget(self.list, 1)
        self.empty_label = text_label("No exercise matches. Try fewer words or clear the filters.", role="muted")
        self.empty_label.hide()
        left_layout.addWidget(self.empty_label)
        splitter.addWidget(left)

        self.detail = ExerciseDetail(library, can_add_to_routine, can_start)
        self.no_match = QWidget()
        no_match_layout = QVBoxLayout(self.no_match)
        no_match_layout.setContentsMargins(20, 20, 20, 20)
        self.no_match_label = text_label(role="heading")
        no_match_layout.addWidget(self.no_match_label)
        no_match_layout.addWidget(text_label("Check the spelling, use fewer words, or clear the filters to see "
                                             "all exercises.", role="muted"))
        clear_all = QPushButton("Clear search and filters")
        clear_all.clicked.connect(self.clear_filters)
        no_match_layout.addWidget(clear_all, 0, Qt.AlignmentFlag.AlignLeft)
        no_match_layout.addStretch(1)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(self.detail)
        self.detail_stack.addWidget(self.no_match)
        self.detail.add_to_routine_requested.connect(self.add_to_routine_requested)
        self.detail.start_now_requested.connect(self.start_now_requested)
        self.detail.exercise_requested.connect(self.select_exercise)
        self.detail.muscle_clicked.connect(self.filter_by_muscle)
        splitter.addWidget(self.detail_stack)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([390, 900])
        left.setMinimumWidth(330)

        self.search.textChanged.connect(self._search_changed)
        for combo in self._combos():
            combo.currentIndexChanged.connect(lambda _index: self.refresh())
        self.search.installEventFilter(_ArrowsToList(self.list))
        self.search.returnPressed.connect(self.list.setFocus)
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)  # Ctrl+F
        self.refresh()

    def _combo(self, everything: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, self.ALL)
        for key, name in items:
            combo.addItem(name, key)
        combo.setMinimumHeight(30)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        return combo

    def set_unit(self, unit: str) -> None:
        """Loads in the text follow the Settings' unit."""
        self.detail.set_unit(unit)

    def _combos(self) -> list[QComboBox]:
        return [self.muscle_filter, self.pattern_filter, self.equipment_filter, self.level_filter]

    # --- behaviour ---------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_changed(self) -> None:
        # A new query shows its best match; the Enter key then moves into the list.
        self.refresh(keep_current=False)

    def refresh(self, keep_current: bool = True) -> None:
        current = self.current_exercise_id() if keep_current else None
        found = self._library.filter(
            query=self.search.text(),
            muscle=self.muscle_filter.currentData() or None,
            pattern=self.pattern_filter.currentData() or None,
            equipment=self.equipment_filter.currentData() or None,
            level=self.level_filter.currentData() or None,
        )
        self.model.set_exercises(found)
        total = len(self._library)
        self.count_label.setText(f"{len(found)} of {total} exercises" if len(found) != total else f"{total} exercises")
        filtered = bool(self.search.text()) or any(c.currentIndex() > 0 for c in self._combos())
        self.clear_button.setEnabled(filtered)
        self.empty_label.setVisible(not found)
        if not found:  # an unrelated exercise left on show would look like the answer
            query = self.search.text().strip()
            self.no_match_label.setText(f"No exercise matches “{query}”." if query else "No exercise matches these filters.")
            self.detail.clear()
            self.detail_stack.setCurrentWidget(self.no_match)
            return
        self.detail_stack.setCurrentWidget(self.detail)
        row = self.model.row_of(current) if current else -1
        self._select_row(row if row >= 0 else 0)

    def _select_row(self, row: int) -> None:
        if self.model.rowCount() == 0:
            return
        index = self.model.index(row, 0)
        self.list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(index, QListView.ScrollHint.PositionAtCenter)

    def show_instead_of_exercise(self, page: QWidget) -> None:
        """Show `page` in the detail pane (the first start's welcome) until an exercise is picked."""
        self.detail_stack.addWidget(page)
        self.detail_stack.setCurrentWidget(page)
        self.list.selectionModel().clearCurrentIndex()
        self.list.clearSelection()
        self.detail.clear()

    def show_first_exercise(self) -> None:
        self._select_row(0)
        self.list.setFocus()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.detail_stack.setCurrentWidget(self.detail)
            exercise_id = current.data(ExerciseIdRole)
            self.detail.show_exercise(self._library.exercises[exercise_id])
            self.exercise_selected.emit(exercise_id)

    def current_exercise_id(self) -> str | None:
        ex = self.detail.exercise()
        return ex.id if ex else None

    def select_exercise(self, exercise_id: str) -> None:
        """Show an exercise; clears the filters if they hide it."""
        if exercise_id not in self._library.exercises:
            return
        if self.model.row_of(exercise_id) < 0:
            self.clear_filters()
        self._select_row(self.model.row_of(exercise_id))

    def filter_by_muscle(self, muscle_id: str) -> None:
        """List the exercises that work a muscle (from a click on the figure)."""
        index = self.muscle_filter.findData(muscle_id)
        if index >= 0:
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.muscle_filter.setCurrentIndex(index)

    def clear_filters(self) -> None:
        for widget in [self.search, *self._combos()]:
            widget.blockSignals(True)
        self.search.clear()
        for combo in self._combos():
            combo.setCurrentIndex(0)
        for widget in [self.search, *self._combos()]:
            widget.blockSignals(False)
        self.refresh()
